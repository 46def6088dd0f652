"""What a save holds: its format and versions, the header, the entries, and what a read found.

The constants and types every other part of the journal speaks in: :data:`FORMAT` and
:data:`VERSION`, why reading stopped (:data:`TORN`, :data:`CHECKSUM`...), the errors
(:class:`JournalError` and its kinds), the upgrades from older versions
(:data:`MIGRATIONS`) and the tables ``tabletop verify`` consults (:data:`WRITTEN_SINCE`,
:data:`REDERIVE_SINCE`), the :class:`Header`, an :class:`Entry` per event, the
:class:`Damage` that stopped a read, and the :class:`JournalRead` a read returns. How a
line is written and checked is in :mod:`tabletop.journal.lines`; reading a file in
:mod:`tabletop.journal.reader`, writing one in :mod:`tabletop.journal.writer`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from tabletop import __version__
from tabletop.engine.events import Event
from tabletop.engine.randomness import CURRENT, LEGACY, SCHEMES

FORMAT = "tabletop-journal"
VERSION = 4

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
    # seat could recover a small seed from what it saw. Format 2 keys it (HMAC-SHA256, then BLAKE2b);
    # its event lines are unchanged, so old saves replay with the old derivation.
    return {**data, "version": 2, "rng": LEGACY}


def _v2_header(data: dict[str, Any]) -> dict[str, Any]:
    # Format 3: a covert card is sealed (a covert_sealed event) and takes effect when its
    # side's step ends. The lines of a format-2 save read as they stand (its covert plays
    # took effect at once; folding takes both), but its commands gave those events under
    # the rules of the time: the game "began" under format 2 (see REDERIVE_SINCE).
    return {**data, "version": 3}


def _v3_header(data: dict[str, Any]) -> dict[str, Any]:
    # Format 4 adds the evaluation events (observation_recorded, hotwash_answered,
    # seat_named): a format-3 save has none and reads as it stands. The bump makes an
    # older tabletop say a save with them is newer, rather than damaged.
    return {**data, "version": 4}


MIGRATIONS: dict[int, Migration] = {
    1: Migration(header=_v1_header), 2: Migration(header=_v2_header), 3: Migration(header=_v3_header),
}

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


def wall_time(value: Any) -> float | None:
    """An entry's ``at`` as written, or raises ``ValueError``: absent, or a finite time
    since the epoch (a number, not a flag)."""
    if value is None:
        return None
    if type(value) not in (int, float) or not 0 <= value < 1e11:  # NaN fails the compare
        raise ValueError("bad time")
    return float(value)


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
    rng: str = CURRENT  # how each command's randomness is derived from the seed
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
    #: when the line was journaled: seconds since the epoch (UTC, to the millisecond), or
    #: None (a simulated game, a test, an event rebuilt from its command). Metadata, not
    #: game state: folding, replays and ``verify`` never read it; the debrief measures
    #: decision times and pauses with it.
    at: float | None = None


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


def campaign_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
