"""The functions a condition may call: ``resources("poland")``, ``played("art-4")``,
``played("art-4", by="poland")``, ``played_this_round("art-4")``.

A call is not code: the parser checks its name, its one quoted argument and its ``by=``
against what the campaign declares, and turns it into a *key* (``"resources:poland"``,
``"played:art-4:poland"``) that the condition reads from its ``env`` like any other name.
The engine's env answers those keys from the game state
(:meth:`tabletop.engine.state.GameState.env`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tabletop.campaign.condition_nodes import Flag

__all__ = ["CallSpec", "Flag", "call_key", "split_key", "standard_calls"]


@dataclass(frozen=True, slots=True)
class CallSpec:
    """One function: what it gives, what its argument names, and whether it takes ``by=``."""

    result: Literal["int", "bool"]
    subject: Literal["actor", "card"]
    subjects: tuple[str, ...]
    by: tuple[str, ...] | None = None  # the actors ``by=`` may name; None: no ``by=``
    help: str = ""


def standard_calls(actors: Iterable[str], cards: Iterable[str]) -> dict[str, CallSpec]:
    actors, cards = tuple(actors), tuple(cards)
    return {
        "resources": CallSpec("int", "actor", actors, None, 'resources("poland") >= 2'),
        "played": CallSpec("bool", "card", cards, actors, 'played("article-4") or played("article-4", by="poland")'),
        "played_this_round": CallSpec("bool", "card", cards, actors, 'played_this_round("ransom")'),
    }


def call_key(name: str, subject: str, by: str | None = None) -> str:
    """The env key of ``name(subject, by=...)``: ``played:art-4`` or ``played:art-4:poland``."""
    return f"{name}:{subject}" if by is None else f"{name}:{subject}:{by}"


def split_key(key: str) -> tuple[str, str, str | None]:
    """``call_key`` undone: (function, subject, by or None)."""
    name, _, rest = key.partition(":")
    subject, _, by = rest.partition(":")
    return name, subject, (by or None)
