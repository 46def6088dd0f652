"""The random bot: a baseline that plays any legal command, to measure the others against."""

from __future__ import annotations

import random
from collections.abc import Sequence

from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.views import View


class RandomBot:
    """Any legal command, uniformly; votes and advises yes four times in five, with no reason."""

    def __init__(self, engine: Engine, seat: str, rng: random.Random) -> None:
        self.engine, self.seat, self.rng = engine, seat, rng

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        votes: list[C.CastVote | C.Advise] = [c for c in legal if isinstance(c, C.CastVote | C.Advise)]
        if votes:
            yes = self.rng.random() < 0.8
            return next(c for c in votes if c.yes is yes)
        return self.rng.choice(list(legal))
