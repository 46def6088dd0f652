"""Replay a save for the debrief: seek, views, sentences, series, and "what if" forks.

:class:`Replay` folds a save's events once, keeping a snapshot of the state every
``every`` events (256 by default), so :meth:`Replay.state_at` any step costs at most
``every - 1`` folds (and stepping forward or back by one costs one or a few). On top of
that it answers what the debrief viewer and the after-action report ask: each seat's
view and sentences at any step, the rounds index, the tracks as series, the phase
timeline, covert plays (perceived against actual), the facilitator's interventions,
votes ballot by ballot, and the annotations made during play.

Step numbers: ``k`` counts events. ``state_at(0)`` is the state before any event,
``state_at(k)`` the state after event ``k`` (whose ``seq`` is ``k``), up to ``len(replay)``.

:func:`write_fork` begins a new save from step ``k`` of a save, naming its parent (the
session that plays it on is :func:`tabletop.session.fork`'s); :func:`open_save` reads a
save and its campaign, or says in one sentence why it cannot.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
class Decision:
    """One command and what it caused: events ``first``..``last``.

    ``seat`` is None for the opening deal. ``headline`` is the sentence of the decision
    itself (who did what); ``consequences`` what followed from it, bookkeeping left out.
    """

    first: int
    last: int
    round: int
    seat: str | None
    command: Mapping[str, Any] | None
    headline: str
    consequences: tuple[str, ...]

    @property
    def kind(self) -> str:
        """The command's type (``play``, ``pass``, ``vote``, ``adjust``...), or ``start``."""
        return str(self.command.get("type", "")) if self.command else "start"


@dataclass(frozen=True, slots=True)
class PhaseStep:
    """One move of the crisis machine."""

    seq: int
    round: int
    date: str
    source: str
    dest: str
    source_name: str
    dest_name: str
    trigger: str
    cause: str  # the raw cause: "threshold", "play:N", "facilitator", "inject:ID", ...
    because: str  # the cause as words: "escalation >= 6", "Snap exercise played by Russia (#4)", ...


@dataclass(frozen=True, slots=True)
class TrackSeries:
    """Every track's value after each event, and at the end of each round.

    ``per_event[t][k]`` is the value after event ``k`` (``k`` = 0: the start value).
    ``per_round[t][i]`` is the value at the end of round ``rounds[i]``; ``rounds[0]``
    is 0, standing for the start.
    """

    tracks: tuple[str, ...]
    per_event: Mapping[str, Sequence[int]]
    rounds: tuple[int, ...]
    round_ends: tuple[int, ...]  # seq of the last event of each round in ``rounds`` (0 for the start)
    per_round: Mapping[str, Sequence[int]]


@dataclass(frozen=True, slots=True)
class AccusationRecord:
    seq: int
    round: int
    by: str
    accused: str
    dice: tuple[int, ...]
    modifiers: tuple[tuple[str, int], ...]
    total: int
    target: int
    success: bool  # the roll
    correct: bool | None  # was the accused the author?


@dataclass(frozen=True, slots=True)
class CovertRecord:
    """A covert play, as it really was and as the other sides saw it.

    Asked for a viewpoint and a step (:meth:`Replay.covert_report`), it holds what that
    viewpoint knew then: ``actor`` and ``card`` are None while the play was hidden from
    it, and accusations, reveal and blame are those made by that step.
    """

    play: int
    seq: int  # when it took effect
    round: int
    actor: str | None  # the true author (None: not known to the viewpoint at the step)
    side: str
    card: str | None
    seen_by: Mapping[str, str]  # every other side -> the sentence it was told when the card was played
    accusations: tuple[AccusationRecord, ...]
    revealed_seq: int | None
    revealed_round: int | None
    revealed_how: str | None  # "attributed" | "effect" | "timer" | None (never revealed)
    perceived: str | None  # whom the public record blamed at the end (None: nobody)

    @property
    def correctly_blamed(self) -> bool:
        """Whether the public record blames the true author (False while the author is unknown)."""
        return self.actor is not None and self.perceived == self.actor


@dataclass(frozen=True, slots=True)
class Intervention:
    """A facilitator command, with its rationale and what it caused."""

    first: int
    last: int
    round: int
    kind: str  # adjust | inject | adjudicate | rule | trigger | pause | resume | annotate | advance
    headline: str
    rationale: str  # the reason, rationale, inject text or note the facilitator wrote
    consequences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ballot:
    seq: int
    actor: str
    yes: bool


@dataclass(frozen=True, slots=True)
class VoteRecord:
    play: int
    card: str
    actor: str  # who tabled the card
    round: int
    opened: int  # seq
    voters: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    closed: int | None  # seq; None if still open at the end of the save
    passed: bool | None
    missing: tuple[str, ...]  # voters who had not voted when the facilitator closed it


@dataclass(frozen=True, slots=True)
class Annotation:
    """A note the facilitator made during play (an ``annotated`` event in the journal)."""

    seq: int  # the annotated event's own seq
    at: int  # the seq of the event the note is about
    round: int
    text: str


#: event types that are the game's bookkeeping, left out of a decision's consequences
_FLOW = (E.TurnStarted, E.StepStarted, E.CardsDrawn, E.DeckReshuffled, E.Hidden)


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
        self._series: TrackSeries | None = None

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

    # ------------------------------------------------------------------ series and timelines

    def track_series(self) -> TrackSeries:
        """Every track's value after each event and at the end of each round (for charts)."""
        if self._series is None:
            tracks = tuple(t.id for t in self.campaign.tracks)
            values = {t.id: t.start for t in self.campaign.tracks}
            per_event: dict[str, list[int]] = {t: [values[t]] for t in tracks}
            columns = [per_event[t] for t in tracks]
            index = {t: i for i, t in enumerate(tracks)}
            row = [values[t] for t in tracks]
            round_ends: dict[int, int] = {}
            for k, e in enumerate(self.entries, 1):
                ev = e.event
                if type(ev) is E.TrackChanged and ev.track in index:
                    row[index[ev.track]] = ev.value
                for col, v in zip(columns, row):
                    col.append(v)
                round_ends[e.round] = k
            rounds = [0] + [r for r in sorted(round_ends) if r > 0]
            ends = [0] + [round_ends[r] for r in rounds[1:]]
            per_round = {t: [per_event[t][k] for k in ends] for t in tracks}
            self._series = TrackSeries(tracks, per_event, tuple(rounds), tuple(ends), per_round)
        return self._series

    @cached_property
    def _revealed_at(self) -> dict[int, int]:
        """Play number -> the seq of the event that revealed it (covert plays that were)."""
        out: dict[int, int] = {}
        for k, e in enumerate(self.entries, 1):
            if type(e.event) is E.CovertRevealed:
                out.setdefault(e.event.play, k)
        return out

    def knows_play(self, play_id: int, seat: str = FACILITATOR, upto: int | None = None) -> bool:
        """Whether ``seat`` knew, after event ``upto`` (default: the end), who played play
        ``play_id`` and which card it was: its side's plays, open ones, and covert ones
        once revealed."""
        if not 1 <= play_id <= len(self.final.plays):
            return False
        vp = Viewpoint.of(self.engine, seat)
        p = self.final.play(play_id)
        if vp.everything or not p.covert or self.engine.side_of.get(p.actor) in vp.sides:
            return True
        revealed = self._revealed_at.get(play_id)
        return revealed is not None and revealed <= (len(self.entries) if upto is None else upto)

    def _play_words(self, play_id: int, seat: str = FACILITATOR, upto: int | None = None) -> str:
        if not 1 <= play_id <= len(self.final.plays):
            return f"play #{play_id}"
        if not self.knows_play(play_id, seat, upto):
            return f"a covert action (#{play_id})"
        p = self.final.play(play_id)
        card = self.campaign.card_by_id.get(p.card)
        actor = self.campaign.actor_by_id.get(p.actor)
        return f"{card.title if card else p.card} played by {actor.name if actor else p.actor} (#{play_id})"

    def cause_words(self, cause: str, seq: int | None = None, seat: str = FACILITATOR, upto: int | None = None) -> str:
        """A cause string (``play:3``, ``inject:airlift``, ``facilitator``...) as words: the
        whole truth, or (for another ``seat``) as far as it knew after event ``upto``."""
        kind, _, ref = cause.partition(":")
        if kind == "play" and ref.isdigit():
            return self._play_words(int(ref), seat, upto)
        if kind == "inject":
            inj = self.campaign.inject_by_id.get(ref)
            return f"the inject {inj.title}" if inj else "a facilitator's inject"
        if kind == "attribution" and ref.isdigit():
            return f"the attribution of {self._play_words(int(ref), seat, upto)}"
        if kind == "proposal" and ref.isdigit():
            n = int(ref)
            props = self.final.proposals
            if 1 <= n <= len(props):
                actor = self.campaign.actor_by_id.get(props[n - 1].actor)
                return f"proposal {n} by {actor.name if actor else props[n - 1].actor}"
            return f"proposal {n}"
        if kind == "facilitator":
            reason = ""
            if seat == FACILITATOR and seq is not None and 1 <= seq <= len(self.entries):  # the command is the facilitator's
                cmd = self.entries[seq - 1].command or {}
                reason = str(cmd.get("reason", "") or "")
            return f"the facilitator: {reason}" if reason else "the facilitator"
        if kind == "upkeep":
            return "upkeep"
        return cause

    @property
    def initial_phase(self) -> str:
        return self.campaign.phases.initial

    def phase_timeline(self, seat: str = FACILITATOR, upto: int | None = None) -> list[PhaseStep]:
        """Every phase change, in order, with its cause in words (the whole truth).

        For another ``seat``: the changes up to event ``upto`` (default: the end), their
        causes as that seat knew them then.
        """
        out = []
        for ch in self.final.phase_history:
            if seat != FACILITATOR and upto is not None and ch.seq > upto:
                break
            if ch.cause == "threshold":
                because = f"the tracks: {ch.condition}" if ch.condition else "the tracks"
            else:
                because = self.cause_words(ch.cause, ch.seq, seat, upto)
                if ch.condition:
                    because += f" (with {ch.condition})"
            out.append(
                PhaseStep(
                    ch.seq, ch.round, self.engine.date_of(ch.round).isoformat(), ch.source, ch.dest,
                    self.engine.phase_name(ch.source), self.engine.phase_name(ch.dest), ch.trigger, ch.cause, because,
                )
            )
        return out

    # ------------------------------------------------------------------ decisions

    def groups(self) -> Iterator[tuple[int, int]]:
        """``(first, last)`` events of each command, in order (the opening deal first)."""
        points = self.read.decision_points
        for a, b in zip(points, points[1:]):
            yield a + 1, b

    def decisions(self, seat: str = FACILITATOR) -> list[Decision]:
        """Every command with its headline sentence and consequences: the whole truth, or
        as ``seat`` was told them."""
        sentences = self.sentences(seat)
        out = []
        for first, last in self.groups():
            e = self.entries[first - 1]
            headline, rest = "", []
            for k in range(first, last + 1):
                s = sentences[k - 1]
                if not s:
                    continue
                if not headline:
                    headline = s
                elif not isinstance(self.entries[k - 1].event, _FLOW):
                    rest.append(s)
            out.append(Decision(first, last, e.round, e.seat, e.command, headline, tuple(rest)))
        return out

    def interventions(self, seat: str = FACILITATOR, upto: int | None = None) -> list[Intervention]:
        """The facilitator's commands: adjustments, injects, rulings, triggers, pauses, notes.

        For another ``seat``: those up to event ``upto`` (default: the end), as that seat
        was told them: without the notes, and without what only the command holds (a
        trigger's reason).
        """
        out = []
        everything = seat == FACILITATOR
        for d in self.decisions(seat):
            if d.seat != FACILITATOR or not d.command:
                continue
            if not everything and (d.kind == "annotate" or (upto is not None and d.first > upto)):
                continue  # notes are the facilitator's own
            cmd = d.command
            kind = d.kind
            if kind == "inject":
                rationale = " ".join(str(x) for x in (cmd.get("title") or "", cmd.get("text") or "") if x)
                if not rationale and cmd.get("inject"):
                    inj = self.campaign.inject_by_id.get(str(cmd["inject"]))
                    rationale = inj.title if inj else str(cmd["inject"])
            elif kind == "annotate":
                rationale = str(cmd.get("text", ""))
            else:
                rationale = str(cmd.get("rationale") or cmd.get("reason") or "")
            if not everything and kind == "trigger":
                rationale = ""  # only the command holds a trigger's reason
            out.append(Intervention(d.first, d.last, d.round, kind, d.headline, rationale, d.consequences))
        return out

    def votes(self, seat: str = FACILITATOR, upto: int | None = None) -> list[VoteRecord]:
        """Every vote on a consensus card, ballot by ballot (for another ``seat``: those
        up to event ``upto``, as far as it was told)."""
        last = len(self.entries) if upto is None or seat == FACILITATOR else max(0, min(upto, len(self.entries)))
        open_: dict[int, dict[str, Any]] = {}
        done: list[dict[str, Any]] = []
        for k, e in enumerate(self.entries[:last], 1):
            ev = e.event
            t = type(ev)
            if t is E.VoteOpened:
                p = self.final.play(ev.play) if ev.play <= len(self.final.plays) else None
                if p is not None and not self.knows_play(ev.play, seat, last):
                    p = None  # a vote on a hidden covert card (saves from before votes could not be covert)
                open_[ev.play] = dict(
                    play=ev.play, card=p.card if p else "?", actor=p.actor if p else "?", round=e.round, opened=k,
                    voters=tuple(ev.voters), ballots=[], closed=None, passed=None, missing=(),
                )
                done.append(open_[ev.play])
            elif t is E.BallotCast and ev.play in open_:
                open_[ev.play]["ballots"].append(Ballot(k, ev.actor, ev.yes))
            elif t is E.VoteClosed and ev.play in open_:
                rec = open_.pop(ev.play)
                rec.update(closed=k, passed=ev.passed, missing=tuple(ev.missing))
        return [VoteRecord(**{**r, "ballots": tuple(r["ballots"])}) for r in done]

    def covert_report(self, seat: str = FACILITATOR, upto: int | None = None) -> list[CovertRecord]:
        """Every covert play: the truth, what the other sides saw, accusations, and reveal.

        For another ``seat``: the covert plays made by event ``upto`` (default: the end),
        as that seat knew them then: the card and author of a play still hidden from it
        are None, whether an accusation was right is None, and only what happened by
        ``upto`` (accusations, the reveal, the blame) is there.
        """
        last = len(self.entries) if upto is None or seat == FACILITATOR else max(0, min(upto, len(self.entries)))
        recs: dict[int, dict[str, Any]] = {}
        for k, e in enumerate(self.entries[:last], 1):
            ev = e.event
            t = type(ev)
            if t is E.CardPlayed and ev.covert:
                side = self.engine.side_of.get(ev.actor, "?")
                seen = {
                    s.id: self.sentence(k, f"side:{s.id}") or "" for s in self.campaign.sides if s.id != side
                }
                recs[ev.play] = dict(
                    play=ev.play, seq=k, round=e.round, actor=ev.actor, side=side, card=ev.card, seen_by=seen,
                    accusations=[], revealed_seq=None, revealed_round=None, revealed_how=None,
                )
            elif t is E.AttributionAttempted and ev.play in recs:
                recs[ev.play]["accusations"].append(
                    AccusationRecord(k, e.round, ev.by, ev.accused, ev.dice, ev.modifiers, ev.total, ev.target,
                                     ev.success, ev.correct)
                )
            elif t is E.CovertRevealed and ev.play in recs and recs[ev.play]["revealed_seq"] is None:
                recs[ev.play].update(revealed_seq=k, revealed_round=e.round, revealed_how=ev.how)
        out = []
        for pid, r in recs.items():
            if last == len(self.entries):
                perceived = self.final.play(pid).perceived_author if pid <= len(self.final.plays) else None
            else:  # the last accusation that held, by then
                perceived = next((a.accused for a in reversed(r["accusations"]) if a.success), None)
            if r["revealed_seq"] is not None:
                perceived = r["actor"]  # once revealed, the truth is the public record
            if not self.knows_play(pid, seat, last):
                r = {**r, "actor": None, "card": None}
                r["accusations"] = [replace(a, correct=None) for a in r["accusations"]]
            out.append(CovertRecord(**{**r, "accusations": tuple(r["accusations"]), "perceived": perceived}))
        return out

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
    "SNAPSHOT_EVERY", "AccusationRecord", "Annotation", "Ballot", "CampaignInvalid", "CovertRecord", "Decision",
    "Intervention", "PhaseStep", "Replay", "RoundSpan", "SaveInconsistent", "TrackSeries", "VoteRecord",
    "check_fork_point", "load_campaign_of", "open_save", "write_fork",
]
