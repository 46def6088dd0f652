"""Whether a name names more than one: ``Graduated response plans are at least 2``.

A leaf module of the campaign (it imports nothing), so that the condition words
(:mod:`tabletop.campaign.explain`), the model's ``plural`` key and the engine's grammar
(:mod:`tabletop.engine.grammar`) share one rule.
"""

from __future__ import annotations

__all__ = ["is_are", "plural_name"]


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
