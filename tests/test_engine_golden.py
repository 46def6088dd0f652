"""Golden games: the heuristic bots play the tutorial with seed 7.

Twice: the format-1 tutorial as it was before format 2 (``golden/tutorial-format1.yaml``,
so the rules of format-1 campaigns stay pinned to the event), and today's format-2
``campaigns/tutorial.yaml`` (hidden values, advisors, private injects, reasons...).
Two checked-in files pin each down:

- ``golden/<name>-seed7.events.jsonl``: every event, one JSON object per line;
- ``golden/<name>-seed7.commands.jsonl``: every command, with the ``seq`` it was
  decided at (its generator is ``Random(7 * 1_000_003 + seq)``).

Replaying the commands through the engine must give the events (a rules change shows
here, whatever the bots do), and the bots must choose the same commands (a bot or view
change shows there). After an intended change, regenerate both files with::

    TABLETOP_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_engine_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine_helpers import (
    CAMPAIGNS_DIR,
    GOLDEN_DIR,
    BotGame,
    check_state,
    command_rng,
    load_bundled,
    run_bot_game,
    start_rng,
)
from tabletop.engine import Engine, command_from_data, command_to_data, event_from_data, event_to_data
from tabletop.engine import events as E

SEED = 7
#: name -> campaign file; the golden files are ``<name>-seed7.{events,commands}.jsonl``
CAMPAIGNS = {"tutorial": GOLDEN_DIR / "tutorial-format1.yaml", "tutorial2": CAMPAIGNS_DIR / "tutorial.yaml"}
REGEN = "TABLETOP_REGEN_GOLDEN"
HOW = f"If the change is intended, regenerate with {REGEN}=1 .venv/bin/python -m pytest tests/test_engine_golden.py and review the diff."


def _line(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module", params=sorted(CAMPAIGNS))
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def files(name: str) -> tuple[Path, Path]:
    return GOLDEN_DIR / f"{name}-seed7.events.jsonl", GOLDEN_DIR / f"{name}-seed7.commands.jsonl"


@pytest.fixture(scope="module")
def engine(name: str) -> Engine:
    return Engine(load_bundled(CAMPAIGNS[name]))


@pytest.fixture(scope="module")
def game(engine: Engine, files: tuple[Path, Path]) -> BotGame:
    EVENTS_FILE, COMMANDS_FILE = files
    game = run_bot_game(engine, SEED, "heuristic")
    if os.environ.get(REGEN) == "1":
        GOLDEN_DIR.mkdir(exist_ok=True)
        EVENTS_FILE.write_text("".join(_line(event_to_data(e)) + "\n" for e in game.events), encoding="utf-8")
        COMMANDS_FILE.write_text(
            "".join(_line({"seq": seq, "command": command_to_data(c)}) + "\n" for seq, c in game.commands),
            encoding="utf-8",
        )
    return game


def _read(path: Path) -> list[str]:
    if not path.exists():
        pytest.fail(f"{path.name} is missing. {HOW}")
    return path.read_text(encoding="utf-8").splitlines()


def _first_difference(name: str, got: list[str], want: list[str]) -> str:
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"{name} differ at line {i + 1}:\n  golden: {b}\n  now:    {a}\n{HOW}"
    return f"{name}: {len(got)} lines now, {len(want)} in the golden file.\n{HOW}"


def test_the_bots_play_the_golden_game(game: BotGame, files: tuple[Path, Path]) -> None:
    EVENTS_FILE, COMMANDS_FILE = files
    got = [_line(event_to_data(e)) for e in game.events]
    want = _read(EVENTS_FILE)
    assert got == want, _first_difference("events", got, want)
    got_cmds = [_line({"seq": seq, "command": command_to_data(c)}) for seq, c in game.commands]
    want_cmds = _read(COMMANDS_FILE)
    assert got_cmds == want_cmds, _first_difference("commands", got_cmds, want_cmds)


def test_replaying_the_golden_commands_gives_the_golden_events(engine: Engine, files: tuple[Path, Path]) -> None:
    EVENTS_FILE, COMMANDS_FILE = files
    want = _read(EVENTS_FILE)
    events = list(engine.start(start_rng(SEED)))
    state = engine.fold(events)
    for line in _read(COMMANDS_FILE):
        entry = json.loads(line)
        assert state.seq == entry["seq"], f"the golden command at seq {entry['seq']} finds the game at {state.seq}. {HOW}"
        new = engine.decide(state, command_from_data(entry["command"]), command_rng(SEED, state))
        events.extend(new)
        state = engine.fold(new, state)
    got = [_line(event_to_data(e)) for e in events]
    assert got == want, _first_difference("events", got, want)


def test_folding_the_golden_events_reproduces_the_outcome(engine: Engine, game: BotGame, files: tuple[Path, Path]) -> None:
    EVENTS_FILE, _ = files
    events = [event_from_data(json.loads(line)) for line in _read(EVENTS_FILE)]
    state = engine.fold(events)
    last = events[-1]
    assert isinstance(last, E.GameEnded), "the golden game must run to its end"
    assert state.outcome is not None
    assert (state.outcome.reason, state.outcome.detail, state.outcome.objectives) == (
        last.reason, last.detail, last.objectives,
    )
    assert game.state is not None and state.outcome == game.state.outcome
    assert state.round == game.state.round and state.tracks == game.state.tracks
    check_state(engine, state)
