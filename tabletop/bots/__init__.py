"""Bots that can take any seat. They see what the seat sees, nothing more.

A bot chooses among ``engine.legal_commands(state, seat)`` using only the seat's
:class:`~tabletop.engine.views.View` and the public campaign, with its own seeded
random generator (never the game's), so a bot game is reproducible and fair.

- :class:`RandomBot` picks any legal command.
- :class:`HeuristicBot` scores each card by how far its effects move its side's
  objectives (and the tracks that favour its side), and plays the best one.
- :class:`FacilitatorBot` rules on what the game waits for: contests by a 2d6 roll
  against 7, proposals accepted.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Protocol, cast

from tabletop.campaign.model import Effects
from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.view_env import ViewEnv
from tabletop.engine.views import View

BOT_KINDS = ("heuristic", "random")


class Bot(Protocol):
    """What every bot is to the session that hosts it (:class:`RandomBot`,
    :class:`HeuristicBot`, :class:`FacilitatorBot`)."""

    #: its own generator, never the game's; the session reseeds it before each choice
    #: (so a resumed game goes on as it would have without the break)
    rng: random.Random

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        """One of ``legal`` (never empty), chosen from what ``view`` shows its seat."""
        ...


class RandomBot:
    """Any legal command, uniformly; votes yes four times in five."""

    def __init__(self, engine: Engine, seat: str, rng: random.Random) -> None:
        self.engine, self.seat, self.rng = engine, seat, rng

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        votes: list[C.CastVote | C.Advise] = [c for c in legal if isinstance(c, C.CastVote | C.Advise)]
        if votes:
            yes = self.rng.random() < 0.8
            return next(c for c in votes if c.yes is yes)
        return self.rng.choice(list(legal))


class HeuristicBot:
    """Plays the card that best serves its side's objectives; passes when nothing helps."""

    #: how much an objective already met still pulls (margins are capped at this)
    CAP = 2.0

    def __init__(self, engine: Engine, seat: str, rng: random.Random) -> None:
        self.engine, self.seat, self.rng = engine, seat, rng
        c = engine.campaign
        self.side = engine.side_of[seat]
        own = [*(o for s in c.sides if s.id == self.side for o in s.objectives), *c.actor_by_id[seat].objectives]
        self.objectives = [c.condition(o.when) for o in own]
        # another side's secret objectives are not this seat's to know
        self.others = [c.condition(o.when) for s in c.sides if s.id != self.side for o in s.objectives if not o.secret]
        plain = {t.id for t in c.tracks} | {"round", "phase"}
        # a memo keyed on the tracks alone is right only if nothing else is read
        self._memoable = all(cond.names <= plain for cond in (*self.objectives, *self.others))
        # and a plain dict of the view's tracks is env enough if no transition reads more either
        self._plain_env = self._memoable and all(
            c.condition(t.when).names <= plain for t in c.phases.transitions if t.when is not None
        )
        self.favour = {t.id: (1 if t.favours == self.side else -1 if t.favours else 0) for t in c.tracks}
        self._track_ids = tuple(t.id for t in c.tracks)
        # the memo's key: (phase, round, *tracks), read in one C call (at least two names: a tuple)
        self._key = itemgetter("phase", "round", *self._track_ids)
        self._memo: dict[tuple[object, ...], float] = {}

    def _value(self, env: Mapping[str, int | str]) -> float:
        if not self._memoable:
            return self._compute_value(env)
        key = self._key(env)
        value = self._memo.get(key)
        if value is None:
            if len(self._memo) > 50_000:
                self._memo.clear()
            value = self._memo[key] = self._compute_value(env)
        return value

    def _compute_value(self, env: Mapping[str, int | str]) -> float:
        mine = sum(min(o.margin(env), self.CAP) for o in self.objectives)
        theirs = sum(min(o.margin(env), self.CAP) for o in self.others)
        lean = sum(self.favour[t] * cast(int, env[t]) for t in self.favour)  # a track's value is an int
        return mine - 0.5 * theirs + 0.2 * lean

    def _after(self, env: dict[str, int | str], fx: Effects, weight: float = 1.0) -> dict[str, int | str]:
        out = env.copy()
        tracks = self.engine.tracks
        for t, d in fx.tracks.items():
            out[t] = min(tracks[t].max, max(tracks[t].min, int(out[t]) + round(d * weight)))
        if fx.trigger:
            fired = self.engine.machine.fire(fx.trigger, str(env["phase"]), out)
            if fired is not None:
                out["phase"] = fired.dest
        return out

    def score_card(self, card_id: str, env: dict[str, int | str]) -> float:
        """How much playing ``card_id`` improves this side's position (0 = no change)."""
        card = self.engine.cards[card_id]
        base = self._value(env)
        after = self._after(env, card.effects)
        score = self._value(after) - base
        if card.contest is not None:
            win = self._value(self._after(after, card.contest.success)) - self._value(after)
            lose = self._value(self._after(after, card.contest.failure)) - self._value(after)
            score += 0.55 * win + 0.45 * lose
        if card.effects.draw:
            score += 0.3 * card.effects.draw
        if card.effects.reveal:
            score += 0.4
        return score - 0.05 * card.cost

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        env: dict[str, int | str]
        if self._plain_env:
            env = {**view.tracks, "round": view.round, "phase": view.phase}  # all its conditions read
        else:
            env = ViewEnv(self.engine, view)
        votes: list[C.CastVote | C.Advise] = [c for c in legal if isinstance(c, C.CastVote | C.Advise)]
        if votes:
            card = next((p.card for p in view.plays if p.id == votes[0].play), None)
            yes = card is None or self.score_card(card, env) >= 0
            return next(c for c in votes if c.yes is yes)
        best: list[C.Command] = []
        best_score = 0.05  # passing scores 0: play only what helps
        for cmd in legal:
            if isinstance(cmd, C.PlayCard):
                score = self.score_card(self.engine.instance_card[cmd.card], env)
                if cmd.covert is False:
                    score -= 0.1  # keep deniability when the choice is free
            elif isinstance(cmd, C.Attribute):
                score = 0.3 + 0.2 * self.rng.random()
            else:
                continue
            if score > best_score + 1e-9:
                best, best_score = [cmd], score
            elif abs(score - best_score) <= 1e-9:
                best.append(cmd)
        if best:
            return self.rng.choice(best)
        return next((c for c in legal if isinstance(c, C.Pass)), legal[0])


class FacilitatorBot:
    """Rules on pending contests with a 2d6 roll against 7 and accepts proposals."""

    def __init__(self, engine: Engine, rng: random.Random) -> None:
        self.engine, self.rng = engine, rng

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        for cmd in legal:
            if isinstance(cmd, C.Adjudicate) and cmd.success:
                roll = self.rng.randint(1, 6) + self.rng.randint(1, 6)
                return replace(cmd, success=roll >= 7, rationale=f"Ruled by the facilitator bot (rolled {roll} against 7).")
            if isinstance(cmd, C.RuleProposal) and cmd.verdict == "accept":
                return replace(cmd, rationale="Accepted by the facilitator bot.")
            if isinstance(cmd, C.Resume):
                return cmd
        return next((c for c in legal if isinstance(c, C.Advance)), legal[0])


def make_bot(kind: str, engine: Engine, seat: str, rng: random.Random) -> Bot:
    """A bot of ``kind`` (``heuristic`` or ``random``) for ``seat``; raises ``ValueError`` otherwise."""
    if seat == C.FACILITATOR:
        return FacilitatorBot(engine, rng)
    if kind == "random":
        return RandomBot(engine, seat, rng)
    if kind == "heuristic":
        return HeuristicBot(engine, seat, rng)
    raise ValueError(f"unknown bot kind {kind!r} (choose from {', '.join(BOT_KINDS)})")
