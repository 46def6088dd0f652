"""What people write into a command, cleaned: no control characters, within its length.

Shared by ``decide``'s handlers; each raises the errors ``decide`` raises.
"""

from __future__ import annotations

from typing import Any

from tabletop.engine.commands import MAX_NAME
from tabletop.engine.errors import IllegalCommand, MalformedCommand

#: Control characters (but line breaks and tabs) and the bidirectional overrides: text a
#: player writes is shown on other people's terminals, where these would clear a screen,
#: retitle a window or reorder what is read.
_UNPRINTABLE: dict[int, None] = {
    c: None
    for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)
    if chr(c) not in "\n\t"
}


def printable(value: str) -> str:
    """``value`` without control characters or bidirectional overrides."""
    return value.translate(_UNPRINTABLE)


def limited(value: Any, what: str, limit: int, required: bool) -> str:
    """Printable text (line breaks kept), stripped, at most ``limit`` characters."""
    if not isinstance(value, str):
        raise MalformedCommand(f"The {what} must be text.")
    text = printable(value).strip() if len(value) <= 4 * limit else value  # a flood is refused unread
    if len(text) > limit:
        raise MalformedCommand(f"The {what} is too long (at most {limit} characters).")
    if required and not text:
        raise IllegalCommand(f"Please write the {what}.")
    return text


def name(value: Any, what: str, required: bool) -> str:
    """A person's name: one printable line of at most ``MAX_NAME`` characters."""
    if not isinstance(value, str):
        raise MalformedCommand(f"The {what} must be text.")
    line = " ".join(printable(value).split()) if len(value) <= 4 * MAX_NAME else value
    if len(line) > MAX_NAME:
        raise MalformedCommand(f"The {what} is too long (at most {MAX_NAME} characters).")
    if required and not line:
        raise IllegalCommand(f"Please write the {what}.")
    return line
