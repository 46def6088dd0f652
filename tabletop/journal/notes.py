"""Trainers' notes on a save, kept beside it: ``<save stem>.notes.jsonl``.

The journal is the record of the exercise and is never written after the fact, so notes
made during the debrief go to a sidecar file instead, one JSON object per line::

    {"seq": 42, "text": "Here Poland should have asked for consultations.",
     "author": "Trainer", "created": "2024-05-01T10:12:00+00:00"}

``seq`` is the event the note is about (0: the start). Notes are appended and synced;
reading skips a damaged line (a torn last line, say) and says how many it skipped.
Annotations made *during* play are events in the journal
(:meth:`tabletop.journal.replay.Replay.annotations`).

The trainer's assessment lives there too, as records with a ``kind`` (a line with no
``kind`` is a note, so older sidecars read as they were):

* ``{"kind": "rating", "objective": "lo-share", "rating": "S", "why": "...", ...}`` —
  the final P/S/M/U rating of a learning objective (its id, or its text when it has
  none); the last one for an objective counts, ``"rating": ""`` clears it;
* ``{"kind": "action", "id": 1, "action": "...", "owner": "...", "due": "2026-03-01",
  "answers": "lo-share", ...}`` — a corrective action of the improvement plan; a later
  record with the same ``id`` replaces it, ``"deleted": true`` removes it. ``answers``
  is a learning objective (id or text), ``obs:N`` (the observation at event N), or "".
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTE = 4000
#: the HSEEP ratings, in order: Performed without challenges ... Unable to be performed
RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
MAX_FIELD = 300  # an action's owner, due date or what it answers
MAX_ACTION = 1000


@dataclass(frozen=True, slots=True)
class Note:
    seq: int
    text: str
    author: str = ""
    created: str = ""  # ISO 8601, UTC

    def to_data(self) -> dict[str, object]:
        return {"seq": self.seq, "text": self.text, "author": self.author, "created": self.created}


@dataclass(frozen=True, slots=True)
class Rating:
    """The trainer's final rating of a learning objective (``rating`` one of :data:`RATINGS`)."""

    objective: str
    rating: str
    why: str = ""
    author: str = ""
    created: str = ""

    def to_data(self) -> dict[str, object]:
        return {"kind": "rating", "objective": self.objective, "rating": self.rating, "why": self.why,
                "author": self.author, "created": self.created}


@dataclass(frozen=True, slots=True)
class Action:
    """A corrective action of the improvement plan: what, who, by when, and what it answers."""

    id: int
    action: str
    owner: str = ""
    due: str = ""  # as the trainer wrote it: "2026-03-01", "Q2 2026"
    answers: str = ""  # a learning objective (id or text), "obs:N", or ""
    author: str = ""
    created: str = ""
    deleted: bool = False

    def to_data(self) -> dict[str, object]:
        d: dict[str, object] = {"kind": "action", "id": self.id, "action": self.action, "owner": self.owner,
                                "due": self.due, "answers": self.answers, "author": self.author,
                                "created": self.created}
        if self.deleted:
            d["deleted"] = True
        return d


@dataclass
class NotesRead:
    """The notes that could be read (in file order) and, if lines were skipped, why; the
    trainer's final ratings (the last per objective) and the improvement plan's actions."""

    notes: list[Note]
    damage: str | None = None  # "notes damaged: N lines ignored"
    ratings: dict[str, Rating] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)  # in order of id, deleted ones left out

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)

    #: every action record, as written (for the next free id)
    all_actions: list[Action] = field(default_factory=list)

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
    note = Note(seq, text, author.strip(), _now(now))
    _append(save, note.to_data())
    return note


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")


def _clean(text: object, limit: int, what: str) -> str:
    """``text`` on one line, stripped; raises ``ValueError`` past ``limit`` characters."""
    out = " ".join(text.split()) if isinstance(text, str) else ""
    if len(out) > limit:
        raise ValueError(f"{what} is at most {limit} characters")
    return out


def set_rating(save: str | Path, objective: str, rating: str, why: str = "", author: str = "", *,
               now: dt.datetime | None = None) -> Rating:
    """Record the trainer's final rating of a learning objective (``""`` clears it).

    Raises ``ValueError`` for a rating other than P, S, M, U or "", and ``OSError``."""
    if rating not in RATINGS and rating != "":
        raise ValueError("a rating is P, S, M or U")
    objective = _clean(objective, MAX_FIELD * 7, "an objective")
    if not objective:
        raise ValueError("a rating is of a learning objective")
    r = Rating(objective, rating, _clean(why, MAX_ACTION, "the reason for a rating"), _clean(author, 80, "a name"),
               _now(now))
    _append(save, r.to_data())
    return r


def save_action(save: str | Path, action: str, owner: str = "", due: str = "", answers: str = "",
                author: str = "", *, id: int | None = None, deleted: bool = False,
                now: dt.datetime | None = None) -> Action:
    """Add a corrective action to the improvement plan (``id`` None: a new one), or
    replace (``deleted``: remove) the one with that ``id``.

    Raises ``ValueError`` for an empty or over-long action, and ``OSError``."""
    text = _clean(action, MAX_ACTION, "a corrective action")
    if not text and not deleted:
        raise ValueError("a corrective action needs some text")
    if id is None:
        id = max((a.id for a in read_notes(save).all_actions), default=0) + 1
    a = Action(id, text, _clean(owner, MAX_FIELD, "an owner"), _clean(due, MAX_FIELD, "a due date"),
               _clean(answers, MAX_FIELD * 7, "what an action answers"), _clean(author, 80, "a name"), _now(now),
               deleted)
    _append(save, a.to_data())
    return a


def _append(save: str | Path, data: dict[str, object]) -> None:
    """Append one record to the sidecar of ``save``, on a line of its own, synced."""
    line = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
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
    ratings: dict[str, Rating] = {}
    actions: dict[int, Action] = {}
    history: list[Action] = []
    bad = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            d = json.loads(raw)
            who, when = str(d.get("author", "") or ""), str(d.get("created", "") or "")
            kind = d.get("kind", "note")
            if kind == "rating":
                obj, rating, why = d["objective"], d["rating"], d.get("why", "") or ""
                if not isinstance(obj, str) or not obj or (rating not in RATINGS and rating != "") or not isinstance(why, str):
                    raise ValueError
                ratings.pop(obj, None)  # the last one counts, in the order given
                ratings[obj] = Rating(obj, rating, why, who, when)
            elif kind == "action":
                n, fields = d["id"], [d.get(k, "") or "" for k in ("action", "owner", "due", "answers")]
                if type(n) is not int or n < 1 or not all(isinstance(f, str) for f in fields):
                    raise ValueError
                a = Action(n, fields[0], fields[1], fields[2], fields[3], who, when, d.get("deleted") is True)
                history.append(a)
                actions[n] = a
            elif kind == "note":
                seq, text = d["seq"], d["text"]
                if type(seq) is not int or seq < 0 or not isinstance(text, str):
                    raise ValueError
                notes.append(Note(seq, text, who, when))
            else:
                continue  # a kind a newer tabletop writes: not damage
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
            bad += 1
    damage = f"notes damaged: {bad} line{'s' if bad != 1 else ''} ignored" if bad else None
    ratings = {k: r for k, r in ratings.items() if r.rating}
    live = [actions[n] for n in sorted(actions) if not actions[n].deleted]
    return NotesRead(notes, damage, ratings, live, history)


__all__ = [
    "MAX_NOTE", "RATINGS", "Action", "Note", "NotesRead", "Rating", "add_note", "notes_path", "read_notes",
    "save_action", "set_rating",
]
