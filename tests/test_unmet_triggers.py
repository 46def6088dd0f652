"""Tests for :func:`tabletop.engine.queries.unmet_triggers`: why a card's phase change would
not happen if the card were played now, in words with the values read, as the seat can tell."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tabletop.campaign.validate import load_campaign
from tabletop.engine import commands as C
from tabletop.engine.queries import unmet_triggers
from tabletop.engine.randomness import LEGACY
from tabletop.engine.views import View
from tabletop.session import LocalSession, resolve_controllers

CAMPAIGNS = Path(__file__).resolve().parent.parent / "campaigns"


def session(name: str) -> LocalSession:
    c = load_campaign(CAMPAIGNS / f"{name}.yaml").campaign
    return LocalSession(c, seed=4, controllers=resolve_controllers(c, []), rng=LEGACY)


@pytest.fixture(scope="module")
def belarus() -> LocalSession:
    return session("belarus-border-2021")


def at(s: LocalSession, seat: str, phase: str, **tracks: int) -> View:
    """``seat``'s view of the opening, as if the crisis were in ``phase`` with these tracks."""
    view = s.view(seat)
    return replace(view, phase=phase, tracks={**view.tracks, **tracks})


def test_a_trigger_card_says_which_tracks_fall_short_with_their_values() -> None:
    """The tutorial by commands: the trawler, then passes to round 2, a Crisis, where
    Ostrand's all-clear card would not settle it (each part of its condition fails)."""
    s = session("tutorial")
    s.submit_now(C.PlayCard("northmark", next(i for i in s.view("northmark").actors["northmark"].hand or ()
                                                if s.engine.instance_card[i] == "anchor-drag")))
    while s.awaiting() != ("ostrand",) or s.view("ostrand").phase != "crisis":
        s.submit_now(C.Pass(s.awaiting()[0]))
    assert s.unmet_triggers("ostrand", "all-clear") == {"effects": (
        "Connectivity is 3, it needs 6 or more; Public trust is 2, it needs 4 or more; "
        "Tension is 7, it needs 5 or less"
    )}


def test_nothing_is_said_where_the_trigger_cannot_leave_the_phase(belarus: LocalSession) -> None:
    # the card's preview says "not from Baseline" already; the condition is not the reason
    assert unmet_triggers(belarus.engine, at(belarus, "nato", "baseline"), belarus.engine.cards["nato-step-down"]) == {}


def test_the_cards_own_changes_count_before_its_trigger(belarus: LocalSession) -> None:
    card = belarus.engine.cards["nato-step-down"]  # escalation -2, then step_down needs escalation <= 5
    assert unmet_triggers(belarus.engine, at(belarus, "nato", "military-tension", escalation=8), card) == {
        "effects": "Escalation risk is 6, it needs 5 or less",
    }
    assert unmet_triggers(belarus.engine, at(belarus, "nato", "military-tension", escalation=7), card) == {}


def test_a_contests_trigger_is_read_after_its_outcome(belarus: LocalSession) -> None:
    card = belarus.engine.cards["by-iskander-nuclear"]  # on success: escalation +2, military signalling needs 4+
    view = at(belarus, "belarus", "border-crisis", escalation=1)
    assert unmet_triggers(belarus.engine, view, card) == {"success": "Escalation risk is 3, it needs 4 or more"}


def test_a_seat_is_not_told_what_rests_on_a_value_hidden_from_it(belarus: LocalSession) -> None:
    card = belarus.engine.cards["ru-pretext"]  # reads Russia's pretext threshold, which red alone knows
    tracks = {"escalation": 3, "deterrence": 2}
    assert unmet_triggers(belarus.engine, at(belarus, "nato", "military-tension", **tracks), card) == {}
    russia = at(belarus, "russia", "military-tension", **tracks)
    line = russia.values["pretext_line"]
    assert unmet_triggers(belarus.engine, russia, card) == {"effects": (
        "Escalation risk plus 1 is not at least Russia's pretext threshold "
        f"(Escalation risk 4, Russia's pretext threshold {line})"
    )}
