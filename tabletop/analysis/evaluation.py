"""What the evaluators and the table recorded about an exercise, read from its save and sidecar.

* observations (``observation_recorded``): text, the event it is about, a learning
  objective, a P/S/M/U rating, strength or area for improvement, who wrote it and when;
* hotwash answers (``hotwash_answered``) and the participants' names (``seat_named``);
* each learning objective assessed: its evidence (:mod:`tabletop.analysis.evidence`), the
  observations and ratings about it, and the trainer's final rating (notes sidecar);
* whether the save verifies (the chain, and every event re-derived from its command).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from tabletop.analysis.debrief import Debrief
from tabletop.analysis.evidence import Evidence, ObjectiveEvidence
from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.journal.notes import RATINGS, Action, NotesRead, Rating
from tabletop.journal.replay import Replay

#: HSEEP ratings, best first (``RATINGS`` says them in words)
ORDER = ("P", "S", "M", "U")
EVALUATOR = "evaluator"


@dataclass(frozen=True, slots=True)
class Observation:
    seq: int  # the event that recorded it
    round: int
    at: float | None
    seat: str  # "evaluator" | "facilitator"
    author: str
    text: str
    about: int  # the event it is about
    objective: str  # a learning objective's reference ("" none)
    rating: str  # P | S | M | U | ""
    kind: str  # strength | improvement | ""
    after_end: bool  # recorded after the exercise ended

    @property
    def ref(self) -> str:
        """How the improvement plan names it: ``obs:N``."""
        return f"obs:{self.seq}"


@dataclass(frozen=True, slots=True)
class HotwashRecord:
    seq: int
    seat: str
    author: str
    went_well: str
    improve: str
    lesson: str


@dataclass(frozen=True, slots=True)
class Assessed:
    """One learning objective: its evidence, what evaluators said, and the trainer's final rating."""

    ref: str  # its id, or ``#N``
    text: str
    evidence: ObjectiveEvidence
    observations: tuple[Observation, ...]
    ratings: tuple[tuple[str, int], ...]  # (P/S/M/U, how many evaluators' observations gave it), best first
    final: Rating | None
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class Verified:
    ok: bool
    sentence: str


def objective_refs(replay: Replay) -> dict[str, str]:
    """Learning objective reference (its id, or ``#N`` by its place from 1) -> its words."""
    return {(lo.id or f"#{n}"): lo.text for n, lo in enumerate(replay.campaign.learning, 1)}


def verify_replay(replay: Replay) -> Verified:
    """What ``tabletop verify`` says of the save, as one sentence (the replay is already folded)."""
    from tabletop.journal import REDERIVE_SINCE
    from tabletop.journal.proof import rederive

    read = replay.read
    problems = list(read.repairs)
    if read.problem is not None:
        problems.append(read.problem.detail)
    rederived = read.header.game_version >= REDERIVE_SINCE
    if rederived and read.problem is None:
        diff = rederive(read, replay.engine)
        if diff is not None:
            problems.append(diff.sentence)
    if problems:
        return Verified(False, "verify failed: " + "; ".join(problems))
    n = len(read.entries)
    how = "every event re-derived from its command" if rederived else "every event fits the game (too old to re-derive)"
    return Verified(True, f"verify passed: {n} event{'s' if n != 1 else ''}, chain verified, {how}")


class Evaluation:
    """The evaluation record of one replay and its notes."""

    def __init__(self, replay: Replay, notes: NotesRead | None = None, debrief: Debrief | None = None) -> None:
        self.r = replay
        self.d = debrief or Debrief(replay)
        self.ev = Evidence(self.d)
        self.notes = notes if notes is not None else replay.notes()
        self.refs = objective_refs(replay)

    # ---- the records

    @cached_property
    def _records(self) -> tuple[list[Observation], list[HotwashRecord], dict[str, str]]:
        obs: list[Observation] = []
        hot: list[HotwashRecord] = []
        names: dict[str, str] = {}
        ended = False
        for k, e in enumerate(self.r.entries, 1):
            ev = e.event
            if type(ev) is E.ObservationRecorded:
                obs.append(Observation(k, e.round, e.at, ev.seat, ev.author, ev.text, ev.about, ev.objective,
                                       ev.rating, ev.kind, ended))
            elif type(ev) is E.HotwashAnswered:
                hot.append(HotwashRecord(k, ev.seat, ev.author, ev.went_well, ev.improve, ev.lesson))
            elif type(ev) is E.SeatNamed:
                names[ev.target] = ev.name
            elif type(ev) is E.GameEnded:
                ended = True
        return obs, hot, names

    def observations(self) -> list[Observation]:
        return list(self._records[0])

    def hotwash(self) -> list[HotwashRecord]:
        return list(self._records[1])

    def names(self) -> dict[str, str]:
        """Seat -> the participant's name the host entered (the last one given)."""
        return dict(self._records[2])

    def evaluators(self) -> list[str]:
        """The evaluators' names: each author of an evaluator's observation or hotwash, and the named one."""
        out: list[str] = []
        named = self.names().get(EVALUATOR)
        for name in [named or "", *(o.author for o in self.observations() if o.seat == EVALUATOR),
                     *(h.author for h in self.hotwash() if h.seat == EVALUATOR)]:
            if name and name not in out:
                out.append(name)
        return out

    def objective_words(self, ref: str) -> str:
        return self.refs.get(ref, ref)

    # ---- objectives

    def assessed(self) -> list[Assessed]:
        """Each learning objective assessed (worked out once: the notes are read when this is made)."""
        return list(self._assessed)

    @cached_property
    def _assessed(self) -> tuple[Assessed, ...]:
        out = []
        obs = self.observations()
        evidence = self.ev.learning()
        for (ref, text), ev in zip(self.refs.items(), evidence, strict=True):
            mine = tuple(o for o in obs if o.objective == ref or (o.objective and o.objective == text))
            count = Counter(o.rating for o in mine if o.rating)
            final = self.notes.ratings.get(ref) or self.notes.ratings.get(text)
            acts = tuple(a for a in self.notes.actions if a.answers in (ref, text)
                         or any(a.answers == o.ref for o in mine))
            out.append(Assessed(ref, text, ev, mine, tuple((r, count[r]) for r in ORDER if count[r]), final, acts))
        return tuple(out)

    def unassigned(self) -> list[Observation]:
        """Observations about no learning objective of the campaign."""
        return [o for o in self.observations() if o.objective not in self.refs and o.objective not in self.refs.values()]

    def actions_for(self, o: Observation) -> list[Action]:
        return [a for a in self.notes.actions if a.answers == o.ref]

    # ---- words

    def rating_words(self, rating: str) -> str:
        return f"{rating} ({RATINGS[rating]})" if rating in RATINGS else "not rated"

    def about_words(self, o: Observation) -> str:
        """``event 12, round 2: Poland played Board the vessel.`` (the whole truth)."""
        k = o.about
        if not 1 <= k <= len(self.r):
            return "the start of the exercise"
        sentence = self.r.sentence(k, FACILITATOR) or ""
        rnd = self.r.entry(k).round
        when = "the deal" if rnd == 0 else f"round {rnd}"
        head = self._headlines.get(self.r.group_of(k)[0], "")
        if not sentence:
            sentence = head or "(bookkeeping)"
        elif head and head != sentence:
            sentence = f"{sentence.rstrip('.')} (in: {head.rstrip('.')})."
        return f"event {k}, {when}: {sentence}"

    @cached_property
    def _headlines(self) -> dict[int, str]:
        """The first event of each command -> its headline (who did what)."""
        return {d.first: d.headline for d in self.d.decisions()}

    def root_causes(self, o: Observation) -> list[str]:
        """What the record says about why: the reason the player gave for the decision the
        observation is about, the response an inject expected then, the trainers' notes there."""
        out: list[str] = []
        if 1 <= o.about <= len(self.r):
            first, last = self.r.group_of(o.about)
            for r in self.ev.reasons():
                if first <= r.seq <= last or (r.play is not None and self._play_seq(r.play) in range(first, last + 1)):
                    out.append(f"the reason given: {self.ev.reason_sentence(r)}")
            rnd = self.r.entry(o.about).round
            for i in self.ev.injects_fired():
                if i.round == rnd and i.seq <= last and i.expected:
                    did = "; ".join(i.responses) or "nothing"
                    out.append(f"the inject “{i.title}” expected: {i.expected}; its audience did: {did}")
            for n in self.notes.at(o.about):
                out.append(f"the trainer's note{' by ' + n.author if n.author else ''}: {n.text}")
        return out

    def _play_seq(self, play: int) -> int:
        for k, e in enumerate(self.r.entries, 1):
            if type(e.event) is E.CardPlayed and e.event.play == play:
                return k
        return -1


__all__ = [
    "ORDER", "Assessed", "Evaluation", "HotwashRecord", "Observation", "Verified", "objective_refs", "verify_replay",
]
