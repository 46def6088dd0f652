"""The viewer's assessment screen (key a): the trainer sets each learning objective's final
rating and fills the improvement plan; both go to the notes sidecar, the save is untouched,
and ``tabletop report --format aar`` prints them.

One test walks the whole flow in one app (rate, change a rating, add, refuse an empty
action, edit, add and remove): ~4 s idle, more on a loaded machine, nearly all of it
Textual laying out the screen; one app instead of several keeps it from being slower."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from aar_helpers import play_evaluated
from tabletop.analysis.aar import build_aar
from tabletop.analysis.render import render_markdown
from tabletop.journal.notes import notes_path, read_notes
from tabletop.journal.replay import Replay
from tabletop.tui.replay.app import ReplayApp, build_replay_app
from tabletop.tui.replay.screens.assessment import ActionScreen, AssessmentScreen
from tabletop.tui.replay.screens.main import ReplayScreen


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return play_evaluated(tmp_path_factory.mktemp("assess") / "drill.jsonl", notes=False)


@pytest.fixture
def save(evaluated: Path, tmp_path: Path) -> Path:
    dst = tmp_path / evaluated.name
    dst.write_bytes(evaluated.read_bytes())
    return dst


def viewer(save: Path) -> ReplayApp:
    app = build_replay_app(Replay.open(save), save, fork_dir=save.parent / "forks")
    app.animation_level = "none"
    return app


async def wait_for(pilot: Pilot[object], kind: type) -> object:
    for _ in range(100):
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
        await pilot.pause()
    raise AssertionError(f"{kind.__name__} never showed; the screen is {type(pilot.app.screen).__name__}")


async def test_the_trainer_rates_objectives_and_plans_actions(save: Path) -> None:
    before = save.read_bytes()
    app = viewer(save)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        screen = await wait_for(pilot, AssessmentScreen)
        assert isinstance(screen, AssessmentScreen)
        said = [str(w.render()) for w in screen.query(".as-said")]
        assert said[0].startswith("3 observations · evaluators rated P×1, S×1, M×1 · evidence: Tension reached 7")
        assert said[2] == "0 observations"
        seen = [str(w.render()) for w in screen.query(".as-observation")]
        assert "  M Dr. Lena Ott (event 26): Poland moved to board before consulting its allies." in seen
        await pilot.press("e")  # nothing to edit yet: a sentence, no dialog
        assert isinstance(app.screen, AssessmentScreen)
        screen.query_one("#as-author", Input).value = "Col. Maria Berg"  # signs what follows
        screen.query_one("#rate-0", Select).focus()
        screen.query_one("#rate-0", Select).value = "S"
        screen.query_one("#rate-1", Select).value = "U"
        await pilot.pause()
        assert {k: r.rating for k, r in read_notes(save).ratings.items()} == {"lo-share": "S", "lo-attr": "U"}
        screen.query_one("#rate-1", Select).value = "M"  # changed her mind: the last one counts
        await pilot.pause()
        assert read_notes(save).ratings["lo-attr"].rating == "M"

        await pilot.press("plus")
        dialog = await wait_for(pilot, ActionScreen)
        assert isinstance(dialog, ActionScreen)
        await pilot.press("enter")  # nothing written: refused with a sentence, the dialog stays
        assert isinstance(app.screen, ActionScreen)
        dialog.query_one("#action-text", Input).value = "Attribution workshop with the intelligence cell"
        dialog.query_one("#action-owner", Input).value = "J2"
        dialog.query_one("#action-due", Input).value = "Q1 2027"
        dialog.query_one("#action-answers", Select).value = "lo-attr"
        await pilot.press("ctrl+s")
        await wait_for(pilot, AssessmentScreen)
        table = screen.query_one("#as-plan", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)] == [
            "1", "Attribution workshop with the intelligence…", "J2", "Q1 2027", "Objective: Attribute with care"]

        await pilot.press("e")  # edit it: the owner changes
        dialog = await wait_for(pilot, ActionScreen)
        assert isinstance(dialog, ActionScreen)
        assert dialog.query_one("#action-text", Input).value == "Attribution workshop with the intelligence cell"
        dialog.query_one("#action-owner", Input).value = "J2 Intelligence"
        await pilot.press("ctrl+s")
        await wait_for(pilot, AssessmentScreen)
        await pilot.press("plus")  # a second one, then removed: the sidecar stays append-only
        dialog = await wait_for(pilot, ActionScreen)
        assert isinstance(dialog, ActionScreen)
        dialog.query_one("#action-text", Input).value = "Consult before boarding"
        await pilot.press("enter")
        await wait_for(pilot, AssessmentScreen)
        assert table.row_count == 2
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("delete")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("escape")
        await wait_for(pilot, ReplayScreen)
    notes = read_notes(save)
    assert [(a.id, a.owner, a.answers, a.author) for a in notes.actions] == [
        (1, "J2 Intelligence", "lo-attr", "Col. Maria Berg")]
    assert notes.ratings["lo-share"].author == "Col. Maria Berg"
    assert '"deleted":true' in notes_path(save).read_text(encoding="utf-8").splitlines()[-1]
    assert save.read_bytes() == before
    md = render_markdown(build_aar(Replay.open(save)))
    assert "| Attribute with care | 1 | U ×1 | M (Performed with major challenges) |" in md
    assert "| 1 | Attribution workshop with the intelligence cell | Attribute with care | J2 Intelligence | Q1 2027 |" in md


def test_the_evaluators_are_a_viewpoint_when_they_took_part(save: Path) -> None:
    from save_helpers import TUTORIAL_SAVE
    from tabletop.tui.replay.model import timeline_rows, viewpoints

    r = Replay.open(save)
    last = viewpoints(r)[-1]
    assert (last.id, last.name) == ("evaluator", "Evaluators")
    rows = {row.k: row.text for row in timeline_rows(r, "evaluator")}
    assert rows[27].startswith("Observation by Dr. Lena Ott on event 26")
    assert "Dr. Lena Ott" not in {row.k: row.text for row in timeline_rows(r, "observer")}[27]
    assert "evaluator" not in [s.id for s in viewpoints(Replay.open(TUTORIAL_SAVE))]
