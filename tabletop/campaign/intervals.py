"""Interval reasoning over a condition's tree: can it ever hold, or does it always hold?

Every name a condition reads has bounds the campaign declares: a track stays between its
``min`` and ``max``, ``round`` between 1 and the calendar's rounds, a hidden value within
its ``range`` (or among its ``values``), ``resources("x")`` is at least 0, ``phase`` is one
of the phase ids, and ``played(...)`` is either. :func:`truth` works out, node by node,
the interval of every number and whether a condition is :data:`ALWAYS` true,
:data:`NEVER` true, or :data:`EITHER`.

It is sound, not complete: intervals only ever grow (``x - x`` is taken to lie anywhere
between ``min - max`` and ``max - min``), so :data:`ALWAYS` and :data:`NEVER` are certain,
and a condition the reasoning cannot decide is :data:`EITHER`. Comparisons of one name
with constants under an ``and`` (``x >= 6 and x <= 3``) or an ``or`` (``x < 5 or x > 2``)
are combined, so those contradictions and tautologies are caught too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from tabletop.campaign.condition_nodes import (
    Add,
    And,
    CompareNumbers,
    CompareTexts,
    ConditionNode,
    Flag,
    Int,
    Neg,
    Not,
    NumberIn,
    NumberName,
    NumberNode,
    Or,
    Sub,
    Text,
    TextIn,
    TextName,
    TextNode,
    Truth,
)
from tabletop.campaign.model import Campaign

__all__ = ["ALWAYS", "EITHER", "NEVER", "Bounds", "Truth3", "bounds_of", "describe_bounds", "truth"]

Truth3: TypeAlias = Literal["always", "never", "either"]
ALWAYS: Final = "always"
NEVER: Final = "never"
EITHER: Final = "either"

#: An interval of numbers, ends included; ``math.inf`` for no bound.
Span: TypeAlias = tuple[float, float]
_ANY: Final[Span] = (-math.inf, math.inf)
#: ``x in [...]`` is decided over every whole number of x's interval up to this many.
_ENUMERATE: Final = 1000


@dataclass(frozen=True)
class Bounds:
    """What each name may be: numbers' intervals, texts' possible values (absent: anything)."""

    numbers: Mapping[str, Span]
    texts: Mapping[str, frozenset[str]]


def bounds_of(campaign: Campaign) -> Bounds:
    """The bounds the campaign declares for every name and call key a condition may read."""
    numbers: dict[str, Span] = {t.id: (t.min, t.max) for t in campaign.tracks}
    texts: dict[str, frozenset[str]] = {"phase": frozenset(p.id for p in campaign.phases.states)}
    numbers["round"] = (1, campaign.calendar.rounds)
    for h in campaign.hidden:
        if h.range is not None and h.values is None and h.range[0] <= h.range[1]:
            numbers[h.id] = (h.range[0], h.range[1])
        elif h.values is not None and h.range is None:
            if all(isinstance(v, str) for v in h.values):
                texts[h.id] = frozenset(str(v) for v in h.values)
            elif all(isinstance(v, int) for v in h.values):
                ints = [int(v) for v in h.values]
                numbers[h.id] = (min(ints), max(ints))
    for side in campaign.sides:
        for actor in side.actors:
            numbers[f"resources:{actor.id}"] = (0, math.inf)
    return Bounds(numbers, texts)


def describe_bounds(names: frozenset[str], bounds: Bounds) -> str:
    """``escalation runs from 0 to 10, round from 1 to 6`` for the numbers among ``names``."""
    parts = []
    for name in sorted(names):
        lo, hi = bounds.numbers.get(name, _ANY)
        shown = name
        if name.startswith("resources:"):
            shown = f'resources("{name.partition(":")[2]}")'
        if hi == math.inf:
            if lo != -math.inf:
                parts.append(f"{shown} is at least {int(lo)}")
        elif lo == hi:
            parts.append(f"{shown} is always {int(lo)}")
        else:
            parts.append(f"{shown} runs from {int(lo)} to {int(hi)}")
    return ", ".join(parts)


# -------------------------------------------------------------------------- numbers


def span(node: NumberNode, bounds: Bounds) -> Span:
    """The interval ``node``'s value lies in."""
    if isinstance(node, Int):
        return (node.value, node.value)
    if isinstance(node, NumberName):
        return bounds.numbers.get(node.name, _ANY)
    if isinstance(node, Neg):
        lo, hi = span(node.operand, bounds)
        return (-hi, -lo)
    if isinstance(node, Add):
        (a, b), (c, d) = span(node.left, bounds), span(node.right, bounds)
        return (_plus(a, c), _plus(b, d))
    if isinstance(node, Sub):
        (a, b), (c, d) = span(node.left, bounds), span(node.right, bounds)
        return (_plus(a, -d), _plus(b, -c))
    return _ANY  # pragma: no cover - every number node is handled above


def _plus(a: float, b: float) -> float:
    if math.isinf(a) and math.isinf(b) and a != b:
        return a  # never met: a lower end is never +inf nor an upper end -inf
    return a + b


def texts_of(node: TextNode, bounds: Bounds) -> frozenset[str] | None:
    """The texts ``node`` may be, or None if any."""
    if isinstance(node, Text):
        return frozenset({node.value})
    if isinstance(node, TextName):
        return bounds.texts.get(node.name)
    return None  # pragma: no cover


# -------------------------------------------------------------------------- comparisons


def _compare(op: str, left: Span, right: Span) -> Truth3:
    (a, b), (c, d) = left, right
    if op in ("<", ">"):
        if op == ">":
            (a, b), (c, d) = (c, d), (a, b)
        # left < right
        if b < c:
            return ALWAYS
        if a >= d:
            return NEVER
        return EITHER
    if op in ("<=", ">="):
        if op == ">=":
            (a, b), (c, d) = (c, d), (a, b)
        if b <= c:
            return ALWAYS
        if a > d:
            return NEVER
        return EITHER
    equal: Truth3 = EITHER
    if a == b == c == d:
        equal = ALWAYS
    elif b < c or d < a:
        equal = NEVER
    return equal if op == "==" else _flip(equal)


def _flip(t: Truth3) -> Truth3:
    return NEVER if t == ALWAYS else ALWAYS if t == NEVER else EITHER


def _number_in(s: Span, items: frozenset[int]) -> Truth3:
    lo, hi = s
    inside = [x for x in items if lo <= x <= hi]
    if not inside:
        return NEVER
    if not math.isinf(lo) and not math.isinf(hi) and hi - lo < _ENUMERATE:
        if all(x in items for x in range(int(lo), int(hi) + 1)):
            return ALWAYS
    return EITHER


def _texts_in(possible: frozenset[str] | None, items: frozenset[str]) -> Truth3:
    if possible is None:
        return EITHER
    if possible <= items:
        return ALWAYS
    if not possible & items:
        return NEVER
    return EITHER


# -------------------------------------------------------------------------- conditions


def truth(node: ConditionNode, bounds: Bounds) -> Truth3:
    """Whether ``node`` always holds, never holds, or either, for names within ``bounds``."""
    if isinstance(node, Truth):
        return ALWAYS if node.value else NEVER
    if isinstance(node, Flag):
        return EITHER
    if isinstance(node, CompareNumbers):
        return _compare(node.op, span(node.left, bounds), span(node.right, bounds))
    if isinstance(node, CompareTexts):
        left, right = texts_of(node.left, bounds), texts_of(node.right, bounds)
        result: Truth3 = EITHER
        if left is not None and right is not None:
            if len(left) == 1 and left == right:
                result = ALWAYS
            elif not left & right:
                result = NEVER
        return result if node.op == "==" else _flip(result)
    if isinstance(node, NumberIn):
        result = _number_in(span(node.left, bounds), node.items)
        return _flip(result) if node.negated else result
    if isinstance(node, TextIn):
        result = _texts_in(texts_of(node.left, bounds), node.items)
        return _flip(result) if node.negated else result
    if isinstance(node, Not):
        return _flip(truth(node.operand, bounds))
    if isinstance(node, And):
        parts = [truth(p, bounds) for p in node.parts]
        if NEVER in parts or _narrowed(node.parts, bounds, conjunction=True):
            return NEVER
        return ALWAYS if all(p == ALWAYS for p in parts) else EITHER
    if isinstance(node, Or):
        parts = [truth(p, bounds) for p in node.parts]
        if ALWAYS in parts or _narrowed(node.parts, bounds, conjunction=False):
            return ALWAYS
        return NEVER if all(p == NEVER for p in parts) else EITHER
    return EITHER  # pragma: no cover - every condition node is handled above


def _allowed(op: str, k: int, lo: float, hi: float) -> list[Span]:
    """The values of a name in [lo, hi] for which ``name <op> k`` holds, as intervals."""
    if op == "<":
        return [(lo, min(hi, k - 1))]
    if op == "<=":
        return [(lo, min(hi, k))]
    if op == ">":
        return [(max(lo, k + 1), hi)]
    if op == ">=":
        return [(max(lo, k), hi)]
    if op == "==":
        return [(max(lo, k), min(hi, k))]
    return [(lo, min(hi, k - 1)), (max(lo, k + 1), hi)]  # !=


def _narrowed(parts: tuple[ConditionNode, ...], bounds: Bounds, conjunction: bool) -> bool:
    """Under ``and``: whether the ``name <op> constant`` parts on one name leave it no value.

    Under ``or`` (``conjunction`` false): whether their negations do, i.e. whether those
    parts together cover every value the name may take.
    """
    by_name: dict[str, list[tuple[str, int]]] = {}
    for part in parts:
        if isinstance(part, CompareNumbers) and isinstance(part.left, NumberName) and isinstance(part.right, Int):
            op = part.op if conjunction else _NEGATE[part.op]
            by_name.setdefault(part.left.name, []).append((op, part.right.value))
    for name, tests in by_name.items():
        if len(tests) < 2:
            continue
        lo, hi = bounds.numbers.get(name, _ANY)
        spans: list[Span] = [(lo, hi)]
        for op, k in tests:
            spans = [piece for s in spans for piece in _allowed(op, k, *s) if piece[0] <= piece[1]]
        if not spans:
            return True
    return False


_NEGATE: Final = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
