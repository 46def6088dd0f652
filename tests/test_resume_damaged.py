"""Resuming a damaged save: play continues in ``<stem>.resumed.jsonl``, the same file
every time (a chain if that is damaged too), never a second copy; what was damaged and
where play continues is said where people look (the game screen, the host console)."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from save_helpers import ROOT, TUTORIAL_SAVE, bot_save, copy_golden
from cli_process import run_tabletop
from tabletop.commands import resume
from tabletop.journal import JournalError, read_journal


def _damage(save: Path, cut: int = 30) -> bytes:
    """Cut the last ``cut`` bytes off ``save`` (a torn last line); returns what is left."""
    save.write_bytes(save.read_bytes()[:-cut])
    return save.read_bytes()


def _play(session, steps: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(steps):
        if session.ended or not session.step_bot():
            break


def test_resuming_a_damaged_save_again_continues_the_same_file(tmp_path: Path) -> None:
    save = tmp_path / "g.jsonl"
    bot_save(save, until=20)
    damaged = _damage(save)
    good = len(read_journal(save).entries)

    first = resume.open_session(save)
    cont = tmp_path / "g.resumed.jsonl"
    assert first.path == cont and first.chain == [save, cont]
    assert first.notice == (f"g.jsonl was damaged after event {good} ({read_journal(save).problem.ignored} bytes "
                            f"ignored) and is left as it is: play continues from event {good} in {cont}.")
    _play(first.session, 6)
    played = list(first.session.entries)
    assert len(played) > good
    first.session.close()

    again = resume.open_session(save)
    assert again.path == cont  # the same continuation, not a second copy from the damage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.jsonl", "g.resumed.jsonl"]
    assert again.session.entries == played  # nothing played in the continuation is left behind
    assert again.notice is not None and again.notice.endswith(
        f"play continues from event {len(played)} in {cont}, where it was carried on before.")
    assert again.damage == read_journal(save).damage
    again.session.run_bots()
    again.session.close()
    assert save.read_bytes() == damaged  # the damaged save is never written
    whole = bot_save(tmp_path / "whole.jsonl")
    assert [e.event for e in read_journal(cont).entries] == [e.event for e in whole.entries]


def test_a_damaged_continuation_is_followed_as_a_chain(tmp_path: Path) -> None:
    save = tmp_path / "g.jsonl"
    bot_save(save, until=20)
    _damage(save)
    first = resume.open_session(save)
    _play(first.session, 6)
    first.session.close()
    cont = tmp_path / "g.resumed.jsonl"
    _damage(cont)
    kept = read_journal(cont).entries

    chained = resume.open_session(save)
    last = tmp_path / "g.resumed.resumed.jsonl"
    assert chained.path == last and chained.chain == [save, cont, last]
    assert chained.session.entries == kept
    assert chained.notice is not None
    assert "; so was its continuation g.resumed.jsonl, damaged after event" in chained.notice
    assert chained.notice.endswith(f"play continues from event {len(kept)} in {last}.")
    chained.session.close()
    # and once more: the chain is followed to its end, nothing new is made
    assert resume.open_session(save).path == last
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.jsonl", "g.resumed.jsonl", "g.resumed.resumed.jsonl"]


@pytest.mark.parametrize("occupant", ["not-a-save", "another-game", "shorter"])
def test_a_file_that_is_not_the_continuation_is_never_touched(tmp_path: Path, occupant: str) -> None:
    save = tmp_path / "g.jsonl"
    bot_save(save, until=20)
    _damage(save)
    cont = tmp_path / "g.resumed.jsonl"
    if occupant == "not-a-save":
        cont.write_text("my notes\n")
    elif occupant == "another-game":
        bot_save(cont, seed=99, until=5)
    else:  # the same game, but fewer events than the damaged save's good part
        bot_save(cont, until=3)
    before = cont.read_bytes()
    with pytest.raises(JournalError) as caught:
        resume.open_session(save)
    message = str(caught.value)
    assert message.startswith("save damaged after event") and f"move {cont} away" in message
    assert cont.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.jsonl", "g.resumed.jsonl"]


def test_resume_puts_the_notice_on_the_game_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command hands the sentence to the app (tests/tui/test_resume_notice.py shows it there)."""
    built: list[dict] = []

    class FakeApp:
        return_code = 0
        return_value = None

        def __init__(self, session, **kwargs) -> None:  # type: ignore[no-untyped-def]
            built.append(kwargs)

        def run(self) -> None:
            pass

    module = types.ModuleType("tabletop.tui.app")
    module.build_app = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tabletop.tui.app", module)
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    _damage(save, 40)
    import argparse

    assert resume.run(argparse.Namespace(save=str(save), bot_delay=0.0)) == 0
    assert built[0]["notice"].startswith("tutorial-bots.jsonl was damaged after event 124 (5792 bytes ignored)")
    assert resume.run(argparse.Namespace(save=str(save), bot_delay=0.0)) == 0
    assert built[1]["save_path"] == built[0]["save_path"] == tmp_path / "tutorial-bots.resumed.jsonl"


def test_the_host_console_gets_the_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    import tabletop.tui.app as app_module
    from tabletop.commands import host as console

    seen: dict = {}
    monkeypatch.setattr(app_module, "build_app", lambda session, **kw: seen.update(kw) or "app")
    fake_host = types.SimpleNamespace(session=object())
    assert console._tui_app(fake_host, Path("g.jsonl"), 0.0, "g.jsonl was damaged") == "app"  # type: ignore[arg-type]
    assert seen["notice"] == "g.jsonl was damaged" and seen["seat_mode"] == "facilitator"


def _host_resume(save: Path) -> subprocess.CompletedProcess[str]:
    return run_tabletop(
        "host", "--resume", save.name, "--headless", "--bind", "127.0.0.1", "--port", "0", "--bot-delay", "0",
        cwd=save.parent, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_host_resume_of_a_damaged_save_says_so_and_continues_the_same_file(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    damaged = _damage(save, 40)
    cont = tmp_path / "tutorial-bots.resumed.jsonl"
    first = _host_resume(save)
    assert first.returncode == 0, first.stderr
    notice = ("Damaged save: tutorial-bots.jsonl was damaged after event 124 (5792 bytes ignored) and is left "
              "as it is: play continues from event 124 in tutorial-bots.resumed.jsonl.")
    assert notice in first.stdout.splitlines()  # on the console, not only on stderr
    assert f"saving to {cont.name}" in first.stdout
    codes = json.loads((tmp_path / "tutorial-bots.resumed.jsonl.codes.json").read_text())
    finished = cont.read_bytes()
    assert read_journal(cont).entries[-1].event.TYPE == "game_ended"

    second = _host_resume(save)
    assert second.returncode == 0, second.stderr
    assert "where it was carried on before." in second.stdout and "The exercise is already over." in second.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tutorial-bots.jsonl", "tutorial-bots.resumed.jsonl", "tutorial-bots.resumed.jsonl.codes.json",
    ]
    assert cont.read_bytes() == finished and save.read_bytes() == damaged
    assert json.loads((tmp_path / "tutorial-bots.resumed.jsonl.codes.json").read_text()) == codes  # the same codes
