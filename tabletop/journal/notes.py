"""Trainers' notes on a save, kept beside it: ``<save stem>.notes.jsonl``.

The journal is the record of the exercise and is never written after the fact, so notes
made during the debrief go to a sidecar file instead, one JSON object per line::

    {"seq": 42, "text": "Here Poland should have asked for consultations.",
     "author": "Trainer", "created": "2024-05-01T10:12:00+00:00"}

``seq`` is the event the note is about (0: the start). Notes are appended and synced;
reading skips a damaged line (a torn last line, say) and says how many it skipped.
Annotations made *during* play are events in the journal
(:meth:`tabletop.journal.replay.Replay.annotations`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_NOTE = 4000


@dataclass(frozen=True, slots=True)
class Note:
    seq: int
    text: str
    author: str = ""
    created: str = ""  # ISO 8601, UTC

    def to_data(self) -> dict[str, object]:
        return {"seq": self.seq, "text": self.text, "author": self.author, "created": self.created}


@dataclass
class NotesRead:
    """The notes that could be read (in file order) and, if lines were skipped, why."""

    notes: list[Note]
    damage: str | None = None  # "notes damaged: N lines ignored"

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)

    def at(self, seq: int) -> list[Note]:
        """The notes about event ``seq``."""
        return [n for n in self.notes if n.seq == seq]


def notes_path(save: str | Path) -> Path:
    """Where the notes on ``save`` live: ``game.jsonl`` -> ``game.notes.jsonl``."""
    save = Path(save)
    return save.with_name(f"{save.stem if save.suffix == '.jsonl' else save.name}.notes.jsonl")


def add_note(save: str | Path, seq: int, text: str, author: str = "", *, now: dt.datetime | None = None) -> Note:
    """Append a note about event ``seq`` of ``save``; it is on disk when this returns.

    Raises ``ValueError`` for an empty or over-long text or a negative ``seq``, and
    ``OSError`` if the file cannot be written.
    """
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError("a note is about an event number (0 or more)")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise ValueError("a note needs some text")
    if len(text) > MAX_NOTE:
        raise ValueError(f"a note is at most {MAX_NOTE} characters")
    created = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    note = Note(seq, text, author.strip(), created)
    line = json.dumps(note.to_data(), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    path = notes_path(save)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size:  # a torn last line stays torn (and skipped); the new note starts on a line of its own
            with open(path, "rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    line = b"\n" + line
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return note


def read_notes(save: str | Path) -> NotesRead:
    """The notes on ``save`` (none if there is no notes file). Never raises for damage:
    unreadable lines are skipped and counted in ``damage``."""
    path = notes_path(save)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return NotesRead([])
    except OSError as e:
        return NotesRead([], f"notes unreadable: {e.strerror or e}")
    notes: list[Note] = []
    bad = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            d = json.loads(raw)
            seq, text = d["seq"], d["text"]
            if type(seq) is not int or seq < 0 or not isinstance(text, str):
                raise ValueError
            notes.append(Note(seq, text, str(d.get("author", "") or ""), str(d.get("created", "") or "")))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            bad += 1
    damage = f"notes damaged: {bad} line{'s' if bad != 1 else ''} ignored" if bad else None
    return NotesRead(notes, damage)


__all__ = ["MAX_NOTE", "Note", "NotesRead", "add_note", "notes_path", "read_notes"]
