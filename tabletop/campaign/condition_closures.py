"""The hot path: a condition tree turned into nested closures that compute the same answers.

Bots read the margins of every objective for every card they weigh, and the engine
evaluates requirements, modifiers, injects and transitions at every step, so conditions
are read far more often than they are written. Walking the frozen nodes costs a method
call per node; these closures read a name and compare it with a constant in one call
(``lambda env: env[n] >= k``), and ``and`` / ``or`` of two or three parts in one more.
``bench/simulate.py`` measured what that buys (see the figures in the commit that
introduced this module); the nodes remain the definition, and the tests check that both
give the same answers.

Nothing here parses or executes text: closures are built from checked nodes only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

from tabletop.campaign.condition_nodes import (
    NUMBER_MARGINS,
    NUMBER_TESTS,
    Add,
    And,
    CompareNumbers,
    CompareOp,
    CompareTexts,
    ConditionNode,
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
    number_in_margin,
    number_not_in_margin,
)

__all__ = ["Margin", "Test", "margin_of", "test_of"]

# The parser built a NumberName only for an int name and a TextName only for a str one,
# so each value read here is of the type its node says: the closures take the
# environment's values as they come (Any) instead of checking them again on every read.
_Env: TypeAlias = Mapping[str, Any]

Test: TypeAlias = Callable[[_Env], bool]
Margin: TypeAlias = Callable[[_Env], int]
_Number: TypeAlias = Callable[[_Env], int]
_Text: TypeAlias = Callable[[_Env], str]

#: ``k <op> a`` is ``a <flipped op> k``.
_FLIP: Final[dict[CompareOp, CompareOp]] = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def test_of(node: ConditionNode) -> Test:
    """A closure giving ``node.evaluate(env)``."""
    if isinstance(node, Truth):
        value = node.value
        return lambda env: value
    if isinstance(node, CompareNumbers):
        named = _name_and_constant(node)
        if named is not None:
            return _name_test(*named)
        f = NUMBER_TESTS[node.op]
        lg, rg = number_of(node.left), number_of(node.right)
        return lambda env: f(lg(env), rg(env))
    if isinstance(node, CompareTexts):
        equal = node.op == "=="
        if isinstance(node.left, TextName) and isinstance(node.right, Text):
            n, k = node.left.name, node.right.value
            return (lambda env: env[n] == k) if equal else (lambda env: env[n] != k)
        lt, rt = text_of(node.left), text_of(node.right)
        return (lambda env: lt(env) == rt(env)) if equal else (lambda env: lt(env) != rt(env))
    if isinstance(node, (NumberIn, TextIn)):
        items: frozenset[Any] = node.items
        if isinstance(node.left, (NumberName, TextName)):
            n = node.left.name
            return (lambda env: env[n] not in items) if node.negated else (lambda env: env[n] in items)
        get: Callable[[_Env], Any] = number_of(node.left) if isinstance(node, NumberIn) else text_of(node.left)
        return (lambda env: get(env) not in items) if node.negated else (lambda env: get(env) in items)
    if isinstance(node, And):
        return _all([test_of(part) for part in node.parts])
    if isinstance(node, Or):
        return _any([test_of(part) for part in node.parts])
    t = test_of(node.operand)
    return lambda env: not t(env)


def margin_of(node: ConditionNode) -> Margin:
    """A closure giving ``node.margin(env)``."""
    if isinstance(node, Truth):
        m = node.margin({})
        return lambda env: m
    if isinstance(node, CompareNumbers):
        named = _name_and_constant(node)
        if named is not None:
            return _name_margin(*named)
        fn = NUMBER_MARGINS[node.op]
        lg, rg = number_of(node.left), number_of(node.right)
        return lambda env: fn(lg(env), rg(env))
    if isinstance(node, (CompareTexts, TextIn)):
        t = test_of(node)
        return lambda env: 1 if t(env) else -1
    if isinstance(node, NumberIn):
        items = node.items
        g = number_of(node.left)
        member = number_not_in_margin if node.negated else number_in_margin
        return lambda env: member(g(env), items)
    if isinstance(node, And):
        return _min([margin_of(part) for part in node.parts])
    if isinstance(node, Or):
        return _max([margin_of(part) for part in node.parts])
    inner = margin_of(node.operand)
    return lambda env: 1 - inner(env)


# -------------------------------------------------------------------------- values


def number_of(node: NumberNode) -> _Number:
    """A closure giving ``node.number(env)``."""
    if isinstance(node, Int):
        k = node.value
        return lambda env: k
    if isinstance(node, NumberName):
        n = node.name
        return lambda env: env[n]
    if isinstance(node, Neg):
        if isinstance(node.operand, NumberName):
            n = node.operand.name
            return lambda env: -env[n]
        g = number_of(node.operand)
        return lambda env: -g(env)
    add = isinstance(node, Add)
    left, right = node.left, node.right
    if isinstance(left, NumberName) and isinstance(right, NumberName):
        a, b = left.name, right.name
        return (lambda env: env[a] + env[b]) if add else (lambda env: env[a] - env[b])
    if isinstance(left, NumberName) and isinstance(right, Int):
        a, k = left.name, right.value
        return (lambda env: env[a] + k) if add else (lambda env: env[a] - k)
    lg, rg = number_of(left), number_of(right)
    return (lambda env: lg(env) + rg(env)) if add else (lambda env: lg(env) - rg(env))


def text_of(node: TextNode) -> _Text:
    """A closure giving ``node.text(env)``."""
    if isinstance(node, Text):
        k = node.value
        return lambda env: k
    n = node.name
    return lambda env: env[n]


# -------------------------------------------------------------------------- a name and a constant


def _name_and_constant(node: CompareNumbers) -> tuple[CompareOp, str, int] | None:
    """``(op, n, k)`` when ``node`` is ``n <op> k`` or ``k <op> n`` (as ``n <flipped op> k``)."""
    left, right = node.left, node.right
    if isinstance(left, NumberName) and isinstance(right, Int):
        return node.op, left.name, right.value
    if isinstance(right, NumberName) and isinstance(left, Int):
        return _FLIP[node.op], right.name, left.value
    return None


def _name_test(op: CompareOp, n: str, k: int) -> Test:
    """``env[n] <op> k`` as one closure."""
    if op == "==":
        return lambda env: env[n] == k
    if op == "!=":
        return lambda env: env[n] != k
    if op == "<":
        return lambda env: env[n] < k
    if op == "<=":
        return lambda env: env[n] <= k
    if op == ">":
        return lambda env: env[n] > k
    return lambda env: env[n] >= k


def _name_margin(op: CompareOp, n: str, k: int) -> Margin:
    """The margin of ``env[n] <op> k``; inlined for the ordering operators."""
    if op == ">=":
        return lambda env: env[n] - k + 1
    if op == ">":
        return lambda env: env[n] - k
    if op == "<=":
        return lambda env: k - env[n] + 1
    if op == "<":
        return lambda env: k - env[n]
    fn = NUMBER_MARGINS[op]
    return lambda env: fn(env[n], k)


# -------------------------------------------------------------------------- and, or


def _all(tests: list[Test]) -> Test:
    """``and`` of the tests, short-circuiting, as few calls deep as possible."""
    if len(tests) == 2:
        a, b = tests
        return lambda env: a(env) and b(env)
    if len(tests) == 3:
        a, b, c = tests
        return lambda env: a(env) and b(env) and c(env)
    fixed = tuple(tests)

    def every(env: _Env) -> bool:
        for t in fixed:
            if not t(env):
                return False
        return True

    return every


def _any(tests: list[Test]) -> Test:
    """``or`` of the tests, short-circuiting."""
    if len(tests) == 2:
        a, b = tests
        return lambda env: a(env) or b(env)
    if len(tests) == 3:
        a, b, c = tests
        return lambda env: a(env) or b(env) or c(env)
    fixed = tuple(tests)

    def some(env: _Env) -> bool:
        for t in fixed:
            if t(env):
                return True
        return False

    return some


def _min(margins: list[Margin]) -> Margin:
    """Margin of an ``and``: the smallest."""
    if len(margins) == 2:
        a, b = margins

        def smaller(env: _Env) -> int:
            x, y = a(env), b(env)
            return x if x < y else y

        return smaller
    fixed = tuple(margins)
    return lambda env: min([m(env) for m in fixed])


def _max(margins: list[Margin]) -> Margin:
    """Margin of an ``or``: the largest."""
    if len(margins) == 2:
        a, b = margins

        def larger(env: _Env) -> int:
            x, y = a(env), b(env)
            return x if x > y else y

        return larger
    fixed = tuple(margins)
    return lambda env: max([m(env) for m in fixed])
