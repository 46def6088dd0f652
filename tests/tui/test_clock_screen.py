"""The clock on the board: every seat sees the time left; where the facilitator sits, a
turn whose time is up ends; the console sets the clock and gives a minute more."""

from __future__ import annotations

import time
from pathlib import Path

from scenario import take_keyboard, until, wait_for, write
from textual.widgets import Input, Static

from tabletop.campaign.validate import load_campaign
from tabletop.engine import commands as C
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import build_app

ROOT = Path(__file__).resolve().parents[2]
FAC = C.FACILITATOR


def _timed_session() -> LocalSession:
    lc = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    return LocalSession(lc.campaign, seed=4, controllers=resolve_controllers(lc.campaign, []), clock=time.time)


async def test_a_turn_whose_time_is_up_ends_and_the_board_says_so() -> None:
    session = _timed_session()
    session.submit_now(C.SetClock(FAC, 1, 0))  # one second a turn
    app = build_app(session, briefing=False, dice_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await take_keyboard(pilot, "northmark")  # its second is up by now: the board ends the turn
        await until(pilot, lambda: session.state.turn != "northmark", "the time-up", timeout=8)
        told = [e.event for e in session.entries]
        assert any(type(ev).__name__ == "TimeRanOut" and ev.actor == "northmark" for ev in told)
        await wait_for(pilot, "HandOffScreen")  # the next seat is called


async def test_the_console_sets_the_clock_and_gives_a_minute_more() -> None:
    session = _timed_session()
    app = build_app(session, briefing=False, dice_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await take_keyboard(pilot, "northmark")
        screen = await wait_for(pilot, "GameScreen")
        assert str(screen.query_one("#clock", Static).render()) == ""  # no time box yet
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("k")
        form = await wait_for(pilot, "ClockForm")
        await write(pilot, "5")  # the first field has the focus
        form.query_one("#clock-round", Input).value = "lots"
        form.query_one("#clock-round", Input).focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ClockForm"  # not a number: said, and the form stays
        form.query_one("#clock-round", Input).value = "30"
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")
        assert session.view(FAC).clock == (300, 1800)
        await pilot.press("plus")
        await until(pilot, lambda: session.state.turn_extra == 60, "the extra minute")
        await pilot.press("escape")
        screen = await wait_for(pilot, "GameScreen")
        await until(pilot, lambda: "Northmark 5:" in str(screen.query_one("#clock", Static).render()), "the clock")
        assert "round 29:" in str(screen.query_one("#clock", Static).render())
