"""How a name is put into a sentence: mid-sentence without a capital article, with its
possessive (:func:`whose`), a note (:func:`noted`) and its verb (``are`` after a plural
name); and how a roll's target is said. A leaf module (it imports nothing of the engine),
so that the rules' refusals (``It is the European Union's turn.``), the narrator and the
screens share it; the rules for names live in :mod:`tabletop.campaign.plural`, which the
condition words share.
"""

from __future__ import annotations

from tabletop.campaign.plural import in_sentence, is_are, noted, plural_name, whose

__all__ = ["dice_test", "in_sentence", "is_are", "noted", "or_list", "plural_name", "succeeds_from", "whose"]


def or_list(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def succeeds_from(target: int) -> str:
    """``7 or more succeeds``: a roll's target, said as what meets it (a total equal to
    the target succeeds, as the engine rolls: ``total >= target``)."""
    return f"{target} or more succeeds"


def dice_test(dice: str, target: int) -> str:
    """``2d6, 7 or more succeeds``: a roll before it is made."""
    return f"{dice}, {succeeds_from(target)}"
