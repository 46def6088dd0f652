"""The launcher (`tabletop` with no command): choose, then the CLI carries the choice out."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, SelectionList

from tabletop.campaign.bundled import bundled_campaigns
from tabletop.tui.launcher import Choice, LauncherApp, SavePicker, SetupScreen, read_campaigns, read_saves

ROOT = Path(__file__).resolve().parents[2]


def _launcher(saves: Path) -> LauncherApp:
    return LauncherApp(read_campaigns(bundled_campaigns()), saves)


async def test_new_game_with_bots_and_a_seed(tmp_path: Path) -> None:
    app = _launcher(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        campaigns = app.query_one("#campaigns", OptionList)
        titles = [app.campaigns[i].title for i in range(campaigns.option_count)]
        tutorial = next(i for i, t in enumerate(titles) if t.startswith("Tutorial"))
        campaigns.highlighted = tutorial
        await pilot.pause()
        assert "Harbour Town" in str(app.query_one("#summary").render()) or app.selected.title.startswith("Tutorial")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        seats = app.screen.query_one("#bots", SelectionList)
        seats.focus()
        await pilot.press("space")  # the first seat (the red actor) becomes a bot
        await pilot.pause()
        app.screen.query_one("#seed").value = "42"
        await pilot.click("#start")
        await pilot.pause()
    assert app.return_value == Choice("play", str(ROOT / "campaigns" / "tutorial.yaml"), ("northmark",), 42)


async def test_resume_lists_saves_newest_first(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"format": "tabletop-journal", "campaign": {"id": "tutorial"}, "created": "2026-01-01T10:00"}\n')
    (tmp_path / "a.notes.jsonl").write_text("{}\n")
    (tmp_path / "junk.jsonl").write_text("not json\n")
    saves = read_saves(tmp_path)
    assert [s.path.name for s in saves] == sorted(["a.jsonl", "junk.jsonl"], key=lambda n: -(tmp_path / n).stat().st_mtime)
    assert next(s for s in saves if s.path.name == "junk.jsonl").detail == "not a readable save"
    app = _launcher(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SavePicker)
        picker = app.screen.query_one(OptionList)
        index = next(i for i, s in enumerate(app.screen.saves) if s.path.name == "a.jsonl")
        picker.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == Choice("resume", str(tmp_path / "a.jsonl"))


async def test_no_saves_is_said_not_shown(tmp_path: Path) -> None:
    app = _launcher(tmp_path / "nothing-here")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, SavePicker)
        assert any("No saves" in n.message for n in app._notifications)


def test_a_broken_campaign_is_listed_with_its_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n")
    (entry,) = read_campaigns([bad])
    assert entry.problem is not None and "bad.yaml:" in entry.problem


async def test_the_launcher_and_the_picker_say_where_saves_are(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    from tabletop.tui.launcher import build_launcher

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no saves/ here: the user data folder
    folder = tmp_path / "data" / "tabletop" / "saves"
    app = build_launcher()
    assert app.saves_dir == folder
    folder.mkdir(parents=True)
    (folder / "a.jsonl").write_text('{"format": "tabletop-journal", "campaign": {"id": "tutorial"}}\n')
    async with app.run_test(size=(100, 30)) as pilot:
        assert str(app.query_one("#saves-folder", Static).render()) == f"Saves: {folder}"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SavePicker)
        assert str(app.screen.query_one("#picker-folder", Static).render()) == f"in {folder}"
    (tmp_path / "saves").mkdir()  # a folder with saves/ (as the checkout has) keeps them there
    assert build_launcher().saves_dir == Path("saves")


async def test_the_tutorial_comes_first_help_answers_and_a_seat_says_who_plays_it(tmp_path: Path) -> None:
    from textual.widgets import Static

    from tabletop.tui.launcher import build_launcher

    app = build_launcher(tmp_path)
    assert app.campaigns[0].title.startswith("Tutorial")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.selected is not None and app.selected.title.startswith("Tutorial")
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Resume a save" in text and "Debrief replay" in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        seats = app.screen.query_one("#bots", SelectionList)
        first = str(seats.get_option_at_index(0).prompt)
        assert first.endswith("— people")
        seats.focus()
        await pilot.press("space")
        await pilot.pause()
        assert "a bot" in str(seats.get_option_at_index(0).prompt)  # in words, not only a tick's colour


def test_a_save_in_the_picker_says_its_round_and_phase_or_that_it_ended(tmp_path: Path) -> None:
    from tabletop.campaign.validate import load_campaign
    from tabletop.journal import JournalWriter
    from tabletop.session import LocalSession, resolve_controllers

    lc = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    for name, steps in (("mid.jsonl", 12), ("done.jsonl", 10_000)):
        controllers = resolve_controllers(lc.campaign, ["red", "blue", "facilitator"])
        header = LocalSession.new_header(lc.campaign, lc.text, str(lc.path), 3, controllers)
        s = LocalSession(lc.campaign, seed=3, controllers=controllers, journal=JournalWriter(tmp_path / name, header))
        s.run_bots(steps)
        s.close()
    with (tmp_path / "mid.jsonl").open("ab") as f:
        f.write(b'{"seq": 999, "torn')  # a torn last line: the one before still says where it stood
    details = {s.path.name: s.detail for s in read_saves(tmp_path)}
    import re

    assert re.search(r"· round \d of 4 · (Calm|Crisis)$", details["mid.jsonl"]), details
    assert re.search(r"· ended in round \d · [A-Z]", details["done.jsonl"]), details
