"""SVG snapshots of every screen at 100x30 and 80x24 (the smallest supported terminal), and
of the screens a room reads (the board, the role, the round in review, the projector
view, the clock) at 140x45 too.

Deterministic: a fixed seed, no journal (the save path shown is a fixed text), no clock
on screen, animations off, no text cursor on screen, notifications cleared.
Accept a changed snapshot (``--snapshot-update``) only after looking at it.

Each screen is reached from a session brought to its moment by commands (the moves of
tests/tui/scenario.py), then a few keys: the game up to that moment is played by keys
in tests/tui/test_game.py, not again here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from scenario import (
    focus_card, painted, pass_now, pass_to_the_end_now, play, play_now, rule_and_adjust_now, take_keyboard, to_facilitator_now,
    to_vote_now, wait_for,
)
from format2_drill import drill_app, drill_session, to_boarding
from textual.pilot import Pilot

from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp

ROOT = Path(__file__).resolve().parents[2]
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
#: the screens a room reads: also on a large terminal or a projector
SIZES3 = [*SIZES, pytest.param((140, 45), id="140x45")]
Steps = Callable[[Pilot], Awaitable[None]]
Moves = Callable[[LocalSession], None]


def snapshot(snap_compare, new_app, size: tuple[int, int], steps: Steps, moves: Moves | None = None) -> bool:  # type: ignore[no-untyped-def]
    app: TabletopApp = new_app(journal=False, save_path="saves/2031-03-02-tutorial-4.jsonl", moves=moves)

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


def _to_ostrand(session: LocalSession) -> None:
    play_now(session, "northmark", "bot-swarm")
    play_now(session, "veldia", "press-conference")


async def _handoff(pilot: Pilot) -> None:
    # Ostrand plays here, so the hand-off tells what happened since Ostrand took the keyboard
    await play(pilot, "ostrand", "joint-patrol")
    await wait_for(pilot, "HandOffScreen")


async def _vote(pilot: Pilot) -> None:
    await take_keyboard(pilot, "veldia")
    await wait_for(pilot, "VoteScreen")


async def _console(pilot: Pilot) -> None:
    await wait_for(pilot, "GameScreen")
    await pilot.press("f")
    await wait_for(pilot, "FacilitatorScreen")


def _calm_to_crisis(session: LocalSession) -> None:
    play_now(session, "northmark", "anchor-drag")  # connectivity falls: Calm becomes Crisis
    pass_now(session, "veldia", "ostrand")


async def _phases(pilot: Pilot) -> None:
    await take_keyboard(pilot, "northmark")
    await wait_for(pilot, "GameScreen")
    await pilot.press("p")
    await wait_for(pilot, "PhaseScreen")


def _to_the_end(session: LocalSession) -> None:
    to_facilitator_now(session)
    rule_and_adjust_now(session)
    pass_to_the_end_now(session)


async def _end(pilot: Pilot) -> None:
    await wait_for(pilot, "EndScreen")


@pytest.mark.parametrize("size", SIZES3)
def test_game_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _board)


@pytest.mark.parametrize("size", SIZES)
def test_hand_off(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _handoff, _to_ostrand)


@pytest.mark.parametrize("size", SIZES)
def test_vote(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _vote, to_vote_now)


@pytest.mark.parametrize("size", SIZES)
def test_facilitator_console(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _console, to_facilitator_now)


@pytest.mark.parametrize("size", SIZES)
def test_phase_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _phases, _calm_to_crisis)


@pytest.mark.parametrize("size", SIZES)
def test_end_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _end, _to_the_end)


async def _brief(pilot: Pilot) -> None:
    await wait_for(pilot, "BriefingScreen")
    await pilot.press("enter")
    await take_keyboard(pilot, "northmark")  # its brief opens by itself, over a board still laid out; closed
    await wait_for(pilot, "GameScreen")
    await painted(pilot)
    await pilot.press("b")  # read again from the board: its brief, its red line, its objectives, over the board
    await wait_for(pilot, "BriefScreen")


@pytest.mark.parametrize("size", SIZES)
def test_board_with_a_brief(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, new_app, size, _brief)


async def _observation(pilot: Pilot) -> None:
    from textual.widgets import TextArea

    await wait_for(pilot, "GameScreen")
    await pilot.press("o")
    dialog = await wait_for(pilot, "ObservationDialog")
    dialog.query_one(TextArea).cursor_blink = False  # the text cursor stays put for the picture


@pytest.mark.parametrize("size", SIZES)
def test_observation_dialog(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    """An evaluator's observation over the board: public events only, objectives, the P/S/M/U scale."""
    assert snapshot(snap_compare, new_app, size, _observation, to_facilitator_now)


async def _advice(pilot: Pilot) -> None:
    await take_keyboard(pilot, "b3")
    await wait_for(pilot, "VoteScreen")


@pytest.mark.parametrize("size", SIZES)
def test_advice(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    """An advisor asked for advice (the drill of tests/tui/format2_drill.py): the card, who decides, a reason field."""
    session = drill_session()
    to_boarding(session)
    app = drill_app(session, save_path="saves/drill.jsonl")

    async def run_before(pilot: Pilot) -> None:
        await _advice(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def _role(pilot: Pilot) -> None:
    await _board(pilot)
    await pilot.press("b")
    await wait_for(pilot, "BriefScreen")


@pytest.mark.parametrize("size", SIZES3)
def test_role_screen(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    """My role: the brief, where each objective stands, what can end the game."""
    assert snapshot(snap_compare, new_app, size, _role)


def _round_one(session: LocalSession) -> None:
    to_facilitator_now(session)
    rule_and_adjust_now(session)


async def _review(pilot: Pilot) -> None:
    await take_keyboard(pilot, "northmark")
    await wait_for(pilot, "GameScreen")
    await pilot.press("s")
    await wait_for(pilot, "RoundSummaryScreen")


@pytest.mark.parametrize("size", SIZES3)
def test_round_summary(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    """Round 1 in review: plays, votes, dice and rulings, each track's moves and why."""
    assert snapshot(snap_compare, new_app, size, _review, _round_one)


async def _projector(pilot: Pilot) -> None:
    await take_keyboard(pilot, "northmark")
    await wait_for(pilot, "GameScreen")
    await pilot.press("P")
    await wait_for(pilot, "ProjectorScreen")


@pytest.mark.parametrize("size", SIZES3)
def test_projector_view(snap_compare, new_app, size) -> None:  # type: ignore[no-untyped-def]
    """The public board for a room: phases, tall gauges, the round in review; no hand."""
    assert snapshot(snap_compare, new_app, size, _projector, _round_one)


@pytest.mark.parametrize("size", SIZES3)
def test_clock(snap_compare, tutorial, size, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The clock at the foot of the board: the turn's time left and the round's."""
    from tabletop.engine import commands as C
    from tabletop.session import resolve_controllers
    from tabletop.tui.app import build_app
    from tabletop.tui.screens import table_views

    start = 1_900_000_000.0
    from tabletop.engine.randomness import LEGACY

    session = LocalSession(tutorial.campaign, seed=4, controllers=resolve_controllers(tutorial.campaign, []),
                           clock=lambda: start, rng=LEGACY)  # the deal of the other snapshots
    session.submit_now(C.SetClock(C.FACILITATOR, 300, 1800))
    monkeypatch.setattr(table_views, "now", lambda: start + 72)  # 1 min 12 s into the turn
    app = build_app(session, save_path="saves/2031-03-02-tutorial-4.jsonl", dice_seconds=None, briefing=False)
    app.animation_level = "none"

    async def run_before(pilot: Pilot) -> None:
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await focus_card(pilot, "bot-swarm")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_every_snapshot_file_belongs_to_a_test(collected: set[str]) -> None:
    """A snapshot whose test was renamed or removed is stale: it fails here.

    (syrupy reports unused snapshots itself, but not when the suite runs on several
    workers, as ``make test`` runs it.) Every worker collects every test; the snapshots
    of a test module this run did not collect are not judged."""
    modules = {nodeid.split("::")[0] for nodeid in collected}
    files = sorted((Path(__file__).parent / "__snapshots__").glob("*/*.svg"))
    judged = [svg for svg in files if f"tests/tui/{svg.parent.name}.py" in modules]
    stale = [str(svg.relative_to(ROOT)) for svg in judged if f"tests/tui/{svg.parent.name}.py::{svg.stem}" not in collected]
    assert judged and not stale, f"snapshots no test takes: {stale}"
