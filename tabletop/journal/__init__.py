"""The journal: the save file. JSON Lines, append-only, durable before acknowledged.

Line 1 is the header: format and engine versions, the campaign's full text and hash,
the seats and who controls them, and the seed. Every further line is one event::

    {"seq": 12, "round": 2, "phase": "border-crisis", "seat": "belarus",
     "command": {...} | null, "event": {...}, "group": 3,
     "prev": "<sha256 of the previous line>", "sum": "<crc32 of this line before the sum>"}

``prev`` chains every line to the one before it, so a changed, dropped, duplicated or
reordered line is evident; ``sum`` catches damage to any single line (the header's
too). ``group`` (only on the first event of a command that caused more than one) says
how many events that command caused: they are written in one write, and a reader keeps
a command's events all or not at all. Reading stops at the first line that is torn or
fails its checks, keeps everything before it, and says how many bytes it ignored (and
which intact lines lie beyond); it never rewrites the file. A damaged line that its
command re-derives, proved by the next line's ``prev``, is repaired in memory; so is a
damaged header whose campaign file can be found (:mod:`tabletop.journal.proof`).
``docs/save-format.md`` is the full description.

Older format versions are upgraded on reading by the functions registered in
:data:`MIGRATIONS`; a version with no way to the current one is refused with a sentence.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from tabletop import __version__
from tabletop.engine.events import EVENTS, Event, event_from_data, event_to_data
from tabletop.engine.randomness import HMAC_SHA256, LEGACY, SCHEMES, derive
from tabletop.engine.serial import frozen

try:  # an advisory lock keeps two programs from appending to one save at once
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

FORMAT = "tabletop-journal"
VERSION = 3
_SUM_TAIL = len(',"sum":"00000000"}')
_HEADER_START = b'{"format":"' + FORMAT.encode() + b'"'

#: Why reading stopped, as :attr:`Damage.reason` says it.
TORN = "torn line"
CHECKSUM = "checksum mismatch"
CHAIN = "chain broken"
SEQUENCE = "out of sequence"
UNREADABLE = "unreadable event"
INCOMPLETE = "incomplete command"
#: an event that reads, but that the game cannot have had at that point (found by
#: folding it: :func:`tabletop.journal.replay.Replay`), for example a play of a card the
#: campaign does not have; :attr:`Damage.why` says what is wrong with it
UNFIT = "event does not fit the game"


class JournalError(ValueError):
    """The file is not a journal this version can read (the message says why, as a sentence)."""


class NotASave(JournalError):
    """The file is missing, empty, or not a tabletop save at all."""


class HeaderDamaged(JournalError):
    """The file is a save, but its header line is torn or damaged: nothing can be loaded."""


class UnsupportedVersion(JournalError):
    """The save's format version is one this tabletop cannot read."""


# ====================================================================== migrations

#: Upgrades from older format versions: ``MIGRATIONS[v]`` turns a version ``v`` save's
#: parsed header and event records into version ``v + 1`` ones. The chain and checksums
#: are checked on the bytes as written, before any upgrade. A version with no path to
#: :data:`VERSION` is refused.


@dataclass(frozen=True)
class Migration:
    """How to read a version ``v`` save as version ``v + 1``."""

    header: Callable[[dict[str, Any]], dict[str, Any]]
    #: None when event lines are the same in both versions (they are read as they stand)
    record: Callable[[dict[str, Any]], dict[str, Any]] | None = None


def _v1_header(data: dict[str, Any]) -> dict[str, Any]:
    # Format 1 drew each command's randomness from Random(seed * 1_000_003 + seq): a
    # seat could recover a small seed from what it saw. Format 2 keys it (HMAC-SHA256);
    # its event lines are unchanged, so old saves replay with the old derivation.
    return {**data, "version": 2, "rng": LEGACY}


def _v2_header(data: dict[str, Any]) -> dict[str, Any]:
    # Format 3: a covert card is sealed (a covert_sealed event) and takes effect when its
    # side's step ends. The lines of a format-2 save read as they stand (its covert plays
    # took effect at once; folding takes both), but its commands gave those events under
    # the rules of the time: the game "began" under format 2 (see REDERIVE_SINCE).
    return {**data, "version": 3}


MIGRATIONS: dict[int, Migration] = {1: Migration(header=_v1_header), 2: Migration(header=_v2_header)}

#: Event fields the engine writes now that saves begun under an older format version
#: may not have: ``(event type, field) -> v`` means every game begun under format ``v``
#: or later has it. ``tabletop verify`` re-derives each event with this engine; where a
#: game begun before ``v`` recorded such a field as absent (read as its default), that
#: field is not compared. Any other difference is reported. A game's format is the
#: one it began under (:attr:`Header.game_version`): its save's version, or for a later
#: file holding an older game (a fork, or a damaged save's continuation) the ``began``
#: its header names (``rng`` ``"v1"``: format 1).
WRITTEN_SINCE: dict[tuple[str, str], int] = {
    ("proposal_ruled", "text"): 2,  # the proposal's text, made public once ruled
}

#: The oldest game format whose games this tabletop's rules still re-derive. A rules
#: change that makes a command give other events than before (not just more fields)
#: raises it together with :data:`VERSION`, unless the engine keeps playing older games
#: by their own rules; ``tabletop verify`` then checks an older game by its checksums,
#: chain and fit only, and says that it did not re-derive it.
REDERIVE_SINCE = 3  # format 3 changed how a covert card is played (sealed, resolved at the step's end)


def _migrations_from(version: Any) -> list[Migration]:
    """The upgrades that bring ``version`` to :data:`VERSION`; raises :class:`UnsupportedVersion`."""
    if isinstance(version, int) and not isinstance(version, bool):
        if version > VERSION:
            raise UnsupportedVersion(
                f"this save is format version {version}, written by a newer tabletop; this tabletop "
                f"({__version__}) reads versions up to {VERSION}: update tabletop to open it"
            )
        steps = []
        v = version
        while v < VERSION and v in MIGRATIONS:
            steps.append(MIGRATIONS[v])
            v += 1
        if v == VERSION:
            return steps
    raise UnsupportedVersion(
        f"this save is format version {version!r}, which this tabletop ({__version__}) cannot read "
        f"(it reads versions {min(MIGRATIONS, default=VERSION)} to {VERSION})"
    )


# ====================================================================== header and entries


@dataclass(frozen=True)
class Header:
    campaign_id: str
    campaign_path: str
    campaign_sha256: str
    campaign_text: str
    seed: int
    seats: Mapping[str, str]  # seat -> "human" | "bot:heuristic" | "bot:random"
    created: str = ""
    parent: Mapping[str, Any] | None = None  # a fork: {"save": path, "seq": n, "sha256": ...}
    version: int = VERSION
    engine: str = __version__
    rng: str = HMAC_SHA256  # how each command's randomness is derived from the seed
    written: int = VERSION  # the format version the file was written in (before any upgrade)
    #: the format version the game began under, when older than the file's own (a fork
    #: or continuation of an older game); None: the file's
    began: int | None = None

    @property
    def game_version(self) -> int:
        """The format version the game began under (see :data:`WRITTEN_SINCE`, :data:`REDERIVE_SINCE`)."""
        began = self.began if self.began is not None else self.written
        return min(began, 1) if self.rng == LEGACY else began

    def to_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT,  # first, so a reader can tell a damaged save from another file
            "version": self.version,
            "engine": self.engine,
            "created": self.created,
            "seed": self.seed,
            "rng": self.rng,
            **({"began": self.game_version} if self.game_version < self.version else {}),
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
        """The header in ``data`` (a parsed first line), upgraded to the current version.

        Raises :class:`NotASave`, :class:`UnsupportedVersion` or :class:`HeaderDamaged`.
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise NotASave("this is not a tabletop save (its first line is not a journal header)")
        written = data.get("version")
        for step in _migrations_from(written):  # refuses anything but a version it can read
            data = step.header(data)
        try:
            camp = data["campaign"]
            text = camp["text"]
            if not isinstance(text, str) or campaign_digest(text) != camp["sha256"]:
                raise HeaderDamaged("the campaign stored in this save does not match its hash")
            seed = data["seed"]
            if not isinstance(seed, int) or isinstance(seed, bool):
                raise HeaderDamaged("the save's header has no valid seed")
            rng = data["rng"]
            if rng not in SCHEMES:
                raise HeaderDamaged(f"the save's header names a way of drawing random numbers this tabletop does not know ({rng!r})")
            parent = data.get("parent")
            if parent is not None and not (
                isinstance(parent, dict) and isinstance(parent.get("save"), str) and isinstance(parent.get("seq"), int)
            ):
                raise HeaderDamaged("the save's header names its parent save in a form this tabletop cannot read")
            return cls(
                campaign_id=str(camp["id"]),
                campaign_path=str(camp.get("path", "")),
                campaign_sha256=str(camp["sha256"]),
                campaign_text=text,
                seed=seed,
                seats={str(k): str(v) for k, v in data["seats"].items()},
                created=str(data.get("created", "")),
                parent=parent,
                version=VERSION,
                engine=str(data.get("engine", "")),
                rng=rng,
                written=cast(int, written),
                began=data["began"] if isinstance(data.get("began"), int) and not isinstance(data["began"], bool) else None,
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise HeaderDamaged(f"the save's header is incomplete (missing or wrong {e})") from None


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal line: an event and what caused it."""

    seq: int
    round: int
    phase: str
    seat: str | None
    command: Mapping[str, Any] | None
    event: Event


@dataclass(frozen=True)
class Damage:
    """Where and why reading a save stopped."""

    after: int  # good events kept, before the damage
    line: int  # 1-based number of the first bad line (the header is line 1)
    event: int  # the event that line should have held
    reason: str  # TORN | CHECKSUM | CHAIN | SEQUENCE | UNREADABLE | INCOMPLETE | UNFIT
    ignored: int  # bytes not loaded, to the end of the file
    #: for UNFIT: what is wrong with the event, as words that follow "event N",
    #: e.g. "names a card this campaign does not have ('no-such-card')"
    why: str = ""

    @property
    def sentence(self) -> str:
        """``save damaged after event N: M bytes ignored`` (what the UI and stderr show).

        An event that does not fit the game also says which and why:
        ``save damaged after event 12: 4711 bytes ignored (event 15 names a card ...)``.
        """
        base = f"save damaged after event {self.after}: {self.ignored} bytes ignored"
        return f"{base} (event {self.event} {self.why})" if self.why else base

    @property
    def detail(self) -> str:
        """The sentence, naming the first bad line and why: for ``tabletop verify``."""
        more = ""
        if self.event - 1 > self.after:  # good lines of the same command before the bad one
            first, last = self.after + 1, self.event - 1
            which = f"event {first} belongs" if first == last else f"events {first}-{last} belong"
            more = f"; {which} to the same command and {'is' if first == last else 'are'} left out too"
        base = f"save damaged after event {self.after}: {self.ignored} bytes ignored"
        what = f"event {self.event} {self.why}" if self.why else f"event {self.event}: {self.reason}"
        return f"{base} (line {self.line}, {what}{more})"

    @property
    def torn_tail_only(self) -> bool:
        """True when the damage is only the last line, cut short (a crash mid-write)."""
        return self.reason in (TORN, INCOMPLETE)


@dataclass
class JournalRead:
    """What :func:`read_journal` found: the header, every good entry, and any damage."""

    header: Header
    entries: list[Entry]
    damage: str | None = None  # "save damaged after event N: M bytes ignored"
    good_bytes: int = 0
    last_digest: str = ""
    path: Path | None = None
    problem: Damage | None = None  # where and why reading stopped, if it did
    #: ``offsets[k]``: bytes in the header and the first ``k`` events (``offsets[0]``: the header)
    offsets: list[int] = field(default_factory=list)
    #: the ``seq`` after which each command's events end: 0, then one per command
    decision_points: list[int] = field(default_factory=lambda: [0])
    #: ``digests[k]``: sha256 of event ``k``'s line as written (``digests[0]``: the
    #: header's), so ``digests[-1]`` is the chain head, the save's fingerprint
    digests: list[str] = field(default_factory=list)
    #: damaged lines rebuilt in memory (1-based line numbers; 1 is the header): each was
    #: re-derived and its sha256 is the one the next line names. The file is unchanged.
    repaired: list[int] = field(default_factory=list)
    #: one sentence per repair (``repairs[i]`` is about line ``repaired[i]``): what was
    #: rebuilt, and how it was proved
    repairs: list[str] = field(default_factory=list)
    #: after unrepaired damage: runs of intact lines beyond it, each
    #: ``(first line, last line, first seq, last seq)``; they are not loaded
    beyond: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """The chain head: sha256 of the last loaded line. It names the whole save up to
        there, because every line holds the hash of the one before it."""
        return self.last_digest

    @property
    def repair(self) -> str | None:
        """The repair sentences joined, or None if nothing was repaired."""
        return "; ".join(self.repairs) if self.repairs else None

    def cut(self, k: int, damage: Damage) -> JournalRead:
        """This read with only its first ``k`` events (``k`` a decision point), stopped by ``damage``."""
        if k not in self.decision_points:
            raise ValueError(f"{k} is not a decision point of this save")
        return JournalRead(
            header=self.header,
            entries=self.entries[:k],
            damage=damage.sentence,
            good_bytes=self.offsets[k],
            last_digest=self.digests[k],
            path=self.path,
            problem=damage,
            offsets=self.offsets[: k + 1],
            decision_points=[p for p in self.decision_points if p <= k],
            digests=self.digests[: k + 1],
            repaired=[n for n in self.repaired if n <= k + 1],
            repairs=[why for n, why in zip(self.repaired, self.repairs) if n <= k + 1],
        )

    def prefix_digest(self, k: int) -> str:
        """sha256 of the file's first ``k + 1`` lines (the header and events 1..k), as written.

        Reads the file again (only that prefix). Raises :class:`JournalError` if it
        cannot, or if ``k`` is not an event of this read.
        """
        if self.path is None or not 0 <= k < len(self.offsets):
            raise JournalError(f"there is no event {k} in this save to fork from")
        h = hashlib.sha256()
        left = self.offsets[k]
        try:
            with open(self.path, "rb") as f:
                while left > 0:
                    chunk = f.read(min(left, 1 << 20))
                    if not chunk:
                        raise JournalError(f"{self.path} is shorter than when it was read")
                    h.update(chunk)
                    left -= len(chunk)
        except OSError as e:
            raise JournalError(f"cannot read {self.path}: {e.strerror or e}") from None
        return h.hexdigest()


# ====================================================================== lines


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
_EVENT_SPECS: dict[str, tuple[type, frozenset[str], tuple[str, ...]]] = {}


def _event_specs() -> dict[str, tuple[type, frozenset[str], tuple[str, ...]]]:
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
                    return cls(*[frozen(v) if type(v) is list or type(v) is dict else v for v in it])  # type: ignore[no-any-return]
                if names.issuperset(data.keys() - {"type"}):
                    return cls(**{  # type: ignore[no-any-return]
                        k: frozen(v) if type(v) is list or type(v) is dict else v for k, v in data.items() if k != "type"
                    })
            except TypeError:
                pass
    return event_from_data(data)  # raises ValueError saying what is wrong


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
    try:
        from tabletop.campaign.bundled import bundled_campaigns

        paths += bundled_campaigns()
    except Exception:  # noqa: BLE001 - no bundled campaigns in this installation: only the named file
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
    except (ValueError, KeyError, TypeError):
        return UNREADABLE, None, 0
    return None, Entry(seq, rnd, phase, seat, command, event), group


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
            append(Entry(seq, rec["round"], rec["phase"], seat, command, decode(rec["event"])))
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


# ====================================================================== writing


def _fsync_dir(folder: Path) -> None:
    """Make a new file's name durable (its folder's entry), where the OS allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


_sync = getattr(os, "fdatasync", os.fsync)  # the data and the file's size, not its times


class JournalWriter:
    """Appends entries to a save; with ``durable`` every append is on disk before it returns.

    Each :meth:`append` is one command's events, written in one ``write`` and synced.
    The writer holds an advisory lock, so a second program cannot append to the same
    save at the same time. A failed write is undone (the file is cut back to its last
    good length) and raises :class:`JournalError`. Creating a save raises
    ``FileExistsError`` if the file exists (a save is never overwritten) and
    ``OSError`` if it cannot be created.
    """

    def __init__(self, path: str | Path, header: Header, *, durable: bool = True) -> None:
        self.path = Path(path)
        self.durable = durable
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # FileExistsError if the file exists (a save is never overwritten), OSError if it cannot be made
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
        self._lock()
        self._size = 0
        self._seq = 0
        self._broken = False
        raw = _line(header.to_data())
        self._seed = header.seed
        self._prev = _digest(raw)
        self._write(raw)
        if durable:
            _fsync_dir(self.path.parent.resolve())

    @classmethod
    def append_to(cls, path: str | Path, read: JournalRead, *, durable: bool = True) -> JournalWriter:
        """Continue an existing, undamaged save (resume).

        Raises :class:`JournalError` if ``read`` found damage, if the file changed since
        it was read, or if another program is writing it. A line ``read`` repaired in
        memory is no obstacle: its repair is proved by the next line, which still names
        it, so the chain carries on from the last line as it is.
        """
        if read.damage:
            raise JournalError(f"{read.damage}; it will not be appended to")
        self = cls.__new__(cls)
        self.path = Path(path)
        self.durable = durable
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
        except OSError as e:
            raise JournalError(f"cannot open {self.path} to continue it: {e.strerror or e}") from None
        self._lock()
        size = os.fstat(self._fd).st_size
        if size != read.good_bytes:
            os.close(self._fd)
            self._fd = -1
            raise JournalError(f"{self.path} changed since it was read; open it again")
        self._size = size
        self._seq = len(read.entries)
        self._broken = False
        self._seed = read.header.seed
        self._prev = read.last_digest
        return self

    def _lock(self) -> None:
        if fcntl is None:  # pragma: no cover
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = -1
            raise JournalError(f"{self.path} is being written by another tabletop; close that one first") from None

    def _write(self, raw: bytes) -> None:
        if self._broken:
            raise JournalError(f"{self.path} could not be written earlier; nothing more is added to it")
        view = memoryview(raw)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            if self.durable:
                _sync(self._fd)
        except OSError as e:
            try:  # undo a partial line, so the save stays readable to its last good event
                os.ftruncate(self._fd, self._size)
            except OSError:  # pragma: no cover
                self._broken = True
            raise JournalError(f"could not write to {self.path}: {e.strerror or e}") from None
        self._size += len(raw)

    @property
    def seq(self) -> int:
        """The last event's ``seq`` in the file."""
        return self._seq

    @property
    def head(self) -> str:
        """The chain head: sha256 of the last line written (the next line's ``prev``).

        It names the whole save up to that line: the save's fingerprint, and what a
        receipt holds (see :mod:`tabletop.journal.receipts`).
        """
        return self._prev

    def append(self, entries: Iterable[Entry]) -> None:
        """Write one command's ``entries``; when it returns they are on disk (if durable).

        Raises :class:`JournalError` if an entry's ``seq`` does not follow the last one
        (nothing is written then) or if the write fails (the file is left as it was).
        """
        self.append_groups([entries])

    def append_groups(self, groups: Iterable[Iterable[Entry]]) -> None:
        """Write several commands' entries (one group each) in one write and one sync.

        For copying a save's events (a fork's prefix, the good part of a damaged save);
        raises like :meth:`append`, and then writes nothing.
        """
        prev, seq = self._prev, self._seq
        chunk = bytearray()
        for entries in groups:
            batch: Sequence[Entry] = entries if isinstance(entries, Sequence) else list(entries)
            for i, e in enumerate(batch):
                seq += 1
                if e.seq != seq:
                    raise JournalError(f"event {e.seq} cannot follow event {seq - 1} in {self.path}")
                payload: dict[str, Any] = {
                    "seq": e.seq, "round": e.round, "phase": e.phase, "seat": e.seat,
                    "command": e.command, "event": event_to_data(e.event),
                }
                if i == 0 and len(batch) > 1:
                    payload["group"] = len(batch)
                if i == 0:
                    payload["salt"] = line_salt(self._seed, e.seq)
                payload["prev"] = prev
                raw = _line(payload)
                prev = _digest(raw)
                chunk += raw
        if chunk:
            self._write(bytes(chunk))
        self._prev, self._seq = prev, seq

    def close(self) -> None:
        """Release the save (idempotent)."""
        if getattr(self, "_fd", -1) >= 0:
            os.close(self._fd)  # also releases the lock
            self._fd = -1

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


def line_salt(seed: int, seq: int) -> str:
    """The ``salt`` on the first line of each command's events: 128 bits keyed by the seed.

    Seats are told the chain head (the sha256 of the last line) for their receipts. A
    line holds what the seat may not see (another actor's draw, a covert card), often
    from a short list; without a salt, a seat could hash each guess and keep the one
    that gives the head it was told. Keyed by the seed, the salt is unguessable to the
    seats yet the same when a damaged line is rebuilt from its command.
    """
    return f"{derive(seed, 'line', seq) >> 128:032x}"


def campaign_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = [
    "CHAIN", "CHECKSUM", "INCOMPLETE", "SEQUENCE", "REDERIVE_SINCE", "TORN", "UNFIT", "UNREADABLE", "VERSION",
    "WRITTEN_SINCE",
    "Damage", "Entry", "Header", "HeaderDamaged", "JournalError", "JournalRead", "JournalWriter",
    "MIGRATIONS", "Migration", "NotASave", "UnsupportedVersion", "campaign_digest", "read_journal",
]
