"""Where a character inside a YAML scalar stands in the file.

A condition such as ``"escalation >= 6 and cohesion < 4"`` is checked after the YAML is
read, and its errors point at a token inside the string. The parser gives only where the
scalar starts and ends; :func:`map_offset` walks the scalar's source lines, undoing the
quoting, escapes and line folding of its style (plain, single- or double-quoted, literal
or folded), to turn an offset in the decoded text into a 1-based ``(line, column)``, or
None when the text cannot be matched (then the caller points at the scalar's start).
"""

from __future__ import annotations

import re
from typing import Final

from yaml.events import ScalarEvent

__all__ = ["map_offset"]

_ESCAPES: Final = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b",
    "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES: Final = {"x": 2, "u": 4, "U": 8}
#: A line break as YAML counts them.
BREAK_RE: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_PROPERTIES_RE: Final = re.compile(r"(?:[&!][^ \t]*(?:[ \t]+|$))+")

#: One source line of a scalar: (line, decoded text, 1-based column of each decoded character).
_Segment = tuple[int, str, list[int]]


def map_offset(text: str, event: ScalarEvent, offset: int) -> tuple[int, int] | None:
    """(line, col) of character ``offset`` of a scalar's value, or None if it cannot be told."""
    start, end = event.start_mark, event.end_mark
    lines = BREAK_RE.split(text[start.index : end.index])
    first_line, first_col = start.line + 1, start.column
    props = _PROPERTIES_RE.match(lines[0])  # a tag or anchor before the scalar itself
    if props is not None:
        rest = lines[0][props.end() :]
        if rest or len(lines) == 1:
            lines[0], first_col = rest, first_col + props.end()
        else:  # the scalar starts on the next line
            lines = lines[1:]
            first_line, first_col = first_line + 1, len(lines[0]) - len(lines[0].lstrip(" \t"))
            lines[0] = lines[0][first_col:]
    style = event.style or ""
    segments: list[_Segment] = []
    if style in ("|", ">"):
        body = lines[1:]
        indent = next((len(s) - len(s.lstrip(" ")) for s in body if s.strip(" ")), 0)
        for i, s in enumerate(body, start=1):
            if not s.strip(" "):
                continue
            lead = indent if s[:indent].strip(" ") == "" else len(s) - len(s.lstrip(" "))
            content = s[lead:]
            segments.append((first_line + i, content, [lead + j + 1 for j in range(len(content))]))
    else:
        quote = style if style in ("'", '"') else ""
        last = len(lines) - 1
        for i, s in enumerate(lines):
            base = first_col if i == 0 else 0
            if quote:
                if i == 0:
                    s, base = s[1:], base + 1
                if i == last:
                    s = s[:-1] if s.endswith(quote) else s
            lead = 0
            if i > 0:
                lead = len(s) - len(s.lstrip(" \t"))
                s = s[lead:]
            if (i < last or not quote) and not (quote == '"' and s.endswith("\\")):
                s = s.rstrip(" \t")
            cols = [base + lead + j + 1 for j in range(len(s))]
            if quote == "'":
                s, cols = _unquote_single(s, cols)
            elif quote == '"':
                s, cols = _unquote_double(s, cols)
            segments.append((first_line + i, s, cols))
    return _match(event.value, segments, offset)


def _unquote_single(s: str, cols: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    out_cols: list[int] = []
    j = 0
    while j < len(s):
        out.append(s[j])
        out_cols.append(cols[j])
        j += 2 if s[j] == "'" and s[j + 1 : j + 2] == "'" else 1
    return "".join(out), out_cols


def _unquote_double(s: str, cols: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    out_cols: list[int] = []
    j = 0
    while j < len(s):
        c = s[j]
        if c != "\\":
            out.append(c)
            out_cols.append(cols[j])
            j += 1
            continue
        nxt = s[j + 1 : j + 2]
        if nxt == "":  # an escaped line break: nothing, and no folding space
            break
        if nxt in _HEX_ESCAPES:
            width = _HEX_ESCAPES[nxt]
            out.append(chr(int(s[j + 2 : j + 2 + width], 16)))
            out_cols.append(cols[j])
            j += 2 + width
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            out_cols.append(cols[j])
            j += 2
    return "".join(out), out_cols


def _match(value: str, segments: list[_Segment], offset: int) -> tuple[int, int] | None:
    """Find each segment's text in ``value`` in turn (separated only by folding whitespace)."""
    p = 0
    after_last: tuple[int, int] | None = None
    for line, content, cols in segments:
        if not content:
            continue
        idx = value.find(content, p)
        if idx < 0 or value[p:idx].strip(" \n"):
            return None
        if offset < idx:
            return after_last if after_last is not None else (line, cols[0])
        if offset < idx + len(content):
            return line, cols[offset - idx]
        p = idx + len(content)
        after_last = (line, cols[-1] + 1)
    return after_last
