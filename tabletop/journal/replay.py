"""Replay a save for the debrief: seek, views, sentences, and "what if" forks.

:class:`Replay` folds a save's events once, keeping a snapshot of the state every
``every`` events (256 by default), so :meth:`Replay.state_at` any step costs at most
``every - 1`` folds (and stepping forward or back by one costs one or a few). On top of
that it answers what the debrief viewer asks as it moves: each seat's view and
sentences at any step, the rounds index, each command's events, the annotations made
during play, and the trainers' notes. What the debrief reads out of a save (the tracks
as series, the phase timeline, covert plays, interventions, votes) is
:class:`tabletop.analysis.debrief.Debrief`'s.

Step numbers: ``k`` counts events. ``state_at(0)`` is the state before any event,
``state_at(k)`` the state after event ``k`` (whose ``seq`` is ``k``), up to ``len(replay)``.

:func:`write_fork` begins a new save from step ``k`` of a save, naming its parent (the
session that plays it on is :func:`tabletop.session.fork`'s); :func:`open_save` reads a
save and its campaign, or says in one sentence why it cannot.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.narrate import Narrator
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.engine.views import OBSERVER, View, Viewpoint, redact, view_for
from tabletop.journal import Entry, Header, JournalError, JournalRead, JournalWriter, read_journal
from tabletop.journal.notes import Note, NotesRead, add_note, read_notes

if TYPE_CHECKING:
    from tabletop.campaign.model import Campaign

SNAPSHOT_EVERY = 256


class SaveInconsistent(JournalError):
    """The save's events do not fold with its campaign (a bug, or a hand-edited save).

    No longer raised by :class:`Replay` (it reports such an event as damage); kept for
    callers that catch it.
    """


class CampaignInvalid(JournalError):
    """The campaign stored in the save does not load in this version of tabletop."""


# ====================================================================== records


@dataclass(frozen=True, slots=True)
class RoundSpan:
    """The events of one round: ``first``..``last`` (seqs). Round 0 is the deal."""

    round: int
    date: str  # ISO in-game date (round 0: the date of round 1)
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Annotation:
    """A note the facilitator made during play (an ``annotated`` event in the journal)."""

    seq: int  # the annotated event's own seq
    at: int  # the seq of the event the note is about
    round: int
    text: str


# ====================================================================== the replay


class _SeatLog:
    """Sentences for one viewpoint, narrated in order as far as asked."""

    __slots__ = ("narrator", "sentences", "state", "everything", "seat")

    def __init__(self, engine: Engine, seat: str, initial: GameState) -> None:
        self.seat = seat
        self.narrator = Narrator(engine)
        self.sentences: list[str | None] = []
        self.state = initial
        self.everything = Viewpoint.of(engine, seat).everything


class Replay:
    """A save, folded once, ready to seek.

    Every event is checked as it is folded (:mod:`tabletop.journal.fit`): at the first
    one that does not fit the game (a card the campaign does not have, a round or phase
    folding does not give, anything the fold trips on), the replay stops at the end of
    the command before it and :attr:`damage` says which event and why, as for a damaged
    line. ``verify`` reports it too.
    """

    def __init__(self, read: JournalRead, engine: Engine, *, every: int = SNAPSHOT_EVERY) -> None:
        from tabletop.journal.fit import fold

        if every < 1:
            raise ValueError("snapshots must be at least 1 event apart")
        read, state, snapshots = fold(read, engine, every=every)
        self.read = read
        self.engine = engine
        self.campaign: Campaign = engine.campaign
        self.header = read.header
        self.entries: list[Entry] = read.entries
        self.every = every
        self._snapshots = snapshots
        self.final: GameState = state
        self._cache: tuple[int, GameState] = (0, snapshots[0])
        self._logs: dict[str, _SeatLog] = {}
        self._rounds: list[RoundSpan] | None = None

    @classmethod
    def open(cls, path: str | Path, *, every: int = SNAPSHOT_EVERY) -> Replay:
        """Read the save at ``path`` and its campaign; raises :class:`JournalError` saying why not."""
        read, engine = open_save(path)
        return cls(read, engine, every=every)

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def path(self) -> Path | None:
        return self.read.path

    @property
    def damage(self) -> str | None:
        """``save damaged after event N: M bytes ignored``, or None."""
        return self.read.damage

    @property
    def repair(self) -> str | None:
        """What was damaged and rebuilt in memory when the save was read, or None."""
        return self.read.repair

    @property
    def fingerprint(self) -> str:
        """The save's fingerprint: the chain head (sha256 of its last loaded line)."""
        return self.read.fingerprint

    @property
    def decision_points(self) -> list[int]:
        """Steps at which the game waited for a decision (0 and the end of every command)."""
        return self.read.decision_points

    def viewpoints(self) -> list[str]:
        """Every seat the debrief can look through: each actor, each side, observer, facilitator."""
        c = self.campaign
        return [
            *(a.id for s in c.sides for a in s.actors), *(f"side:{s.id}" for s in c.sides), OBSERVER, FACILITATOR,
        ]

    def group_of(self, k: int) -> tuple[int, int]:
        """``(first, last)``: the events of the command that event ``k`` belongs to."""
        self.entry(k)
        points = self.read.decision_points
        i = bisect.bisect_left(points, k)
        return points[i - 1] + 1, points[i]

    def entry(self, k: int) -> Entry:
        """The journal entry of event ``k`` (1-based)."""
        if not 1 <= k <= len(self.entries):
            raise IndexError(f"there is no event {k} (the save has {len(self.entries)})")
        return self.entries[k - 1]

    def state_at(self, k: int) -> GameState:
        """The state after event ``k`` (0: before any). At most ``every - 1`` folds."""
        n = len(self.entries)
        if not 0 <= k <= n:
            raise IndexError(f"there is no step {k} (the save has {n} events)")
        if k == n:
            return self.final
        base = k - k % self.every
        ck, cs = self._cache
        if base <= ck <= k:
            start, state = ck, cs
        else:
            start, state = base, self._snapshots[base // self.every]
        apply = self.engine.apply
        for i in range(start, k):
            state = apply(state, self.entries[i].event)
        self._cache = (k, state)
        return state

    def view_at(self, k: int, seat: str) -> View:
        """What ``seat`` saw after event ``k`` (``facilitator`` sees everything)."""
        return view_for(self.engine, self.state_at(k), seat)

    def event_for(self, k: int, seat: str) -> E.Event:
        """Event ``k`` as ``seat`` was told it (redacted; :class:`~E.Hidden` if not at all)."""
        return redact(self.engine, self.entry(k).event, seat, self.state_at(k))

    # ------------------------------------------------------------------ sentences

    def _log(self, seat: str, upto: int) -> _SeatLog:
        log = self._logs.get(seat)
        if log is None:
            log = self._logs[seat] = _SeatLog(self.engine, seat, self.engine.initial_state())
        done = len(log.sentences)
        if done < upto:
            engine, entries, sentence = self.engine, self.entries, log.narrator.sentence
            if log.everything:
                log.sentences.extend(sentence(entries[i].event) for i in range(done, upto))
            else:
                state = log.state
                for i in range(done, upto):
                    ev = entries[i].event
                    state = engine.apply(state, ev)
                    log.sentences.append(sentence(redact(engine, ev, seat, state)))
                log.state = state
        return log

    def sentence(self, k: int, seat: str = FACILITATOR) -> str | None:
        """The sentence for event ``k`` as ``seat`` was told it (None: nothing worth saying)."""
        self.entry(k)
        return self._log(seat, k).sentences[k - 1]

    def sentences(self, seat: str = FACILITATOR, upto: int | None = None) -> list[str | None]:
        """One item per event (index ``k - 1``), up to event ``upto`` (default: all)."""
        upto = len(self.entries) if upto is None else max(0, min(upto, len(self.entries)))
        return self._log(seat, upto).sentences[:upto]

    def log(self, k: int, seat: str = FACILITATOR, limit: int = 50) -> list[tuple[int, str]]:
        """The last ``limit`` sentences up to event ``k`` as ``(seq, sentence)``: an event log."""
        sentences = self._log(seat, k).sentences
        out: list[tuple[int, str]] = []
        i = k
        while i > 0 and len(out) < limit:
            s = sentences[i - 1]
            if s:
                out.append((i, s))
            i -= 1
        out.reverse()
        return out

    # ------------------------------------------------------------------ rounds

    def rounds(self) -> list[RoundSpan]:
        """Each round's first and last event, in order (round 0: the deal, if any)."""
        if self._rounds is None:
            spans: list[RoundSpan] = []
            cur, first = None, 0
            for k, e in enumerate(self.entries, 1):
                if e.round != cur:
                    if cur is not None:
                        spans.append(RoundSpan(cur, self.engine.date_of(cur).isoformat(), first, k - 1))
                    cur, first = e.round, k
            if cur is not None:
                spans.append(RoundSpan(cur, self.engine.date_of(cur).isoformat(), first, len(self.entries)))
            self._rounds = spans
        return self._rounds

    def round_at(self, k: int) -> RoundSpan | None:
        """The round that event ``k`` belongs to (None for step 0 of an empty save)."""
        for span in self.rounds():
            if span.first <= k <= span.last:
                return span
        return None

    def next_round_start(self, k: int) -> int | None:
        """The first event of the round after the one at ``k`` (PgDn), or None."""
        return next((s.first for s in self.rounds() if s.first > k), None)

    def prev_round_start(self, k: int) -> int:
        """The first event of the round at ``k`` if ``k`` is past it, else of the round before (PgUp)."""
        starts = [s.first for s in self.rounds() if s.first < k]
        return starts[-1] if starts else 0

    @property
    def initial_phase(self) -> str:
        return self.campaign.phases.initial

    # ------------------------------------------------------------------ commands and notes

    def groups(self) -> Iterator[tuple[int, int]]:
        """``(first, last)`` events of each command, in order (the opening deal first)."""
        points = self.read.decision_points
        for a, b in zip(points, points[1:]):
            yield a + 1, b

    def annotations(self) -> list[Annotation]:
        """Notes the facilitator made during play, from the journal."""
        return [
            Annotation(k, e.event.at, e.round, e.event.text)
            for k, e in enumerate(self.entries, 1)
            if type(e.event) is E.Annotated
        ]

    def add_note(self, seq: int, text: str, author: str = "") -> Note:
        """Add a trainer's note about event ``seq`` to the save's sidecar (see :func:`add_note`)."""
        if self.read.path is None:
            raise ValueError("this replay has no save file to keep notes beside")
        if not 0 <= seq <= len(self.entries):
            raise ValueError(f"there is no event {seq} in this save")
        return add_note(self.read.path, seq, text, author)

    def notes(self) -> NotesRead:
        """The trainers' notes on this save (the ``.notes.jsonl`` sidecar; empty if none)."""
        if self.read.path is None:
            return NotesRead([], None)
        return read_notes(self.read.path)

    # ------------------------------------------------------------------ fork

    def fork_point(self, k: int) -> int:
        """The last step at or before ``k`` where the game waited for a decision."""
        return max(p for p in self.read.decision_points if p <= k)


# ====================================================================== opening and forking


def load_campaign_of(read: JournalRead) -> Campaign:
    """The campaign stored in the save's header (never the file on disk).

    Raises :class:`CampaignInvalid` with a sentence if it no longer loads.
    """
    from tabletop.campaign.problems import CampaignError
    from tabletop.campaign.validate import load_campaign_text

    h = read.header
    try:
        return load_campaign_text(h.campaign_text, h.campaign_path or f"<{h.campaign_id} in the save>").campaign
    except CampaignError as e:
        first = e.problems[0].message if e.problems else str(e)
        raise CampaignInvalid(
            f"the campaign stored in this save ({h.campaign_id}) is no longer valid in this version of tabletop: {first}"
        ) from None


def open_save(path: str | Path) -> tuple[JournalRead, Engine]:
    """Read the save at ``path`` and build the engine for its stored campaign.

    Raises :class:`JournalError` (one of its subclasses) with a sentence if the file is
    missing, not a save, of an unreadable version, or its campaign no longer loads. A
    damaged tail is not an error: see ``read.damage``.
    """
    read = read_journal(path)
    return read, Engine(load_campaign_of(read))


def check_fork_point(read: JournalRead, k: int) -> None:
    """Raise ``ValueError`` (saying the nearest ones) unless ``k`` is a step of the save in
    ``read`` where the game waited for a decision (see :attr:`JournalRead.decision_points`
    and :meth:`Replay.fork_point`): the only steps a "what if" can start from."""
    points = read.decision_points
    if k not in points:
        if not 0 <= k <= len(read.entries):
            raise ValueError(f"there is no step {k} in this save (it has {len(read.entries)} events)")
        before = max(p for p in points if p <= k)
        after = min((p for p in points if p > k), default=None)
        also = f" or {after}" if after is not None else ""
        raise ValueError(f"step {k} is in the middle of a command; fork at step {before}{also}")


def write_fork(read: JournalRead, k: int, save_path: str | Path, header: Header, *, durable: bool = True) -> JournalWriter:
    """Begin the save of a "what if" from step ``k`` of the save in ``read``.

    The new save at ``save_path`` gets ``header`` (the new game's: campaign, seed, seats)
    with ``parent = {"save": <parent path>, "seq": k, "sha256": <sha256 of the parent
    file's first k + 1 lines>}`` (and the format the parent's game began under, when
    older), then the parent's first ``k`` events, chained anew. Returns its writer, open
    for the session that plays on from ``read.entries[:k]``
    (:func:`tabletop.session.fork` makes that session).

    Raises ``ValueError`` if ``k`` is not a decision point (:func:`check_fork_point`),
    and :class:`JournalError` if the new save cannot be written (it is never overwritten).
    """
    check_fork_point(read, k)
    points = read.decision_points
    h = read.header
    parent = {"save": _relative(read.path, Path(save_path)), "seq": k, "sha256": read.prefix_digest(k)}
    header = replace(header, parent=parent)
    if h.game_version < header.version:  # the parent's events were given by the rules of its time
        header = replace(header, began=h.game_version)
    try:
        writer = JournalWriter(save_path, header, durable=durable)
    except FileExistsError:
        raise JournalError(f"{save_path} already exists; a save is never overwritten") from None
    except OSError as e:
        raise JournalError(f"cannot create {save_path}: {e.strerror or e}") from None
    try:
        writer.append_groups(read.entries[a:b] for a, b in zip(points, points[1:]) if b <= k)
    except BaseException:
        writer.close()
        raise
    return writer


def _relative(parent: Path | None, child: Path) -> str:
    """The parent's path as seen from the child's folder (so they can move together)."""
    if parent is None:
        return ""
    try:
        return os.path.relpath(parent.resolve(), child.resolve().parent)
    except ValueError:  # pragma: no cover - another drive (Windows)
        return str(parent.resolve())


__all__ = [
    "SNAPSHOT_EVERY", "Annotation", "CampaignInvalid", "Replay", "RoundSpan", "SaveInconsistent",
    "check_fork_point", "load_campaign_of", "open_save", "write_fork",
]
