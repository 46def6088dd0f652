"""The heuristic bot: plays the action that most improves its position, as its seat sees it.

Every choice is made from the seat's :class:`~tabletop.engine.views.View` (its own hand,
its side's resources, the hidden values it knows) and the public campaign, never from
the game's true state. For each legal action it weighs (with a
:class:`~tabletop.bots.judge.Judge`):

- the card's effects on its objectives, its side's and its own (secret ones included),
  the tracks and the phase, a contest at its odds (dice and modifiers, or the
  facilitator's guidance), a phase trigger by where it would take the crisis;
- a vote it would open, by how likely its allies are to agree (from what it knows of them);
- a covert play's risk of being attributed; a reveal by the hidden plays it would expose;
- resources: a price per point that falls as the exercise nears its end, and more for
  dipping below a reserve kept for attribution;
- an attribution by its odds, the chance of naming the right author and the cost of
  naming the wrong one.

It plays the best action if it is worth an action, else passes. Ballots and advice are
by national interest, with a reason (:mod:`tabletop.bots.voting`).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import replace

from tabletop.bots.judge import Env, Judge, judge_for
from tabletop.bots.odds import applied, chance
from tabletop.bots.tables import hidden_values
from tabletop.bots.voting import ballot, nation_judge, pass_chance
from tabletop.bots.weigh import outlook, reasons, track_words
from tabletop.campaign.model import Card
from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.view_env import ViewEnv, guess
from tabletop.engine.views import View

#: a play must be worth more than this (passing is worth 0)
THRESHOLD = 0.05
#: the value of a resource point with four or more rounds to go (about a third of a
#: track step toward an objective: a card must bring more than its points could later)
POINT = 0.3
#: extra per point spent below the reserve
BELOW_RESERVE = 0.15
#: the value of exposing one hidden play of the other side, and of learning a hidden value
EXPOSE, LEARN = 0.4, 0.4
#: the value of a card drawn
DRAW = 0.25
#: how likely the other side is to try to attribute a covert play
TRIED = 0.5
#: the cost of giving up deniability by playing an optionally covert card openly
OPENLY = 0.1
#: how many of the newest hidden plays it considers attributing
NEWEST = 3


class HeuristicBot:
    """Plays what best serves its side and its nation; passes when nothing is worth it."""

    def __init__(self, engine: Engine, seat: str, rng: random.Random) -> None:
        self.engine, self.seat, self.rng = engine, seat, rng
        c = engine.campaign
        self.side = engine.side_of[seat]
        self.judge = judge_for(engine, seat)
        self.nation = nation_judge(engine, seat)
        self.mates: dict[str, Judge] = {}
        names = set(self.judge.names)
        for card in c.cards:
            mods = [*(card.contest.modifiers if card.contest else ()),
                    *(card.covert.attribution.modifiers if card.covert else ())]
            for m in mods:
                if m.when is not None:
                    names |= c.condition(m.when).names
                if m.of is not None:
                    names.add(m.of)
        self.calls = tuple(sorted(n for n in names if ":" in n))
        # who of the other sides could have played a hidden card, and which cards
        self.suspects: dict[str, list[Card]] = {}
        for actor in engine.actors:
            if engine.side_of[actor] != self.side:
                cards = {cid for cid in c.deck_of(actor) if c.card_by_id[cid].covert is not None}
                if cards:
                    self.suspects[actor] = [c.card_by_id[cid] for cid in sorted(cards)]
        self.weights = {a: float(sum(1 for cid in c.deck_of(a) if c.card_by_id[cid].covert)) for a in self.suspects}

    # ------------------------------------------------------------------ the picture

    def env_of(self, view: View) -> Env:
        """What the seat sees, as a condition env: unknown hidden values at their middle."""
        env: Env = dict(view.tracks)
        for h in self.engine.campaign.hidden:
            if h.id in view.values:
                env[h.id] = view.values[h.id]
            else:  # the middle of what it could be
                options = hidden_values(self.engine.campaign, h.id)
                env[h.id] = options[(len(options) - 1) // 2] if options else guess(h)
        env["round"] = view.round
        env["phase"] = view.phase
        if self.calls:
            seen = ViewEnv(self.engine, view)
            for key in self.calls:
                env[key] = seen[key]
        return env

    # ------------------------------------------------------------------ choosing

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        self.judge.know(view.values)
        self.nation.know(view.values)
        env = self.env_of(view)
        played = {p.card for p in view.plays if p.card is not None and p.status == "resolved"}
        votes: list[C.CastVote | C.Advise] = [c for c in legal if isinstance(c, C.CastVote | C.Advise)]
        if votes:
            return self._vote(view, votes, env, played)
        base = self.judge.value(env)
        hidden = sorted({c.play for c in legal if isinstance(c, C.Attribute)})[-NEWEST:]
        accusing: dict[str, float] = {}  # the worth of accusing each actor (the same for every play)
        best: list[C.Command] = []
        best_score = THRESHOLD
        for cmd in legal:
            if isinstance(cmd, C.PlayCard):
                card = self.engine.cards[self.engine.instance_card[cmd.card]]
                score = self.score_card(card, view, env, base, played, cmd.covert)
            elif isinstance(cmd, C.Attribute) and cmd.play in hidden:
                if cmd.accused not in accusing:
                    accusing[cmd.accused] = self.score_attribution(cmd.accused, view, env, base, played)
                score = accusing[cmd.accused]
            else:
                continue
            if score > best_score + 1e-9:
                best, best_score = [cmd], score
            elif abs(score - best_score) <= 1e-9:
                best.append(cmd)
        if not best:
            return next((c for c in legal if isinstance(c, C.Pass)), legal[0])
        choice = self.rng.choice(best)
        if isinstance(choice, C.PlayCard):
            card = self.engine.cards[self.engine.instance_card[choice.card]]
            if card.rationale == "ask":
                choice = replace(choice, rationale=self.reason_for(card, env, played))
        return choice

    def _vote(self, view: View, votes: list[C.CastVote | C.Advise], env: Env, played: Collection[str]) -> C.Command:
        play = next((p for p in view.plays if p.id == votes[0].play), None)
        if play is None or play.card is None:  # pragma: no cover - a vote is never on a hidden card
            return next(c for c in votes if c.yes)
        card = self.engine.cards[play.card]
        yes, why = ballot(self.nation, card, env, play.actor or self.seat, played, isinstance(votes[0], C.Advise))
        return replace(next(c for c in votes if c.yes is yes), rationale=why)

    # ------------------------------------------------------------------ weighing

    def price(self, view: View) -> float:
        """What a resource point is worth now: less as the end nears, nothing in the last
        round (a reserve left over at the end is worth nothing, unless an objective counts it)."""
        left = self.engine.campaign.calendar.rounds - view.round
        return POINT * min(1.0, left / 3)

    def reserve(self, view: View) -> int:
        """Points it keeps in hand for an attribution, while the other side plays covertly."""
        if not self.suspects or view.round >= self.engine.campaign.calendar.rounds:
            return 0
        return self.engine.campaign.rules.attribution_cost

    def spend(self, view: View, cost: int) -> float:
        """The cost of spending ``cost`` points now."""
        if not cost:
            return 0.0
        have = view.actors[self.seat].resources or 0
        short = max(0, self.reserve(view) - (have - cost))
        return self.price(view) * cost + BELOW_RESERVE * min(short, cost)

    def score_card(self, card: Card, view: View, env: Env, base: float, played: Collection[str],
                   covert: bool | None) -> float:
        """How much playing ``card`` is worth (0: no better than passing)."""
        value, after = outlook(self.judge, card, env, self.seat, played)
        gain = value - base
        if card.consensus is not None:
            gain *= pass_chance(self.engine, self.mates, self.seat, card, env, played, view.values)
        if card.covert is not None:
            if covert is False:
                gain -= OPENLY
            else:  # the other side may pin it on us
                att = card.covert.attribution
                bonus = sum(v for _, v in applied(self.engine.campaign, att.modifiers, after, played))
                caught = self.judge.value(self.judge.after(after, card.covert.on_attributed, self.seat)) - self.judge.value(after)
                gain += TRIED * chance(att.dice, att.target, bonus) * caught
        fx = card.effects
        if fx.reveal:
            exposed = sum(1 for p in view.plays if p.covert and p.actor is None and not p.revealed)
            gain += EXPOSE * min(fx.reveal, exposed)
        gain += LEARN * sum(1 for v in fx.reveal_values if v not in view.values)
        if fx.draw:
            me = view.actors[self.seat]
            room = self.engine.campaign.actor_by_id[self.seat].hand_size - (len(me.hand or ()) - 1)
            gain += DRAW * max(0, min(fx.draw, room))
        point = self.price(view)
        gain += point * fx.resources
        for who, d in fx.resources_of.items():
            gain += point * d * (1 if self.engine.side_of[who] == self.side else -1)
        return gain - self.spend(view, card.cost)

    def score_attribution(self, accused: str, view: View, env: Env, base: float, played: Collection[str]) -> float:
        """What pinning a hidden play on ``accused`` is worth: the roll's odds, the chance
        it was them (by how many covert cards each could hold), the gain if right and the
        price of a wrong accusation that sticks."""
        cards = self.suspects.get(accused)
        if not cards:
            return -1.0
        c = self.engine.campaign
        right = sum(self.weights.values())
        p_name = self.weights[accused] / right if right else 0.0
        p_roll = gain_right = 0.0
        for card in cards:
            assert card.covert is not None
            att = card.covert.attribution
            bonus = sum(v for _, v in applied(c, att.modifiers, env, played))
            p_roll += chance(att.dice, att.target, bonus) / len(cards)
            gain_right += (self.judge.value(self.judge.after(env, card.covert.on_attributed, None)) - base) / len(cards)
        wrong = self.judge.value(self.judge.after(env, c.rules.misattribution, None)) - base
        score = p_roll * (p_name * (gain_right + EXPOSE) + (1 - p_name) * wrong)
        return score - self.spend(view, c.rules.attribution_cost)

    def reason_for(self, card: Card, env: Env, played: Collection[str]) -> str:
        """A one-line reason for playing ``card`` (for a card that asks for one)."""
        after = self.judge.after(env, card.effects, self.seat, card.cost, card.id)
        names = {s.id: s.name for s in self.engine.campaign.sides}
        why = [r for r in reasons(self.judge, env, after, names) if r[0] > 0]
        tracks = track_words(self.judge, env, after)
        if why:
            text = f"It {why[0][1]}" + (f" (it {tracks})" if tracks else "")
        else:
            text = f"It {tracks}" if tracks else "It keeps our options open"
        return text[:299] + "."
