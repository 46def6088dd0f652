"""What a campaign tells a bot before any game: its phase machine as tables, what an
ending means at the start, and which tracks deter.

Read once per judge (:class:`~tabletop.bots.judge.Judge`); nothing here depends on a game.
"""

from __future__ import annotations

from typing import Any

from tabletop.campaign.conditions import Condition
from tabletop.campaign.model import Campaign, Transition


def _sources(c: Campaign, t: Transition) -> list[str]:
    return [p.id for p in c.phases.states if not p.terminal] if t.source == "*" else list(t.sources)


def auto_table(c: Campaign) -> dict[str, list[tuple[Condition, str]]]:
    """Per phase, its automatic transitions in the order the machine tries them."""
    out: dict[str, list[tuple[Condition, str]]] = {}
    for t in c.phases.transitions:
        if t.is_auto and t.when is not None:
            for src in _sources(c, t):
                out.setdefault(src, []).append((c.condition(t.when), t.dest))
    return out


def trigger_table(c: Campaign) -> dict[tuple[str, str], list[tuple[Condition | None, str]]]:
    """Per (trigger, phase), its transitions in order (a condition of None always holds)."""
    out: dict[tuple[str, str], list[tuple[Condition | None, str]]] = {}
    for t in c.phases.transitions:
        for src in _sources(c, t):
            out.setdefault((t.trigger, src), []).append((c.condition(t.when) if t.when else None, t.dest))
    return out


def hidden_values(c: Campaign, hidden: str) -> list[int | str]:
    """Every value hidden value ``hidden`` may be drawn as, each equally likely.

    A range of one value, ``[0, 0]``, is what a seat is sent for a value it does not know
    (:mod:`tabletop.campaign.redact`): the value is then anywhere on the scale of the
    tracks it is compared with, which is all that seat can tell."""
    h = c.hidden_by_id[hidden]
    if h.range is not None and h.range == (0, 0):
        scale = _scale_of(c, hidden)
        if scale is not None:
            return list(range(scale[0], scale[1] + 1))
    if h.range is not None:
        return list(range(h.range[0], h.range[1] + 1))
    return list(h.values or [])


def _scale_of(c: Campaign, hidden: str) -> tuple[int, int] | None:
    """The lowest minimum and highest maximum of the tracks read beside ``hidden``."""
    texts = [t.when for t in c.phases.transitions if t.when] + [e.when for e in c.end]
    texts += [o.when for s in c.sides for o in (*s.objectives, *(x for a in s.actors for x in a.objectives))]
    tracks = [
        c.track_by_id[n] for text in texts if hidden in c.condition(text).names
        for n in c.condition(text).names if n in c.track_by_id
    ]
    if not tracks:
        return None
    return min(t.min for t in tracks), max(t.max for t in tracks)


class _StartEnv(dict[str, Any]):
    """The env at the start of a game, answering call keys (resources as dealt, nothing played)."""

    def __init__(self, c: Campaign) -> None:
        super().__init__({t.id: t.start for t in c.tracks})
        for h in c.hidden:
            options = hidden_values(c, h.id)
            self[h.id] = options[(len(options) - 1) // 2]
        self["round"] = 1
        self["phase"] = c.phases.initial
        self._resources = {a.id: a.resources for s in c.sides for a in s.actors}

    def __missing__(self, key: str) -> int:
        name, _, rest = key.partition(":")
        if name == "resources":
            return self._resources.get(rest, 0)
        return 0


def start_env(c: Campaign) -> dict[str, Any]:
    """The env of a game's first round, for judging what each ending means to a side."""
    return _StartEnv(c)


def deterrence(c: Campaign, side: str) -> dict[str, float]:
    """How much a point of each track helps ``side``'s rolls and hurts the other sides'.

    Read from every contest and attribution modifier on a track: a modifier of another
    side's card that falls as the track rises (or of this side's that grows) makes the
    track a deterrent for ``side``. Worth about 0.04 per point of roll per point of track.
    """
    out: dict[str, float] = {}
    for card in c.cards:
        rolls = []
        if card.contest is not None:
            rolls.append((card.side == side, card.contest.modifiers))
        if card.covert is not None:  # the attribution roll is made against the card's side
            rolls.append((card.side != side, card.covert.attribution.modifiers))
        for ours, mods in rolls:
            for m in mods:
                for track, slope in _modifier_slopes(c, m).items():
                    out[track] = out.get(track, 0.0) + (0.04 if ours else -0.04) * slope
    return {t: max(-0.3, min(0.3, w)) for t, w in out.items()}


def _modifier_slopes(c: Campaign, m: Any) -> dict[str, float]:
    """Roll points per track point of modifier ``m``, for each track it reads."""
    tracks = c.track_by_id
    if m.per is not None and m.of in tracks:
        return {m.of: m.add / m.per}
    if m.when is None:
        return {}
    cond = c.condition(m.when)
    read = [n for n in cond.names if n in tracks]
    if len(read) != 1:
        return {}
    t = tracks[read[0]]
    lo, hi = start_env(c), start_env(c)
    lo[t.id], hi[t.id] = t.min, t.max
    try:
        swing = int(cond.evaluate(hi)) - int(cond.evaluate(lo))
    except KeyError:
        return {}
    return {t.id: m.add * swing / max(1, t.max - t.min)} if swing else {}
