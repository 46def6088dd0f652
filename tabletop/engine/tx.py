"""One decision in progress: the events it has produced so far, folded as they come."""

from __future__ import annotations

import hashlib
import random
from collections import Counter

from tabletop.engine import events as E
from tabletop.engine.fold import apply
from tabletop.engine.index import CampaignIndex
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
        self._uses: Counter[str] = Counter()

    def emit(self, event: E.Event) -> None:
        """Record ``event`` and fold it into :attr:`state`."""
        self.events.append(event)
        self.state = apply(self.ix, self.state, event)
        self.states.append(self.state)

    def private(self, *label: object) -> random.Random:
        """A generator for one private draw named by ``label`` (e.g. ``"reshuffle", actor``).

        Keyed by ``rng``'s state when first asked (which it does not advance) and the
        label with its count of uses in this decision: deterministic, and independent
        of ``rng``'s later draws and of every other private draw.
        """
        if self._base is None:
            self._base = hashlib.sha256(repr(self.rng.getstate()).encode()).digest()
        name = "\x1f".join(str(part) for part in label)
        n = self._uses[name]
        self._uses[name] += 1
        return random.Random(hashlib.sha256(self._base + f"{name}\x1f{n}".encode()).digest())
