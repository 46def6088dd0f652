"""The chain head a seat is told for its receipt does not let it test guesses at secrets.

Every seat is told the save's chain head (the sha256 of the last line) so it can keep a
receipt. A line holds facts the seat may not see (another actor's draw, a covert card),
usually from a short list, and the seat knows the previous head. Without a salt it could
write the line out for each guess and keep the guess whose hash is the head. The first
line of each command carries a salt keyed by the seed, so even the right guess misses.
"""

from __future__ import annotations

import json
from pathlib import Path

from tabletop.campaign.validate import load_campaign
from tabletop.engine.events import event_to_data
from tabletop.journal import JournalWriter, line_salt, read_journal
from tabletop.journal.lines import _digest, _line
from tabletop.session import LocalSession, resolve_controllers

ROOT = Path(__file__).resolve().parents[1]


def _played(tmp_path: Path) -> Path:
    loaded = load_campaign(ROOT / "tests" / "golden" / "tutorial-format1.yaml")  # a long game: many decision points
    c = loaded.campaign
    seats = resolve_controllers(c, ["red", "blue"])
    save = tmp_path / "game.jsonl"
    header = LocalSession.new_header(c, loaded.text, str(loaded.path), 12345, seats)
    session = LocalSession(c, seed=12345, controllers=seats, journal=JournalWriter(save, header, durable=False))
    session.run_bots(limit=40)
    session.close()
    return save


def test_the_right_guess_at_a_command_does_not_give_the_head_a_seat_was_told(tmp_path: Path) -> None:
    save = _played(tmp_path)
    raw = save.read_bytes().split(b"\n")[:-1]
    heads = [_digest(line) for line in raw]
    read = read_journal(save)
    points = read.decision_points
    for a, b in zip(points, points[1:]):  # a command's events: a+1..b; the head after b is told
        prev = heads[a]
        for k in range(a + 1, b + 1):
            rec = json.loads(raw[k])
            # The seat's best guess: every field exactly as written, the secrets guessed right.
            guess = {key: rec[key] for key in ("seq", "round", "phase", "seat", "command")}
            guess["event"] = event_to_data(read.entries[k - 1].event)
            if "group" in rec:
                guess["group"] = rec["group"]
            guess["prev"] = prev
            prev = _digest(_line(guess))
        assert prev != heads[b], f"events {a + 1}-{b}: the head after them confirms a guess"
        assert json.loads(raw[a + 1])["salt"] == line_salt(12345, a + 1)
    assert len(points) > 10


def test_salts_are_keyed_by_the_seed(tmp_path: Path) -> None:
    assert line_salt(1, 5) != line_salt(2, 5) != line_salt(1, 6)
    assert len(line_salt(1, 5)) == 32 and int(line_salt(1, 5), 16) >= 0
