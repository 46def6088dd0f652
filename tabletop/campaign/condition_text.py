"""The raw text of a condition: its limits, parsing it with :mod:`ast`, and where things are in it.

:func:`prepare` refuses what is not text, too long, empty, or holds a NUL, an unencodable
character or a comment, then parses the rest with :func:`ast.parse` in ``"eval"`` mode
(never executing it). :class:`Source` turns the AST's positions (UTF-8 byte columns)
back into character offsets in the text the author wrote, for error messages.
"""

from __future__ import annotations

import ast
from typing import Final

from tabletop.campaign import condition_errors as say
from tabletop.campaign.condition_errors import ConditionError

__all__ = ["MAX_DEPTH", "MAX_INT", "MAX_LENGTH", "Source", "prepare"]

#: Longest condition text accepted, in characters.
MAX_LENGTH: Final = 2000
#: Deepest nesting of the expression tree accepted.
MAX_DEPTH: Final = 50
#: Largest number (in absolute value) a condition may write.
MAX_INT: Final = 1_000_000_000


class Source:
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


def prepare(text: str) -> Source:
    """Check the raw text and parse it; every failure becomes a :class:`ConditionError`."""
    if not isinstance(text, str):
        raise ConditionError(say.not_text(text), 0)
    if len(text) > MAX_LENGTH:
        raise ConditionError(say.too_long(len(text), MAX_LENGTH), MAX_LENGTH)
    if not text.strip():
        raise ConditionError(say.EMPTY, 0)
    nul = text.find("\x00")
    if nul >= 0:
        raise ConditionError(say.NUL, nul)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConditionError(say.INVALID_CHARACTER, exc.start) from None
    masked = _mask_strings(text)
    hash_at = masked.find("#")
    if hash_at >= 0:
        raise ConditionError(say.COMMENT, hash_at)

    lead = len(text) - len(text.lstrip())
    parsed = text[lead:].replace("\r", " ").replace("\n", " ")
    try:
        tree = ast.parse(parsed, mode="eval")
    except SyntaxError as exc:
        raise say.syntax_error(exc, text, masked, lead, parsed, MAX_DEPTH) from None
    except (RecursionError, MemoryError):  # the parser's own limits, on deep nesting
        raise ConditionError(say.too_deep(MAX_DEPTH), lead) from None
    return Source(text, lead, parsed, tree)
