"""The debrief replay viewer (`tabletop replay SAVE`): seeking, viewpoints, notes, forks,
damaged saves, charts, the command line, and snapshots at 100x30 and 80x24.

Every test works on a copy of a golden save in tmp_path (notes and forks write beside it).
The tutorial save: covert play #4 (Northmark's "Trawler drags its anchor") is event 41,
in the middle of Northmark's command (events 41-46; decision points 40 and 46), and is
revealed at event 93. Accept a changed snapshot only after looking at it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, SelectionList, Static, TextArea

from save_helpers import BALTIC_SAVE, TUTORIAL_SAVE, copy_golden
from cli_process import run_tabletop
from tabletop.engine.commands import FACILITATOR
from tabletop.journal import read_journal
from tabletop.journal.notes import notes_path, read_notes
from tabletop.journal.replay import Replay
from tabletop.session import fork as fork_session
from tabletop.tui.replay.app import ForkResult, ReplayApp, build_replay_app
from tabletop.tui.replay.model import (
    ANNOTATION_MARK, NOTE_MARK, column_index, fork_path, parse_target, timeline_rows, viewpoints,
)
from tabletop.tui.replay.screens.charts import ChartsScreen
from tabletop.tui.replay.screens.dialogs import (
    ForkPointScreen, ForkScreen, JumpScreen, NoteScreen, ReplayHelpScreen, ViewpointScreen,
)
from tabletop.tui.replay.screens.main import ReplayScreen
from tabletop.tui.replay.widgets.bars import DamageBanner
from tabletop.tui.replay.widgets.board import EventDetail, HandsPanel, PlaysPanel
from tabletop.tui.replay.widgets.timeline import Timeline
from tabletop.tui.widgets.tracks import TrackGauge

ROOT = Path(__file__).resolve().parents[2]
COVERT_AT, REVEALED_AT = 41, 93


# ====================================================================== helpers


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    return copy_golden(TUTORIAL_SAVE, tmp_path)


def viewer(save: Path, start: int | None = None) -> ReplayApp:
    app = build_replay_app(Replay.open(save), save, fork_dir=save.parent / "forks", start=start)
    app.animation_level = "none"
    return app


def screen(app: ReplayApp) -> ReplayScreen:
    return next(s for s in app.screen_stack if isinstance(s, ReplayScreen))


def text(widget: object) -> str:
    """What a widget shows, as plain text."""
    if isinstance(widget, Static):
        content = widget.content
        return content.plain if isinstance(content, Content) else str(content)
    rendered = widget.render()  # type: ignore[attr-defined]
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


async def wait_for(pilot: Pilot, kind: type, timeout: float = 5.0) -> object:
    for _ in range(int(timeout / 0.01)):
        if isinstance(pilot.app.screen, kind):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.01)
    raise AssertionError(f"expected {kind.__name__}, the app shows {type(pilot.app.screen).__name__}")


def assert_shows(app: ReplayApp, k: int) -> None:
    """The viewer shows step ``k``: header, timeline, gauges and round agree with the replay."""
    s = screen(app)
    r = s.replay
    state = r.state_at(k)
    assert s.step == k
    assert s.query_one(Timeline).current == k
    where = f"Round {state.round}/" if state.round else "The deal"
    assert text(s.query_one("#rh-where")).startswith(f"Event {k}/{len(r)} │ {where}")
    for gauge in s.query(TrackGauge):
        assert gauge.value == state.tracks.get(gauge.track.id, gauge.track.start), (k, gauge.track.id)
    assert s.view is not None and s.view.round == state.round and s.view.phase == state.phase


# ====================================================================== seeking


async def test_keys_seek_to_the_right_event_round_and_track_values(tutorial: Path) -> None:
    app = viewer(tutorial, start=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        r = screen(app).replay
        assert_shows(app, 0)
        await pilot.press("right", "right", "right")
        assert_shows(app, 3)
        await pilot.press("left")
        assert_shows(app, 2)
        await pilot.press("pagedown")
        assert_shows(app, r.next_round_start(2))  # round 1 starts
        await pilot.press("pagedown")
        second = [s for s in r.rounds() if s.round == 2][0].first
        assert_shows(app, second)
        await pilot.press("pageup")
        assert_shows(app, [s for s in r.rounds() if s.round == 1][0].first)
        await pilot.press("end")
        assert_shows(app, len(r))
        await pilot.press("right")  # past the end: stays
        assert_shows(app, len(r))
        await pilot.press("home")
        assert_shows(app, 0)
        await pilot.press("g")
        await wait_for(pilot, JumpScreen)
        await pilot.press(*"41", "enter")
        await wait_for(pilot, ReplayScreen)
        assert_shows(app, COVERT_AT)
        await pilot.press("down")  # the end of the command: the next decision point
        assert_shows(app, 46)
        await pilot.press("up", "up")
        points = r.decision_points
        assert_shows(app, points[points.index(46) - 2])
        await pilot.press("g", *"r3", "enter")
        await wait_for(pilot, ReplayScreen)
        assert_shows(app, [s for s in r.rounds() if s.round == 3][0].first)


async def test_go_to_refuses_a_step_that_is_not_in_the_save(tutorial: Path) -> None:
    app = viewer(tutorial, start=5)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        jump = await wait_for(pilot, JumpScreen)
        await pilot.press(*"999", "enter")
        await pilot.pause()
        assert "there is no event 999" in text(jump.query_one("#jump-error")).lower()
        await pilot.press("escape")
        await wait_for(pilot, ReplayScreen)
        assert_shows(app, 5)


async def test_clicking_an_event_in_the_timeline_goes_there(tutorial: Path) -> None:
    app = viewer(tutorial, start=10)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        timeline = screen(app).query_one(Timeline)
        row = timeline.row_of(12) - int(timeline.scroll_y)
        await pilot.click(Timeline, offset=(10, row))
        await pilot.pause()
        assert_shows(app, 12)


# ====================================================================== viewpoints


async def test_a_side_sees_only_its_hands_and_an_unrevealed_covert_play_face_down(tutorial: Path) -> None:
    app = viewer(tutorial, start=COVERT_AT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        s = screen(app)
        plays, hands, bar = s.query_one(PlaysPanel), s.query_one(HandsPanel), s.query_one("#rp-viewpoint")
        assert "FACILITATOR" in text(bar)
        assert "Trawler drags its anchor over the cable" in text(plays)
        assert "face-down to the others" in text(plays)  # the facilitator sees that the others did not know
        assert "not shown" not in text(hands)
        timeline = s.query_one(Timeline)
        assert timeline.rows[timeline.row_of(COVERT_AT)].text.startswith("Northmark played Trawler")

        await pilot.press("v", "v")  # facilitator -> red side -> blue side
        assert s.seat == "side:blue"
        assert "VELDIA AND OSTRAND (SIDE)" in text(bar)
        assert timeline.border_title == "Timeline — as told to Veldia and Ostrand (side)"
        assert "Trawler" not in text(plays) and "Northmark" not in text(plays)
        assert "#4 ▒▒ face-down covert action" in text(plays)
        shown = text(hands)
        assert "Northmark cards not shown" in shown  # not even how many: its author holds one fewer
        view = s.replay.view_at(COVERT_AT, "side:blue")
        for actor in ("veldia", "ostrand"):
            first = s.replay.engine.cards[s.replay.engine.instance_card[view.actors[actor].hand[0]]].title
            assert first in shown
        assert timeline.rows[timeline.row_of(COVERT_AT)].text == "A covert action was taken (#4)."
        assert "A covert action was taken (#4)." in text(s.query_one(EventDetail).query_one(Static))
        assert "Northmark: play" not in text(s.query_one(EventDetail).query_one(Static))  # who acted stays hidden

        await pilot.press("g", *str(REVEALED_AT), "enter")  # attributed: now the blue side knows
        await wait_for(pilot, ReplayScreen)
        assert "Northmark played Trawler" in timeline.rows[timeline.row_of(REVEALED_AT)].text

        await pilot.press("g", *str(COVERT_AT), "enter")
        await wait_for(pilot, ReplayScreen)
        await pilot.press("v")  # an actor: only its own hand
        assert s.seat == "northmark"
        assert "Trawler drags its anchor" in text(plays)
        assert "Veldia cards not shown" in text(hands) and "Ostrand cards not shown" in text(hands)


async def test_the_viewpoint_picker_lists_every_seat(tutorial: Path) -> None:
    app = viewer(tutorial, start=COVERT_AT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("V")
        picker = await wait_for(pilot, ViewpointScreen)
        options = picker.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [s.id for s in viewpoints(screen(app).replay)]
        await pilot.press("end", "enter")  # the observer
        await wait_for(pilot, ReplayScreen)
        assert screen(app).seat == "observer"
        assert "not shown" in text(screen(app).query_one(HandsPanel))


# ====================================================================== notes


async def test_a_note_goes_to_the_sidecar_shows_beside_its_event_and_leaves_the_save_alone(tutorial: Path) -> None:
    before = tutorial.read_bytes()
    app = viewer(tutorial, start=COVERT_AT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        note = await wait_for(pilot, NoteScreen)
        note.query_one(TextArea).insert("Nobody asked who owns the trawler.")
        note.query_one("#note-author", Input).value = "Trainer A"
        await pilot.press("ctrl+s")
        await wait_for(pilot, ReplayScreen)
        s = screen(app)
        assert s.query_one(Timeline).marks[COVERT_AT] == NOTE_MARK
        detail = text(s.query_one(EventDetail).query_one(Static))
        assert "Note by Trainer A" in detail and "Nobody asked who owns the trawler." in detail
    notes = read_notes(tutorial)
    assert [(n.seq, n.text, n.author) for n in notes] == [(COVERT_AT, "Nobody asked who owns the trawler.", "Trainer A")]
    assert notes_path(tutorial).exists()
    assert tutorial.read_bytes() == before

    again = viewer(tutorial, start=0)  # notes are read back when the save is opened again
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")  # the next marked event
        assert_shows(again, COVERT_AT)


async def test_an_empty_note_is_not_saved(tutorial: Path) -> None:
    app = viewer(tutorial, start=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        note = await wait_for(pilot, NoteScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Write something first" in text(note.query_one("#note-error"))
        await pilot.press("escape")
        await wait_for(pilot, ReplayScreen)
    assert not notes_path(tutorial).exists()


async def test_in_play_annotations_are_marked_and_shown(tmp_path: Path) -> None:
    save = copy_golden(BALTIC_SAVE, tmp_path)
    app = viewer(save, start=108)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        s = screen(app)
        assert s.query_one(Timeline).marks[108] == ANNOTATION_MARK
        assert "Watch how the Transit State answers the diverted tanker." in text(s.query_one(EventDetail).query_one(Static))


# ====================================================================== forks


async def test_a_fork_in_the_middle_of_a_command_offers_the_decision_points_then_exits_with_the_game(
    tutorial: Path, tmp_path: Path
) -> None:
    app = viewer(tutorial, start=COVERT_AT)
    target = tmp_path / "whatif" / "trawler.jsonl"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await wait_for(pilot, ForkPointScreen)
        await pilot.press("enter")  # "Fork at 40", the decision before
        fork = await wait_for(pilot, ForkScreen)
        assert screen(app).step == 40
        path = fork.query_one("#fork-path", Input)
        assert path.value == str(tutorial.parent / "forks" / "tutorial-bots.fork-40.jsonl")
        bots = fork.query_one("#fork-bots", SelectionList)
        bots.deselect("veldia")  # a trainer takes Veldia's seat
        path.value = str(target)
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
    result = app.return_value
    assert isinstance(result, ForkResult)
    try:
        assert result.path == target and result.at == 40
        assert len(result.session.entries) == 40
        assert result.session.controllers["veldia"] == "human"
        assert result.session.controllers["northmark"].startswith("bot:")
    finally:
        result.session.close()
    header = read_journal(target).header
    assert header.parent is not None and header.parent["seq"] == 40
    assert (target.parent / header.parent["save"]).resolve() == tutorial.resolve()


async def test_a_fork_path_that_exists_is_refused(tutorial: Path) -> None:
    app = viewer(tutorial, start=40)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f")
        fork = await wait_for(pilot, ForkScreen)
        fork.query_one("#fork-path", Input).value = str(tutorial)
        fork.query_one("#fork-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in text(fork.query_one("#fork-error"))
        await pilot.press("escape")
        await wait_for(pilot, ReplayScreen)
    assert app.return_value is None


async def test_no_fork_from_the_end_of_the_exercise(tutorial: Path) -> None:
    app = viewer(tutorial)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        assert any("over at this step" in n.message for n in app._notifications)


def test_fork_paths_are_numbered_when_taken(tmp_path: Path) -> None:
    save = tmp_path / "game.jsonl"
    first = fork_path(save, 12, tmp_path)
    assert first == tmp_path / "game.fork-12.jsonl"
    first.write_text("")
    assert fork_path(save, 12, tmp_path) == tmp_path / "game.fork-12-2.jsonl"


# ====================================================================== damage


async def test_a_damaged_save_opens_on_its_good_part_with_a_banner(tutorial: Path) -> None:
    data = tutorial.read_bytes()
    tutorial.write_bytes(data[:-40])  # a torn last line, as a crash leaves
    r = Replay.open(tutorial)
    assert r.damage and 0 < len(r) < 139
    app = build_replay_app(r, tutorial, fork_dir=tutorial.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = screen(app).query_one(DamageBanner)
        assert r.damage in text(banner)
        assert_shows(app, len(r))


# ====================================================================== charts


async def test_charts_show_every_tab_and_enter_goes_back_to_the_event(tutorial: Path) -> None:
    app = viewer(tutorial, start=120)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        charts = await wait_for(pilot, ChartsScreen)
        assert charts.per_event
        await pilot.press("r")
        assert not charts.per_event
        await pilot.press("3")  # covert
        await pilot.pause()
        covert = charts.query_one("#ch-covert-list", OptionList)
        prompt = covert.get_option_at_index(0).prompt
        assert "Really played by Northmark" in prompt.plain and "Revealed at event 93" in prompt.plain
        covert.focus()
        await pilot.press("enter")
        await wait_for(pilot, ReplayScreen)
        assert_shows(app, COVERT_AT)
        await pilot.press("c")
        charts = await wait_for(pilot, ChartsScreen)
        for tab, list_id in (("2", "#ch-phase-list"), ("4", "#ch-fac-list"), ("5", "#ch-vote-list")):
            await pilot.press(tab)
            await pilot.pause()
            assert charts.query_one(list_id, OptionList).option_count >= 1
        await pilot.press("escape")
        await wait_for(pilot, ReplayScreen)
        assert_shows(app, COVERT_AT)


async def test_help_lists_every_key(tutorial: Path) -> None:
    app = viewer(tutorial, start=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, ReplayHelpScreen)
        keys = [k for k, _ in help_screen.keys]
        for key in ("→ / l", "← / h", "↓ / j", "↑ / k", "pgdn", "pgup", "home", "end", "g", "v", "V", "c", "n", "f",
                    "]", "[", "^q", "?"):
            assert key in keys, key
        await pilot.press("escape")
        await wait_for(pilot, ReplayScreen)


# ====================================================================== model


def test_timeline_rows_cover_every_step_grouped_by_round() -> None:
    r = Replay.open(TUTORIAL_SAVE)
    rows = timeline_rows(r, FACILITATOR)
    events = [row.k for row in rows if row.kind == "event"]
    assert events == list(range(len(r) + 1))
    assert [row.text for row in rows if row.kind == "round"][:2] == ["The deal", "Round 1 · 2 Mar 2031"]
    blue = timeline_rows(r, "side:blue")
    assert any(row.text == "(not shown to this viewpoint)" for row in blue)


def test_go_to_answers() -> None:
    r = Replay.open(TUTORIAL_SAVE)
    assert parse_target("42", r) == 42
    assert parse_target(" #7 ", r) == 7
    assert parse_target("r2", r) == [s for s in r.rounds() if s.round == 2][0].first
    for bad in ("", "x", "r", "r9", "140"):
        with pytest.raises(ValueError):
            parse_target(bad, r)


def test_chart_columns_resample_any_number_of_points() -> None:
    assert column_index(3, 6) == [0, 0, 1, 1, 2, 2]
    assert column_index(10, 5) == [1, 3, 5, 7, 9]
    assert column_index(0, 5) == []


# ====================================================================== command line


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_tabletop("replay", *args, cwd=cwd, timeout=60)


def test_cli_bad_input_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(TUTORIAL_SAVE.read_bytes()[:200])  # the header cut short
    for name in ("missing.jsonl", "notes.txt", "torn.jsonl"):
        done = _cli(name, cwd=tmp_path)
        assert done.returncode == 2, (name, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"tabletop replay: {name}"), (name, done.stderr)
        assert "Traceback" not in done.stderr


def test_cli_damaged_tail_says_so_then_opens_the_viewer(tutorial: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.cli import main

    tutorial.write_bytes(tutorial.read_bytes()[:-40])
    opened: list[str | None] = []

    def fake_run(self: ReplayApp, *args: object, **kwargs: object) -> None:
        opened.append(self.replay.damage)

    monkeypatch.setattr(ReplayApp, "run", fake_run)
    assert main(["replay", str(tutorial)]) == 0
    damage = Replay.open(tutorial).damage
    assert opened == [damage]
    assert capsys.readouterr().err.strip() == f"tabletop replay: {tutorial}: {damage}"


def test_cli_plays_the_fork_then_says_where_it_is(tutorial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.cli import main
    from tabletop.tui.app import TabletopApp

    target = tmp_path / "whatif.jsonl"
    played: list[int] = []

    def fake_replay_run(self: ReplayApp, *args: object, **kwargs: object) -> ForkResult:
        return ForkResult(fork_session(self.replay.read, 40, target), target, 40)

    def fake_game_run(self: TabletopApp, *args: object, **kwargs: object) -> None:
        played.append(len(self.session.entries))

    monkeypatch.setattr(ReplayApp, "run", fake_replay_run)
    monkeypatch.setattr(TabletopApp, "run", fake_game_run)
    assert main(["replay", str(tutorial)]) == 0
    assert played == [40]
    out = capsys.readouterr().out
    assert f"What-if game saved: {target}" in out and f"tabletop replay {target}" in out


# ====================================================================== snapshots

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
Steps = Callable[[Pilot], Awaitable[None]]


def _snapshot(snap_compare, save: Path, size: tuple[int, int], steps: Steps, start: int) -> bool:  # type: ignore[no-untyped-def]
    app = viewer(save, start=start)

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await steps(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


async def _nothing(pilot: Pilot) -> None:
    pass


async def _charts(pilot: Pilot) -> None:
    await pilot.press("c")
    await wait_for(pilot, ChartsScreen)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_viewer(snap_compare, tutorial: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert _snapshot(snap_compare, tutorial, size, _nothing, COVERT_AT)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_charts(snap_compare, tutorial: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert _snapshot(snap_compare, tutorial, size, _charts, COVERT_AT)


def test_the_replay_command_loads_no_tui_until_it_runs() -> None:
    code = "import sys, tabletop.commands.replay; print(','.join(m for m in ('textual', 'rich') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


async def test_the_covert_chart_obeys_the_viewpoint_and_the_step(tutorial: Path) -> None:
    """Before its reveal (event 93), the allies' viewpoint is not told who played #4, or what."""
    app = viewer(tutorial, start=60)
    async with app.run_test(size=(100, 30)) as pilot:
        for seat, step, known in (("side:blue", 60, False), ("facilitator", 60, True), ("side:blue", 120, True)):
            screen(app).seat = seat
            screen(app).step = step
            await pilot.pause()
            await pilot.press("c")
            charts = await wait_for(pilot, ChartsScreen)
            await pilot.press("3")
            await pilot.pause()
            shown = charts.query_one("#ch-covert-list", OptionList).get_option_at_index(0).prompt.plain
            assert ("Really played by Northmark" in shown) is known, (seat, step, shown)
            assert ("anchor" in shown) is known, (seat, step, shown)
            await pilot.press("escape")
            await wait_for(pilot, ReplayScreen)
