"""Bots that can take any seat. They see what the seat sees, nothing more.

A bot chooses among ``engine.legal_commands(state, seat)`` using only the seat's
:class:`~tabletop.engine.views.View` and the public campaign, with its own seeded
random generator (never the game's), so a bot game is reproducible and fair.
docs/bots.md tells what each one values and what none of them can judge.

- :class:`~tabletop.bots.random_bot.RandomBot`: any legal command (a baseline).
- :class:`~tabletop.bots.heuristic.HeuristicBot`: weighs each action by its side's and
  its nation's objectives, tracks, phases, odds and resources
  (:mod:`~tabletop.bots.judge`, :mod:`~tabletop.bots.tables`, :mod:`~tabletop.bots.weigh`,
  :mod:`~tabletop.bots.odds`);
  votes by national interest, with a reason (:mod:`~tabletop.bots.voting`).
- :class:`~tabletop.bots.facilitator.FacilitatorBot`: rules facilitator contests from
  their guidance, accepts proposals.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol

from tabletop.bots.facilitator import FacilitatorBot
from tabletop.bots.heuristic import HeuristicBot
from tabletop.bots.random_bot import RandomBot
from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.views import View

__all__ = ["BOT_KINDS", "Bot", "FacilitatorBot", "HeuristicBot", "RandomBot", "make_bot"]

BOT_KINDS = ("heuristic", "random")


class Bot(Protocol):
    """What every bot is to the session that hosts it."""

    #: its own generator, never the game's; the session reseeds it before each choice
    #: (so a resumed game goes on as it would have without the break)
    rng: random.Random

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        """One of ``legal`` (never empty), chosen from what ``view`` shows its seat."""
        ...


def make_bot(kind: str, engine: Engine, seat: str, rng: random.Random) -> Bot:
    """A bot of ``kind`` (``heuristic`` or ``random``) for ``seat``; raises ``ValueError`` otherwise."""
    if seat == C.FACILITATOR:
        return FacilitatorBot(engine, rng)
    if kind == "random":
        return RandomBot(engine, seat, rng)
    if kind == "heuristic":
        return HeuristicBot(engine, seat, rng)
    raise ValueError(f"unknown bot kind {kind!r} (choose from {', '.join(BOT_KINDS)})")
