"""Turning points of an exercise: phase changes, thresholds crossed, and near-misses.

A *near-miss* is a stretch of the game where one track stood one step from an ending —
an end condition, or a transition into a terminal phase — and the ending did not come
of it: moving that track by one (up or down, within its bounds) would have made the
ending's condition hold. It is found by trying that move on the state after each event.
"""

from __future__ import annotations

from dataclasses import dataclass

from tabletop.analysis.debrief import Debrief
from tabletop.analysis.words import condition_text
from tabletop.campaign.conditions import Condition
from tabletop.engine import events as E
from tabletop.engine.state import GameState


@dataclass(frozen=True, slots=True)
class NearMiss:
    first: int  # the event after which the track first stood one step away
    last: int  # the last event after which it still did
    first_round: int
    last_round: int
    track: str
    value: int  # the track's value when it first came near
    step: int  # +1 or -1: the move that would have ended it
    ending: str  # words: "the end condition “Blockade”", "the phase Armed conflict"
    condition: str  # the ending's condition, in words


@dataclass(frozen=True, slots=True)
class Threshold:
    seq: int
    round: int
    track: str
    label: str
    at: int
    rising: bool


@dataclass(frozen=True, slots=True)
class _Ending:
    name: str
    sources: tuple[str, ...]  # phases it can happen from (empty: any)
    cond: Condition
    words: str


def _endings(d: Debrief) -> list[_Ending]:
    c = d.campaign
    out = []
    for end in c.end:
        out.append(_Ending(f"the end condition “{end.title}”", (), c.condition(end.when),
                           condition_text(c, end.when)))
    terminal = {p.id for p in c.phases.states if p.terminal}
    for t in c.phases.transitions:
        if t.dest in terminal and t.when:
            sources = () if "*" in t.sources else t.sources
            out.append(_Ending(f"the phase {d.engine.phase_name(t.dest)}", sources, c.condition(t.when),
                               condition_text(c, t.when)))
    return out


def _holds(cond: Condition, state: GameState, track: str | None = None, step: int = 0) -> bool:
    env = state.env()
    if track is not None:
        env[track] = int(env[track]) + step
    try:
        return cond.evaluate(env)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return False


def near_misses(d: Debrief) -> list[NearMiss]:
    """Every near-miss of the game, in order (see the module)."""
    endings = _endings(d)
    if not endings:
        return []
    c = d.campaign
    bounds = {t.id: (t.min, t.max) for t in c.tracks}
    engine = d.engine
    state = engine.initial_state()
    open_: dict[tuple[int, str, int], list[int]] = {}  # (ending, track, step) -> [first, last, first_round, last_round, value]
    out: list[NearMiss] = []

    def close(key: tuple[int, str, int], now: GameState | None) -> None:
        first, last, r0, r1, value = open_.pop(key)
        if now is None or not (now.ended and _holds(endings[key[0]].cond, now)):  # else the ending came of it
            e = endings[key[0]]
            out.append(NearMiss(first, last, r0, r1, key[1], value, key[2], e.name, e.words))

    for k, entry in enumerate(d.entries, 1):
        state = engine.apply(state, entry.event)
        if not state.tracks:
            continue
        near: set[tuple[int, str, int]] = set()
        if not state.ended:
            for i, e in enumerate(endings):
                if e.sources and state.phase not in e.sources:
                    continue
                if _holds(e.cond, state):
                    continue
                for t in e.cond.names & bounds.keys():
                    lo, hi = bounds[t]
                    for step in (1, -1):
                        if lo <= state.tracks[t] + step <= hi and _holds(e.cond, state, t, step):
                            near.add((i, t, step))
        for key in [x for x in open_ if x not in near]:
            close(key, state)
        for key in near:
            if key in open_:
                open_[key][1], open_[key][3] = k, entry.round
            else:
                open_[key] = [k, k, entry.round, entry.round, state.tracks[key[1]]]
    for key in list(open_):
        close(key, None)
    out.sort(key=lambda n: (n.first, n.track))
    return out


def thresholds_crossed(d: Debrief) -> list[Threshold]:
    """Every time a track crossed one of its thresholds (up to or past it, or back below)."""
    spec = {t.id: t for t in d.campaign.tracks}
    values = {t.id: t.start for t in d.campaign.tracks}
    out = []
    for k, e in enumerate(d.entries, 1):
        ev = e.event
        if type(ev) is not E.TrackChanged or ev.track not in spec:
            continue
        old, new = values[ev.track], ev.value
        values[ev.track] = new
        for th in spec[ev.track].thresholds:
            if old < th.at <= new:
                out.append(Threshold(k, e.round, ev.track, th.label, th.at, True))
            elif new < th.at <= old:
                out.append(Threshold(k, e.round, ev.track, th.label, th.at, False))
    return out


__all__ = ["NearMiss", "Threshold", "near_misses", "thresholds_crossed"]
