"""No command overwrites a file it did not create in the same run, unless --force; a save
is never overwritten at all (PRODUCT.md, non-negotiables). Commands as subprocesses."""

from __future__ import annotations

import datetime as dt
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from save_helpers import ROOT, TUTORIAL_SAVE, copy_golden
from cli_process import run_tabletop
from tabletop.files import SAVE_START, Refused, is_save, saves_dir, write_new
from tabletop.journal import read_journal
from tabletop.net.codes import write_codes


def tabletop(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_tabletop(
        *args, cwd=cwd, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(cwd / "data"), **(env or {})},
    )


# ====================================================================== report -o


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_report_never_writes_over_a_save(tmp_path: Path, force: list[str]) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    before = save.read_bytes()
    done = tabletop("report", save.name, "-o", save.name, *force, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "tabletop report: tutorial-bots.jsonl is a save; a save is never overwritten (choose another file).\n"
    assert save.read_bytes() == before
    # another save is no different from the one being reported on
    (tmp_path / "sub").mkdir()
    other = copy_golden(TUTORIAL_SAVE, tmp_path / "sub")
    done = tabletop("report", save.name, "-o", "sub/tutorial-bots.jsonl", *force, cwd=tmp_path)
    assert done.returncode == 2 and other.read_bytes() == before


def test_report_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    aar = tmp_path / "aar.md"
    aar.write_text("last week's report, annotated by hand\n")
    done = tabletop("report", save.name, "-o", "aar.md", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("tabletop report: aar.md already exists and is left as it is (choose another file, "
                           "or pass --force to replace it).\n")
    assert aar.read_text() == "last week's report, annotated by hand\n"
    forced = tabletop("report", save.name, "-o", "aar.md", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert aar.read_text(encoding="utf-8").startswith("# After-action report: Tutorial: Harbour Town\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aar.md", "tutorial-bots.jsonl"]  # no temporary left


# ====================================================================== simulate --save-dir


def test_simulate_never_replaces_an_earlier_runs_journals(tmp_path: Path) -> None:
    first = tabletop("simulate", "tutorial", "--games", "3", "--seed", "5", "--save-dir", "runs", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    runs = tmp_path / "runs"
    before = {p.name: p.read_bytes() for p in runs.iterdir()}
    assert len(before) == 3
    again = tabletop("simulate", "tutorial", "--games", "3", "--seed", "5", "--save-dir", "runs", "--json", cwd=tmp_path)
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr == (
        "tabletop simulate: runs/tutorial-5-00000.jsonl and 2 more already exist (an earlier run with seed 5); "
        "a save is never overwritten: choose another --save-dir or --seed.\n"
    )
    assert {p.name: p.read_bytes() for p in runs.iterdir()} == before
    # a foreign file under a journal's name is not touched either
    (runs / "tutorial-6-00001.jsonl").write_text("keep me\n")
    other = tabletop("simulate", "tutorial", "--games", "2", "--seed", "6", "--save-dir", "runs", cwd=tmp_path)
    assert other.returncode == 2 and "tutorial-6-00001.jsonl already exists" in other.stderr
    assert (runs / "tutorial-6-00001.jsonl").read_text() == "keep me\n"
    assert not (runs / "tutorial-6-00000.jsonl").exists()


# ====================================================================== host's join codes


def _host(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return tabletop("host", "tutorial", "--headless", "--bind", "127.0.0.1", "--port", "0", "--bot", "red",
                    "--bot", "blue", "--bot-delay", "0", "--seed", "3", *args, cwd=tmp_path)


def test_host_never_writes_its_codes_over_another_file(tmp_path: Path) -> None:
    mine = tmp_path / "codes.json"
    mine.write_text("my own notes\n")
    done = _host(tmp_path, "--save", "g.jsonl", "--codes-file", "codes.json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == ("tabletop host: codes.json already exists and is left as it is (choose another file, "
                           "or pass --force to replace it).\n")
    assert mine.read_text() == "my own notes\n"
    assert not (tmp_path / "g.jsonl").exists()  # refused before anything was written

    # join codes left beside --save by another game are not replaced either
    stale = tmp_path / "g.jsonl.codes.json"
    stale.write_text('{"old": "codes"}\n')
    done = _host(tmp_path, "--save", "g.jsonl")
    assert done.returncode == 2 and "g.jsonl.codes.json already exists" in done.stderr
    assert stale.read_text() == '{"old": "codes"}\n' and not (tmp_path / "g.jsonl").exists()

    forced = _host(tmp_path, "--save", "g.jsonl", "--codes-file", "codes.json", "--force")
    assert forced.returncode == 0, forced.stderr
    codes = json.loads(mine.read_text())
    assert json.loads(stale.read_text()) == codes
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600 and stat.S_IMODE(stale.stat().st_mode) == 0o600


def test_host_never_writes_its_codes_over_a_save_even_forced(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    before = save.read_bytes()
    done = _host(tmp_path, "--save", "g.jsonl", "--codes-file", save.name, "--force")
    assert done.returncode == 2
    assert done.stderr == ("tabletop host: tutorial-bots.jsonl is a save; a save is never overwritten "
                           "(choose another file).\n")
    assert save.read_bytes() == before and not (tmp_path / "g.jsonl").exists()


def test_write_codes_leaves_others_files_alone(tmp_path: Path) -> None:
    codes = {"a": "x1", "b": "y2"}
    path = tmp_path / "g.jsonl.codes.json"
    write_codes(path, codes)
    assert json.loads(path.read_text()) == codes and stat.S_IMODE(path.stat().st_mode) == 0o600
    inode = path.stat().st_ino
    write_codes(path, codes)  # the same codes: nothing to write
    assert path.stat().st_ino == inode
    with pytest.raises(Refused, match="already exists"):
        write_codes(path, {"a": "new", "b": "new2"})
    assert json.loads(path.read_text()) == codes
    write_codes(path, {"a": "new", "b": "new2"}, own=True)  # host --resume: the game's own file
    assert json.loads(path.read_text()) == {"a": "new", "b": "new2"} and stat.S_IMODE(path.stat().st_mode) == 0o600
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    before = save.read_bytes()
    for kw in ({"own": True}, {"force": True}):
        with pytest.raises(Refused, match="is a save"):
            write_codes(save, codes, **kw)
    assert save.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.jsonl.codes.json", "tutorial-bots.jsonl"]


# ====================================================================== the rules themselves


def test_write_new_creates_exclusively_and_never_replaces_a_save(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_new(target, "one")
    assert target.read_text() == "one"
    with pytest.raises(Refused, match="already exists"):
        write_new(target, "two")
    write_new(target, "two", force=True)
    assert target.read_text() == "two"
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    assert is_save(save) and not is_save(target) and not is_save(tmp_path / "missing")
    with pytest.raises(Refused, match="is a save"):
        write_new(save, "x", force=True)
    damaged = tmp_path / "torn.jsonl"
    damaged.write_bytes(TUTORIAL_SAVE.read_bytes()[:200])  # even a torn save is a save
    with pytest.raises(Refused, match="is a save"):
        write_new(damaged, "x", force=True)
    with pytest.raises(Refused, match="is a folder"):
        write_new(tmp_path, "x", force=True)


def test_the_save_marker_is_the_journal_header() -> None:
    from tabletop import journal

    assert TUTORIAL_SAVE.read_bytes().startswith(SAVE_START)
    assert SAVE_START == b'{"format":"' + journal.FORMAT.encode() + b'"'


def test_a_new_game_never_takes_a_name_whose_sidecars_exist(tmp_path: Path) -> None:
    from tabletop.commands.common import free_save_path

    day = dt.date(2030, 1, 2)
    assert free_save_path(tmp_path, "tutorial", day) == tmp_path / "2030-01-02-tutorial.jsonl"
    (tmp_path / "2030-01-02-tutorial.notes.jsonl").write_text("notes on a deleted game\n")
    assert free_save_path(tmp_path, "tutorial", day) == tmp_path / "2030-01-02-tutorial-2.jsonl"
    (tmp_path / "2030-01-02-tutorial-2.jsonl.codes.json").write_text("{}")
    (tmp_path / "2030-01-02-tutorial-3.jsonl").write_text("")
    assert free_save_path(tmp_path, "tutorial", day) == tmp_path / "2030-01-02-tutorial-4.jsonl"


# ====================================================================== where saves go


def test_saves_go_to_the_current_folders_saves_or_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from save_helpers import campaign
    from tabletop.commands.common import start_session

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data" / "tabletop" / "saves"
    if sys.platform.startswith("linux"):
        assert saves_dir() == data
    session, save = start_session(campaign("tutorial"), ["red", "blue"], 1, None)
    session.close()
    assert save.parent == saves_dir() and save.is_file() and not (tmp_path / "saves").exists()
    assert stat.S_IMODE(save.stat().st_mode) == 0o600
    (tmp_path / "saves").mkdir()
    assert saves_dir() == Path("saves")
    session, save = start_session(campaign("tutorial"), ["red", "blue"], 1, None)
    session.close()
    assert save.parent == Path("saves") and (tmp_path / save).is_file()
    assert read_journal(tmp_path / save).header.seed == 1


def test_play_says_where_the_default_save_goes(tmp_path: Path) -> None:
    help_text = tabletop("play", "--help", cwd=tmp_path).stdout
    assert "./saves if the current folder has one, else the user data folder" in " ".join(help_text.split())
