"""Campaign conditions: a tiny, safe expression language, checked once into a typed tree.

Campaign files hold conditions such as ``escalation >= 6 and cohesion < 4`` or
``phase == "border-crisis" or round >= 5``. :func:`compile_condition` turns one into a
:class:`Condition` when the campaign is loaded; bots and the engine then call
:meth:`Condition.evaluate` (and :meth:`Condition.margin`) many times.

Safety: the text is parsed with :func:`ast.parse` in ``"eval"`` mode and only a small
whitelist of node types is accepted. Nothing is ever executed: the accepted tree is
type-checked and turned into a tree of small frozen nodes that each evaluate and give a
margin. There is no ``eval``, ``exec`` or ``compile`` of code objects anywhere.

The language:

* names given by the caller, each an ``int`` (track ids, ``round``) or a ``str``
  (``phase``); plain ASCII identifiers;
* whole numbers (also negative), strings in quotes, ``True``/``False``
  (``true``/``false`` too, unless a name of that spelling is given);
* ``+`` and ``-`` (binary and unary minus) on numbers;
* comparisons ``== != < <= > >=``, chained as in ``2 <= escalation < 8``; ordering
  only between numbers, ``==``/``!=`` between two numbers or two strings;
* ``in`` / ``not in`` with a list (or tuple) of numbers or strings:
  ``phase in ["baseline", "hybrid-pressure"]``;
* ``and``, ``or``, ``not`` and parentheses; newlines count as spaces.

Anything else (calls, attributes, subscripts, ``*``, ``/``, comprehensions, f-strings,
comments, ...) is rejected with a :class:`ConditionError` that says why and where.

The parts:

* :mod:`~tabletop.campaign.condition_text` checks the raw text and parses it with :mod:`ast`;
* :mod:`~tabletop.campaign.condition_parser` checks that syntax tree and builds the nodes;
* :mod:`~tabletop.campaign.condition_nodes` holds the node types: what each construct means;
* :mod:`~tabletop.campaign.condition_errors` says what is wrong, in the author's words.

Bots and the engine walk the tree itself. Closures compiled from the tree answered a call
1.6 to 2.4 times faster, but conditions take 1 to 3 per cent of a bot game and
``bench/simulate.py`` could not tell the two apart, so they were dropped (the commit that
deleted ``condition_closures.py`` holds them, should a future bench show they pay).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from tabletop.campaign.condition_calls import CallSpec
from tabletop.campaign.condition_errors import ConditionError
from tabletop.campaign.condition_nodes import ConditionNode, Env
from tabletop.campaign.condition_parser import check_names, check_values, parse
from tabletop.campaign.condition_text import MAX_DEPTH, MAX_INT, MAX_LENGTH

__all__ = [
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_LENGTH",
    "Condition",
    "ConditionError",
    "ConditionNode",
    "Env",
    "NameType",
    "compile_condition",
]

#: The type of a name a condition may read: a number or a string.
NameType: TypeAlias = type[int] | type[str]


@dataclass(frozen=True)
class Condition:
    """A checked condition: its text, the names it reads, and its tree.

    Equal conditions have equal source and names. ``evaluate`` and ``margin`` read
    every name in :attr:`names` from ``env``; a missing name raises ``KeyError``.
    """

    source: str
    names: frozenset[str]
    tree: ConditionNode = field(repr=False, compare=False)

    def evaluate(self, env: Env) -> bool:
        """Whether the condition holds for the values in ``env``."""
        return self.tree.evaluate(env)

    def margin(self, env: Env) -> float:
        """How far the condition is from flipping, in the units of its numbers.

        Positive exactly when :meth:`evaluate` is true. ``a >= k`` gives ``a - k + 1``,
        ``a > k`` gives ``a - k``, ``a <= k`` gives ``k - a + 1``, ``a < k`` gives
        ``k - a``; ``a == b`` on numbers gives 1 if equal else ``-|a - b|``, ``a != b``
        gives ``|a - b|``; ``in`` on numbers gives 1 if in, else minus the distance to
        the nearest item (``not in``: that distance, or 0); comparisons of strings
        give +1 or -1. ``and`` takes the minimum, ``or`` the maximum, ``not m`` is
        ``1 - m``; ``True`` is 1 and ``False`` 0. All margins are whole numbers, so
        ``m > 0`` means ``m >= 1`` and ``1 - m`` flips the sign exactly.
        """
        return float(self.tree.margin(env))

    def __str__(self) -> str:
        return self.source


def compile_condition(
    text: str,
    names: Mapping[str, NameType],
    values: Mapping[str, Collection[str]] | None = None,
    calls: Mapping[str, CallSpec] | None = None,
) -> Condition:
    """Check ``text`` and build a :class:`Condition` over ``names``.

    ``names`` maps every name the condition may read to ``int`` or ``str``.
    ``values`` optionally lists the allowed strings of some ``str`` names (e.g. the
    phase ids); a string literal compared with such a name must be one of them.
    ``calls`` names the functions it may call (:mod:`~tabletop.campaign.condition_calls`);
    none if absent.

    Raises :class:`ConditionError` (and only that) for anything wrong with ``text``.
    A bad ``names`` or ``values`` argument is the caller's bug and raises
    ``TypeError`` or ``ValueError``.
    """
    kinds = check_names(names)
    allowed = check_values(values, kinds)
    parsed = parse(text, kinds, allowed, calls)
    return Condition(text, parsed.names, parsed.tree)
