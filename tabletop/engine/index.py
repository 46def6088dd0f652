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

from tabletop.campaign.model import Campaign, Contest
from tabletop.engine import commands as C
from tabletop.engine.state import GameState, Outcome, Play
from tabletop.phases import CrisisMachine

FACILITATOR = C.FACILITATOR
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

    def initial_state(self) -> GameState:
        """The state before the first event: nothing dealt yet."""
        return GameState(campaign=self.campaign.id)

    def outcome_now(self, state: GameState, reason: str, detail: str) -> Outcome:
        """The outcome if the game ended now: each side's objectives, met or not."""
        env = state.env()
        objectives = {
            side.id: {o.id: bool(self.campaign.condition(o.when).evaluate(env)) for o in side.objectives}
            for side in self.campaign.sides
        }
        return Outcome(reason, detail, objectives)

    def date_of(self, round_: int) -> dt.date:
        """The calendar date round ``round_`` stands for."""
        cal = self.campaign.calendar
        return cal.start + dt.timedelta(days=cal.round_days * (max(round_, 1) - 1))

    def side_name(self, side: str) -> str:
        """The side's display name (its id if there is no such side)."""
        s = self.campaign.side_by_id.get(side)
        return s.name if s else side

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
