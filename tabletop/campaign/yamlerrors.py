"""PyYAML's syntax errors in plain words, for people who write campaigns, not parsers.

libyaml and PyYAML's pure-Python scanner say "while scanning a plain scalar" or "expected
<block end>, but found '-'"; :func:`plain_syntax_error` says what is wrong with the line
and how to fix it ("a colon followed by a space starts a key: put the text in quotes").
Both parsers' wordings of each error are recognised; an error neither table knows gets a
general sentence rather than the parser's words.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["plain_syntax_error"]

_SYMBOLS: Final = {
    "@": "'@'", "`": "a backtick (`)", "%": "'%'", "\t": "a tab", "|": "'|'", ">": "'>'",
}


def plain_syntax_error(problem: str, context: str, opened_at: tuple[int, int] | None, char: str) -> str:
    """The plain sentence for a YAML syntax error.

    ``problem`` and ``context`` are the parser's (``exc.problem``, ``exc.context``, either may
    be empty), ``opened_at`` the (line, column) its context mark names, if any, and ``char``
    the character at the error's position ('' at the end of the file).
    """
    p, ctx = problem or "", context or ""

    def since(what: str) -> str:
        return f" ({what} starts at line {opened_at[0]}, column {opened_at[1]})" if opened_at else ""

    if "tab" in p or char == "\t":
        return "a tab character here: tabs cannot indent YAML, use spaces"
    if "alias" in ctx:
        return "a bare * starts an alias (a reference to an &anchor) in YAML: write '*' in quotes"
    if "anchor" in ctx:
        return "a bare & starts an anchor in YAML: write the text in quotes"
    if "quoted scalar" in ctx and "end of stream" in p:
        return f"a quoted text is never closed{since('it')}: add the closing quote"
    if "escape" in p:
        return "unknown escape (a backslash and a letter) in double-quoted text: write \\\\ for a backslash, or use single quotes"
    if p.startswith("mapping values are not allowed"):
        return (
            "a colon followed by a space starts a key, and a key cannot start here: "
            "put the text in quotes if it contains ': ', or check the indentation"
        )
    if "flow sequence" in ctx:
        return f"a list in [brackets] is not closed, or misses a comma between items{since('the list')}: close it with ']'"
    if "flow mapping" in ctx:
        return f"a mapping in {{braces}} is not closed, or misses a comma between items{since('the mapping')}: close it with '}}'"
    if "block collection" in ctx:
        return f"this line is not a '- ' item of the list above it{since('the list')}: check its indentation"
    if "block mapping" in ctx:
        if char == "-":
            return f"a '- ' list item among the keys of a mapping{since('the mapping')}: put the list under a key, or check the indentation"
        return (
            f"this line does not line up with the keys of the mapping it belongs to{since('the mapping')}, or text follows "
            "a quoted value on its line: check the indentation and the quotes"
        )
    if "simple key" in ctx:
        return "a line with no ':' among the keys of a mapping: write 'key: value', or check the indentation"
    if "block scalar" in ctx:
        return "after | or > only a comment may follow on the same line: put the text on the next lines, indented"
    if "cannot start any token" in p:
        shown = _SYMBOLS.get(char, f"'{char}'" if char else "this character")
        return f"a value cannot start with {shown}: put the text in quotes"
    if "directive" in ctx:
        return "a line that starts with '%' is a YAML directive: put the text in quotes"
    if "node content" in p:
        what = f"'{char}'" if char and not char.isspace() else "this"
        return f"a value is missing here ({what} cannot start one): write a value, or put the text in quotes"
    if "document start" in p:
        return "the document ended (a line '...') but more follows: remove the '...' line"
    if re.search(r"end of (the )?stream", p):
        return "the file ends in the middle of a value: close its quotes or brackets"
    return "YAML cannot read the file from here: check the indentation, quotes and brackets on this line and the one before"
