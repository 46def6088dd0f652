"""What a campaign author is told when a condition does not compile.

:class:`ConditionError` carries one sentence and the character offset of the bad token.
Every sentence the condition language can say is written here, so the wording can be
read (and changed) in one place; the parser (:mod:`tabletop.campaign.condition_parser`)
decides *when* to say it and *where*.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Final, Literal, TypeAlias

__all__ = ["ConditionError"]

#: What a sub-expression is: a number, text, a condition (true/false), or a list (right of ``in``).
Kind: TypeAlias = Literal["int", "str", "bool", "list"]

EXAMPLE: Final = "`escalation >= 5 and cohesion < 4`"
LIST_EXAMPLE: Final = 'phase in ["baseline", "hybrid-pressure"]'
#: How many known names (or values) a message lists before "...".
KNOWN_SHOWN: Final = 8

KIND_WORD: Final[dict[Kind, str]] = {"int": "a number", "str": "text", "bool": "a condition", "list": "a list"}


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

    def __reduce__(self) -> tuple[type[ConditionError], tuple[str, int]]:
        return (type(self), (self.message, self.offset))


# -------------------------------------------------------------------------- the raw text


def not_text(value: object) -> str:
    return f"a condition must be text, not {type(value).__name__}"


def too_long(length: int, limit: int) -> str:
    return f"condition is too long ({length} characters; at most {limit})"


EMPTY: Final = "empty condition"
NUL: Final = "the condition contains a NUL character"
INVALID_CHARACTER: Final = "the condition contains an invalid character"
COMMENT: Final = "comments (#) are not allowed in conditions"


def too_deep(limit: int) -> str:
    return f"condition is nested too deeply (at most {limit} levels)"


def invalid(detail: str | None = None) -> str:
    if detail is None:
        return f"this is not a valid condition: expected e.g. {EXAMPLE}"
    return f"this is not a valid condition: {detail}"


# -------------------------------------------------------------------------- syntax errors

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
LOWER_KEYWORDS: Final = frozenset({"and", "or", "not", "in", "is"})


def _slip(masked: str) -> ConditionError | None:
    """The first common slip (``=``, ``&&``, ``||``, ``!``, ``AND``...) in the masked text."""
    for match in _SLIP_RE.finditer(masked):
        kind = match.lastgroup
        assert kind is not None
        if kind == "word":
            word = match.group()
            if word.lower() in LOWER_KEYWORDS and word != word.lower():
                return ConditionError(f"write {word.lower()} in lower case, not {word}", match.start())
            continue
        return ConditionError(_SLIP_MESSAGES[kind], match.start())
    return None


_DETECTED_RE: Final = re.compile(r"\s*\((detected at line \d+|<unknown>, line \d+)\)")


def syntax_error(
    exc: SyntaxError, text: str, masked: str, lead: int, parsed: str, depth_limit: int
) -> ConditionError:
    """A friendly :class:`ConditionError` for Python's syntax error ``exc``.

    ``masked`` is ``text`` with its string literals blanked out, ``parsed`` the text
    :func:`ast.parse` saw (``text`` from ``lead`` on, as one line).
    """
    slip = _slip(masked)
    if slip is not None:
        return slip
    offset = lead
    if exc.offset is not None:
        lines = parsed.split("\n")
        lineno = min(max(exc.lineno or 1, 1), len(lines))
        before = sum(len(line) + 1 for line in lines[: lineno - 1])
        offset = lead + before + max(exc.offset - 1, 0)
    offset = min(max(offset, 0), len(text))
    msg = _DETECTED_RE.sub("", exc.msg or "").strip()
    if not msg or msg.startswith("invalid syntax"):
        return ConditionError(invalid(), offset)
    if msg.startswith(("unterminated string", "unterminated triple-quoted string")):
        return ConditionError("unterminated string: the closing quote is missing", offset)
    if msg == "too many nested parentheses":
        return ConditionError(too_deep(depth_limit), offset)
    return ConditionError(invalid(msg), offset)


# -------------------------------------------------------------------------- refused constructs

REJECTED: Final[dict[str, str]] = {
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
    "Set": f"sets ('{{...}}') are not allowed in conditions; after in use a list, e.g. {LIST_EXAMPLE}",
    "List": f"a list is only allowed after in / not in, e.g. {LIST_EXAMPLE}",
    "Tuple": f"a list is only allowed after in / not in, e.g. {LIST_EXAMPLE}",
    "Slice": "slices are not allowed in conditions",
}


def rejected(node_type: str) -> str:
    """Why an expression of the AST node type ``node_type`` (``"Call"``...) is refused."""
    return REJECTED.get(node_type, f"{node_type} is not allowed in conditions")


UNARY_PLUS: Final = "unary '+' is not supported: write the number without it"
INVERT: Final = "'~' is not supported: use not to negate a condition"
BIT_AND: Final = "'&' is not supported: use and to combine conditions"
BIT_OR: Final = "'|' is not supported: use or to combine conditions"


def arithmetic(symbol: str) -> str:
    return f"'{symbol}' is not supported: conditions may use + and - only"


def identity(symbol: str) -> str:
    return f"'{symbol}' is not supported: use == or != to compare"


# -------------------------------------------------------------------------- literals

BYTES: Final = "bytes literals are not allowed in conditions: write a plain string"
NONE: Final = "None is not allowed in conditions"
ELLIPSIS: Final = "'...' is not allowed in conditions"


def too_large(limit: int) -> str:
    return f"number too large (at most {limit:,} either way)"


def not_whole(written: str) -> str:
    return f"only whole numbers are allowed in conditions, not {written}"


def not_allowed(written: str) -> str:
    return f"{written} is not allowed in conditions"


# -------------------------------------------------------------------------- names and values


def short_list(items: Sequence[str]) -> str:
    """The first few ``items``, comma-separated, with ``...`` when there are more."""
    shown = ", ".join(items[:KNOWN_SHOWN])
    if not items:
        return "(none)"
    return shown + (", ..." if len(items) > KNOWN_SHOWN else "")


def unknown_name(written: str, normalized: str, known: Sequence[str]) -> str:
    """A name that is not one of ``known``, as ``written`` (Python read it as ``normalized``)."""
    lower = written.lower()
    if lower in LOWER_KEYWORDS:
        return f"write {lower} in lower case, not {written}"
    message = f"unknown name {written!r}"
    if lower in ("true", "false"):
        return f"{message} (did you mean {lower.capitalize()!r}?)"
    if normalized in known:
        close = [normalized]
    else:
        close = difflib.get_close_matches(written, known, n=1) or difflib.get_close_matches(lower, known, n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return f"{message}; known: {short_list(known)}"


def unknown_value(name: str, literal: str, allowed: Sequence[str]) -> str:
    """A string compared with ``name`` that is none of its ``allowed`` values."""
    message = f"unknown {name} {literal!r}"
    close = difflib.get_close_matches(literal, allowed, n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    else:
        message += f"; known: {short_list(allowed)}" if allowed else f"; there are no {name}s"
    return message


# -------------------------------------------------------------------------- types


def need_condition(example: str) -> str:
    return f"a condition must compare something, e.g. {example}"


def needs_numbers(symbol: str, described: str, kind: Kind) -> str:
    return f"'{symbol}' needs numbers, but {described} is {KIND_WORD[kind]}"


def compares_conditions(symbol: str) -> str:
    return f"'{symbol}' compares numbers or text, not conditions: combine conditions with and / or / not"


def mixed_list(described: str, kind: Kind, symbol: str, item: str) -> str:
    plural = "numbers" if kind == "int" else "strings"
    return f"{described} is {KIND_WORD[kind]}, so the list after {symbol} must hold {plural}, not {item}"


def cannot_compare(left: str, left_kind: Kind, right: str, right_kind: Kind) -> str:
    return f"cannot compare {left} ({KIND_WORD[left_kind]}) with {right} ({KIND_WORD[right_kind]})"


def list_expected(symbol: str) -> str:
    return f"after {symbol} put a list of values, e.g. {LIST_EXAMPLE}"


def list_items(symbol: str) -> str:
    return f"the list after {symbol} may only hold numbers or strings, e.g. {LIST_EXAMPLE}"


# -------------------------------------------------------------------------- function calls


def unknown_function(written: str, known: list[str]) -> str:
    hint = _did_you_mean(written, known)
    return f"unknown function '{written}'{hint}; a condition may call: {', '.join(known)}"


def call_argument(function: str, subject: str, example: str) -> str:
    return f"{function}() takes one {subject} id in quotes, e.g. {example}"


def unknown_subject(subject: str, written: str, known: tuple[str, ...]) -> str:
    hint = _did_you_mean(written, list(known))
    return f"unknown {subject} '{written}'{hint}"


def call_keyword(function: str, keyword: str | None, takes_by: bool) -> str:
    if takes_by:
        return f"{function}() takes only by=\"<actor id>\", not {keyword or '**'}"
    return f"{function}() takes no keyword, only one id in quotes"


def _did_you_mean(written: str, known: list[str]) -> str:
    close = difflib.get_close_matches(written, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
