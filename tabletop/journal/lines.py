"""One line of a save: writing it, checking it, and reading it back as an :class:`Entry`.

Every line is compact JSON ending in ``"sum"``, the crc32 of the line before it; every
event line names the sha256 of the line before it as ``prev``. :func:`line_salt` is the
salt on the first line of each command.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from tabletop.engine.events import EVENTS, Event, event_from_data
from tabletop.engine.randomness import derive
from tabletop.engine.serial import frozen
from tabletop.journal.format import CHAIN, CHECKSUM, SEQUENCE, UNREADABLE, Entry, wall_time

_SUM_TAIL = len(',"sum":"00000000"}')


def _line(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    crc = zlib.crc32(body) & 0xFFFFFFFF
    return body[:-1] + f',"sum":"{crc:08x}"}}'.encode() + b"\n"


def _sum_ok(line: bytes) -> bool:
    """Does ``line`` (no newline) end with the crc32 of the rest of it?"""
    if len(line) <= _SUM_TAIL or not line.endswith(b'"}') or line[-_SUM_TAIL:-10] != b',"sum":"':
        return False
    crc = zlib.crc32(b"}", zlib.crc32(memoryview(line)[:-_SUM_TAIL])) & 0xFFFFFFFF
    # the exact 8 lowercase hex digits the writer writes: "0A1B2C3D" is not "0a1b2c3d"
    # (a flipped bit turns a-f into A-F, and a case-blind compare would let it through)
    return line[-10:-2] == b"%08x" % crc


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest()


#: type tag -> (event class, field names, the keys of its data in the order they are written)
_EVENT_SPECS: dict[str, tuple[type[Event], frozenset[str], tuple[str, ...]]] = {}


def _event_specs() -> dict[str, tuple[type[Event], frozenset[str], tuple[str, ...]]]:
    if not _EVENT_SPECS:
        from dataclasses import fields

        for tag, cls in EVENTS.classes.items():
            names = tuple(f.name for f in fields(cls))
            _EVENT_SPECS[tag] = (cls, frozenset(names), ("type", *names))
    return _EVENT_SPECS


def _decode_event(data: Any) -> Event:
    """Like :func:`event_from_data` (the same result), faster on what the writer wrote."""
    if type(data) is dict:
        spec = (_EVENT_SPECS or _event_specs()).get(data.get("type"))  # type: ignore[arg-type]
        if spec is not None:
            cls, names, order = spec
            try:
                if tuple(data) == order:  # every field, in order: positional, skipping "type"
                    it = iter(data.values())
                    next(it)
                    return cls(*[frozen(v) if type(v) is list or type(v) is dict else v for v in it])
                if names.issuperset(data.keys() - {"type"}):
                    return cls(**{
                        k: frozen(v) if type(v) is list or type(v) is dict else v for k, v in data.items() if k != "type"
                    })
            except TypeError:
                pass
    return event_from_data(data)  # raises ValueError saying what is wrong


def _read_line(
    raw: bytes, seq: int, prev: str, upgrades: Sequence[Callable[[dict[str, Any]], dict[str, Any]]],
) -> tuple[str | None, Entry | None, int]:
    """``(None, entry, group)`` for a good line, or ``(reason, None, 0)``: the checks, cheapest first."""
    if not _sum_ok(raw):
        return CHECKSUM, None, 0
    try:
        rec = json.loads(raw)
    except (ValueError, RecursionError):
        return CHECKSUM, None, 0
    if type(rec) is not dict:
        return CHECKSUM, None, 0
    if rec.get("seq") != seq or type(rec.get("seq")) is not int:
        return SEQUENCE, None, 0
    if rec.get("prev") != prev:
        return CHAIN, None, 0
    try:
        for up in upgrades:
            rec = up(rec)
        rnd = rec["round"]
        phase = rec["phase"]
        seat = rec.get("seat")
        command = rec.get("command")
        if type(rnd) is not int or type(phase) is not str or not (seat is None or type(seat) is str):
            raise ValueError("bad entry")
        if not (command is None or type(command) is dict):
            raise ValueError("bad command")
        event = _decode_event(rec["event"])
        group = rec.get("group", 1)
        if type(group) is not int or group < 1:
            raise ValueError("bad group")
        at = wall_time(rec.get("at"))
    except (ValueError, KeyError, TypeError):
        return UNREADABLE, None, 0
    return None, Entry(seq, rnd, phase, seat, command, event, at), group


def line_salt(seed: int, seq: int) -> str:
    """The ``salt`` on the first line of each command's events: 128 bits keyed by the seed.

    Seats are told the chain head (the sha256 of the last line) for their receipts. A
    line holds what the seat may not see (another actor's draw, a covert card), often
    from a short list; without a salt, a seat could hash each guess and keep the one
    that gives the head it was told. Keyed by the seed, the salt is unguessable to the
    seats yet the same when a damaged line is rebuilt from its command.
    """
    return f"{derive(seed, 'line', seq) >> 128:032x}"
