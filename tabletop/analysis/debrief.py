"""The debrief's analyses of a save: series, timelines, decisions, covert plays, votes.

A :class:`~tabletop.journal.replay.Replay` seeks through a save and tells each
viewpoint's sentences; a :class:`Debrief` reads it for what the after-action report
and the replay viewer's charts show: the tracks as series, the phase timeline with its
causes in words, every decision and what followed, covert plays (perceived against
actual), the facilitator's interventions, and votes ballot by ballot. Each list can be
asked for a viewpoint and a step: then it holds what that viewpoint knew by then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from tabletop.analysis.words import condition_text
from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.narrate import Narrator, actor_name
from tabletop.engine.views import Viewpoint
from tabletop.journal.replay import Replay

# ====================================================================== records


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
    rationale: str = ""  # the reason given with it (format 2), if the viewpoint may read it


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
    advisors: tuple[str, ...] = ()  # actors asked for advice, who do not vote (format 2)
    advice: tuple[Ballot, ...] = ()  # their advice: yes is for, no against


#: event types that are the game's bookkeeping, left out of a decision's consequences
_FLOW = (E.TurnStarted, E.StepStarted, E.CardsDrawn, E.DeckReshuffled, E.Hidden)


# ====================================================================== the analyses


class Debrief:
    """The analyses of one :class:`Replay` (the track series is computed once, when first asked)."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self.engine = replay.engine
        self.campaign = replay.campaign
        self.entries = replay.entries
        self.final = replay.final
        self._series: TrackSeries | None = None

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
        return f"{card.title if card else p.card} played by {actor_name(self.engine, p.actor)} (#{play_id})"

    def cause_words(self, cause: str, seq: int | None = None, seat: str = FACILITATOR, upto: int | None = None) -> str:
        """A cause string (``play:3``, ``inject:airlift``, ``facilitator``...) as words: the
        whole truth, or (for another ``seat``) as far as it knew after event ``upto``."""
        reason = ""
        if cause == "facilitator" and seat == FACILITATOR and seq is not None and 1 <= seq <= len(self.entries):
            reason = str((self.entries[seq - 1].command or {}).get("reason", "") or "")  # the facilitator's command
        props = self.final.proposals

        def proposer(n: int) -> str | None:
            return actor_name(self.engine, props[n - 1].actor) if 1 <= n <= len(props) else None

        return Narrator(self.engine).cause(
            cause, play=lambda n: self._play_words(n, seat, upto), proposer=proposer, reason=reason,
        )

    def phase_timeline(self, seat: str = FACILITATOR, upto: int | None = None) -> list[PhaseStep]:
        """Every phase change, in order, with its cause in words (the whole truth).

        For another ``seat``: the changes up to event ``upto`` (default: the end), their
        causes as that seat knew them then.
        """
        out = []
        words = self.campaign.format >= 2  # format 2 says conditions in words (format 1's reports stay as they were)
        for ch in self.final.phase_history:
            if seat != FACILITATOR and upto is not None and ch.seq > upto:
                break
            condition = ch.condition
            if condition and words:
                condition = condition_text(self.campaign, condition)
            if ch.cause == "threshold":
                because = f"the tracks: {condition}" if condition else "the tracks"
            else:
                because = self.cause_words(ch.cause, ch.seq, seat, upto)
                if condition:
                    because += f" (when {condition})" if words else f" (with {condition})"
            out.append(
                PhaseStep(
                    ch.seq, ch.round, self.engine.date_of(ch.round).isoformat(), ch.source, ch.dest,
                    self.engine.phase_name(ch.source), self.engine.phase_name(ch.dest), ch.trigger, ch.cause, because,
                )
            )
        return out

    # ------------------------------------------------------------------ decisions

    def decisions(self, seat: str = FACILITATOR) -> list[Decision]:
        """Every command with its headline sentence and consequences: the whole truth, or
        as ``seat`` was told them."""
        sentences = self.replay.sentences(seat)
        out = []
        for first, last in self.replay.groups():
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
        vp = Viewpoint.of(self.engine, seat)
        for k, e in enumerate(self.entries[:last], 1):
            ev = e.event
            if type(ev) is E.VoteOpened:
                p = self.final.play(ev.play) if ev.play <= len(self.final.plays) else None
                if p is not None and not self.knows_play(ev.play, seat, last):
                    p = None  # a vote on a hidden covert card (saves from before votes could not be covert)
                open_[ev.play] = dict(
                    play=ev.play, card=p.card if p else "?", actor=p.actor if p else "?", round=e.round, opened=k,
                    voters=tuple(ev.voters), ballots=[], closed=None, passed=None, missing=(),
                    advisors=tuple(ev.advisors), advice=[],
                )
                done.append(open_[ev.play])
            elif isinstance(ev, E.BallotCast | E.AdviceGiven) and ev.play in open_:
                why = ev.rationale if vp.everything or self.engine.side_of.get(ev.actor) in vp.sides else ""
                key = "ballots" if type(ev) is E.BallotCast else "advice"
                open_[ev.play][key].append(Ballot(k, ev.actor, ev.yes, why))
            elif type(ev) is E.VoteClosed and ev.play in open_:
                rec = open_.pop(ev.play)
                rec.update(closed=k, passed=ev.passed, missing=tuple(ev.missing))
        return [VoteRecord(**{**r, "ballots": tuple(r["ballots"]), "advice": tuple(r["advice"])}) for r in done]

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
            if type(ev) is E.CardPlayed and ev.covert:
                side = self.engine.side_of.get(ev.actor, "?")
                seen = {
                    s.id: self.replay.sentence(k, f"side:{s.id}") or "" for s in self.campaign.sides if s.id != side
                }
                recs[ev.play] = dict(
                    play=ev.play, seq=k, round=e.round, actor=ev.actor, side=side, card=ev.card, seen_by=seen,
                    accusations=[], revealed_seq=None, revealed_round=None, revealed_how=None,
                )
            elif type(ev) is E.AttributionAttempted and ev.play in recs:
                recs[ev.play]["accusations"].append(
                    AccusationRecord(k, e.round, ev.by, ev.accused, ev.dice, ev.modifiers, ev.total, ev.target,
                                     ev.success, ev.correct)
                )
            elif type(ev) is E.CovertRevealed and ev.play in recs and recs[ev.play]["revealed_seq"] is None:
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


__all__ = [
    "AccusationRecord", "Ballot", "CovertRecord", "Debrief", "Decision", "Intervention", "PhaseStep", "TrackSeries",
    "VoteRecord",
]
