"""What the rules know before any game: a campaign's static data, indexed once.

:class:`CampaignIndex` holds the lookups every part of the rules reads (cards, tracks,
actors and their sides, the round's steps, the crisis machine, card instances) and the
names and dates derived from them. It never changes after construction and holds no
game state. :class:`~tabletop.engine.rules.Engine` is a ``CampaignIndex`` with the
rules' verbs; the modules of the rules (``fold``, ``legal``, ``resolve``, ``procedure``,
``decide``) are functions that take it as their first argument, as methods take ``self``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tabletop.campaign.explain import unmet_reads
from tabletop.campaign.model import Campaign, Contest
from tabletop.engine import commands as C
from tabletop.engine.state import GameState, Outcome, Play
from tabletop.phases import CrisisMachine

FACILITATOR = C.FACILITATOR
EVALUATOR = C.EVALUATOR
OBSERVER = C.OBSERVER
HIDDEN = "?"  # a secret value in a redacted event


class CampaignIndex:
    """The static data of one campaign, indexed for the rules."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.machine = CrisisMachine(campaign)
        self.order: tuple[str, ...] = campaign.round_order
        self.side_of: dict[str, str] = dict(campaign.side_of_actor)
        self.actors: tuple[str, ...] = tuple(self.side_of)
        self.actors_of: dict[str, tuple[str, ...]] = {s.id: tuple(a.id for a in s.actors) for s in campaign.sides}
        self.cards = campaign.card_by_id
        self.tracks = campaign.track_by_id
        self.terminal = self.machine.terminal
        self.has_adjudication = "adjudication" in self.order
        #: the sides with a card that can be played covertly (their passes are not public:
        #: see ``views.redact``)
        self.covert_sides: frozenset[str] = frozenset(c.side for c in self.cards.values() if c.covert is not None)
        self._date_texts: dict[int, str] = {}  # a memo of date_text (a function of the campaign)
        # Card instances: a card id that appears once in all decks is its own instance id;
        # copies are numbered `id~1`, `id~2`, ...
        decks = {a: campaign.deck_of(a) for a in self.actors}
        totals = Counter(card for deck in decks.values() for card in deck)
        seen: Counter[str] = Counter()
        self.instance_card: dict[str, str] = {}
        self.instance_owner: dict[str, str] = {}
        self.start_decks: dict[str, tuple[str, ...]] = {}
        for actor, deck in decks.items():
            instances = []
            for card in deck:
                seen[card] += 1
                iid = card if totals[card] == 1 else f"{card}~{seen[card]}"
                self.instance_card[iid] = card
                self.instance_owner[iid] = actor
                instances.append(iid)
            self.start_decks[actor] = tuple(instances)
        #: learning objective reference -> its words: its id, or ``#N`` (its place in the
        #: list, from 1) for one without an id; what an observation's ``objective`` names
        self.objective_refs: dict[str, str] = {
            (lo.id or f"#{n}"): lo.text for n, lo in enumerate(campaign.learning, 1)
        }

    def initial_state(self) -> GameState:
        """The state before the first event: nothing dealt yet."""
        return GameState(campaign=self.campaign.id)

    def outcome_now(self, state: GameState, reason: str, detail: str) -> Outcome:
        """The outcome if the game ended now: each side's and actor's objectives, met or
        not, and the results the ending declares (a terminal phase's or end condition's ``outcome``)."""
        env = state.env()
        c = self.campaign
        objectives = {
            side.id: {o.id: bool(c.condition(o.when).evaluate(env)) for o in side.objectives} for side in c.sides
        }
        actor_objectives = {
            a.id: {o.id: bool(c.condition(o.when).evaluate(env)) for o in a.objectives}
            for side in c.sides for a in side.actors if a.objectives
        }
        declared_by = None
        if reason == "terminal_phase" and detail in c.phase_by_id:
            declared_by = c.phase_by_id[detail].outcome
        elif reason == "end_condition":
            declared_by = next((e.outcome for e in c.end if e.id == detail), None)
        declared: dict[str, str] = {}
        if isinstance(declared_by, str):
            declared = {side.id: declared_by for side in c.sides}
        elif declared_by:
            declared = {side.id: declared_by.get(side.id, "lose") for side in c.sides}
        return Outcome(reason, detail, objectives, actor_objectives, declared)

    def value_name(self, name: str) -> str:
        """The display name of a track or hidden value (its id if neither)."""
        track = self.tracks.get(name)
        if track is not None:
            return track.name
        hidden = self.campaign.hidden_by_id.get(name)
        return hidden.name if hidden is not None else name

    def secret_reads(self, trigger: str, phase: str) -> tuple[str, ...]:
        """What the reason a ``trigger`` did not move the crisis out of ``phase`` depends on
        that some seat may not know: hidden values and ``resources:``/``played:`` keys."""
        hidden = self.campaign.hidden_by_id
        return tuple(sorted(n for n in unmet_reads(self.campaign, trigger, phase) if n in hidden or ":" in n))

    def date_of(self, round_: int) -> dt.date:
        """The calendar date round ``round_`` stands for."""
        cal = self.campaign.calendar
        return cal.start + dt.timedelta(days=cal.round_days * (max(round_, 1) - 1))

    def date_text(self, round_: int) -> str:
        """:meth:`date_of` in ISO form (every view and round start asks: remembered per round)."""
        text = self._date_texts.get(round_)
        if text is None:
            text = self._date_texts[round_] = self.date_of(round_).isoformat()
        return text

    def side_name(self, side: str) -> str:
        """The side's display name (its id if there is no such side)."""
        s = self.campaign.side_by_id.get(side)
        return s.name if s else side

    def seat_name(self, seat: str) -> str:
        """A seat in words: an actor's or side's name, "the facilitator", "the evaluators",
        "the observer" (the seat id if none of these)."""
        actor = self.campaign.actor_by_id.get(seat)
        if actor is not None:
            return actor.name
        if seat.startswith("side:") and seat[5:] in self.actors_of:
            return self.side_name(seat[5:])
        return {FACILITATOR: "the facilitator", EVALUATOR: "the evaluators", OBSERVER: "the observer"}.get(seat, seat)

    def phase_name(self, phase: str) -> str:
        """The phase's display name (its id if there is no such phase)."""
        p = self.campaign.phase_by_id.get(phase)
        return p.name if p else phase

    def step_name(self, state: GameState) -> str:
        """The round step ``state`` is in ("" before the first step of a round)."""
        return self.order[state.step] if 0 <= state.step < len(self.order) else ""

    def contest_of(self, play: Play) -> Contest:
        """The contest of ``play``'s card (the caller knows it has one)."""
        contest = self.cards[play.card].contest
        assert contest is not None
        return contest


def clock_of(ix: CampaignIndex, state: GameState) -> tuple[int, int]:
    """The time boxes now, (turn, round) in seconds, 0 for none: the facilitator's, else the campaign's."""
    if state.clock is not None:
        return state.clock
    c = ix.campaign.rules.clock
    if c is None:
        return 0, 0
    return round((c.turn_minutes or 0) * 60), round((c.round_minutes or 0) * 60)
