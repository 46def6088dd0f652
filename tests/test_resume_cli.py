"""`tabletop verify`, `report` and `resume` from the command line (subprocesses), and
resume's behaviour in-process with a stand-in for the game screen."""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path

import pytest

from save_helpers import ROOT, TUTORIAL_SAVE, bot_save, copy_golden
from cli_process import run_tabletop
from tabletop.commands import resume
from tabletop.journal import read_journal


def tabletop(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_tabletop(*args, cwd=cwd, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


# ====================================================================== subprocesses


def test_verify_ok_and_damaged(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    ok = tabletop("verify", save.name, cwd=tmp_path)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout.split("\n")[0] == (
        "tutorial-bots.jsonl: ok, 139 events, chain verified, every event fits the game (not re-derived: the game "
        "began under format 1, whose rules this tabletop no longer plays); the game ended in round 4: the last round "
        "is over"
    )
    save.write_bytes(save.read_bytes()[:-40])
    bad = tabletop("verify", save.name, cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stdout == (
        "tutorial-bots.jsonl: save damaged after event 124: 5792 bytes ignored (line 140, event 139: torn line; "
        "events 125-138 belong to the same command and are left out too)\n"
    )
    missing = tabletop("verify", "nope.jsonl", cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "nope.jsonl: there is no file nope.jsonl\n")


def test_report_to_a_file(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    done = tabletop("report", save.name, "--format", "html", "-o", "aar.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == "tabletop report: wrote aar.html\n"
    assert (tmp_path / "aar.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = tabletop("report", save.name, cwd=tmp_path)
    assert md.returncode == 0 and md.stdout.startswith("# After-action report: Tutorial: Harbour Town\n")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (None, "tabletop resume: missing.jsonl: there is no file missing.jsonl"),
        ("hello, world\n", "tabletop resume: missing.jsonl: this is not a tabletop save (its first line is not a journal header)"),
        ('{"format":"tabletop-journal","version":1', "tabletop resume: missing.jsonl: the save's header (line 1) is cut short: "
                                                     "nothing in this save can be loaded"),
    ],
    ids=["missing", "not-a-save", "torn-header"],
)
def test_resume_refuses_bad_input_in_one_sentence(tmp_path: Path, setup: str | None, message: str) -> None:
    if setup is not None:
        (tmp_path / "missing.jsonl").write_text(setup)
    done = tabletop("resume", "missing.jsonl", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == message + "\n"
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_report_refuses_a_non_save(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text("{}\n")
    done = tabletop("report", "x.jsonl", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == "tabletop report: x.jsonl: this is not a tabletop save (its first line is not a journal header)\n"


# ====================================================================== resume in-process


class FakeApp:
    """Stands in for the Textual app: records how it was built, plays the bots to the end."""

    built: list[dict] = []

    def __init__(self, session, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.session = session
        FakeApp.built.append({"session": session, **kwargs})
        self.return_code = 0

    def run(self) -> None:
        self.session.run_bots()


@pytest.fixture
def fake_tui(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    FakeApp.built = []
    module = types.ModuleType("tabletop.tui.app")
    module.build_app = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tabletop.tui.app", module)
    return FakeApp.built


def _args(save: Path) -> argparse.Namespace:
    return argparse.Namespace(save=str(save), bot_delay=0.0)


def test_after_the_game_screen_it_says_how_to_carry_on_and_to_debrief(capsys: pytest.CaptureFixture[str]) -> None:
    """A facilitator who quit by mistake (ctrl+q) is told how to go on; a finished game is not."""
    from tabletop.commands.common import say_where_it_is

    say_where_it_is(Path("saves/my game.jsonl"), ended=False)
    assert capsys.readouterr().out == (
        "Game saved: saves/my game.jsonl\n"
        "To carry on: tabletop resume 'saves/my game.jsonl'\n"
        "Debrief replay: tabletop replay 'saves/my game.jsonl'\n"
    )
    say_where_it_is(Path("saves/g.jsonl"), ended=True)
    assert capsys.readouterr().out == "Game finished: saves/g.jsonl\nDebrief replay: tabletop replay saves/g.jsonl\n"


def test_resume_carries_on_in_place(tmp_path: Path, fake_tui: list[dict]) -> None:
    save = tmp_path / "g.jsonl"
    half = bot_save(save, until=5)
    assert not half.ended
    assert resume.run(_args(save)) == 0
    [built] = fake_tui
    assert built["seat_mode"] == "hotseat" and built["bot_delay"] == 0.0 and built["save_path"] == save
    session = built["session"]
    assert session.ended and session.entries[: len(half.entries)] == half.entries
    assert session.controllers == half.controllers and session.seed == half.seed
    read = read_journal(save)
    assert read.damage is None and read.entries == session.entries
    # the same game as one played without a break
    whole = bot_save(tmp_path / "whole.jsonl")
    assert [e.event for e in read.entries] == [e.event for e in whole.entries]


def test_resume_of_a_damaged_save_continues_in_a_new_file(
    tmp_path: Path, fake_tui: list[dict], capsys: pytest.CaptureFixture[str]
) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    save.write_bytes(save.read_bytes()[:-40])
    damaged = save.read_bytes()
    assert resume.run(_args(save)) == 0
    target = tmp_path / "tutorial-bots.resumed.jsonl"
    notice = (f"tutorial-bots.jsonl was damaged after event 124 (5792 bytes ignored) and is left as it is: "
              f"play continues from event 124 in {target}.")
    assert capsys.readouterr().err == (
        f"tabletop resume: {save}: save damaged after event 124: 5792 bytes ignored\n"
        f"tabletop resume: {notice}\n"
    )
    assert save.read_bytes() == damaged  # never rewritten
    assert fake_tui[0]["save_path"] == target
    assert fake_tui[0]["notice"] == notice  # said on the game screen too
    new = read_journal(target)
    same = ("campaign_text", "seed", "seats", "created", "rng")
    assert new.damage is None and all(getattr(new.header, k) == getattr(read_journal(save).header, k) for k in same)
    assert new.entries[:124] == read_journal(save).entries and fake_tui[0]["session"].ended
    # what it continued with is the game the bots play on from event 124 in one unbroken
    # session (the golden save itself was played by the bots of its day, so it is not that game)
    from tabletop.journal.replay import load_campaign_of
    from tabletop.session import LocalSession

    read = read_journal(save)
    unbroken = LocalSession.resume(load_campaign_of(read), read, None)
    unbroken.run_bots()
    assert [e.event for e in new.entries] == [e.event for e in unbroken.entries]
    assert len(new.entries) > 124 and type(new.entries[-1].event).__name__ == "GameEnded"


def test_a_finished_game_resumes_to_its_end(tmp_path: Path, fake_tui: list[dict]) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    before = save.read_bytes()
    assert resume.run(_args(save)) == 0
    assert fake_tui[0]["session"].ended and save.read_bytes() == before


def test_resume_refuses_a_save_whose_campaign_no_longer_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import dataclasses

    from save_helpers import header_for
    from tabletop.journal import JournalWriter, campaign_digest

    h = header_for("tutorial", 1)
    text = h.campaign_text.replace("rounds: 4", "rounds: 0")
    JournalWriter(tmp_path / "old.jsonl", dataclasses.replace(h, campaign_text=text, campaign_sha256=campaign_digest(text)),
                  durable=False).close()
    assert resume.run(_args(tmp_path / "old.jsonl")) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tabletop resume: {tmp_path / 'old.jsonl'}: the campaign stored in this save (tutorial) is no longer valid")
    assert err.count("\n") == 1


def test_leaving_a_game_for_its_debrief_opens_the_replay(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`d` on the end screen exits the game app with "replay"; the command then replays the save."""
    import types

    from tabletop.commands import common, replay

    opened = []
    monkeypatch.setattr(replay, "run", lambda args: opened.append(args.save) or 0)
    save = tmp_path / "game.jsonl"
    assert common.debrief_if_asked(types.SimpleNamespace(return_value="replay"), save) == 0
    assert opened == [str(save)]
    assert common.debrief_if_asked(types.SimpleNamespace(return_value=None), save) is None
    assert common.debrief_if_asked(types.SimpleNamespace(return_value="replay"), None) is None
