"""The evaluator's client screen (issue 14): `tabletop join --code EVALCODE --name NAME`
opens the public board; `o` records an observation through the host, signed with the
name; at the end, `h` answers the hotwash . Pilot over a RemoteSession
joined to a real host on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from net_helpers import Hosted, hosted, until
from tabletop.engine import events as E
from tabletop.engine.commands import EVALUATOR
from tabletop.net.client import RemoteSession
from tabletop.tui.app import build_app

SIZE = (100, 30)


async def _until(pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await pilot.pause(0.02)


async def _screen(pilot: Pilot[Any], name: str) -> Any:
    """Wait for the screen ``name`` (reading past a brief, the dice and a round in review
    on the way, if the seat is shown them)."""
    async def there() -> bool:
        if not pilot.app.key_gate.ready:  # a key pressed before the screen is painted is not used
            return False
        top = type(pilot.app.screen).__name__
        if top in ("BriefScreen", "DiceScreen", "RoundSummaryScreen") and name != top:
            await pilot.press("enter")
        return type(pilot.app.screen).__name__ == name

    async with asyncio.timeout(10):
        while not await there():
            await pilot.pause(0.02)
    return pilot.app.screen


@asynccontextmanager
async def client(h: Hosted, seat: str, name: str) -> AsyncIterator[RemoteSession]:
    session = await RemoteSession.join(h.url, h.codes[seat], name=name)
    try:
        yield session
    finally:
        await session.close()


def recorded(h: Hosted, kind: type[E.Event]) -> list[Any]:
    return [e.event for e in h.session.entries if isinstance(e.event, kind)]


async def test_o_on_an_evaluators_board_records_an_observation_signed_with_the_name(tmp_path: Any) -> None:
    async with hosted(tmp_path, "tutorial", seed=2) as h, client(h, EVALUATOR, "Maria Lind") as maria:
        app = build_app(maria, seat_mode="single", dice_seconds=None, briefing=False, author=maria.author)
        app.animation_level = "none"
        async with app.run_test(size=SIZE) as pilot:
            await _screen(pilot, "GameScreen")
            await pilot.press("o")
            dialog = await _screen(pilot, "ObservationDialog")
            assert dialog.query_one("#observe-author", Input).value == "Maria Lind"  # as `join` builds it
            chosen = dialog.query_one("#observe-about", Select).value
            assert isinstance(chosen, int) and 0 < chosen <= maria.state.seq  # numbered in this seat's stream
            dialog.query_one("#observe-text", TextArea).text = "Nobody has moved yet; the red cell is waiting."
            dialog.query_one("#observe-rating", Select).value = "U"
            await pilot.press("ctrl+s")
            await until(lambda: recorded(h, E.ObservationRecorded))
            await _screen(pilot, "GameScreen")
            await _until(pilot, lambda: any(isinstance(e.event, E.ObservationRecorded) for e in maria.entries))
        [observation] = recorded(h, E.ObservationRecorded)
        # the evaluator's own numbering, turned into the journal's: the same event
        assert observation.author == "Maria Lind" and observation.rating == "U"
        assert observation.about == h.host.feeds.journal_seq(EVALUATOR, chosen)
        assert maria.entries[chosen - 1].event == h.session.entries[observation.about - 1].event


async def test_h_on_an_evaluators_end_screen_answers_the_hotwash(tmp_path: Any) -> None:
    """(Every other seat's client answers the same way: test_net_evaluator.py sends each one's.)"""
    async with hosted(tmp_path, "tutorial", seed=2, bots=["red", "blue", "facilitator"]) as h:
        await h.host.wait_ended()
        async with client(h, EVALUATOR, "Maria Lind") as me:
            app = build_app(me, seat_mode="single", dice_seconds=None, briefing=False)
            app.animation_level = "none"
            async with app.run_test(size=SIZE) as pilot:
                await _screen(pilot, "EndScreen")
                await pilot.press("h")
                dialog = await _screen(pilot, "HotwashDialog")
                dialog.query_one("#hotwash-went_well", Input).value = "The red cell talked early."
                await pilot.press("ctrl+s")
                await until(lambda: recorded(h, E.HotwashAnswered))
                await _screen(pilot, "EndScreen")  # the end screen stays
    answers = [(a.seat, a.author, a.went_well) for a in recorded(h, E.HotwashAnswered)]
    assert answers == [(EVALUATOR, "Maria Lind", "The red cell talked early.")]
