"""The view cache is only an optimisation: every cached view equals the view made without it.

Sessions keep one :class:`ViewCache` for every seat and reuse a play's view across seats
when every seat sees that play alike; a game with covert plays, accusations and votes
(and hidden values) checks that this never shows one seat another's picture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.campaign.validate import load_campaign
from tabletop.engine.views import OBSERVER, ViewCache, view_for
from tabletop.session import LocalSession, resolve_controllers

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["baltic-winter-energy", "tutorial"])
def test_cached_views_equal_uncached_ones_for_every_seat_all_game(name: str) -> None:
    c = load_campaign(ROOT / "campaigns" / f"{name}.yaml").campaign
    session = LocalSession(c, seed=11, controllers=resolve_controllers(c, [s.id for s in c.sides]))
    engine = session.engine
    seats = [*engine.actors, *(f"side:{s}" for s in engine.actors_of), OBSERVER, "facilitator"]
    cache = ViewCache()
    hidden = accused = values = 0
    for _ in range(400):
        state = session.state
        for seat in seats:
            assert view_for(engine, state, seat, cache) == view_for(engine, state, seat), (seat, state.seq)
        hidden += any(p.hidden for p in state.plays)
        accused += any(p.accusations for p in state.plays)
        values += bool(state.hidden)
        if state.ended or not session.step_bot():
            break
    assert session.state.ended
    # not vacuous: secrets were on the table (baltic: hidden plays, accusations; the tutorial: its red line)
    assert (hidden and accused) if name == "baltic-winter-energy" else values
