"""How a name is put into a sentence: mid-sentence without a capital article, and with
its possessive. A leaf module (it imports nothing of the engine), so that the rules'
refusals (``It is the European Union's turn.``) and the narrator share it.
"""

from __future__ import annotations

__all__ = ["in_sentence", "possessive"]


def in_sentence(name: str) -> str:
    """A name as it reads after a sentence's first word: ``the European Union`` for ``The
    European Union`` (its article takes no capital there); any other name as it is.
    Sentence-initial, a name is written as the campaign spells it."""
    first, space, rest = name.partition(" ")
    return f"the{space}{rest}" if first == "The" and rest else name


def possessive(name: str) -> str:
    """``Latvia's``, ``Veldia and Ostrand's``; a name ending in a plural noun takes the
    apostrophe alone (``Transit and consumer states'``). Mid-sentence, pass the name
    through :func:`in_sentence` first (``End the European Union's turn?``)."""
    words = name.split()
    last = words[-1] if words else ""
    if len(words) > 1 and last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return f"{name}'"
    return f"{name}'s"
