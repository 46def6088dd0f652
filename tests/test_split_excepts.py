"""A bug of ours surfaces instead of being recorded as damage or a difference.

``rederive`` (``tabletop verify``) catches only what the rules and ``_derive`` raise for
a save's command (``ValueError``, ``CommandError``); an ``AttributeError`` from our own
code in the engine is a traceback in the tests, not "a command that cannot be carried
out". ``fold`` keeps its last net around the save's values only: a save that folds well
is not touched by it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from save_helpers import bot_save
from tabletop.engine.rules import Engine
from tabletop.journal import JournalRead, read_journal
from tabletop.journal.fit import fold
from tabletop.journal.proof import rederive


def _engine_and_read(tmp_path: Path) -> tuple[Engine, JournalRead]:
    path = tmp_path / "tutorial.jsonl"
    session = bot_save(path, "tutorial", seed=64, until=6)
    return Engine(session.engine.campaign), read_journal(path)


def test_a_bug_in_deciding_a_command_surfaces_from_rederive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, read = _engine_and_read(tmp_path)
    assert rederive(read, engine) is None

    def broken(*args: object, **kwargs: object) -> None:
        raise AttributeError("a bug of ours")

    monkeypatch.setattr(engine, "step", broken)
    with pytest.raises(AttributeError, match="a bug of ours"):
        rederive(read, engine)


def test_a_refused_command_is_still_a_difference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tabletop.engine.errors import IllegalCommand

    engine, read = _engine_and_read(tmp_path)

    def refuses(*args: object, **kwargs: object) -> None:
        raise IllegalCommand("not now")

    monkeypatch.setattr(engine, "step", refuses)
    difference = rederive(read, engine)
    assert difference is not None and "the rules refuse" in difference.why


def test_a_save_that_folds_well_is_whole(tmp_path: Path) -> None:
    engine, read = _engine_and_read(tmp_path)
    checked, state, snapshots = fold(read, engine, every=2)
    assert checked.problem is None and state.seq == len(read.entries)
