"""Where a seat stands, from what it sees: its objectives met or not, and the endings near.

The role panel and the hand-off ask these; they read the seat's :class:`View` only (a
hidden value the seat does not know makes an objective or an ending "cannot tell", never
a guess). How near an ending is comes from the condition's margin
(:meth:`Condition.margin <tabletop.campaign.conditions.Condition.margin>`): the number of
one-point steps of the tracks it reads before it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from tabletop.campaign.explain import condition_words, held_words
from tabletop.campaign.model import Objective
from tabletop.campaign.secrets import SECRET_OBJECTIVE
from tabletop.engine.narrate import and_list
from tabletop.engine.rules import Engine
from tabletop.engine.view_env import ViewEnv
from tabletop.engine.views import View


@dataclass(frozen=True, slots=True)
class ObjectiveStanding:
    """One objective the seat works for, as it stands now."""

    objective: Objective
    #: ``side`` (its side's) or ``actor`` (its own)
    whose: str
    #: met now; None when it reads a hidden value the seat does not know
    met: bool | None
    #: what holds (met), what it needs (not yet), or what it depends on (cannot tell)
    why: str
    #: the tracks it reads and their values now (``Public trust 5``), for "not yet"
    now: str = ""


@dataclass(frozen=True, slots=True)
class EndingNear:
    """Something that can stop the game early, and how near it is."""

    title: str
    #: ``ending`` (an end condition), ``phase`` (a move to a final phase: ``auto`` says
    #: whether it happens by itself or a card must make it) or ``round`` (the last round)
    kind: str
    #: the condition in words (``Escalation is at least 9``), with the phases it leaves from
    #: when it cannot happen from the phase now
    words: str
    #: one-point steps before it holds (0: it holds now), or None when the seat cannot tell
    #: or it cannot happen from the phase now
    steps: int | None
    auto: bool = True
    #: it can happen from the phase now
    reachable: bool = True


def _unknown(engine: Engine, view: View, names: frozenset[str]) -> list[str]:
    """The hidden values among ``names`` that the seat of ``view`` does not know, by name."""
    hidden = engine.campaign.hidden_by_id
    return [hidden[n].name for n in sorted(names) if n in hidden and n not in view.values]


def objective_standing(engine: Engine, view: View, seat: str) -> list[ObjectiveStanding]:
    """The objectives ``seat`` (an actor) works for: its side's, then its own, as they stand."""
    if seat not in engine.side_of:
        return []
    c = engine.campaign
    env = ViewEnv(engine, view)
    out = []
    owners = [("side", c.side_by_id[engine.side_of[seat]].objectives), ("actor", c.actor_by_id[seat].objectives)]
    for whose, objectives in owners:
        for o in objectives:
            if o.secret and o.title == SECRET_OBJECTIVE:  # another seat's secret, as a remote seat holds it
                continue
            unknown = _unknown(engine, view, c.condition(o.when).names)
            if unknown:
                out.append(ObjectiveStanding(o, whose, None, f"it depends on {and_list(unknown)}, which you do not know"))
                continue
            cond = c.condition(o.when)
            if cond.evaluate(env):
                out.append(ObjectiveStanding(o, whose, True, held_words(c, o.when, env)))
                continue
            tracks = [t for t in c.tracks if t.id in cond.names]
            now = ", ".join(f"{t.name} {view.tracks.get(t.id, t.start)}" for t in tracks)
            out.append(ObjectiveStanding(o, whose, False, condition_words(c, o.when, view.values), now))
    return out


def _steps(engine: Engine, view: View, env: ViewEnv, when: str) -> int | None:
    cond = engine.campaign.condition(when)
    if _unknown(engine, view, cond.names):
        return None
    if cond.evaluate(env):
        return 0
    return max(1, int(1 - cond.margin(env)))


def endings_near(engine: Engine, view: View) -> list[EndingNear]:
    """What can end the game from here, nearest first: end conditions, automatic moves to a
    final phase from the phase now, and the last round; a hidden value ``view`` knows (a
    revealed red line) is said with its value."""
    c = engine.campaign
    env = ViewEnv(engine, view)
    out = []
    for end in c.end:
        words = condition_words(c, end.when, view.values)  # a red line the view knows, with its value
        out.append(EndingNear(end.title, "ending", words, _steps(engine, view, env, end.when)))
    terminal = {p.id for p in c.phases.states if p.terminal}
    if view.phase not in terminal:
        for t in c.phases.transitions:
            if t.dest not in terminal:
                continue
            here = "*" in t.sources or view.phase in t.sources
            words = condition_words(c, t.when, view.values) if t.when else ""
            if not here:
                froms = and_list([engine.phase_name(p) for p in t.sources]).replace(" and ", " or ")
                words = f"from {froms}" + (f", if {words}" if words else "")
            steps = (_steps(engine, view, env, t.when) if t.when else None) if here else None
            out.append(EndingNear(engine.phase_name(t.dest), "phase", words, steps, t.is_auto, here))
    last = c.calendar.rounds
    out.append(EndingNear("The last round", "round", f"after round {last}", max(0, last - view.round)))
    return sorted(out, key=lambda e: (not e.reachable, e.steps is None, e.steps if e.steps is not None else 0))
