"""The condition language as a tree of small, frozen nodes: what each construct means.

The parser (:mod:`tabletop.campaign.condition_parser`) builds these from the checked
syntax tree, so every node is well typed: a :data:`NumberNode` only ever holds numbers,
a :data:`TextNode` only text, and a :data:`ConditionNode` is true or false.

Values give theirs with ``number(env)`` or ``text(env)``. Conditions answer
``evaluate(env)`` and ``margin(env)``: how far the condition is from flipping, a whole
number that is positive exactly when it holds (see :meth:`Condition.margin
<tabletop.campaign.conditions.Condition.margin>` for the rules).

A chained comparison (``2 <= escalation < 8``) is the :class:`And` of its links, as in
Python. Constant arithmetic (``1 + 2``, ``-3``) and ``not`` of a constant are folded by
the parser, so they never appear here.

``env`` maps every name to its value; the parser only builds a :class:`NumberName` for a
name declared ``int`` and a :class:`TextName` for one declared ``str``, so the caller's
``env`` must hold values of those types. A missing name raises ``KeyError``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

__all__ = [
    "Add",
    "And",
    "CompareNumbers",
    "CompareOp",
    "CompareTexts",
    "ConditionNode",
    "Env",
    "Flag",
    "Int",
    "MIRROR",
    "Neg",
    "Not",
    "NumberIn",
    "NumberName",
    "NumberNode",
    "Or",
    "Sub",
    "Text",
    "TextIn",
    "TextName",
    "TextNode",
    "Truth",
]

#: The values a condition reads: every name it may use, each an ``int`` or a ``str``.
Env: TypeAlias = Mapping[str, int | str]

#: The comparison operators between two numbers.
CompareOp: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">="]
#: The two between texts.
EqualityOp: TypeAlias = Literal["==", "!="]


# -------------------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class Int:
    """A whole number written in the condition."""

    value: int

    def number(self, env: Env) -> int:
        return self.value


@dataclass(frozen=True, slots=True)
class NumberName:
    """A name whose value is a number: a track, or ``round``."""

    name: str

    def number(self, env: Env) -> int:
        return env[self.name]  # type: ignore[return-value]  # an int name holds an int (no cast(): this is hot)


@dataclass(frozen=True, slots=True)
class Neg:
    """``-operand``."""

    operand: NumberNode

    def number(self, env: Env) -> int:
        return -self.operand.number(env)


@dataclass(frozen=True, slots=True)
class Add:
    """``left + right``."""

    left: NumberNode
    right: NumberNode

    def number(self, env: Env) -> int:
        return self.left.number(env) + self.right.number(env)


@dataclass(frozen=True, slots=True)
class Sub:
    """``left - right``."""

    left: NumberNode
    right: NumberNode

    def number(self, env: Env) -> int:
        return self.left.number(env) - self.right.number(env)


NumberNode: TypeAlias = Int | NumberName | Neg | Add | Sub


# -------------------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class Text:
    """A string written in the condition."""

    value: str

    def text(self, env: Env) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class TextName:
    """A name whose value is text: ``phase``."""

    name: str

    def text(self, env: Env) -> str:
        return env[self.name]  # type: ignore[return-value]  # a str name holds a str


TextNode: TypeAlias = Text | TextName


# -------------------------------------------------------------------------- margins of comparisons

#: ``left <op> right`` on numbers.
#: ``k <op> x`` is ``x <MIRROR[op]> k``
MIRROR: Final[dict[CompareOp, CompareOp]] = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}

NUMBER_TESTS: Final[dict[CompareOp, Callable[[int, int], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _at_least(a: int, b: int) -> int:
    return a - b + 1


def _more(a: int, b: int) -> int:
    return a - b


def _at_most(a: int, b: int) -> int:
    return b - a + 1


def _less(a: int, b: int) -> int:
    return b - a


def _equal(a: int, b: int) -> int:
    return 1 if a == b else -abs(a - b)


def _unequal(a: int, b: int) -> int:
    return abs(a - b)


#: The margin of ``left <op> right`` on numbers: ``a >= k`` is ``a - k + 1``, ``a == k`` is
#: 1 when equal, else minus the distance; ``a != k`` is the distance.
NUMBER_MARGINS: Final[dict[CompareOp, Callable[[int, int], int]]] = {
    ">=": _at_least,
    ">": _more,
    "<=": _at_most,
    "<": _less,
    "==": _equal,
    "!=": _unequal,
}


def number_in_margin(a: int, items: frozenset[int]) -> int:
    """``a in items``: 1 if in, else minus the distance to the nearest item (-1 if none)."""
    if a in items:
        return 1
    return -min((abs(a - x) for x in items), default=1)


def number_not_in_margin(a: int, items: frozenset[int]) -> int:
    """``a not in items``: 0 if in, else the distance to the nearest item (1 if none)."""
    if a in items:
        return 0
    return min((abs(a - x) for x in items), default=1)


# -------------------------------------------------------------------------- conditions


@dataclass(frozen=True, slots=True)
class Truth:
    """``True`` or ``False``: margin 1 or 0."""

    value: bool

    def evaluate(self, env: Env) -> bool:
        return self.value

    def margin(self, env: Env) -> int:
        return 1 if self.value else 0


@dataclass(frozen=True, slots=True)
class CompareNumbers:
    """``left <op> right`` between two numbers."""

    op: CompareOp
    left: NumberNode
    right: NumberNode
    # Looked up once: the bots take margins of every objective for every card they weigh.
    _test: Callable[[int, int], bool] = field(init=False, repr=False, compare=False)
    _margin: Callable[[int, int], int] = field(init=False, repr=False, compare=False)
    # The common ``name <op> number``: read straight from env (None otherwise).
    _name: str | None = field(init=False, repr=False, compare=False)
    _const: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        simple = isinstance(self.left, NumberName) and isinstance(self.right, Int)
        object.__setattr__(self, "_test", NUMBER_TESTS[self.op])
        object.__setattr__(self, "_margin", NUMBER_MARGINS[self.op])
        object.__setattr__(self, "_name", self.left.name if simple else None)  # type: ignore[union-attr]
        object.__setattr__(self, "_const", self.right.value if simple else 0)  # type: ignore[union-attr]

    def number_last(self) -> tuple[NumberNode, CompareOp, NumberNode]:
        """``left, op, right`` with a constant on the right if only the left was one:
        ``6 <= x`` as ``x >= 6`` (how it is said, and how an aim bounds ``x``)."""
        if isinstance(self.left, Int) and not isinstance(self.right, Int):
            return self.right, MIRROR[self.op], self.left
        return self.left, self.op, self.right

    def evaluate(self, env: Env) -> bool:
        if self._name is not None:
            return self._test(env[self._name], self._const)  # type: ignore[arg-type]
        return self._test(self.left.number(env), self.right.number(env))

    def margin(self, env: Env) -> int:
        if self._name is not None:
            return self._margin(env[self._name], self._const)  # type: ignore[arg-type]
        return self._margin(self.left.number(env), self.right.number(env))


@dataclass(frozen=True, slots=True)
class CompareTexts:
    """``left == right`` or ``left != right`` between two texts: margin +1 or -1."""

    op: EqualityOp
    left: TextNode
    right: TextNode
    # The common ``phase == 'x'``: read straight from env (None otherwise); see CompareNumbers.
    _name: str | None = field(init=False, repr=False, compare=False)
    _const: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        simple = isinstance(self.left, TextName) and isinstance(self.right, Text)
        object.__setattr__(self, "_name", self.left.name if simple else None)  # type: ignore[union-attr]
        object.__setattr__(self, "_const", self.right.value if simple else "")  # type: ignore[union-attr]

    def evaluate(self, env: Env) -> bool:
        if self._name is not None:
            return (env[self._name] == self._const) is (self.op == "==")
        return (self.left.text(env) == self.right.text(env)) is (self.op == "==")

    def margin(self, env: Env) -> int:
        return 1 if self.evaluate(env) else -1


@dataclass(frozen=True, slots=True)
class NumberIn:
    """``left in [...]`` (or ``not in``) with a list of numbers."""

    left: NumberNode
    items: frozenset[int]
    negated: bool = False

    def evaluate(self, env: Env) -> bool:
        return (self.left.number(env) in self.items) is not self.negated

    def margin(self, env: Env) -> int:
        fn = number_not_in_margin if self.negated else number_in_margin
        return fn(self.left.number(env), self.items)


@dataclass(frozen=True, slots=True)
class TextIn:
    """``left in [...]`` (or ``not in``) with a list of strings: margin +1 or -1."""

    left: TextNode
    items: frozenset[str]
    negated: bool = False

    def evaluate(self, env: Env) -> bool:
        return (self.left.text(env) in self.items) is not self.negated

    def margin(self, env: Env) -> int:
        return 1 if self.evaluate(env) else -1


@dataclass(frozen=True, slots=True)
class And:
    """All of ``parts`` (at least two), left to right, stopping at the first false: margin the smallest."""

    parts: tuple[ConditionNode, ...]

    def evaluate(self, env: Env) -> bool:
        for part in self.parts:
            if not part.evaluate(env):
                return False
        return True

    def margin(self, env: Env) -> int:
        # min() of every part's margin (all are taken), without building a list
        parts = iter(self.parts)
        m = next(parts).margin(env)
        for part in parts:
            v = part.margin(env)
            if v < m:
                m = v
        return m


@dataclass(frozen=True, slots=True)
class Or:
    """Any of ``parts`` (at least two), left to right, stopping at the first true: margin the largest."""

    parts: tuple[ConditionNode, ...]

    def evaluate(self, env: Env) -> bool:
        for part in self.parts:
            if part.evaluate(env):
                return True
        return False

    def margin(self, env: Env) -> int:
        # max() of every part's margin (all are taken), without building a list
        parts = iter(self.parts)
        m = next(parts).margin(env)
        for part in parts:
            v = part.margin(env)
            if v > m:
                m = v
        return m


@dataclass(frozen=True, slots=True)
class Not:
    """``not operand``: margin ``1 - m``, which flips the sign of a whole-number margin exactly."""

    operand: ConditionNode

    def evaluate(self, env: Env) -> bool:
        return not self.operand.evaluate(env)

    def margin(self, env: Env) -> int:
        return 1 - self.operand.margin(env)


@dataclass(frozen=True, slots=True)
class Flag:
    """A true/false function call, read from ``env`` by its key (``played:art-4``): margin 1 or 0.

    :mod:`~tabletop.campaign.condition_calls` says which calls there are and builds the keys.
    """

    key: str

    def evaluate(self, env: Env) -> bool:
        return bool(env[self.key])

    def margin(self, env: Env) -> int:
        return 1 if env[self.key] else 0


ConditionNode: TypeAlias = Truth | Flag | CompareNumbers | CompareTexts | NumberIn | TextIn | And | Or | Not
