"""One decision in progress: the events it has produced so far, folded as they come."""

from __future__ import annotations

import hashlib
import random

from tabletop.engine import events as E
from tabletop.engine.fold import apply
from tabletop.engine.index import CampaignIndex
from tabletop.engine.randomness import KeyedRandom, private_rng
from tabletop.engine.state import GameState


class Tx:
    """The events one ``decide`` (or ``start``) call produces, folded as they are produced.

    ``rng`` draws what everyone sees the outcome of (dice, the order sealed covert plays
    resolve in). Draws whose number depends on something private (how many cards a
    discard pile or a hand holds) come from :meth:`private` instead, so the public draws
    of a decision never depend on another side's secrets.
    """

    __slots__ = ("ix", "state", "events", "states", "rng", "_base", "_uses")

    def __init__(self, ix: CampaignIndex, state: GameState, rng: random.Random) -> None:
        self.ix = ix
        self.state = state
        self.events: list[E.Event] = []
        self.states: list[GameState] = []
        self.rng = rng
        self._base: bytes | None = None
        self._uses: dict[str, int] = {}  # private draws so far, by name

    def emit(self, event: E.Event) -> None:
        """Record ``event`` and fold it into :attr:`state`."""
        self.events.append(event)
        self.state = apply(self.ix, self.state, event)
        self.states.append(self.state)

    def private(self, *label: object) -> random.Random:
        """A generator for one private draw named by ``label`` (e.g. ``"reshuffle", actor``).

        Keyed by the label with its count of uses in this decision, and by the private
        key of a :class:`~tabletop.engine.randomness.KeyedRandom` ``rng`` (games since the
        ``blake2b`` scheme), else by a hash of ``rng``'s state when first asked (which
        does not advance it): deterministic, and independent of ``rng``'s later draws
        and of every other private draw.
        """
        name = "\x1f".join(str(part) for part in label)
        n = self._uses.get(name, 0)
        self._uses[name] = n + 1
        if isinstance(self.rng, KeyedRandom):
            return private_rng(self.rng.private_key, name, n)
        if self._base is None:
            self._base = hashlib.sha256(repr(self.rng.getstate()).encode()).digest()
        return random.Random(hashlib.sha256(self._base + f"{name}\x1f{n}".encode()).digest())
