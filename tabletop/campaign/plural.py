"""Whether a name names more than one (``Graduated response plans are at least 2``), and
how a name takes a possessive or a note without a bracket after a bracket
(``the turn of Belarus (Lukashenka regime)``, ``Belarus (Lukashenka regime; bot)``).

A leaf module of the campaign (it imports nothing), so that the condition words
(:mod:`tabletop.campaign.explain`), the model's ``plural`` key and the engine's grammar
(:mod:`tabletop.engine.grammar`) share one rule.
"""

from __future__ import annotations

__all__ = ["in_sentence", "is_are", "noted", "plural_name", "whose"]


def plural_name(name: str) -> bool:
    """Whether ``name`` reads as a plural noun: it has more than one word and its last is
    a lower-case word ending in ``s`` but not in ``ss``, ``us`` or ``is`` (``Graduated
    response plans``, ``Transit and consumer states``; not ``Public trust``, ``Western
    pressure on Minsk``, ``Escalation risk``, ``Crisis``). A single word is taken as
    singular (``Belarus``, ``News``, ``Logistics``): a campaign says ``plural: true`` of
    a track or hidden value named ``Sanctions``."""
    words = name.split()
    last = words[-1] if words else ""
    return len(words) > 1 and last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def is_are(plural: bool) -> str:
    """``are`` for a name that names more than one, else ``is``."""
    return "are" if plural else "is"


def in_sentence(name: str) -> str:
    """A name as it reads after a sentence's first word: ``the European Union`` for ``The
    European Union`` (its article takes no capital there); any other name as it is.
    Sentence-initial, a name is written as the campaign spells it."""
    first, space, rest = name.partition(" ")
    return f"the{space}{rest}" if first == "The" and rest else name


def _bracketed(name: str) -> bool:
    return name.rstrip().endswith(")")


def whose(name: str, thing: str, *, start: bool = False) -> str:
    """``thing`` of ``name``, the one way a name takes a possessive: ``Latvia's turn``,
    ``Veldia and Ostrand's turns``, ``Transit and consumer states' turn`` (a plural noun
    takes the apostrophe alone), ``the European Union's turn`` (mid-sentence, see
    :func:`in_sentence`). A name that ends in a bracket keeps it last: ``the turn of
    Belarus (Lukashenka regime)``, never ``Belarus (Lukashenka regime)'s turn``.
    ``start``: the words begin a sentence (``The European Union's turn``, ``The turn of
    Belarus (Lukashenka regime)``)."""
    if _bracketed(name):
        words = f"the {thing} of {in_sentence(name)}"
        return words[:1].upper() + words[1:] if start else words
    owner = name if start else in_sentence(name)
    return f"{owner}' {thing}" if plural_name(owner) else f"{owner}'s {thing}"


def noted(name: str, note: str) -> str:
    """``name`` with a note in brackets: ``Latvia (bot)``, ``Northmark (you)``; a name that
    ends in a bracket takes the note inside it (``Belarus (Lukashenka regime; you)``),
    never a second bracket after the first."""
    if _bracketed(name):
        return f"{name.rstrip()[:-1]}; {note})"
    return f"{name} ({note})"
