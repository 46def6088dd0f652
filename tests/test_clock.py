"""The clock: time boxes set in the campaign or by the facilitator, journaled; the time
left read from the lines' times (pauses stop it); a turn whose time is up ends."""

from __future__ import annotations

import pytest

from tabletop.campaign.validate import load_campaign, load_campaign_text
from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError
from tabletop.engine.narrate import Narrator, clock_words, duration
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.text import clock_text

from save_helpers import CAMPAIGNS

FAC = C.FACILITATOR


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _session(text: str | None = None) -> tuple[LocalSession, FakeTime]:
    lc = load_campaign_text(text) if text is not None else load_campaign(CAMPAIGNS / "tutorial.yaml")
    t = FakeTime()
    return LocalSession(lc.campaign, seed=3, controllers=resolve_controllers(lc.campaign, []), clock=t), t


def test_the_facilitator_sets_extends_and_the_clock_ends_a_turn() -> None:
    s, t = _session()
    assert s.time_left(t.now) is None  # no time box: no clock
    with pytest.raises(CommandError, match="no time limit"):
        s.submit_now(C.TimeUp(FAC))
    with pytest.raises(CommandError, match="whole number of seconds"):
        s.submit_now(C.SetClock(FAC, -5, 0))
    with pytest.raises(CommandError, match="Only the facilitator"):
        s.submit_now(C.SetClock("northmark", 60, 0))
    s.submit_now(C.SetClock(FAC, 300, 1800))
    assert s.view("northmark").clock == (300, 1800)
    t.now += 60
    assert s.time_left(t.now).turn_left == 240 and s.time_left(t.now).actor == "northmark"
    s.submit_now(C.ExtendTime(FAC, 60))
    assert s.time_left(t.now).turn_left == 300
    s.submit_now(C.TimeUp(FAC))
    assert s.state.turn != "northmark"
    told = Narrator(s.engine).sentences(e.event for e in s.entries)
    assert "The facilitator set the clock: 5 min a turn, 30 min a round." in told
    assert "The facilitator gives Northmark 1 min more." in told
    assert "Time is up for Northmark's turn." in told
    assert "The facilitator ended Northmark's turn." not in told  # the clock did, and said so


def test_a_pause_stops_the_clock() -> None:
    s, t = _session()
    s.submit_now(C.SetClock(FAC, 300, 0))
    t.now += 10
    s.submit_now(C.Pause(FAC, "coffee"))
    t.now += 600  # ten minutes of coffee
    reading = s.time_left(t.now)
    assert reading.paused and reading.turn_left == 290
    s.submit_now(C.Resume(FAC))
    t.now += 20
    assert s.time_left(t.now).turn_left == 270
    assert clock_text(s.engine, s.time_left(t.now)) == "⏱ Northmark 4:30"
    t.now += 400
    assert clock_text(s.engine, s.time_left(t.now)) == "⏱ Northmark over time by 2:10"


def test_a_campaign_sets_the_clock_and_a_simulated_game_has_none() -> None:
    text = (CAMPAIGNS / "tutorial.yaml").read_text().replace(
        "rules:\n", "rules:\n  clock: {turn_minutes: 2.5, round_minutes: 20}\n", 1)
    s, t = _session(text)
    assert s.view("observer").clock == (150, 1200)
    assert s.time_left(t.now).turn_left == 150 and s.time_left(t.now).round_left == 1200
    untimed = LocalSession(s.campaign, seed=3, controllers=s.controllers)
    assert untimed.time_left(t.now) is None  # no times in its lines


def test_words_for_durations() -> None:
    assert (duration(300), duration(90), duration(45), duration(4200)) == ("5 min", "1 min 30 s", "45 s", "1 h 10 min")
    assert clock_words(0, 0) == "no time limit"
