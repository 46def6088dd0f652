"""How a name is put into a sentence: mid-sentence without a capital article, with its
possessive and its verb (``are`` after a plural name); and how a roll's target is said.
A leaf module (it imports nothing of the engine), so that the rules' refusals (``It is
the European Union's turn.``), the narrator and the screens share it.
"""

from __future__ import annotations

from tabletop.campaign.plural import is_are, plural_name

__all__ = ["dice_test", "in_sentence", "is_are", "or_list", "plural_name", "possessive", "succeeds_from"]


def in_sentence(name: str) -> str:
    """A name as it reads after a sentence's first word: ``the European Union`` for ``The
    European Union`` (its article takes no capital there); any other name as it is.
    Sentence-initial, a name is written as the campaign spells it."""
    first, space, rest = name.partition(" ")
    return f"the{space}{rest}" if first == "The" and rest else name


def or_list(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def possessive(name: str) -> str:
    """``Latvia's``, ``Veldia and Ostrand's``; a name ending in a plural noun takes the
    apostrophe alone (``Transit and consumer states'``). Mid-sentence, pass the name
    through :func:`in_sentence` first (``End the European Union's turn?``)."""
    return f"{name}'" if plural_name(name) else f"{name}'s"


def succeeds_from(target: int) -> str:
    """``7 or more succeeds``: a roll's target, said as what meets it (a total equal to
    the target succeeds, as the engine rolls: ``total >= target``)."""
    return f"{target} or more succeeds"


def dice_test(dice: str, target: int) -> str:
    """``2d6, 7 or more succeeds``: a roll before it is made."""
    return f"{dice}, {succeeds_from(target)}"
