"""From condition text to a tree of :mod:`~tabletop.campaign.condition_nodes`, checked on the way.

:func:`~tabletop.campaign.condition_text.prepare` parses the text with :mod:`ast`; only a
small whitelist of Python's node types is accepted and nothing is ever executed.
:class:`_Builder` walks the accepted tree, type-checks every operand (numbers, text,
conditions, lists) and checks string literals against the allowed values of the name they
are compared with. The first problem raises a :class:`~tabletop.campaign.condition_errors.ConditionError` located at
the offending token; the wording is in :mod:`~tabletop.campaign.condition_errors`.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final, Literal, NoReturn, TypeAlias

from tabletop.campaign import condition_errors as say
from tabletop.campaign.condition_errors import ConditionError, Kind
from tabletop.campaign.condition_nodes import (
    Add,
    And,
    CompareNumbers,
    Flag,
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
)
from tabletop.campaign.condition_calls import CallSpec, call_key
from tabletop.campaign.condition_text import MAX_DEPTH, MAX_INT, Source, prepare

__all__ = ["Parsed", "check_names", "check_values", "parse"]

#: The type of a name a condition may read.
NameKind: TypeAlias = Literal["int", "str"]
#: A ``str`` name's allowed values: in the caller's order (for messages), and as a set.
Allowed: TypeAlias = tuple[tuple[str, ...], frozenset[str]]


# -------------------------------------------------------------------------- the caller's names


def check_names(names: Mapping[str, type[int] | type[str]]) -> dict[str, NameKind]:
    """Validate the caller's names; return name -> ``"int"`` or ``"str"``.

    Raises ``ValueError`` or ``TypeError``: a bad argument is the caller's bug.
    """
    kinds: dict[str, NameKind] = {}
    for name, typ in names.items():
        if not isinstance(name, str) or not name.isidentifier() or not name.isascii():
            raise ValueError(f"condition name {name!r} is not a plain identifier")
        if keyword.iskeyword(name):
            raise ValueError(f"condition name {name!r} is a Python keyword")
        if typ is int:
            kinds[name] = "int"
        elif typ is str:
            kinds[name] = "str"
        else:
            raise TypeError(f"condition name {name!r} must have type int or str, not {typ!r}")
    return kinds


def check_values(
    values: Mapping[str, Collection[str]] | None, kinds: Mapping[str, NameKind]
) -> dict[str, Allowed]:
    """Validate the caller's allowed values; return name -> (ordered, as a set).

    Raises ``ValueError`` or ``TypeError``: a bad argument is the caller's bug.
    """
    allowed: dict[str, Allowed] = {}
    for name, options in (values or {}).items():
        if kinds.get(name) != "str":
            raise ValueError(f"allowed values given for {name!r}, which is not a str name")
        if isinstance(options, str) or not all(isinstance(v, str) for v in options):
            raise TypeError(f"allowed values of {name!r} must be a collection of strings")
        ordered = tuple(sorted(options)) if isinstance(options, (set, frozenset)) else tuple(options)
        allowed[name] = (ordered, frozenset(ordered))
    return allowed


# -------------------------------------------------------------------------- the checked tree

_NumberOp: TypeAlias = Literal["<", "<=", ">", ">="]
_AnyOp: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in"]

_BINOP_SYMBOL: Final[dict[type[ast.operator], str]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
_CMP_SYMBOL: Final[dict[type[ast.cmpop], _AnyOp]] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_IDENTITY_SYMBOL: Final[dict[type[ast.cmpop], str]] = {ast.Is: "is", ast.IsNot: "is not"}
_ORDERING: Final = frozenset({"<", "<=", ">", ">="})
_MEMBERSHIP: Final = frozenset({"in", "not in"})


_CONDITION_NODES: Final = (Truth, Flag, CompareNumbers, CompareTexts, NumberIn, TextIn, And, Or, Not)


@dataclass(frozen=True, slots=True)
class _Part:
    """One checked sub-expression: its node (or, right of ``in``, its items), kind and place."""

    kind: Kind
    at: ast.AST
    node: NumberNode | TextNode | ConditionNode | None = None
    items: tuple[_Part, ...] = ()

    @property
    def name(self) -> str | None:
        """The name, when this is a bare name (not a function call's key)."""
        if isinstance(self.node, (NumberName, TextName)) and ":" not in self.node.name:
            return self.node.name
        return None

    @property
    def is_const(self) -> bool:
        """Known without reading any name (constants are folded)."""
        return isinstance(self.node, (Int, Text, Truth)) or self.kind == "list"

    def number(self) -> NumberNode:
        assert isinstance(self.node, (Int, NumberName, Neg, Add, Sub))
        return self.node

    def text(self) -> TextNode:
        assert isinstance(self.node, (Text, TextName))
        return self.node

    def condition(self) -> ConditionNode:
        assert isinstance(self.node, _CONDITION_NODES)
        return self.node


def _truth(at: ast.AST, value: bool) -> _Part:
    return _Part("bool", at, Truth(value))


@dataclass(frozen=True, slots=True)
class Parsed:
    """A checked condition: its tree, and the names it reads."""

    tree: ConditionNode
    names: frozenset[str]


def parse(
    text: str,
    kinds: Mapping[str, NameKind],
    allowed: Mapping[str, Allowed],
    calls: Mapping[str, CallSpec] | None = None,
) -> Parsed:
    """Check ``text`` and build its tree (``kinds`` and ``allowed`` from :func:`check_names`
    and :func:`check_values`).

    Raises :class:`ConditionError` (and only that) for anything wrong with ``text``.
    """
    source = prepare(text)
    builder = _Builder(source, kinds, allowed, calls or {})
    try:
        part = builder.visit(source.tree.body, 0)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the walk shallow
        raise ConditionError(say.too_deep(MAX_DEPTH), source.lead) from None
    if part.kind != "bool":
        builder.need_condition(part)
    return Parsed(part.condition(), frozenset(builder.used))


class _Builder:
    """Walks the whitelisted AST, type-checks it and builds the nodes."""

    def __init__(
        self,
        source: Source,
        kinds: Mapping[str, NameKind],
        allowed: Mapping[str, Allowed],
        calls: Mapping[str, CallSpec],
    ) -> None:
        self.src = source
        self.kinds = kinds
        self.allowed = allowed
        self.calls = calls
        self.used: set[str] = set()

    # -- errors -------------------------------------------------------------------------

    def fail(self, message: str, offset: int) -> NoReturn:
        raise ConditionError(message, offset)

    def describe(self, part: _Part) -> str:
        """A short way to name ``part`` in a message."""
        name = part.name
        if name is not None:
            return name
        snippet = " ".join(self.src.snippet(part.at).split())
        if isinstance(part.node, Text):
            return repr(part.node.value)
        if isinstance(part.node, Int):
            return snippet or str(part.node.value)
        return snippet if 0 < len(snippet) <= 40 else "this expression"

    def need_condition(self, part: _Part) -> NoReturn:
        """Reject a number or string where a condition (true/false) is needed."""
        if part.kind == "str":
            name = part.name or "phase"
            options = self.allowed.get(name, ((), frozenset()))[0]
            example = f'{name} == "{options[0] if options else "..."}"'
        else:
            example = f"{part.name} >= 5" if part.name is not None else "escalation >= 5"
        self.fail(say.need_condition(example), self.src.start(part.at))

    def reject(self, node: ast.AST) -> NoReturn:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            offset = self.src.after(node.value)
        elif isinstance(node, ast.NamedExpr):
            offset = self.src.after(node.target)
        elif isinstance(node, ast.IfExp):
            offset = self.src.after(node.body)
        else:
            offset = self.src.start(node)
        self.fail(say.rejected(type(node).__name__), offset)

    # -- dispatch -----------------------------------------------------------------------

    def visit(self, node: ast.AST, depth: int) -> _Part:
        """Check and build one node (of any whitelisted type)."""
        if depth > MAX_DEPTH:
            self.fail(say.too_deep(MAX_DEPTH), self.src.start(node))
        if isinstance(node, ast.BoolOp):
            return self.bool_op(node, depth + 1)
        if isinstance(node, ast.UnaryOp):
            return self.unary_op(node, depth + 1)
        if isinstance(node, ast.BinOp):
            return self.bin_op(node, depth + 1)
        if isinstance(node, ast.Compare):
            return self.compare(node, depth + 1)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Call) and self.calls:
            return self.call(node)
        self.reject(node)

    def condition(self, node: ast.AST, depth: int) -> _Part:
        """Build ``node``, which must be a condition (true/false)."""
        part = self.visit(node, depth)
        if part.kind != "bool":
            self.need_condition(part)
        return part

    def number(self, node: ast.AST, depth: int, what: str) -> _Part:
        """Build ``node``, which must be a number (``what`` is the operator needing it)."""
        part = self.visit(node, depth)
        if part.kind != "int":
            self.fail(say.needs_numbers(what, self.describe(part), part.kind), self.src.start(node))
        return part

    # -- leaves -------------------------------------------------------------------------

    def name(self, node: ast.Name) -> _Part:
        written = self.src.snippet(node)
        kind = self.kinds.get(node.id)
        if kind is not None and written == node.id:
            self.used.add(node.id)
            if kind == "int":
                return _Part("int", node, NumberName(node.id))
            return _Part("str", node, TextName(node.id))
        if written in ("true", "false", "True", "False"):
            return _truth(node, written.lower() == "true")
        self.fail(say.unknown_name(written, node.id, list(self.kinds)), self.src.start(node))

    def constant(self, node: ast.Constant) -> _Part:
        value = node.value
        offset = self.src.start(node)
        if isinstance(value, bool):
            return _truth(node, value)
        if isinstance(value, int):
            if abs(value) > MAX_INT:
                self.fail(say.too_large(MAX_INT), offset)
            return _Part("int", node, Int(value))
        if isinstance(value, str):
            return _Part("str", node, Text(value))
        if isinstance(value, (float, complex)):
            self.fail(say.not_whole(self.src.snippet(node)), offset)
        if isinstance(value, bytes):
            self.fail(say.BYTES, offset)
        if value is None:
            self.fail(say.NONE, offset)
        if value is Ellipsis:
            self.fail(say.ELLIPSIS, offset)
        self.fail(say.not_allowed(self.src.snippet(node)), offset)  # pragma: no cover

    def call(self, node: ast.Call) -> _Part:
        """``resources("poland")``, ``played("art-4", by="poland")``: checked into a key read from env."""
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in self.calls:
            written = self.src.snippet(func)
            self.fail(say.unknown_function(written, list(self.calls)), self.src.start(func))
        spec = self.calls[func.id]
        if len(node.args) != 1 or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
            at = node.args[0] if node.args else node
            self.fail(say.call_argument(func.id, spec.subject, spec.help), self.src.start(at))
        subject = node.args[0].value
        if subject not in spec.subjects:
            self.fail(say.unknown_subject(spec.subject, subject, spec.subjects), self.src.start(node.args[0]))
        by: str | None = None
        for kw in node.keywords:
            if kw.arg != "by" or spec.by is None:
                self.fail(say.call_keyword(func.id, kw.arg, spec.by is not None), self.src.start(kw.value))
            if not isinstance(kw.value, ast.Constant) or not isinstance(kw.value.value, str):
                self.fail(say.call_argument(func.id, "actor", spec.help), self.src.start(kw.value))
            by = kw.value.value
            if by not in spec.by:
                self.fail(say.unknown_subject("actor", by, spec.by), self.src.start(kw.value))
        key = call_key(func.id, subject, by)
        self.used.add(key)
        if spec.result == "int":
            return _Part("int", node, NumberName(key))
        return _Part("bool", node, Flag(key))

    # -- operators ----------------------------------------------------------------------

    def bool_op(self, node: ast.BoolOp, depth: int) -> _Part:
        parts = tuple(self.condition(value, depth).condition() for value in node.values)
        if isinstance(node.op, ast.And):
            return _Part("bool", node, And(parts))
        return _Part("bool", node, Or(parts))

    def unary_op(self, node: ast.UnaryOp, depth: int) -> _Part:
        offset = self.src.start(node)
        if isinstance(node.op, ast.Not):
            inner = self.condition(node.operand, depth)
            if isinstance(inner.node, Truth):
                return _truth(node, not inner.node.value)
            return _Part("bool", node, Not(inner.condition()))
        if isinstance(node.op, ast.USub):
            operand = self.number(node.operand, depth, "-").number()
            if isinstance(operand, Int):
                return _Part("int", node, Int(-operand.value))
            return _Part("int", node, Neg(operand))
        if isinstance(node.op, ast.UAdd):
            self.fail(say.UNARY_PLUS, offset)
        self.fail(say.INVERT, offset)

    def bin_op(self, node: ast.BinOp, depth: int) -> _Part:
        symbol = _BINOP_SYMBOL.get(type(node.op), "?")
        if not isinstance(node.op, (ast.Add, ast.Sub)):
            offset = self.src.after(node.left)
            if isinstance(node.op, ast.BitAnd):
                self.fail(say.BIT_AND, offset)
            if isinstance(node.op, ast.BitOr):
                self.fail(say.BIT_OR, offset)
            self.fail(say.arithmetic(symbol), offset)
        left = self.number(node.left, depth, symbol).number()
        right = self.number(node.right, depth, symbol).number()
        add = isinstance(node.op, ast.Add)
        if isinstance(left, Int) and isinstance(right, Int):
            return _Part("int", node, Int(left.value + right.value if add else left.value - right.value))
        return _Part("int", node, Add(left, right) if add else Sub(left, right))

    def compare(self, node: ast.Compare, depth: int) -> _Part:
        operands = [node.left, *node.comparators]
        for i, cmpop in enumerate(node.ops):
            identity = _IDENTITY_SYMBOL.get(type(cmpop))
            if identity is not None:
                self.fail(say.identity(identity), self.src.after(operands[i]))
        ops = [_CMP_SYMBOL[type(cmpop)] for cmpop in node.ops]
        parts: list[_Part] = []
        for j, operand in enumerate(operands):
            if j > 0 and ops[j - 1] in _MEMBERSHIP:
                parts.append(self.member_list(operand, depth, ops[j - 1]))
            else:
                parts.append(self.visit(operand, depth))
        for i, op in enumerate(ops):
            self.check_pair(op, parts[i], parts[i + 1])
        links = tuple(self.link(op, parts[i], parts[i + 1]) for i, op in enumerate(ops))
        return _Part("bool", node, links[0] if len(links) == 1 else And(links))

    def member_list(self, node: ast.AST, depth: int, symbol: str) -> _Part:
        """The list (or tuple) literal right of ``in`` / ``not in``."""
        if not isinstance(node, (ast.List, ast.Tuple)):
            self.fail(say.list_expected(symbol), self.src.start(node))
        items: list[_Part] = []
        for element in node.elts:
            item = None if isinstance(element, ast.Starred) else self.visit(element, depth + 1)
            if item is None or not isinstance(item.node, (Int, Text)):
                self.fail(say.list_items(symbol), self.src.start(element))
            items.append(item)
        return _Part("list", node, items=tuple(items))

    def check_pair(self, op: _AnyOp, left: _Part, right: _Part) -> None:
        """Type-check ``left <op> right`` and the string literals against allowed values."""
        if left.kind == "list":
            self.fail(say.rejected("List"), self.src.start(left.at))
        for side in (left, right):
            if side.kind == "bool":
                self.fail(say.compares_conditions(op), self.src.start(side.at))
        if op in _ORDERING:
            for side in (left, right):
                if side.kind != "int":
                    self.fail(say.needs_numbers(op, self.describe(side), side.kind), self.src.start(side.at))
            return
        if op in _MEMBERSHIP:
            for item in right.items:
                if item.kind != left.kind:
                    self.fail(
                        say.mixed_list(self.describe(left), left.kind, op, self.describe(item)),
                        self.src.start(item.at),
                    )
                self.check_value(left, item)
            return
        if left.kind != right.kind:
            bad = left if left.is_const and not right.is_const else right
            self.fail(
                say.cannot_compare(self.describe(left), left.kind, self.describe(right), right.kind),
                self.src.start(bad.at),
            )
        self.check_value(left, right)
        self.check_value(right, left)

    def check_value(self, name_side: _Part, literal: _Part) -> None:
        """A string literal compared with a name that has allowed values must be one of them."""
        name = name_side.name
        if name is None or not isinstance(literal.node, Text):
            return
        allowed = self.allowed.get(name)
        if allowed is None or literal.node.value in allowed[1]:
            return
        self.fail(say.unknown_value(name, literal.node.value, allowed[0]), self.src.start(literal.at))

    def link(self, op: _AnyOp, left: _Part, right: _Part) -> ConditionNode:
        """The node of one checked comparison ``left <op> right``."""
        if op in _MEMBERSHIP:
            negated = op == "not in"
            # check_pair made every item a literal of the left side's kind
            if left.kind == "int":
                numbers = frozenset(item.node.value for item in right.items if isinstance(item.node, Int))
                return NumberIn(left.number(), numbers, negated)
            texts = frozenset(item.node.value for item in right.items if isinstance(item.node, Text))
            return TextIn(left.text(), texts, negated)
        if left.kind == "int":
            return CompareNumbers(_compare_op(op), left.number(), right.number())
        assert op == "==" or op == "!="
        return CompareTexts(op, left.text(), right.text())


def _compare_op(op: _AnyOp) -> CompareOp:
    assert op != "in" and op != "not in"
    return op
