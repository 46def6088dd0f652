"""The debrief of format-2 campaigns: learning evidence, reasons, secrets, the MSEL, unmet triggers.

An :class:`Evidence` reads a :class:`~tabletop.analysis.debrief.Debrief` for what the
campaign format 2 adds (issue 11), as plain records the report words:

* :meth:`Evidence.learning` — every learning objective with its evidence measured over the
  game: the first moment a ``when`` condition held (or never), each play of a ``card``
  (round, phase, author, tracks, whether it took effect), and ``count``\\ s;
* :meth:`Evidence.reasons` — every reason a player gave: with a card play (a covert one's
  too), a ballot, or advice;
* :meth:`Evidence.hidden_values` — every hidden value: drawn, known by, revealed when;
* :meth:`Evidence.injects_fired` — every inject that fired, with its audience and the
  MSEL's expected response and learning objective;
* :meth:`Evidence.unmet_triggers` — every trigger that did not move the crisis, and why.

Conditions are said in words (:func:`tabletop.analysis.words.condition_text`), never as their source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from tabletop.analysis.debrief import Debrief
from tabletop.campaign.model import EvidenceItem
from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.state import GameState, Play
from tabletop.engine.views import Viewpoint

# ====================================================================== records


@dataclass(frozen=True, slots=True)
class Moment:
    """One moment of the game: after event ``seq`` (0: the deal)."""

    seq: int
    round: int
    phase: str
    tracks: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class CardUse:
    """One play of a card named as evidence, as things stood when it was played."""

    play: int
    seq: int
    round: int
    phase: str
    actor: str
    covert: bool
    tracks: Mapping[str, int]  # just before it was played
    result: str  # what became of it, in words: "took effect", "rejected by the vote"...
    took_effect: bool
    rationale: str


@dataclass(frozen=True, slots=True)
class Measured:
    """One evidence item measured: ``held`` (when), ``uses`` (card) or ``total``/``details`` (count)."""

    item: EvidenceItem
    held: Moment | None = None
    uses: tuple[CardUse, ...] = ()
    total: int = 0
    details: tuple[str, ...] = ()  # for a count: each instance, in words


@dataclass(frozen=True, slots=True)
class ObjectiveEvidence:
    id: str | None
    text: str
    evidence: tuple[Measured, ...]


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason a player gave: with a card play (``play``/``covert``), a ballot (``vote``) or ``advice``."""

    seq: int
    round: int
    actor: str
    kind: str  # "play" | "covert" | "vote" | "advice"
    play: int | None  # None for a covert play whose step had not ended when the save was written
    card: str
    yes: bool | None  # the ballot or advice; None for a play
    text: str


@dataclass(frozen=True, slots=True)
class HiddenRecord:
    id: str
    name: str
    description: str
    value: int | str | None  # None: not in the save (a save from before the value existed)
    known_by: tuple[str, ...]  # sides and actors who knew it from the start
    revealed_seq: int | None
    revealed_round: int | None
    revealed_cause: str | None


@dataclass(frozen=True, slots=True)
class InjectRecord:
    seq: int
    round: int
    inject: str | None  # None: a free-text inject
    title: str
    to: tuple[str, ...]  # its audience (everyone if empty)
    expected: str
    objective: str  # the learning objective: its words (an id is looked up)
    responses: tuple[str, ...]  # what its audience did in the rest of that round


@dataclass(frozen=True, slots=True)
class UnmetRecord:
    seq: int
    round: int
    trigger: str
    phase: str
    reason: str  # words: "the crisis stays in Calm: Tension is not at least 7"
    cause: str  # words: what fired it


#: what each count measures, in words
COUNTS = {
    "misattributions": "accusations that stuck on the wrong actor",
    "attributions": "attempts to attribute a covert play",
    "covert_plays": "cards played covertly",
    "proposals": "proposals put to the facilitator",
    "rejected_votes": "votes that rejected a card",
    "phase_changes": "moves of the crisis from one phase to another",
}


# ====================================================================== the analyses


class Evidence:
    """What the report shows of a format-2 game (each list is built once, when first asked)."""

    def __init__(self, debrief: Debrief) -> None:
        self.d = debrief
        self.engine = debrief.engine
        self.c = debrief.campaign
        self.entries = debrief.entries
        self.final: GameState = debrief.final

    # ---- names

    def actor(self, actor: str) -> str:
        if actor == FACILITATOR:
            return "the facilitator"
        a = self.c.actor_by_id.get(actor)
        return a.name if a else actor

    def who(self, ids: tuple[str, ...] | list[str]) -> str:
        """Sides or actors, by name: ``Blue, Poland and Lithuania``."""
        names = [self.c.side_by_id[i].name if i in self.c.side_by_id else self.actor(i) for i in ids]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""

    def card(self, card: str) -> str:
        c = self.c.card_by_id.get(card)
        return c.title if c else card

    def objective_words(self, ref: str) -> str:
        """An inject's learning objective: the text of the one with that id, else the words as written."""
        for lo in self.c.learning:
            if ref and lo.id == ref:
                return lo.text
        return ref

    # ---- the states, once

    @cached_property
    def _before(self) -> list[GameState]:
        """``_before[k - 1]``: the state just before event ``k``; the last item is the final state."""
        states = []
        state = self.engine.initial_state()
        for e in self.entries:
            states.append(state)
            state = self.engine.apply(state, e.event)
        states.append(state)
        return states

    def state_after(self, k: int) -> GameState:
        return self._before[k]

    # ---- learning objectives

    def learning(self) -> list[ObjectiveEvidence]:
        return [
            ObjectiveEvidence(lo.id, lo.text, tuple(self.measure(item) for item in lo.evidence))
            for lo in self.c.learning
        ]

    def measure(self, item: EvidenceItem) -> Measured:
        if item.when is not None:
            return Measured(item, held=self._first_held(item.when))
        if item.card is not None:
            return Measured(item, uses=self._uses(item.card))
        total, details = self._count(item.count or "")
        return Measured(item, total=total, details=details)

    def _first_held(self, text: str) -> Moment | None:
        """The first moment ``text`` held: checked after every event, not only where a command ended,
        so a state the crisis passed through within one command (the phase timeline shows it) counts."""
        cond = self.c.condition(text)
        for k in range(1, len(self.entries) + 1):
            state = self.state_after(k)
            if not state.tracks:
                continue  # nothing dealt yet
            if cond.evaluate(state.env()):  # the whole save's state: every value is there
                return Moment(k, state.round, state.phase, dict(state.tracks))
        return None

    def play_result(self, p: Play) -> tuple[str, bool]:
        """What became of play ``p``, in words, and whether it took effect."""
        if p.status == "rejected":
            return "rejected by the vote: no effect", False
        if p.status == "voting":
            return "still put to the vote when the save ends", False
        if p.contest == "pending":
            return "awaiting its ruling when the save ends", False
        if p.contest == "success":
            return "took effect: its contest succeeded", True
        if p.contest == "failure":
            return "took effect: its contest failed", True
        return "took effect", True

    def _uses(self, card: str) -> tuple[CardUse, ...]:
        reasons = {r.play: r.text for r in self.reasons() if r.kind in ("play", "covert") and r.play is not None}
        out = []
        for k, e in enumerate(self.entries, 1):
            ev = e.event
            if type(ev) is E.CardPlayed and ev.card == card and ev.play <= len(self.final.plays):
                p = self.final.play(ev.play)
                result, took = self.play_result(p)
                before = self._before[k - 1]
                out.append(CardUse(
                    ev.play, k, e.round, e.phase, ev.actor, ev.covert, dict(before.tracks), result, took,
                    reasons.get(ev.play, ""),
                ))
        return tuple(out)

    def _count(self, what: str) -> tuple[int, tuple[str, ...]]:
        details: list[str] = []
        if what == "phase_changes":
            for ch in self.final.phase_history:
                details.append(
                    f"{self.engine.phase_name(ch.source)} to {self.engine.phase_name(ch.dest)} in round {ch.round}"
                )
            return len(details), tuple(details)
        total = 0
        for e in self.entries:
            ev = e.event
            if what in ("misattributions", "attributions") and type(ev) is E.AttributionAttempted:
                if what == "attributions":
                    total += 1
                    held = "it held" if ev.success else "inconclusive"
                    right = "" if ev.correct is None else ", right" if ev.correct else ", wrong"
                    details.append(
                        f"{self.actor(ev.by)} accused {self.actor(ev.accused)} of covert action #{ev.play} in "
                        f"round {e.round} ({held}{right})"
                    )
                elif ev.success and ev.correct is False:
                    total += 1
                    author = self.final.play(ev.play).actor if ev.play <= len(self.final.plays) else "?"
                    details.append(
                        f"{self.actor(ev.by)} blamed {self.actor(ev.accused)} for covert action #{ev.play} in "
                        f"round {e.round} (it was {self.actor(author)})"
                    )
            elif what == "covert_plays" and type(ev) is E.CardPlayed and ev.covert:
                total += 1
                details.append(f"{self.actor(ev.actor)} played {self.card(ev.card)} (#{ev.play}) in round {e.round}")
            elif what == "proposals" and type(ev) is E.ProposalSubmitted:
                total += 1
                prop = self.final.proposals[ev.proposal - 1] if ev.proposal <= len(self.final.proposals) else None
                ruled = {"accept": "accepted", "amend": "amended", "reject": "rejected"}.get(
                    prop.verdict or "", "not ruled on") if prop else "not ruled on"
                details.append(f"{self.actor(ev.actor)} in round {e.round}: {ev.text} ({ruled})")
            elif what == "rejected_votes" and type(ev) is E.VoteClosed and not ev.passed:
                total += 1
                p = self.final.play(ev.play) if ev.play <= len(self.final.plays) else None
                name = f"{self.card(p.card)} (#{ev.play}) tabled by {self.actor(p.actor)}" if p else f"#{ev.play}"
                details.append(f"{name} in round {e.round}")
        return total, tuple(details)

    # ---- reasons

    @cached_property
    def _reasons(self) -> list[Reason]:
        out: list[Reason] = []
        sealed: dict[tuple[str, str], int] = {}  # (actor, instance) -> index in out
        for k, e in enumerate(self.entries, 1):
            ev = e.event
            if type(ev) is E.CovertSealed and ev.rationale:
                sealed[(ev.actor, ev.instance)] = len(out)
                out.append(Reason(k, e.round, ev.actor, "covert", None, ev.card, None, ev.rationale))
            elif type(ev) is E.CardPlayed:
                i = sealed.pop((ev.actor, ev.instance), None) if ev.covert else None
                if i is not None:
                    r = out[i]
                    out[i] = Reason(r.seq, r.round, r.actor, r.kind, ev.play, r.card, None, r.text)
                elif ev.rationale:
                    kind = "covert" if ev.covert else "play"
                    out.append(Reason(k, e.round, ev.actor, kind, ev.play, ev.card, None, ev.rationale))
            elif isinstance(ev, E.BallotCast | E.AdviceGiven):
                if ev.rationale:
                    kind = "vote" if type(ev) is E.BallotCast else "advice"
                    card = self.final.play(ev.play).card if ev.play <= len(self.final.plays) else "?"
                    out.append(Reason(k, e.round, ev.actor, kind, ev.play, card, ev.yes, ev.rationale))
        return out

    def reasons(self, seat: str = FACILITATOR, upto: int | None = None) -> list[Reason]:
        """Every reason given (for another ``seat``: those of its own sides, up to event ``upto``)."""
        vp = Viewpoint.of(self.engine, seat)
        return [
            r for r in self._reasons
            if (vp.everything or self.engine.side_of.get(r.actor) in vp.sides) and (upto is None or r.seq <= upto)
        ]

    def reason_sentence(self, r: Reason) -> str:
        """``Poland voted no on Board the vessel (#3): too risky``."""
        card = self.card(r.card)
        play = f"{card} (#{r.play})" if r.play is not None else card
        if r.kind == "vote":
            return f"{self.actor(r.actor)} voted {'yes' if r.yes else 'no'} on {play}: {r.text}"
        if r.kind == "advice":
            return f"{self.actor(r.actor)} advised {'for' if r.yes else 'against'} {play}: {r.text}"
        if r.kind == "covert":
            return f"{self.actor(r.actor)} played {play} covertly: {r.text} (told to its own side only)"
        return f"{self.actor(r.actor)} played {play}: {r.text}"

    # ---- hidden values

    def hidden_values(self) -> list[HiddenRecord]:
        drawn: Mapping[str, int | str] = {}
        revealed: dict[str, tuple[int, int, str]] = {}
        for k, e in enumerate(self.entries, 1):
            ev = e.event
            if type(ev) is E.GameStarted and not drawn:
                drawn = ev.hidden
            elif type(ev) is E.ValuesRevealed:
                for name in ev.values:
                    revealed.setdefault(name, (k, e.round, self.d.cause_words(ev.cause, k)))
        out = []
        for h in self.c.hidden:
            value = drawn.get(h.id, self.final.hidden.get(h.id))
            seq, rnd, cause = revealed.get(h.id, (None, None, None))
            out.append(HiddenRecord(h.id, h.name, h.description, value, tuple(h.known_by), seq, rnd, cause))
        return out

    # ---- the MSEL

    def injects_fired(self) -> list[InjectRecord]:
        return list(self._injects_fired)

    @cached_property
    def _injects_fired(self) -> tuple[InjectRecord, ...]:
        decisions = self.d.decisions()
        out = []
        for k, e in enumerate(self.entries, 1):
            ev = e.event
            if type(ev) is not E.InjectFired:
                continue
            inj = self.c.inject_by_id.get(ev.inject) if ev.inject else None
            audience = self._audience(tuple(ev.to))
            responses = tuple(
                d.headline.rstrip(".") for d in decisions
                if d.first > k and d.round == e.round and d.seat is not None and d.seat != FACILITATOR
                and d.seat in audience and d.kind != "pass"
            )
            out.append(InjectRecord(
                k, e.round, ev.inject, ev.title, tuple(ev.to), inj.expected if inj else "",
                self.objective_words(inj.objective) if inj else "", responses,
            ))
        return tuple(out)

    def _audience(self, to: tuple[str, ...]) -> frozenset[str]:
        """The actors an inject addressed to ``to`` reaches (every actor if ``to`` is empty)."""
        actors = [a.id for s in self.c.sides for a in s.actors]
        if not to:
            return frozenset(actors)
        out = {a for a in to if a in self.c.actor_by_id}
        for s in to:
            if s in self.c.side_by_id:
                out |= {a.id for a in self.c.side_by_id[s].actors}
        return frozenset(out)

    def injects_unfired(self) -> list[str]:
        """Injects of the MSEL (round or condition) that never fired."""
        fired = {r.inject for r in self.injects_fired()}
        return [i.id for i in self.c.injects if not i.in_library and i.id not in fired]

    # ---- triggers

    def unmet_triggers(self, seat: str = FACILITATOR, upto: int | None = None) -> list[UnmetRecord]:
        """Every trigger that did not move the crisis: the whole truth, or as ``seat`` was told."""
        out = []
        for k, e in enumerate(self.entries, 1):
            if upto is not None and k > upto:
                break
            if type(e.event) is not E.TriggerUnmet:
                continue
            ev = e.event if seat == FACILITATOR else self.d.replay.event_for(k, seat)
            if type(ev) is not E.TriggerUnmet:
                continue  # left out of this seat's stream
            out.append(UnmetRecord(
                k, e.round, ev.trigger, ev.phase, ev.reason, self.d.cause_words(ev.cause, k, seat, upto),
            ))
        return out


__all__ = [
    "COUNTS", "CardUse", "Evidence", "HiddenRecord", "InjectRecord", "Measured", "Moment", "ObjectiveEvidence",
    "Reason", "UnmetRecord",
]
