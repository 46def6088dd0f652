"""The journal: the save file. JSON Lines, append-only, durable before acknowledged.

Line 1 is the header: format and engine versions, the campaign's full text and hash,
the seats and who controls them, and the seed. Every further line is one event::

    {"seq": 12, "round": 2, "phase": "border-crisis", "seat": "belarus",
     "command": {...} | null, "event": {...}, "prev": "<sha256 of the previous line>",
     "sum": "<crc32 of this line before the sum>"}

``prev`` chains every line to the one before it, so a changed, dropped, duplicated or
reordered line is evident; ``sum`` catches damage to the last line. Reading stops at
the first line that is torn or fails its checks, keeps everything before it, and says
how many bytes it ignored; it never rewrites the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tabletop import __version__
from tabletop.engine.events import Event, event_from_data, event_to_data

FORMAT = "tabletop-journal"
VERSION = 1
_SUM_TAIL = len(',"sum":"00000000"}')


class JournalError(ValueError):
    """The file is not a journal this version can read (the message says why)."""


@dataclass(frozen=True)
class Header:
    campaign_id: str
    campaign_path: str
    campaign_sha256: str
    campaign_text: str
    seed: int
    seats: Mapping[str, str]  # seat -> "human" | "bot:heuristic" | "bot:random"
    created: str = ""
    parent: Mapping[str, Any] | None = None  # a fork: {"save": path, "seq": n}
    version: int = VERSION
    engine: str = __version__

    def to_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "engine": self.engine,
            "created": self.created,
            "seed": self.seed,
            "seats": dict(self.seats),
            "parent": dict(self.parent) if self.parent else None,
            "campaign": {
                "id": self.campaign_id,
                "path": self.campaign_path,
                "sha256": self.campaign_sha256,
                "text": self.campaign_text,
            },
        }

    @classmethod
    def from_data(cls, data: Any) -> Header:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise JournalError("this is not a tabletop save (its first line is not a journal header)")
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise JournalError(
                f"this save is format version {version!r}; this tabletop ({__version__}) reads up to version {VERSION}"
            )
        try:
            camp = data["campaign"]
            text = camp["text"]
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != camp["sha256"]:
                raise JournalError("the campaign stored in this save does not match its hash")
            return cls(
                campaign_id=str(camp["id"]),
                campaign_path=str(camp.get("path", "")),
                campaign_sha256=str(camp["sha256"]),
                campaign_text=text,
                seed=int(data["seed"]),
                seats={str(k): str(v) for k, v in data["seats"].items()},
                created=str(data.get("created", "")),
                parent=data.get("parent"),
                version=version,
                engine=str(data.get("engine", "")),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            if isinstance(e, JournalError):
                raise
            raise JournalError(f"the save's header is incomplete ({e})") from None


@dataclass(frozen=True)
class Entry:
    """One journal line: an event and what caused it."""

    seq: int
    round: int
    phase: str
    seat: str | None
    command: Mapping[str, Any] | None
    event: Event


def _line(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    crc = zlib.crc32(body) & 0xFFFFFFFF
    return body[:-1] + f',"sum":"{crc:08x}"}}'.encode() + b"\n"


def _check_line(raw: bytes) -> dict[str, Any]:
    line = raw.rstrip(b"\n")
    if len(line) <= _SUM_TAIL or not line.endswith(b'"}'):
        raise ValueError("torn line")
    body = line[:-_SUM_TAIL] + b"}"
    tail = line[-_SUM_TAIL:]
    want = f',"sum":"{zlib.crc32(body) & 0xFFFFFFFF:08x}"}}'.encode()
    if tail != want:
        raise ValueError("checksum mismatch")
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw.rstrip(b"\n")).hexdigest()


@dataclass
class JournalRead:
    """What :func:`read_journal` found: the header, every good entry, and any damage."""

    header: Header
    entries: list[Entry]
    damage: str | None = None  # "save damaged after event N: M bytes ignored"
    good_bytes: int = 0
    last_digest: str = ""


def read_journal(path: str | Path) -> JournalRead:
    """Read a save. Raises :class:`JournalError` if even the header is unusable.

    A torn or damaged tail is not an error: every good event before it is returned
    and ``damage`` says where reading stopped.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise JournalError(f"cannot read {path}: {e.strerror or e}") from None
    lines = data.splitlines(keepends=True)
    if not lines:
        raise JournalError("the save is empty")
    try:
        header = Header.from_data(json.loads(lines[0]))
    except (ValueError, UnicodeDecodeError) as e:
        if isinstance(e, JournalError):
            raise
        raise JournalError("the save's first line is not a readable header") from None
    prev = _digest(lines[0])
    good = len(lines[0])
    entries: list[Entry] = []
    damage = None
    for raw in lines[1:]:
        try:
            if not raw.endswith(b"\n"):
                raise ValueError("torn line")
            rec = _check_line(raw)
            if rec.get("prev") != prev:
                raise ValueError("chain broken")
            if rec.get("seq") != len(entries) + 1:
                raise ValueError("out of sequence")
            entry = Entry(
                seq=rec["seq"], round=int(rec["round"]), phase=str(rec["phase"]),
                seat=rec.get("seat"), command=rec.get("command"), event=event_from_data(rec["event"]),
            )
        except (ValueError, KeyError, TypeError):
            damage = f"save damaged after event {len(entries)}: {len(data) - good} bytes ignored"
            break
        entries.append(entry)
        prev = _digest(raw)
        good += len(raw)
    return JournalRead(header, entries, damage, good, prev)


class JournalWriter:
    """Appends entries to a save; with ``durable`` every append is fsynced before it returns."""

    def __init__(self, path: str | Path, header: Header, *, durable: bool = True) -> None:
        self.path = Path(path)
        self.durable = durable
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: BinaryIO = open(self.path, "xb")  # never overwrite a save
        raw = _line(header.to_data())
        self._prev = _digest(raw)
        self._write(raw)

    @classmethod
    def append_to(cls, path: str | Path, read: JournalRead, *, durable: bool = True) -> JournalWriter:
        """Continue an existing, undamaged save (resume)."""
        if read.damage:
            raise JournalError(f"{read.damage}; it will not be appended to")
        self = cls.__new__(cls)
        self.path = Path(path)
        self.durable = durable
        self._file = open(self.path, "ab")
        self._prev = read.last_digest
        return self

    def _write(self, raw: bytes) -> None:
        self._file.write(raw)
        self._file.flush()
        if self.durable:
            os.fsync(self._file.fileno())

    def append(self, entries: Iterable[Entry]) -> None:
        """Write ``entries``; when it returns they are on disk (if durable)."""
        chunk = bytearray()
        for e in entries:
            raw = _line(
                {
                    "seq": e.seq, "round": e.round, "phase": e.phase, "seat": e.seat,
                    "command": e.command, "event": event_to_data(e.event), "prev": self._prev,
                }
            )
            self._prev = _digest(raw)
            chunk += raw
        if chunk:
            self._write(bytes(chunk))

    def close(self) -> None:
        self._file.close()


def campaign_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = [
    "Entry", "Header", "JournalError", "JournalRead", "JournalWriter", "read_journal", "campaign_digest",
]
