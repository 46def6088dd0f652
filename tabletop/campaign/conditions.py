"""Campaign conditions: a tiny, safe expression language, compiled once into closures.

Campaign files hold conditions such as ``escalation >= 6 and cohesion < 4`` or
``phase == "border-crisis" or round >= 5``. :func:`compile_condition` turns one into a
:class:`Condition` when the campaign is loaded; bots and the engine then call
:meth:`Condition.evaluate` (and :meth:`Condition.margin`) many times.

Safety: the text is parsed with :func:`ast.parse` in ``"eval"`` mode and only a small
whitelist of node types is accepted. Nothing is ever executed: the accepted tree is
type-checked and turned into nested Python closures (``lambda env: env[n] >= k``).
There is no ``eval``, ``exec`` or ``compile`` of code objects anywhere in this module.

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
"""

from __future__ import annotations

import ast
import difflib
import keyword
import operator
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, NoReturn, TypeAlias

__all__ = [
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_LENGTH",
    "Condition",
    "ConditionError",
    "NameType",
    "compile_condition",
]

#: Longest condition text accepted, in characters.
MAX_LENGTH: Final = 2000
#: Deepest nesting of the expression tree accepted.
MAX_DEPTH: Final = 50
#: Largest number (in absolute value) a condition may write.
MAX_INT: Final = 1_000_000_000

#: The type of a name a condition may read: a number or a string.
NameType: TypeAlias = type[int] | type[str]

Env: TypeAlias = Mapping[str, int | str]
_Test: TypeAlias = Callable[[Env], bool]
_Margin: TypeAlias = Callable[[Env], int]
_Getter: TypeAlias = Callable[[Env], Any]

_EXAMPLE: Final = "`escalation >= 5 and cohesion < 4`"
_LIST_EXAMPLE: Final = 'phase in ["baseline", "hybrid-pressure"]'
_KNOWN_SHOWN: Final = 8


class ConditionError(ValueError):
    """A condition text that does not compile.

    ``message`` is the sentence (``str(error)`` is exactly that), ``offset`` the
    0-based character offset in the condition text where the bad token starts.
    """

    message: str
    offset: int

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.offset))


@dataclass(frozen=True)
class Condition:
    """A compiled condition. Equal conditions have equal source and names.

    ``evaluate`` and ``margin`` read every name in :attr:`names` from ``env``; a
    missing name raises ``KeyError``.
    """

    source: str
    names: frozenset[str]
    _test: _Test = field(repr=False, compare=False)
    _margin: _Margin = field(repr=False, compare=False)

    def evaluate(self, env: Env) -> bool:
        """Whether the condition holds for the values in ``env``."""
        return self._test(env)

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
        return float(self._margin(env))

    def __str__(self) -> str:
        return self.source


# --------------------------------------------------------------------------------------
# Compiling
# --------------------------------------------------------------------------------------


def compile_condition(
    text: str,
    names: Mapping[str, NameType],
    values: Mapping[str, Collection[str]] | None = None,
) -> Condition:
    """Compile ``text`` into a :class:`Condition` over ``names``.

    ``names`` maps every name the condition may read to ``int`` or ``str``.
    ``values`` optionally lists the allowed strings of some ``str`` names (e.g. the
    phase ids); a string literal compared with such a name must be one of them.

    Raises :class:`ConditionError` (and only that) for anything wrong with ``text``.
    A bad ``names`` or ``values`` argument is the caller's bug and raises
    ``TypeError`` or ``ValueError``.
    """
    kinds = _check_names(names)
    allowed = _check_values(values, kinds)
    source = _prepare(text)
    compiler = _Compiler(source, kinds, allowed)
    try:
        expr = compiler.visit(source.tree.body, 0)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the walk shallow
        raise ConditionError(_too_deep(), source.lead) from None
    if expr.kind != "bool":
        compiler.need_condition(expr)
    assert expr.test is not None and expr.margin is not None
    return Condition(text, frozenset(compiler.used), expr.test, expr.margin)


def _check_names(names: Mapping[str, NameType]) -> dict[str, str]:
    """Validate the caller's names; return name -> ``"int"`` or ``"str"``."""
    kinds: dict[str, str] = {}
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


def _check_values(
    values: Mapping[str, Collection[str]] | None, kinds: Mapping[str, str]
) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Validate the caller's allowed values; return name -> (ordered, as a set)."""
    allowed: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
    for name, options in (values or {}).items():
        if kinds.get(name) != "str":
            raise ValueError(f"allowed values given for {name!r}, which is not a str name")
        if isinstance(options, str) or not all(isinstance(v, str) for v in options):
            raise TypeError(f"allowed values of {name!r} must be a collection of strings")
        ordered = tuple(sorted(options)) if isinstance(options, (set, frozenset)) else tuple(options)
        allowed[name] = (ordered, frozenset(ordered))
    return allowed


class _Source:
    """The condition text, what was parsed, and offset conversion between the two.

    The parsed string is ``text`` without its leading whitespace and with every
    ``\\r``/``\\n`` replaced by a space, so it is one line and every character keeps
    its position (shifted by ``lead``). AST columns are UTF-8 byte offsets in it.
    """

    def __init__(self, text: str, lead: int, parsed: str, tree: ast.Expression) -> None:
        self.text = text
        self.lead = lead
        self.parsed = parsed
        self.tree = tree
        self._lines = parsed.split("\n")
        self._encoded: dict[int, bytes] = {}

    def char(self, lineno: int, col: int) -> int:
        """Character offset in ``text`` of the (1-based line, UTF-8 byte column) position."""
        lineno = min(max(lineno, 1), len(self._lines))
        encoded = self._encoded.get(lineno)
        if encoded is None:
            encoded = self._encoded[lineno] = self._lines[lineno - 1].encode("utf-8")
        before = sum(len(line) + 1 for line in self._lines[: lineno - 1])
        return self.lead + before + len(encoded[: max(col, 0)].decode("utf-8", "ignore"))

    def start(self, node: ast.AST) -> int:
        """Character offset where ``node`` starts."""
        return self.char(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        """Character offset just past ``node``."""
        end_lineno = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:  # pragma: no cover - always set by ast.parse
            return self.start(node)
        return self.char(end_lineno, end_col)

    def after(self, node: ast.AST) -> int:
        """Offset of the first token after ``node`` (skipping spaces and closing parentheses)."""
        i = self.end(node)
        while i < len(self.text) and (self.text[i].isspace() or self.text[i] == ")"):
            i += 1
        return min(i, len(self.text))

    def snippet(self, node: ast.AST) -> str:
        """The source text of ``node``."""
        return self.text[self.start(node) : self.end(node)]


def _too_deep() -> str:
    return f"condition is nested too deeply (at most {MAX_DEPTH} levels)"


def _prepare(text: str) -> _Source:
    """Check the raw text and parse it; every failure becomes a :class:`ConditionError`."""
    if not isinstance(text, str):
        raise ConditionError(f"a condition must be text, not {type(text).__name__}", 0)
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"condition is too long ({len(text)} characters; at most {MAX_LENGTH})", MAX_LENGTH
        )
    if not text.strip():
        raise ConditionError("empty condition", 0)
    nul = text.find("\x00")
    if nul >= 0:
        raise ConditionError("the condition contains a NUL character", nul)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConditionError("the condition contains an invalid character", exc.start) from None
    masked = _mask_strings(text)
    hash_at = masked.find("#")
    if hash_at >= 0:
        raise ConditionError("comments (#) are not allowed in conditions", hash_at)

    lead = len(text) - len(text.lstrip())
    parsed = text[lead:].replace("\r", " ").replace("\n", " ")
    try:
        tree = ast.parse(parsed, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, text, masked, lead, parsed) from None
    except (RecursionError, MemoryError):
        raise ConditionError(_too_deep(), lead) from None
    except Exception:  # anything else ast.parse may raise on hostile text
        raise ConditionError(_invalid(), lead) from None
    return _Source(text, lead, parsed, tree)


def _invalid(detail: str | None = None) -> str:
    if detail is None:
        return f"this is not a valid condition: expected e.g. {_EXAMPLE}"
    return f"this is not a valid condition: {detail}"


def _mask_strings(text: str) -> str:
    """``text`` with the inside of string literals (and their quotes) blanked out."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        if text[i] not in "'\"":
            i += 1
            continue
        quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else text[i]
        j = i + len(quote)
        while j < n and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        j = min(j + len(quote), n)
        out[i:j] = " " * (j - i)
        i = j
    return "".join(out)


_SLIP_RE: Final = re.compile(
    r"(?P<and>&&)|(?P<or>\|\|)|(?P<not>!(?!=))|(?P<ge>=>)|(?P<le>=<)"
    r"|(?P<eq>(?<![=!<>:])=(?!=))|(?P<word>\b[A-Za-z]+\b)"
)
_SLIP_MESSAGES: Final = {
    "and": "use and to combine conditions, not &&",
    "or": "use or to combine conditions, not ||",
    "not": "use not to negate a condition, not !",
    "ge": "use >= (at least), not =>",
    "le": "use <= (at most), not =<",
    "eq": "use == to compare, not =",
}
_LOWER_KEYWORDS: Final = frozenset({"and", "or", "not", "in", "is"})


def _slip(masked: str) -> tuple[str, int] | None:
    """The first common slip (``=``, ``&&``, ``||``, ``!``, ``AND``...) in the masked text."""
    for match in _SLIP_RE.finditer(masked):
        kind = match.lastgroup
        assert kind is not None
        if kind == "word":
            word = match.group()
            if word.lower() in _LOWER_KEYWORDS and word != word.lower():
                return f"write {word.lower()} in lower case, not {word}", match.start()
            continue
        return _SLIP_MESSAGES[kind], match.start()
    return None


_DETECTED_RE: Final = re.compile(r"\s*\((detected at line \d+|<unknown>, line \d+)\)")


def _syntax_error(
    exc: SyntaxError, text: str, masked: str, lead: int, parsed: str
) -> ConditionError:
    """A friendly :class:`ConditionError` for a Python syntax error."""
    slip = _slip(masked)
    if slip is not None:
        return ConditionError(*slip)
    offset = lead
    if exc.offset is not None:
        lines = parsed.split("\n")
        lineno = min(max(exc.lineno or 1, 1), len(lines))
        before = sum(len(line) + 1 for line in lines[: lineno - 1])
        offset = lead + before + max(exc.offset - 1, 0)
    offset = min(max(offset, 0), len(text))
    msg = _DETECTED_RE.sub("", exc.msg or "").strip()
    if not msg or msg.startswith("invalid syntax"):
        return ConditionError(_invalid(), offset)
    if msg.startswith(("unterminated string", "unterminated triple-quoted string")):
        return ConditionError("unterminated string: the closing quote is missing", offset)
    if msg == "too many nested parentheses":
        return ConditionError(_too_deep(), offset)
    return ConditionError(_invalid(msg), offset)


# --------------------------------------------------------------------------------------
# The typed tree
# --------------------------------------------------------------------------------------

_NO_CONST: Final = object()


class _Expr:
    """One checked sub-expression.

    ``kind`` is ``"int"``, ``"str"``, ``"bool"`` or ``"list"`` (only right of ``in``).
    Values (int/str/list) have a ``get`` closure, and ``const`` when known at compile
    time, and ``name`` when they are a bare name. Booleans have ``test`` and ``margin``.
    """

    __slots__ = ("const", "get", "items", "kind", "margin", "name", "node", "test")

    def __init__(
        self,
        kind: str,
        node: ast.AST,
        *,
        get: _Getter | None = None,
        const: Any = _NO_CONST,
        name: str | None = None,
        test: _Test | None = None,
        margin: _Margin | None = None,
    ) -> None:
        self.kind = kind
        self.node = node
        self.const = const
        self.name = name
        if get is None and const is not _NO_CONST:
            get = _const_getter(const)
        self.get = get
        self.test = test
        self.margin = margin
        self.items: list[_Expr] = []

    @property
    def is_const(self) -> bool:
        return self.const is not _NO_CONST


def _const_getter(value: Any) -> _Getter:
    return lambda env: value


def _bool_const(node: ast.AST, value: bool) -> _Expr:
    m = 1 if value else 0
    return _Expr("bool", node, const=value, test=lambda env: value, margin=lambda env: m)


_KIND_WORD: Final = {"int": "a number", "str": "text", "bool": "a condition", "list": "a list"}

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
_CMP_SYMBOL: Final[dict[type[ast.cmpop], str]] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_ORDERING: Final = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_MEMBERSHIP: Final = (ast.In, ast.NotIn)
_FLIP: Final[dict[type[ast.cmpop], type[ast.cmpop]]] = {
    ast.Lt: ast.Gt,
    ast.Gt: ast.Lt,
    ast.LtE: ast.GtE,
    ast.GtE: ast.LtE,
    ast.Eq: ast.Eq,
    ast.NotEq: ast.NotEq,
}
_CMP_FUNC: Final[dict[type[ast.cmpop], Callable[[Any, Any], bool]]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def _int_in_margin(a: int, items: Collection[int]) -> int:
    if a in items:
        return 1
    return -min((abs(a - x) for x in items), default=1)


def _int_not_in_margin(a: int, items: Collection[int]) -> int:
    if a in items:
        return 0
    return min((abs(a - x) for x in items), default=1)


_INT_MARGIN: Final[dict[type[ast.cmpop], Callable[[Any, Any], int]]] = {
    ast.GtE: lambda a, b: a - b + 1,
    ast.Gt: lambda a, b: a - b,
    ast.LtE: lambda a, b: b - a + 1,
    ast.Lt: lambda a, b: b - a,
    ast.Eq: lambda a, b: 1 if a == b else -abs(a - b),
    ast.NotEq: lambda a, b: abs(a - b),
    ast.In: _int_in_margin,
    ast.NotIn: _int_not_in_margin,
}
_STR_MARGIN: Final[dict[type[ast.cmpop], Callable[[Any, Any], int]]] = {
    ast.Eq: lambda a, b: 1 if a == b else -1,
    ast.NotEq: lambda a, b: 1 if a != b else -1,
    ast.In: lambda a, b: 1 if a in b else -1,
    ast.NotIn: lambda a, b: 1 if a not in b else -1,
}


def _name_const_test(op: type[ast.cmpop], n: str, k: Any) -> _Test:
    """``env[n] <op> k`` as one closure (the hot path)."""
    if op is ast.Eq:
        return lambda env: env[n] == k
    if op is ast.NotEq:
        return lambda env: env[n] != k
    if op is ast.Lt:
        return lambda env: env[n] < k
    if op is ast.LtE:
        return lambda env: env[n] <= k
    if op is ast.Gt:
        return lambda env: env[n] > k
    if op is ast.GtE:
        return lambda env: env[n] >= k
    if op is ast.In:
        return lambda env: env[n] in k
    assert op is ast.NotIn
    return lambda env: env[n] not in k


def _name_const_margin(op: type[ast.cmpop], kind: str, n: str, k: Any) -> _Margin:
    """The margin of ``env[n] <op> k``; inlined for the ordering operators."""
    if kind == "int":
        if op is ast.GtE:
            return lambda env: env[n] - k + 1
        if op is ast.Gt:
            return lambda env: env[n] - k
        if op is ast.LtE:
            return lambda env: k - env[n] + 1
        if op is ast.Lt:
            return lambda env: k - env[n]
    fn = (_INT_MARGIN if kind == "int" else _STR_MARGIN)[op]
    return lambda env: fn(env[n], k)


_REJECTED: Final[dict[str, str]] = {
    "Call": "function calls are not allowed in conditions",
    "Attribute": "attributes ('.') are not allowed in conditions",
    "Subscript": "subscripts ('[...]') are not allowed in conditions",
    "Lambda": "lambda is not allowed in conditions",
    "ListComp": "comprehensions are not allowed in conditions",
    "SetComp": "comprehensions are not allowed in conditions",
    "DictComp": "comprehensions are not allowed in conditions",
    "GeneratorExp": "comprehensions are not allowed in conditions",
    "IfExp": "'... if ... else ...' is not allowed in conditions: combine conditions with and / or",
    "JoinedStr": "f-strings are not allowed in conditions",
    "FormattedValue": "f-strings are not allowed in conditions",
    "NamedExpr": "':=' is not allowed in conditions: use == to compare",
    "Await": "'await' is not allowed in conditions",
    "Yield": "'yield' is not allowed in conditions",
    "YieldFrom": "'yield' is not allowed in conditions",
    "Starred": "'*' unpacking is not allowed in conditions",
    "Dict": "dictionaries ('{...}') are not allowed in conditions",
    "Set": f"sets ('{{...}}') are not allowed in conditions; after in use a list, e.g. {_LIST_EXAMPLE}",
    "List": f"a list is only allowed after in / not in, e.g. {_LIST_EXAMPLE}",
    "Tuple": f"a list is only allowed after in / not in, e.g. {_LIST_EXAMPLE}",
    "Slice": "slices are not allowed in conditions",
}


class _Compiler:
    """Walks the whitelisted AST, type-checks it and builds closures."""

    def __init__(
        self,
        source: _Source,
        kinds: Mapping[str, str],
        allowed: Mapping[str, tuple[tuple[str, ...], frozenset[str]]],
    ) -> None:
        self.src = source
        self.kinds = kinds
        self.allowed = allowed
        self.used: set[str] = set()

    # -- errors -------------------------------------------------------------------------

    def fail(self, message: str, offset: int) -> NoReturn:
        raise ConditionError(message, offset)

    def describe(self, expr: _Expr) -> str:
        """A short way to name ``expr`` in a message."""
        if expr.name is not None:
            return expr.name
        snippet = " ".join(self.src.snippet(expr.node).split())
        if expr.is_const and expr.kind in ("int", "str"):
            return repr(expr.const) if expr.kind == "str" else snippet or str(expr.const)
        return snippet if 0 < len(snippet) <= 40 else "this expression"

    def need_condition(self, expr: _Expr) -> NoReturn:
        """Reject a number or string where a condition (true/false) is needed."""
        if expr.kind == "str":
            name = expr.name or "phase"
            options = self.allowed.get(name, ((), frozenset()))[0]
            example = f'{name} == "{options[0] if options else "..."}"'
        else:
            example = f"{expr.name} >= 5" if expr.name is not None else "escalation >= 5"
        self.fail(f"a condition must compare something, e.g. {example}", self.src.start(expr.node))

    def reject(self, node: ast.AST) -> NoReturn:
        kind = type(node).__name__
        message = _REJECTED.get(kind, f"{kind} is not allowed in conditions")
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            offset = self.src.after(node.value)
        elif isinstance(node, ast.NamedExpr):
            offset = self.src.after(node.target)
        elif isinstance(node, ast.IfExp):
            offset = self.src.after(node.body)
        else:
            offset = self.src.start(node)
        self.fail(message, offset)

    # -- dispatch -----------------------------------------------------------------------

    def visit(self, node: ast.AST, depth: int) -> _Expr:
        """Check and compile one node (of any whitelisted type)."""
        if depth > MAX_DEPTH:
            self.fail(_too_deep(), self.src.start(node))
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
        self.reject(node)

    def condition(self, node: ast.AST, depth: int) -> _Expr:
        """Compile ``node``, which must be a condition (true/false)."""
        expr = self.visit(node, depth)
        if expr.kind != "bool":
            self.need_condition(expr)
        return expr

    def number(self, node: ast.AST, depth: int, what: str) -> _Expr:
        """Compile ``node``, which must be a number (``what`` is the operator needing it)."""
        expr = self.visit(node, depth)
        if expr.kind != "int":
            self.fail(
                f"'{what}' needs numbers, but {self.describe(expr)} is {_KIND_WORD[expr.kind]}",
                self.src.start(node),
            )
        return expr

    # -- leaves -------------------------------------------------------------------------

    def name(self, node: ast.Name) -> _Expr:
        written = self.src.snippet(node)
        kind = self.kinds.get(node.id)
        if kind is not None and written == node.id:
            self.used.add(node.id)
            n = node.id
            return _Expr(kind, node, get=lambda env: env[n], name=n)
        if written in ("true", "false", "True", "False"):
            return _bool_const(node, written.lower() == "true")
        self.fail(self.unknown_name(written, node.id), self.src.start(node))

    def unknown_name(self, written: str, normalized: str) -> str:
        lower = written.lower()
        if lower in _LOWER_KEYWORDS:
            return f"write {lower} in lower case, not {written}"
        message = f"unknown name {written!r}"
        if lower in ("true", "false"):
            return f"{message} (did you mean {lower.capitalize()!r}?)"
        known = list(self.kinds)
        if normalized in self.kinds:
            close = [normalized]
        else:
            close = difflib.get_close_matches(written, known, n=1) or difflib.get_close_matches(
                lower, known, n=1
            )
        if close:
            message += f" (did you mean {close[0]!r}?)"
        return f"{message}; known: {_short_list(known)}"

    def constant(self, node: ast.Constant) -> _Expr:
        value = node.value
        offset = self.src.start(node)
        if isinstance(value, bool):
            return _bool_const(node, value)
        if isinstance(value, int):
            if abs(value) > MAX_INT:
                self.fail(f"number too large (at most {MAX_INT:,} either way)", offset)
            return _Expr("int", node, const=value)
        if isinstance(value, str):
            return _Expr("str", node, const=value)
        if isinstance(value, (float, complex)):
            self.fail(
                f"only whole numbers are allowed in conditions, not {self.src.snippet(node)}",
                offset,
            )
        if isinstance(value, bytes):
            self.fail("bytes literals are not allowed in conditions: write a plain string", offset)
        if value is None:
            self.fail("None is not allowed in conditions", offset)
        if value is Ellipsis:
            self.fail("'...' is not allowed in conditions", offset)
        self.fail(f"{self.src.snippet(node)} is not allowed in conditions", offset)  # pragma: no cover

    # -- operators ----------------------------------------------------------------------

    def bool_op(self, node: ast.BoolOp, depth: int) -> _Expr:
        parts = [self.condition(value, depth) for value in node.values]
        tests = [p.test for p in parts]
        margins = [p.margin for p in parts]
        assert all(t is not None for t in tests) and all(m is not None for m in margins)
        if isinstance(node.op, ast.And):
            return _Expr("bool", node, test=_all(tests), margin=_min(margins))  # type: ignore[arg-type]
        return _Expr("bool", node, test=_any(tests), margin=_max(margins))  # type: ignore[arg-type]

    def unary_op(self, node: ast.UnaryOp, depth: int) -> _Expr:
        offset = self.src.start(node)
        if isinstance(node.op, ast.Not):
            inner = self.condition(node.operand, depth)
            if inner.is_const:
                return _bool_const(node, not inner.const)
            t, m = inner.test, inner.margin
            assert t is not None and m is not None
            return _Expr("bool", node, test=lambda env: not t(env), margin=lambda env: 1 - m(env))
        if isinstance(node.op, ast.USub):
            inner = self.number(node.operand, depth, "-")
            if inner.is_const:
                value = -inner.const
                return _Expr("int", node, const=value)
            if inner.name is not None:
                n = inner.name
                return _Expr("int", node, get=lambda env: -env[n])
            g = inner.get
            assert g is not None
            return _Expr("int", node, get=lambda env: -g(env))
        if isinstance(node.op, ast.UAdd):
            self.fail("unary '+' is not supported: write the number without it", offset)
        self.fail("'~' is not supported: use not to negate a condition", offset)

    def bin_op(self, node: ast.BinOp, depth: int) -> _Expr:
        symbol = _BINOP_SYMBOL.get(type(node.op), "?")
        if not isinstance(node.op, (ast.Add, ast.Sub)):
            offset = self.src.after(node.left)
            if isinstance(node.op, ast.BitAnd):
                self.fail("'&' is not supported: use and to combine conditions", offset)
            if isinstance(node.op, ast.BitOr):
                self.fail("'|' is not supported: use or to combine conditions", offset)
            self.fail(f"'{symbol}' is not supported: conditions may use + and - only", offset)
        left = self.number(node.left, depth, symbol)
        right = self.number(node.right, depth, symbol)
        add = isinstance(node.op, ast.Add)
        if left.is_const and right.is_const:
            return _Expr("int", node, const=left.const + right.const if add else left.const - right.const)
        lg, rg = left.get, right.get
        assert lg is not None and rg is not None
        a, b = left.name, right.name
        get: _Getter
        if a is not None and b is not None:
            get = (lambda env: env[a] + env[b]) if add else (lambda env: env[a] - env[b])
        elif a is not None and right.is_const:
            k = right.const
            get = (lambda env: env[a] + k) if add else (lambda env: env[a] - k)
        else:
            get = (lambda env: lg(env) + rg(env)) if add else (lambda env: lg(env) - rg(env))
        return _Expr("int", node, get=get)

    def compare(self, node: ast.Compare, depth: int) -> _Expr:
        nodes = [node.left, *node.comparators]
        ops = [type(op) for op in node.ops]
        for i, op in enumerate(ops):
            if op in (ast.Is, ast.IsNot):
                self.fail(
                    f"'{_CMP_SYMBOL[op]}' is not supported: use == or != to compare",
                    self.src.after(nodes[i]),
                )
        exprs: list[_Expr] = []
        for j, operand in enumerate(nodes):
            if j > 0 and ops[j - 1] in _MEMBERSHIP:
                exprs.append(self.member_list(operand, depth, _CMP_SYMBOL[ops[j - 1]]))
            else:
                exprs.append(self.visit(operand, depth))
        for i, op in enumerate(ops):
            self.check_pair(op, exprs[i], exprs[i + 1])
        if len(ops) == 1:
            test, margin = self.pair(ops[0], exprs[0], exprs[1])
            return _Expr("bool", node, test=test, margin=margin)
        return self.chain(node, ops, exprs)

    def member_list(self, node: ast.AST, depth: int, symbol: str) -> _Expr:
        """The list (or tuple) literal right of ``in`` / ``not in``."""
        if not isinstance(node, (ast.List, ast.Tuple)):
            self.fail(f"after {symbol} put a list of values, e.g. {_LIST_EXAMPLE}", self.src.start(node))
        items: list[_Expr] = []
        for element in node.elts:
            item = None if isinstance(element, ast.Starred) else self.visit(element, depth + 1)
            if item is None or not item.is_const or item.kind not in ("int", "str"):
                self.fail(
                    f"the list after {symbol} may only hold numbers or strings, e.g. {_LIST_EXAMPLE}",
                    self.src.start(element),
                )
            items.append(item)
        expr = _Expr("list", node, const=frozenset(item.const for item in items))
        expr.items = items
        return expr

    def check_pair(self, op: type[ast.cmpop], left: _Expr, right: _Expr) -> None:
        """Type-check ``left <op> right`` and the string literals against allowed values."""
        symbol = _CMP_SYMBOL[op]
        if left.kind == "list":
            self.fail(_REJECTED["List"], self.src.start(left.node))
        for side in (left, right):
            if side.kind == "bool":
                self.fail(
                    f"'{symbol}' compares numbers or text, not conditions: "
                    "combine conditions with and / or / not",
                    self.src.start(side.node),
                )
        if op in _ORDERING:
            for side in (left, right):
                if side.kind != "int":
                    self.fail(
                        f"'{symbol}' needs numbers, but {self.describe(side)} is {_KIND_WORD[side.kind]}",
                        self.src.start(side.node),
                    )
            return
        if op in _MEMBERSHIP:
            for item in right.items:
                if item.kind != left.kind:
                    plural = "numbers" if left.kind == "int" else "strings"
                    self.fail(
                        f"{self.describe(left)} is {_KIND_WORD[left.kind]}, so the list after "
                        f"{symbol} must hold {plural}, not {self.describe(item)}",
                        self.src.start(item.node),
                    )
                self.check_value(left, item)
            return
        if left.kind != right.kind:
            bad = left if left.is_const and not right.is_const else right
            self.fail(
                f"cannot compare {self.describe(left)} ({_KIND_WORD[left.kind]}) with "
                f"{self.describe(right)} ({_KIND_WORD[right.kind]})",
                self.src.start(bad.node),
            )
        self.check_value(left, right)
        self.check_value(right, left)

    def check_value(self, name_side: _Expr, literal: _Expr) -> None:
        """A string literal compared with a name that has allowed values must be one of them."""
        if name_side.name is None or literal.kind != "str" or not literal.is_const:
            return
        allowed = self.allowed.get(name_side.name)
        if allowed is None or literal.const in allowed[1]:
            return
        ordered = allowed[0]
        message = f"unknown {name_side.name} {literal.const!r}"
        close = difflib.get_close_matches(literal.const, ordered, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        else:
            message += f"; known: {_short_list(ordered)}" if ordered else f"; there are no {name_side.name}s"
        self.fail(message, self.src.start(literal.node))

    def pair(self, op: type[ast.cmpop], left: _Expr, right: _Expr) -> tuple[_Test, _Margin]:
        """Closures for one comparison ``left <op> right``."""
        margin_fn = (_INT_MARGIN if left.kind == "int" else _STR_MARGIN)[op]
        if left.is_const and right.is_const:
            value = bool(_CMP_FUNC[op](left.const, right.const))
            m = margin_fn(left.const, right.const)
            return (lambda env: value), (lambda env: m)
        test: _Test
        margin: _Margin
        if left.name is not None and right.is_const:
            n, k = left.name, right.const
            test = _name_const_test(op, n, k)
            margin = _name_const_margin(op, left.kind, n, k)
        elif right.name is not None and left.is_const and op in _FLIP:
            n, k = right.name, left.const
            test = _name_const_test(_FLIP[op], n, k)
            margin = _name_const_margin(_FLIP[op], right.kind, n, k)
        else:
            f = _CMP_FUNC[op]
            lg, rg = left.get, right.get
            assert lg is not None and rg is not None
            test = lambda env: f(lg(env), rg(env))  # noqa: E731
            margin = lambda env: margin_fn(lg(env), rg(env))  # noqa: E731
        return test, margin

    def chain(self, node: ast.Compare, ops: Sequence[type[ast.cmpop]], exprs: Sequence[_Expr]) -> _Expr:
        """Closures for a chained comparison such as ``2 <= escalation < 8``."""
        if (
            len(ops) == 2
            and exprs[0].is_const
            and exprs[1].name is not None
            and exprs[2].is_const
            and ops[0] in _FLIP
        ):
            t1, m1 = self.pair(ops[0], exprs[0], exprs[1])
            t2, m2 = self.pair(ops[1], exprs[1], exprs[2])
            return _Expr("bool", node, test=_all([t1, t2]), margin=_min([m1, m2]))
        getters = [e.get for e in exprs]
        assert all(g is not None for g in getters)
        first = getters[0]
        rest = [(_CMP_FUNC[op], g) for op, g in zip(ops, getters[1:])]
        margin_fns = [
            (_INT_MARGIN if exprs[i].kind == "int" else _STR_MARGIN)[op] for i, op in enumerate(ops)
        ]

        def test(env: Env) -> bool:
            left = first(env)  # type: ignore[misc]
            for f, g in rest:
                right = g(env)  # type: ignore[misc]
                if not f(left, right):
                    return False
                left = right
            return True

        def margin(env: Env) -> int:
            vals = [g(env) for g in getters]  # type: ignore[misc]
            return min(m(vals[i], vals[i + 1]) for i, m in enumerate(margin_fns))

        return _Expr("bool", node, test=test, margin=margin)


def _short_list(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_KNOWN_SHOWN])
    if not items:
        return "(none)"
    return shown + (", ..." if len(items) > _KNOWN_SHOWN else "")


def _all(tests: Sequence[_Test]) -> _Test:
    """``and`` of the tests, short-circuiting, as few calls deep as possible."""
    if len(tests) == 2:
        a, b = tests
        return lambda env: a(env) and b(env)
    if len(tests) == 3:
        a, b, c = tests
        return lambda env: a(env) and b(env) and c(env)
    fixed = tuple(tests)

    def every(env: Env) -> bool:
        for t in fixed:
            if not t(env):
                return False
        return True

    return every


def _any(tests: Sequence[_Test]) -> _Test:
    """``or`` of the tests, short-circuiting."""
    if len(tests) == 2:
        a, b = tests
        return lambda env: a(env) or b(env)
    if len(tests) == 3:
        a, b, c = tests
        return lambda env: a(env) or b(env) or c(env)
    fixed = tuple(tests)

    def some(env: Env) -> bool:
        for t in fixed:
            if t(env):
                return True
        return False

    return some


def _min(margins: Sequence[_Margin]) -> _Margin:
    """Margin of an ``and``: the smallest."""
    if len(margins) == 2:
        a, b = margins

        def smaller(env: Env) -> int:
            x, y = a(env), b(env)
            return x if x < y else y

        return smaller
    fixed = tuple(margins)
    return lambda env: min([m(env) for m in fixed])


def _max(margins: Sequence[_Margin]) -> _Margin:
    """Margin of an ``or``: the largest."""
    if len(margins) == 2:
        a, b = margins

        def larger(env: Env) -> int:
            x, y = a(env), b(env)
            return x if x > y else y

        return larger
    fixed = tuple(margins)
    return lambda env: max([m(env) for m in fixed])
