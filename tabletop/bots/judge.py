"""How good a position is for one actor, from what its seat knows: the heuristic bot's eye.

A position is a condition env (tracks, ``round``, ``phase``, hidden values, and the
``resources:``/``played:`` keys its conditions read). :class:`Judge` values it for an
*owner* (an actor) as a *viewer* knows that owner's aims:

- its side's objectives, and its own actor's (its national interest), each by its
  margin (how far it is from flipping: :func:`worth`): secret ones only if the viewer
  may know them; the other sides' public objectives count against it;
- the tracks: up for a track that favours its side, and for a track that deters (one
  that raises its own contests' and attributions' odds, or lowers the other side's);
- the phase: nearer to a good end, farther from a bad one (a terminal phase or an end
  condition whose declared result, or objectives, go its way);
- an ending: a terminal phase or an end condition that would hold at the next phase
  check or round's end counts as that ending's result, by far the strongest term; a
  condition on a hidden value the viewer does not know is weighed over every value it
  could have (so a red line nobody has seen is a risk, not a certainty).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from tabletop.bots.tables import (
    auto_table,
    deterrence,
    hidden_values,
    start_env,
    trigger_table,
)
from tabletop.campaign.conditions import Condition
from tabletop.campaign.model import Campaign, Effects, Objective
from tabletop.campaign.secrets import audience, sees_objectives
from tabletop.engine.rules import Engine

Env = dict[str, Any]

#: an objective's margin counts up to this (one met by a mile is no better than one met safely)
CAP = 2.0
#: what meeting an objective is worth beyond its margin (it scores met or not)
MET = 0.5
#: what a step toward an objective still unmet is worth (against 1 for a step once met)
TOWARD = 0.5


def worth(margin: float) -> float:
    """What an objective's margin is worth: half a point a step while unmet, a bonus for
    meeting it, then a point a step up to :data:`CAP`."""
    if margin > 0:
        return MET + min(margin, CAP)
    return TOWARD * margin
#: the weight of an ending (win +1, draw 0, loss -1) against the objectives' margins
ENDING = 12.0
#: the weight of the phase's distance to good and bad ends (a tie-breaker: the ends
#: themselves, and the objectives that read the phase, weigh far more)
PHASE = 0.5
#: the weight of one point of a track that favours the owner's side
LEAN = 0.2
#: the chance a condition one step short of holding (margin 0), or two (-1), holds by the
#: time it is checked: the other seats act too, and contests are rolled
NEAR = {0: 0.25, -1: 0.05}


def _near(margin: float) -> float:
    """The chance a condition with ``margin`` holds when checked (1 if it holds now)."""
    return 1.0 if margin > 0 else NEAR.get(int(margin), 0.0)


@dataclass(frozen=True, slots=True)
class Term:
    """One objective the judge weighs: its condition, weight and how to name it."""

    condition: Condition
    weight: float
    objective: Objective
    owner: str  # side or actor id
    secret: bool  # the owner's own secret: never named to others


class Judge:
    """Values positions for ``owner`` (an actor) as ``viewer`` (a seat) knows its aims.

    ``side_weight`` and ``national_weight`` weigh the side's objectives and the actor's
    own; a vote puts the nation first, a play the alliance.
    """

    def __init__(self, engine: Engine, owner: str, viewer: str | None = None,
                 side_weight: float = 1.0, national_weight: float = 0.8) -> None:
        self.engine = engine
        c: Campaign = engine.campaign
        self.campaign = c
        self.owner = owner
        self.side = engine.side_of[owner]
        who = audience(c, viewer or owner)
        terms: list[Term] = []
        for side in c.sides:
            mine = side.id == self.side
            for o in side.objectives:
                if mine and (not o.secret or sees_objectives(c, side.id, who)):
                    terms.append(Term(c.condition(o.when), side_weight, o, side.id, False))
                elif not mine and not o.secret:
                    terms.append(Term(c.condition(o.when), -0.5, o, side.id, False))
            for a in side.actors:
                for o in a.objectives:
                    if o.secret and not sees_objectives(c, a.id, who):
                        continue
                    if a.id == owner:
                        terms.append(Term(c.condition(o.when), national_weight, o, a.id, o.secret))
                    elif mine:
                        terms.append(Term(c.condition(o.when), 0.2, o, a.id, o.secret))
                    else:
                        terms.append(Term(c.condition(o.when), -0.2, o, a.id, o.secret))
        self.terms = tuple(terms)
        # how the viewer can score each side's objectives at an ending (None: a secret it cannot read)
        self.scoring = {
            side.id: [
                c.condition(o.when) if not o.secret or sees_objectives(c, side.id, who) else None
                for o in side.objectives
            ]
            for side in c.sides
        }
        self.slope = {t.id: (LEAN if t.favours == self.side else -LEAN if t.favours else 0.0) for t in c.tracks}
        for track, weight in deterrence(c, self.side).items():
            self.slope[track] += weight
        self._slopes = tuple((t, w) for t, w in self.slope.items() if w)
        self.terminal = engine.terminal
        self.auto = auto_table(c)
        self.triggers = trigger_table(c)
        self.ends = [(c.condition(e.when), e) for e in c.end]
        # scripted injects that fire the first time a condition holds, as far as the viewer
        # may know them (a private inject is its audience's): a move that sets one off
        # brings its effects too
        self.injects = [
            (c.condition(i.when), i.effects) for i in c.injects
            if i.when is not None and i.round is None and (not i.to or who is None or not who.isdisjoint(i.to))
        ]
        self.potential = self._potentials()
        # what a value reads: the phase, the tracks it leans on, and every name a judged
        # condition reads (``round`` only if one does: the memo then serves every round)
        names: set[str] = {"phase", *(t for t, w in self.slope.items() if w)}
        for term in self.terms:
            names |= term.condition.names
        for t in c.phases.transitions:  # triggers' too: a card's trigger is judged by them
            if t.when is not None:
                names |= c.condition(t.when).names
        for cond, _ in self.ends:
            names |= cond.names
        for cond, _ in self.injects:
            names |= cond.names
        for conds in self.scoring.values():
            for known in conds:
                names |= known.names if known is not None else set()
        #: every name the judge reads (the memo's key)
        self.names = frozenset(names)
        #: the call keys (``resources:x``, ``played:x``) the judged conditions read
        self.calls = tuple(sorted(n for n in names if ":" in n))
        self._key = itemgetter(*sorted(names))
        self.unknown: tuple[str, ...] = ()  # hidden values the viewer does not know (set per view)
        # values are pure functions of the env and of what the viewer knows: one memo per
        # set of unknown values, kept across games of the same campaign
        self._memos: dict[tuple[str, ...], dict[Any, float]] = {}
        self._memo = self._memos.setdefault(self.unknown, {})
        # the next phase check's moves, by the values its transitions read
        self._reads: dict[str, tuple[str, ...]] = {}
        self._moves_memo: dict[tuple[Any, ...], list[tuple[float, str]]] = {}

    # ------------------------------------------------------------------ knowledge

    def know(self, known: Mapping[str, object]) -> None:
        """Tell the judge which hidden values its viewer knows now (the view's ``values``)."""
        unknown = tuple(h.id for h in self.campaign.hidden if h.id not in known)
        if unknown != self.unknown:
            self.unknown = unknown
            self._memo = self._memos.setdefault(unknown, {})

    # ------------------------------------------------------------------ values

    def value(self, env: Env) -> float:
        """How good ``env`` is for the owner: higher is better."""
        key = self._key(env)
        v = self._memo.get(key)
        if v is None:
            if len(self._memo) > 50_000:
                self._memo.clear()
            v = self._memo[key] = self._value(env)
        return v

    def _value(self, env: Env, depth: int = 0) -> float:
        phase = str(env["phase"])
        if phase in self.terminal:
            return self.ending(env, ("phase", phase))
        total = 0.0
        left = 1.0
        # a phase check may move the crisis on more than once (as the engine's does):
        # follow it two steps, then judge the phase reached as it stands
        for p, dest in self._moves(env, phase, near=not depth) if depth < 2 else ():
            moved = dict(env)
            moved["phase"] = dest
            key = (self._key(moved), depth + 1)  # the same moves recur for every card weighed
            deeper = self._memo.get(key)
            if deeper is None:
                deeper = self._memo[key] = self._value(moved, depth + 1)
            total += p * deeper
            left -= p
        if left > 1e-9:
            for p, ending in self._endings(env):
                total += p * left * self.ending(env, ("end", ending))
                left -= p * left
            total += left * self.live(env)
        return total

    def live(self, env: Env) -> float:
        """The value of a position the game goes on from: objectives, tracks, phase."""
        v = 0.0
        for term in self.terms:
            v += term.weight * worth(term.condition.margin(env))
        for track, w in self._slopes:
            v += w * env[track]
        return v + PHASE * self.potential.get(str(env["phase"]), 0.0)

    def ending(self, env: Env, how: tuple[str, str]) -> float:
        """The value of the game ending now, in a terminal phase or by an end condition."""
        return ENDING * self.result(env, how) + 0.25 * self.live(env)

    def result(self, env: Env, how: tuple[str, str]) -> float:
        """The owner's side's result if the game ended so: +1 win, 0 draw, -1 loss."""
        c = self.campaign
        declared = c.phase_by_id[how[1]].outcome if how[0] == "phase" else next(e.outcome for e in c.end if e.id == how[1])
        if isinstance(declared, str):
            mine = declared
        elif declared:
            mine = declared.get(self.side, "lose")
        else:
            # another side's secret objective is not the viewer's to read: an even chance
            shares = {
                side: sum(0.5 if cond is None else float(cond.evaluate(env)) for cond in conds) / len(conds)
                if conds else 0.0
                for side, conds in self.scoring.items()
            }
            best = max(shares.values())
            leaders = [s for s, v in shares.items() if v == best]
            mine = "draw" if self.side in leaders and len(leaders) > 1 else "win" if leaders == [self.side] else "lose"
        return {"win": 1.0, "draw": 0.0}.get(mine, -1.0)

    # ------------------------------------------------------------------ phases

    def next_phase(self, env: Env) -> str:
        """The phase the crisis is likeliest to be in after the next phase check."""
        phase = str(env["phase"])
        if phase in self.terminal:
            return phase
        moves = self._moves(env, phase)
        best = max(moves, default=(0.0, phase))
        return best[1] if best[0] > 0.5 else phase

    def _moves(self, env: Env, phase: str, near: bool = True) -> list[tuple[float, str]]:
        """Where the next phase check may take the crisis from ``phase``: (chance, phase).

        A transition whose condition holds fires (the first in order, as the machine
        decides); one a step short of holding may still fire (:data:`NEAR`: the other
        seats move too, and rolls land) in the chance left by those before it; only
        ``near`` the move being weighed (a second step counts only what surely holds)."""
        rows = self.auto.get(phase)
        if not rows:
            return []
        reads = self._reads.get(phase)
        if reads is None:
            reads = self._reads[phase] = tuple(sorted({n for cond, _ in rows for n in cond.names}))
        key = (phase, near, self.unknown, *(env[n] for n in reads))
        moves = self._moves_memo.get(key)
        if moves is None:
            if len(self._moves_memo) > 50_000:
                self._moves_memo.clear()
            moves = self._moves_memo[key] = self._compute_moves(env, rows, near)
        return moves

    def _compute_moves(self, env: Env, rows: list[tuple[Condition, str]], near: bool) -> list[tuple[float, str]]:
        out: dict[str, float] = {}
        for share, trial in self._trials(env, [cond for cond, _ in rows]):
            left = share
            for cond, dest in rows:
                p = _near(cond.margin(trial)) if near else float(cond.evaluate(trial))
                if p:
                    out[dest] = out.get(dest, 0.0) + left * p
                    left *= 1 - p
                    if not left:
                        break
        return [(p, d) for d, p in out.items()]

    def _endings(self, env: Env) -> list[tuple[float, str]]:
        """End conditions that would (or nearly) hold at the round's end: (chance, id)."""
        out = []
        for cond, ending in self.ends:
            p = sum(share * _near(cond.margin(trial)) for share, trial in self._trials(env, [cond]))
            if p:
                out.append((p, ending.id))
        return out

    def _trials(self, env: Env, conds: list[Condition]) -> list[tuple[float, Env]]:
        """``env`` with each value the hidden values ``conds`` read and the viewer does not
        know could take, each with its chance (``env`` alone when there are none)."""
        unknown = [h for h in self.unknown if any(h in cond.names for cond in conds)]
        if not unknown:
            return [(1.0, env)]
        options = [hidden_values(self.campaign, h) for h in unknown]
        combos = list(itertools.islice(itertools.product(*options), 256))
        return [(1.0 / len(combos), {**env, **dict(zip(unknown, combo))}) for combo in combos]

    def fire(self, trigger: str, env: Env) -> str | None:
        """The phase ``trigger`` would move the crisis to from ``env``, or None (as the machine decides)."""
        phase = str(env["phase"])
        if phase in self.terminal:
            return None
        for cond, dest in self.triggers.get((trigger, phase), ()):
            if cond is None or cond.evaluate(env):
                return dest
        return None

    def _potentials(self) -> dict[str, float]:
        """Each live phase's pull: +1 at a good end's door, -1 at a bad one's, less farther away."""
        c = self.campaign
        edges: dict[str, set[str]] = {}
        live = [p.id for p in c.phases.states if not p.terminal]
        for t in c.phases.transitions:
            for src in live if t.source == "*" else t.sources:
                edges.setdefault(src, set()).add(t.dest)
        ends = {}
        for phase in c.phases.states:
            if phase.terminal:
                env = start_env(c)
                env["phase"] = phase.id
                ends[phase.id] = self.result(env, ("phase", phase.id))
        out: dict[str, float] = {}
        for p in live:
            dist: dict[str, int] = {p: 0}
            frontier = [p]
            while frontier:
                nxt = []
                for q in frontier:
                    for d in edges.get(q, ()):
                        if d not in dist:
                            dist[d] = dist[q] + 1
                            nxt.append(d)
                frontier = nxt
            pull = sum(r * 0.5 ** (dist[t] - 1) for t, r in ends.items() if t in dist)
            out[p] = max(-1.0, min(1.0, pull))
        return out

    # ------------------------------------------------------------------ what effects do

    def after(self, env: Env, fx: Effects, actor: str | None, cost: int = 0, card: str | None = None) -> Env:
        """``env`` after ``fx`` (played by ``actor``, for ``cost``, as ``card``), as far as the
        judged conditions read it: tracks clamped, resources, plays, a trigger's phase, and
        the effects of a scripted inject whose condition the move makes hold (it fires at
        the next inject step; one that held already is taken to have fired)."""
        out = self._apply(env, fx, actor, cost, card)
        for cond, effects in self.injects:
            if cond.evaluate(out) and not cond.evaluate(env):
                out = self._apply(out, effects, None)
        return out

    def _apply(self, env: Env, fx: Effects, actor: str | None, cost: int = 0, card: str | None = None) -> Env:
        out = dict(env)
        tracks = self.engine.tracks
        for t, d in fx.tracks.items():
            tr = tracks[t]
            out[t] = min(tr.max, max(tr.min, int(out[t]) + d))
        if self.calls:
            changes = dict(fx.resources_of)
            if actor is not None:
                changes[actor] = changes.get(actor, 0) + fx.resources - cost
            for who, d in changes.items():
                key = f"resources:{who}"
                if key in out:
                    out[key] = max(0, int(out[key]) + d)
            if card is not None:
                for key in (f"played:{card}", f"played:{card}:{actor}", f"played_this_round:{card}",
                            f"played_this_round:{card}:{actor}"):
                    if key in out:
                        out[key] = 1
        if fx.trigger:
            dest = self.fire(fx.trigger, out)
            if dest is not None:
                out["phase"] = dest
        return out


_JUDGES: weakref.WeakKeyDictionary[Engine, dict[tuple[str, str | None, float, float], Judge]] = (
    weakref.WeakKeyDictionary()
)


def judge_for(engine: Engine, owner: str, viewer: str | None = None,
              side_weight: float = 1.0, national_weight: float = 0.8) -> Judge:
    """The :class:`Judge` of these arguments, built once per engine: its tables and its memo
    then serve every game of a simulation (a value depends on nothing else)."""
    judges = _JUDGES.setdefault(engine, {})
    key = (owner, viewer, side_weight, national_weight)
    judge = judges.get(key)
    if judge is None:
        judge = judges[key] = Judge(engine, owner, viewer, side_weight, national_weight)
    return judge
