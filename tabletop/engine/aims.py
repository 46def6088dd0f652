"""Which of a seat's own aims a card works against: the line the play dialog shows before
the card is played ("This raises Escalation risk, which your secret aim 'No rapid
escalation' wants kept at 5 or less.").

Read from the campaign only (the card's effects and the seat's objectives), never from
the state, so it is the same on a host and on a network client's mirror. Only the aims of
the seat asking are read, its own actor's and its side's, which that seat knows (a client's
campaign has them whole); another seat's objectives, secret or not, are never looked at,
so the words cannot tell one seat anything about another's.

An aim counts when its condition keeps a track (or the seat's own resources) at most or
at least a number, alone or as a part of an ``and``; a card works against it when its
effects (its cost included) move that number the other way. A part under ``or`` or
``not`` is left alone: the aim may be met another way. A contest's branches are left to
the lines that say what success and failure do: this is what the seat chooses by playing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tabletop.campaign.condition_calls import split_key
from tabletop.campaign.condition_nodes import (
    And,
    CompareNumbers,
    CompareOp,
    ConditionNode,
    Int,
    NumberName,
)
from tabletop.campaign.model import Card, Objective
from tabletop.engine.resolve import resources_after, track_after
from tabletop.engine.rules import Engine
from tabletop.engine.views import View

__all__ = ["AimAgainst", "aims_against"]

#: what an aim that bounds a number wants of it
_KEPT = {"<=": "at {} or less", "<": "below {}", ">=": "at {} or more", ">": "above {}"}
#: the resources of the seat itself, as a condition names them
_RESOURCES = "resources"


@dataclass(frozen=True, slots=True)
class AimAgainst:
    """One of the seat's aims a card works against, and how."""

    title: str  # the aim's title
    secret: bool
    side: bool  # the seat's side's aim, not its own actor's
    what: str  # the number moved, as people name it: "Escalation risk", "your resources"
    raises: bool  # the card raises it (else lowers it)
    kept: str  # what the aim wants of it: "at 5 or less"
    now: tuple[int, int] | None = None  # its value now and after the card, where the seat sees them

    def sentence(self) -> str:
        """``This raises Escalation risk from 4 to 5, which your secret aim 'No rapid
        escalation' wants kept at 5 or less.`` (the values where the caller gave a view)"""
        whose = ("your side's " if self.side else "your ") + ("secret aim" if self.secret else "aim")
        verb = "raises" if self.raises else "lowers"
        moves = f" from {self.now[0]} to {self.now[1]}" if self.now is not None else ""
        return f"This {verb} {self.what}{moves}, which {whose} '{self.title}' wants kept {self.kept}."


def _bounds(node: ConditionNode) -> Iterator[tuple[str, CompareOp, int]]:
    """(name, op, k) for each ``name <op> k`` the condition needs, at its top or in an ``and``."""
    if isinstance(node, And):
        for part in node.parts:
            yield from _bounds(part)
        return
    if not isinstance(node, CompareNumbers):
        return
    left, op, right = node.number_last()
    if isinstance(left, NumberName) and isinstance(right, Int) and op in _KEPT:
        yield left.name, op, right.value


def aims_against(engine: Engine, seat: str, card: Card, view: View | None = None) -> tuple[AimAgainst, ...]:
    """The aims of ``seat`` (an actor; its side's aims and its own) that playing ``card``
    works against, in the campaign's order (its side's first). Empty for a seat that is not an actor (a side, the facilitator).
    With ``view`` (the seat's own), each says the number's value now and after the card."""
    c = engine.campaign
    side = c.side_of_actor.get(seat)
    if side is None:
        return ()
    aims: list[tuple[Objective, bool]] = [(o, True) for o in c.objectives_of(side)]
    aims += [(o, False) for o in c.objectives_of(seat)]
    fx = card.effects
    spent = fx.resources + fx.resources_of.get(seat, 0) - card.cost  # the seat's own resources
    out: list[AimAgainst] = []
    for objective, of_side in aims:
        for name, op, k in _bounds(c.condition(objective.when).tree):
            fn, subject, _ = split_key(name)
            if name in c.track_by_id:
                what = c.track_by_id[name].name
            elif fn == _RESOURCES and subject == seat:
                what = "your resources"
            else:
                continue
            change = fx.tracks.get(name, 0) if name in c.track_by_id else spent
            if change and (change > 0) is op.startswith("<"):
                now = None if view is None else _now_and_after(engine, view, seat, name, change)
                out.append(AimAgainst(objective.title, objective.secret, of_side, what, change > 0, _KEPT[op].format(k), now))
    return tuple(dict.fromkeys(out))


def _now_and_after(engine: Engine, view: View, seat: str, name: str, change: int) -> tuple[int, int] | None:
    """The value of the track ``name`` (or the seat's resources) in ``view``, and after
    ``change`` as the engine applies it (within the track's bounds; resources not below 0)."""
    if name in engine.tracks:
        before = view.tracks[name]
        return before, track_after(engine.tracks[name], before, change)
    resources = view.actors[seat].resources if seat in view.actors else None
    return None if resources is None else (resources, resources_after(resources, change))
