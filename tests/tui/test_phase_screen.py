"""The crisis-phase screen's words for each transition, as a new player found them: how a
transition fires said once (not "Automatic: …" then "automatic at the phase check"), and a
red line no longer called hidden once it has been revealed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from scenario import pass_now, play_now, take_keyboard, wait_for
from textual.widgets import Static

from tabletop.campaign.explain import AUTOMATIC, BY_TRIGGER, transition_lines
from tabletop.campaign.model import Campaign
from tabletop.campaign.validate import LoadedCampaign, load_campaign
from tabletop.engine import commands as C
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "campaigns").glob("*.yaml"))
SIZE = (80, 24)


def _reveal_red_line(session: LocalSession) -> None:
    """Ostrand's diplomatic note, advised by Veldia: Northmark's red line is made known to all."""
    pass_now(session, "northmark", "veldia")
    play_now(session, "ostrand", "diplomatic-note")
    vote = session.view(C.FACILITATOR).vote
    assert vote is not None and session.awaiting() == ("veldia",)
    session.submit_now(C.Advise("veldia", vote.play, True))
    assert session.view("observer").values == {"red_line": 8}


async def _phase_lines(app: TabletopApp, seat: str) -> list[str]:
    async with app.run_test(size=SIZE) as pilot:
        if seat == "northmark":
            await wait_for(pilot, "BriefingScreen")
            await pilot.press("enter")
        await take_keyboard(pilot, seat)
        await wait_for(pilot, "GameScreen")
        await pilot.press("p")
        screen = await wait_for(pilot, "PhaseScreen")
        return [str(w.render()) for w in screen.query("#phases-transitions Static").results(Static)]


def _joined(lines: list[str]) -> str:
    """The wrapped lines back as the sentences they are (one transition detail a line)."""
    return "\n".join(" ".join(line.split()) for line in lines)


async def test_how_a_transition_fires_is_said_once(new_app: Callable[..., TabletopApp]) -> None:
    lines = _joined(await _phase_lines(new_app(), "northmark"))
    assert "Automatic: tension 4+ or connectivity 5 or less" in lines
    assert AUTOMATIC not in lines, lines  # every automatic transition of the tutorial says so in its label
    assert f"tension 5 or less\n{BY_TRIGGER}" in lines  # "Only by the All clear card" leaves out the facilitator


async def test_a_revealed_red_line_is_not_called_hidden(new_app: Callable[..., TabletopApp]) -> None:
    before = _joined(await _phase_lines(new_app(journal=False), "northmark"))
    assert "Northmark's hidden red line (7 to 9)" in before and "(8)" not in before  # not known yet: the author's words
    after = _joined(await _phase_lines(new_app(journal=False, moves=_reveal_red_line), "ostrand"))
    assert "hidden" not in after.lower(), after
    assert "when Tension is at least Northmark's red line (8) or Public trust is at most 1" in after
    assert AUTOMATIC in after  # the condition in words does not say how it fires: the line does


def _relabelled(campaign: Campaign, labels: dict[str, str], auto: dict[str, bool] | None = None) -> Campaign:
    transitions = [
        t.model_copy(update={"label": labels.get(t.trigger, t.label), "auto": (auto or {}).get(t.trigger, t.auto)})
        for t in campaign.phases.transitions
    ]
    return campaign.model_copy(update={"phases": campaign.phases.model_copy(update={"transitions": transitions})})


def test_a_label_that_says_automatic_is_not_followed_by_automatic(tutorial: LoadedCampaign) -> None:
    c = _relabelled(tutorial.campaign, {
        "escalate": "Fires automatically once tension reaches 4",
        "collapse": "At the red line, or when trust is 1 or less",  # says nothing of how
        "settle": "Only by trigger: the All clear card",
    })
    lines = {t.trigger: transition_lines(c, t) for t in c.phases.transitions}
    assert lines["escalate"] == ["Fires automatically once tension reaches 4"]
    assert lines["collapse"] == ["At the red line, or when trust is 1 or less", AUTOMATIC]
    assert lines["settle"] == ["Only by trigger: the All clear card"]


def test_a_label_that_says_automatic_of_a_transition_that_is_not_keeps_how_it_fires(tutorial: LoadedCampaign) -> None:
    c = _relabelled(tutorial.campaign, {"escalate": "Automatic: tension 4+"}, auto={"escalate": False})
    [escalate] = [t for t in c.phases.transitions if t.trigger == "escalate"]
    assert transition_lines(c, escalate) == ["Automatic: tension 4+", BY_TRIGGER]  # the contradiction shows


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_transitions_say_how_they_fire_once(path: Path) -> None:
    c = load_campaign(path).campaign
    everything = {h.id: (h.range[0] if h.range else (h.values or [0])[0]) for h in c.hidden}
    for t in c.phases.transitions:
        for known in ({}, everything):
            lines = transition_lines(c, t, known)
            text = " ".join(lines).lower()
            assert lines and text.count("automatic") <= 1, (t.trigger, lines)
            assert (AUTOMATIC in lines or "automatic" in text) is t.is_auto, (t.trigger, lines)
            if known and t.when and c.condition(t.when).names & set(everything):
                assert "hidden" not in text, (t.trigger, lines)


def _red_line_near(session: LocalSession) -> None:
    """The red line revealed, then tension raised to 2 below it: Breakdown is near."""
    _reveal_red_line(session)
    tension = session.view("observer").tracks["tension"]
    session.submit_now(C.AdjustTrack(C.FACILITATOR, "tension", 8 - 2 - tension, "Rumours"))


async def test_the_hand_off_says_a_revealed_red_line_with_its_value(new_app: Callable[..., TabletopApp]) -> None:
    """Play-test: once revealed, the hand-off's nearest ending still named "Northmark's red
    line" alone; the phase screen said its value."""
    async with new_app(journal=False, moves=_red_line_near).run_test(size=SIZE) as pilot:
        screen = await wait_for(pilot, "HandOffScreen")
        near = " ".join(str(screen.query_one("#handoff-near", Static).render()).split())
    assert near.startswith("Nearest ending: Breakdown — 2 steps away"), near
    assert "Tension is at least Northmark's red line (8)" in near, near
