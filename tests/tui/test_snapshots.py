"""SVG snapshots of every screen at 100x30 and 80x24 (the smallest supported terminal).

Deterministic: a fixed seed, no journal (the save path shown is a fixed text), no clock
on screen, animations off, no text cursor on screen, notifications cleared.
Accept a changed snapshot (``--snapshot-update``) only after looking at it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from scenario import focus_card, pass_to_the_end, play, rule_and_adjust, take_keyboard, to_facilitator, to_vote, wait_for
from textual.pilot import Pilot

from tabletop.tui.app import TabletopApp

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
Steps = Callable[[Pilot], Awaitable[None]]


def snapshot(snap_compare, new_app, size: tuple[int, int], steps: Steps) -> bool:  # type: ignore[no-untyped-def]
    app: TabletopApp = new_app(journal=False, save_path="saves/2031-03-02-tutorial-4.jsonl")

    async def run_before(pilot: Pilot) -> None:
        await steps(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


async def _board(pilot: Pilot) -> None:
    await wait_for(pilot, "BriefingScreen")
    await pilot.press("enter")
    await take_keyboard(pilot, "northmark")
    await wait_for(pilot, "GameScreen")
    await focus_card(pilot, "bot-swarm")


async def _handoff(pilot: Pilot) -> None:
    await to_vote(pilot)
    await wait_for(pilot, "HandOffScreen")


async def _vote(pilot: Pilot) -> None:
    await to_vote(pilot)
    await take_keyboard(pilot, "veldia")
    await wait_for(pilot, "VoteScreen")


async def _console(pilot: Pilot) -> None:
    await to_facilitator(pilot)
    await pilot.press("f")
    await wait_for(pilot, "FacilitatorScreen")


async def _phases(pilot: Pilot) -> None:
    await wait_for(pilot, "BriefingScreen")
    await pilot.press("enter")
    await play(pilot, "northmark", "anchor-drag")  # connectivity falls: Calm becomes Crisis
    for seat in ("veldia", "ostrand"):
        await take_keyboard(pilot, seat)
        await wait_for(pilot, "GameScreen")
        await pilot.press("x")
    await take_keyboard(pilot, "northmark")
    await wait_for(pilot, "GameScreen")
    await pilot.press("p")
    await wait_for(pilot, "PhaseScreen")


async def _end(pilot: Pilot) -> None:
    await to_facilitator(pilot)
    await rule_and_adjust(pilot)
    await pass_to_the_end(pilot)
    await wait_for(pilot, "EndScreen")


@pytest.mark.parametrize("size", SIZES)
def test_game_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _board)


@pytest.mark.parametrize("size", SIZES)
def test_hand_off(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _handoff)


@pytest.mark.parametrize("size", SIZES)
def test_vote(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _vote)


@pytest.mark.parametrize("size", SIZES)
def test_facilitator_console(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _console)


@pytest.mark.parametrize("size", SIZES)
def test_phase_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _phases)


@pytest.mark.parametrize("size", SIZES)
def test_end_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _end)
