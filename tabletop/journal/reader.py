"""Reading a save: :func:`read_journal`, line by line, stopping at the first damage.

A save with nothing wrong in it is read on a fast path (:func:`_scan_fast`: the lines
parsed as one JSON array, each proved by the next one's ``prev``); anything unusual is
read again line by line (:func:`_scan`), which says where and why it stopped, and offers
a damaged line to :mod:`tabletop.journal.proof` to rebuild. A damaged header is rebuilt
from the campaign file whose sha256 it names, when that file can be found
(:func:`_rebuild_header`). The file is never changed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.journal.format import (
    CHAIN, CHECKSUM, FORMAT, INCOMPLETE, SEQUENCE, TORN, UNREADABLE, Damage, Entry, Header, HeaderDamaged, JournalRead,
    NotASave, _migrations_from, campaign_digest, wall_time,
)
from tabletop.journal.lines import _decode_event, _digest, _line, _read_line, _sum_ok

_HEADER_START = b'{"format":"' + FORMAT.encode() + b'"'


def _header_of(first: bytes, second: bytes | None, path: Path) -> tuple[Header, Any, str, str | None]:
    """The header on the first line (with its newline, if it has one): the header, its
    format version as written, the sha256 the next line must name, and a sentence if the
    line was damaged and rebuilt in memory (:func:`_rebuild_header`); ``second`` is the
    next line, if the file has one.
    """
    line = first.rstrip(b"\r\n")
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        data = None
    if not line.startswith(_HEADER_START):
        if isinstance(data, dict) and data.get("format") == FORMAT:
            _migrations_from(data.get("version"))  # an older or newer layout: say which
        raise NotASave("this is not a tabletop save (its first line is not a journal header)")
    if not first.endswith(b"\n"):
        raise HeaderDamaged("the save's header (line 1) is cut short: nothing in this save can be loaded")
    if isinstance(data, dict) and _sum_ok(line):
        version = data.get("version")
        _migrations_from(version)
        data.pop("sum", None)
        return Header.from_data(data), version, _digest(line), None
    why = "damaged (checksum mismatch)" if isinstance(data, dict) else "damaged"
    rebuilt = _rebuild_header(line, second, path)
    if isinstance(rebuilt, tuple):
        return rebuilt
    raise HeaderDamaged(f"the save's header (line 1) is {why}: nothing in this save can be loaded{rebuilt}")


def _campaign_files(camp: Mapping[str, Any], save: Path) -> Iterable[tuple[Path, str]]:
    """Campaign files that may hold the text a damaged header lost: the path the header
    names (as given, and beside the save), then the bundled campaigns."""
    paths: list[Path] = []
    named = camp.get("path")
    if isinstance(named, str) and named and "\0" not in named:
        p = Path(named)
        paths += [p, save.parent / p, save.parent / p.name]
    from tabletop.campaign.bundled import bundled_campaigns

    try:  # an installation without bundled campaigns gives [] (bundled_dir)
        paths += bundled_campaigns()
    except OSError:  # their folder cannot be listed: only the named file
        pass
    seen: set[Path] = set()
    for p in paths:
        try:
            key = p.resolve()
            if key in seen or not p.is_file() or p.stat().st_size > 16 << 20:
                continue
            seen.add(key)
            raw = p.read_bytes()
        except OSError:
            continue
        # as tabletop.campaign.validate reads a campaign file
        yield p, raw.decode("utf-8-sig", errors="replace")


def _rebuild_header(line: bytes, second: bytes | None, save: Path) -> tuple[Header, Any, str, str] | str:
    """Rebuild a damaged header line from the campaign file whose sha256 it names.

    The header is a few hundred bytes of settings followed by the campaign's text (tens
    of kilobytes), so damage is most likely in the text, and the text is the one thing
    that can be found again: in the campaign file. The line is rebuilt from its intact
    settings and that file's text, and accepted only if its sha256 is the one the next
    line names as ``prev`` (or, in a save with no events, if its checksum is the one
    written). Returns ``(header, version, digest, sentence)``, or the end of the refusal
    sentence: why it could not be rebuilt, or what would rebuild it.
    """
    start = line.find(b',"text":"', max(0, line.find(b'"campaign":{')))
    tail = line[-20:]  # '"},"sum":"xxxxxxxx"}': the end of the text, the campaign and the line
    if start < 0 or len(line) < start + 9 + 20 or not tail.startswith(b'"},"sum":"'):
        return ""
    try:
        data = json.loads(line[: start + 9] + b'"}}')  # every setting, with the text left empty
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    camp = data.get("campaign") if isinstance(data, dict) else None
    if not isinstance(camp, dict) or not isinstance(camp.get("sha256"), str):
        return ""
    want = None  # the sha256 the next line names, or None: then the checksum written on this one
    if second is not None:
        nxt = second.rstrip(b"\r")
        try:
            prev = json.loads(nxt).get("prev") if _sum_ok(nxt) else None
        except (ValueError, UnicodeDecodeError, RecursionError, AttributeError):
            prev = None
        if not isinstance(prev, str):
            return ""  # the next line is damaged too: nothing can prove a rebuilt header
        want = prev
    found = False
    for path, text in _campaign_files(camp, save):
        if campaign_digest(text) != camp["sha256"]:
            continue
        found = True
        raw = _line({**data, "campaign": {**camp, "text": text}}).rstrip(b"\n")
        if _digest(raw) == want if want is not None else raw[-10:-2] == tail[10:18]:
            version = data.get("version")
            _migrations_from(version)
            rebuilt = json.loads(raw)
            del rebuilt["sum"]
            proof = "its sha256 is the one line 2 names" if want is not None else "its checksum is the one written"
            return Header.from_data(rebuilt), version, _digest(raw), (
                f"the save's header (line 1) is damaged; it was rebuilt in memory with the campaign text of "
                f"{path}, whose sha256 is the one the header names, and {proof} (the file is unchanged)"
            )
    if found:
        return (
            f"; the campaign file it names was found, but the damage is in the header's settings "
            f"(its seed, seats or versions), which nothing else holds"
        )
    return (
        f"; put the campaign file it names ({camp.get('id', '?')}, sha256 {camp['sha256'][:12]}…) beside the save "
        f"or at {camp.get('path') or 'its path'} and the header can be rebuilt from it"
    )


#: repair(lines, i, seq, prev, entries, first) -> (entry, line, group, sentence) or None:
#: rebuild the damaged line ``lines[i]`` (event ``seq``; ``prev`` is the hash of the line
#: before; ``entries[first:]`` are the good events of its command read so far)
Repair = Callable[[list[bytes], int, int, str, list[Entry], int], "tuple[Entry, bytes, int, str] | None"]


@dataclass
class _Scanned:
    entries: list[Entry]
    offsets: list[int]
    points: list[int]
    digests: list[str]
    good: int
    bad: tuple[int, str] | None  # (line index, reason)
    group_end: int = 0  # seq that ends the command being read
    group_start: int = 0  # index in entries where it started
    group_good: int = 0  # bytes before it
    repaired: list[int] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)



def _scan(
    lines: list[bytes], upgrades: Sequence[Callable[[dict[str, Any]], dict[str, Any]]], head: str,
    repair: Repair | None = None,
) -> _Scanned:
    """Check and decode the event lines one by one; stop at the first bad one, naming why.

    A line that fails its own checks (checksum, unreadable) is first offered to
    ``repair``; if it is rebuilt (proved by the next line's ``prev``), reading goes on.
    """
    prev = head
    good = len(lines[0]) + 1
    out = _Scanned([], [good], [0], [prev], good, None, group_good=good)
    entries, digests = out.entries, out.digests
    last = len(lines) - 1
    sha256 = hashlib.sha256
    for i in range(1, last + 1):
        raw = lines[i]
        if i == last:
            if raw:
                out.bad = (i, TORN)  # no newline: the last write was cut short
            break
        if raw.endswith(b"\r"):  # tolerate a save whose line ends were converted to CRLF
            raw = raw[:-1]
        seq = len(entries) + 1
        reason, entry, group = _read_line(raw, seq, prev, upgrades)
        if reason in (CHECKSUM, UNREADABLE) and repair is not None:
            first = out.group_start if seq <= out.group_end else len(entries)
            fixed = repair(lines, i, seq, prev, entries, first)
            if fixed is not None:
                entry, raw, group, sentence = fixed
                out.repaired.append(i + 1)
                out.repairs.append(sentence)
                reason = None
        if reason is not None or entry is None:
            out.bad = (i, reason or UNREADABLE)
            break
        if seq > out.group_end:  # the first event of a command
            out.group_end = seq + group - 1
            out.group_start, out.group_good = len(entries), good
        entries.append(entry)
        prev = sha256(raw).hexdigest()
        digests.append(prev)
        good += len(lines[i]) + 1
        out.offsets.append(good)
        if seq == out.group_end:
            out.points.append(seq)
    out.good = good
    return out


def _scan_fast(lines: list[bytes], head: str) -> _Scanned | None:
    """:func:`_scan` for a save with nothing wrong in it, several times faster; None if
    anything is unusual (then :func:`_scan` reads it again and says what).

    Every line is proved by the next one's ``prev`` (a sha256 of the whole line), so
    only the last line's checksum needs checking here; the lines are parsed as one
    JSON array.
    """
    last = len(lines) - 1
    body = lines[1:last]
    if not body:
        return None
    tail = body[-1]
    if tail.endswith(b"\r") or not _sum_ok(tail):
        return None
    sha256 = hashlib.sha256
    digests = [head]
    digests += [sha256(raw).hexdigest() for raw in body]
    try:
        records = json.loads(b"[" + b",".join(body) + b"]")
    except (ValueError, RecursionError):
        return None
    good = len(lines[0]) + 1
    offsets = [good]
    points = [0]
    entries: list[Entry] = []
    append = entries.append
    decode = _decode_event
    group_end = 0
    seq = 0
    try:
        for rec, raw in zip(records, body):
            seq += 1
            if (
                type(rec) is not dict
                or rec["seq"] != seq
                or type(rec["seq"]) is not int
                or rec["prev"] != digests[seq - 1]
                or type(rec["round"]) is not int
                or type(rec["phase"]) is not str
            ):
                return None
            seat = rec.get("seat")
            command = rec.get("command")
            if not (seat is None or type(seat) is str) or not (command is None or type(command) is dict):
                return None
            if seq > group_end:
                group = rec.get("group", 1)
                if type(group) is not int or group < 1:
                    return None
                group_end = seq + group - 1
            append(Entry(seq, rec["round"], rec["phase"], seat, command, decode(rec["event"]), wall_time(rec.get("at"))))
            good += len(raw) + 1
            offsets.append(good)
            if seq == group_end:
                points.append(seq)
    except (KeyError, TypeError, ValueError):
        return None
    bad = (last, TORN) if lines[last] else None
    if seq < group_end:
        return None  # an unfinished command: let the careful scan say so
    return _Scanned(entries, offsets, points, digests, good, bad, group_end)


def _beyond(lines: list[bytes], start: int) -> list[tuple[int, int, int, int]]:
    """Runs of intact lines from ``lines[start]`` on: each line's checksum holds, and each
    but the first of a run names the one before it as ``prev``. As ``(first line, last
    line, first seq, last seq)``, 1-based line numbers."""
    runs: list[tuple[int, int, int, int]] = []
    run: list[int] | None = None  # [first line, last line, first seq, last seq]
    before = ""  # the hash of the line before, when it was intact
    for j in range(start, len(lines) - 1):
        raw = lines[j][:-1] if lines[j].endswith(b"\r") else lines[j]
        rec = None
        if _sum_ok(raw):
            with contextlib.suppress(ValueError, RecursionError):
                rec = json.loads(raw)
        if type(rec) is not dict or type(rec.get("seq")) is not int:
            run, before = None, ""
            continue
        if run is not None and rec.get("prev") == before and rec["seq"] == run[3] + 1:
            run[1], run[3] = j + 1, rec["seq"]
        else:
            run = [j + 1, j + 1, rec["seq"], rec["seq"]]
            runs.append(run)  # type: ignore[arg-type]
        before = _digest(raw)
    return [tuple(r) for r in runs]  # type: ignore[misc]


def read_journal(path: str | Path, *, repair: bool = True) -> JournalRead:
    """Read a save. Raises :class:`JournalError` (a subclass saying which kind) if even
    the header is unusable: :class:`NotASave`, :class:`HeaderDamaged` or
    :class:`UnsupportedVersion`.

    A torn or damaged tail is not an error: every good event before it is returned,
    ``damage`` says where reading stopped (``problem`` says why; ``beyond`` lists the
    intact lines after the damage, which are not loaded). A damaged line that can be
    re-derived from its command, and whose rebuilt form has the sha256 the next line
    names, is repaired in memory (``repaired``, ``repairs`` say so; ``repair=False``
    does not try); so is a damaged header whose campaign file can be found. The file
    is never changed.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotASave(f"there is no file {path}") from None
    except IsADirectoryError:
        raise NotASave(f"{path} is a folder, not a save") from None
    except OSError as e:
        raise NotASave(f"cannot read {path}: {e.strerror or e}") from None
    if not data:
        raise NotASave(f"{path} is empty")
    lines = data.split(b"\n")
    # split() leaves the text after the last newline (b"" when the file ends with one)
    first = lines[0] + b"\n" if len(lines) > 1 else lines[0]
    header, version, head, rebuilt = _header_of(first, lines[1] if len(lines) > 2 else None, path)
    upgrades = [m.record for m in _migrations_from(version) if m.record is not None]
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new containers and no cycles among them: skip the collector's passes
    try:
        scan = None if upgrades or rebuilt else _scan_fast(lines, head)
        if scan is None:
            scan = _scan(lines, upgrades, head, _repairer(header) if repair else None)
    finally:
        if collecting:
            gc.enable()
    entries, offsets, digests, bad = scan.entries, scan.offsets, scan.digests, scan.bad
    good = scan.good
    if len(entries) < scan.group_end:  # the last command's events are not all there: drop them all
        start_line = scan.group_start + 2
        del entries[scan.group_start :]
        del offsets[scan.group_start + 1 :]
        del digests[scan.group_start + 1 :]
        good = scan.group_good
        if bad is None:
            bad = (start_line - 1, INCOMPLETE)
    problem = None
    beyond: list[tuple[int, int, int, int]] = []
    if bad is not None:
        problem = Damage(len(entries), bad[0] + 1, bad[0], bad[1], len(data) - good)
        if bad[1] not in (TORN, INCOMPLETE):
            # a line out of sequence or off the chain is itself intact: the damage is before it
            beyond = _beyond(lines, bad[0] if bad[1] in (SEQUENCE, CHAIN) else bad[0] + 1)
    repaired = [1] if rebuilt else []
    repairs = [rebuilt] if rebuilt else []
    for n, sentence in zip(scan.repaired, scan.repairs):
        if n - 1 <= len(entries):  # not in a command left out after all
            repaired.append(n)
            repairs.append(sentence)
    return JournalRead(
        header, entries, problem.sentence if problem else None, good, digests[-1], path, problem, offsets,
        scan.points, digests, repaired, repairs, beyond,
    )


def _repairer(header: Header) -> Repair:
    """The :data:`Repair` for a save with this header (it loads the campaign only when first asked)."""
    engine: list[Any] = []

    def repair(lines: list[bytes], i: int, seq: int, prev: str, entries: list[Entry], first: int) -> Any:
        from tabletop.journal import proof

        if not engine:
            engine.append(proof.engine_for(header))
        if engine[0] is None:
            return None
        return proof.repair_line(engine[0], header, lines, i, seq, prev, entries, first)

    return repair

