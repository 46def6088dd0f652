"""Where a seat stands (its objectives) and what can end the game, from what it sees."""

from __future__ import annotations

import pytest
from save_helpers import CAMPAIGNS

from tabletop.campaign.validate import load_campaign
from tabletop.engine.standing import endings_near, objective_standing
from tabletop.engine.views import OBSERVER
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.roles import ending_lines, standing_lines


@pytest.fixture(scope="module")
def tutorial():  # type: ignore[no-untyped-def]
    return load_campaign(CAMPAIGNS / "tutorial.yaml").campaign


def _session(campaign, seed: int = 3) -> LocalSession:  # type: ignore[no-untyped-def]
    return LocalSession(campaign, seed=seed, controllers=resolve_controllers(campaign, []))


def test_a_seat_sees_its_side_and_its_own_objectives_never_a_partners_secret(tutorial) -> None:  # type: ignore[no-untyped-def]
    s = _session(tutorial)
    mine = {st.objective.title for st in objective_standing(s.engine, s.view("ostrand"), "ostrand")}
    veldias = {st.objective.title for st in objective_standing(s.engine, s.view("veldia"), "veldia")}
    secret = next(o.title for o in tutorial.actor_by_id["ostrand"].objectives if o.secret)
    assert secret in mine and secret not in veldias
    assert {o.title for o in tutorial.side_by_id["blue"].objectives} <= veldias
    assert objective_standing(s.engine, s.view(OBSERVER), OBSERVER) == []


def test_met_and_not_yet_say_what_holds_and_what_would_change_it(tutorial) -> None:  # type: ignore[no-untyped-def]
    s = _session(tutorial)
    lines = standing_lines(s.engine, s.view("veldia"), "veldia")
    through = next(line for line in lines if line.startswith("✓ Harbour Town comes through"))
    assert "met: Public trust is at least 4" in through
    clear = next(line for line in lines if "All clear" in line and line.startswith("✗"))
    assert "not yet; met when the crisis is in All clear" in clear
    assert not any(op in "\n".join(lines) for op in (">=", "<=", "=="))


def test_endings_count_the_steps_and_a_hidden_red_line_is_not_guessed(tutorial) -> None:  # type: ignore[no-untyped-def]
    s = _session(tutorial)
    dark = next(e for e in endings_near(s.engine, s.view("veldia")) if e.kind == "ending")
    start = tutorial.track_by_id["connectivity"].start
    assert dark.steps == start - 1  # connectivity at most 1 ends it
    breakdown = {seat: next(e for e in endings_near(s.engine, s.view(seat)) if e.title == "Breakdown")
                 for seat in ("veldia", "northmark")}
    # Veldia does not know the red line: it is told it cannot tell, not a guess
    assert breakdown["veldia"].steps is None and "you cannot tell" in "\n".join(ending_lines(s.engine, s.view("veldia")))
    red_line = s.view("northmark").values["red_line"]
    tracks = s.view("northmark").tracks  # tension at the red line, or trust at most 1: the nearer
    assert breakdown["northmark"].steps == min(red_line - tracks["tension"], tracks["trust"] - 1)
    last = next(e for e in endings_near(s.engine, s.view("veldia")) if e.kind == "round")
    assert last.steps == tutorial.calendar.rounds - 1


def test_what_can_end_the_game_is_the_same_whatever_a_secret_the_seat_does_not_know(tutorial) -> None:  # type: ignore[no-untyped-def]
    """Games that differ only in the seed (so in the red line and the hands) read the same
    to Veldia until something public differs."""
    views = []
    for seed in range(1, 30):
        s = _session(tutorial, seed)
        views.append((s.view("veldia").tracks, s.view("veldia").phase, tuple(ending_lines(s.engine, s.view("veldia")))))
    same_board = {(tuple(sorted(t.items())), p) for t, p, _ in views}
    assert len(same_board) == 1  # the start is public and the same
    assert len({lines for _, _, lines in views}) == 1


def test_the_role_says_how_the_result_is_judged() -> None:
    from tabletop.engine.rules import Engine
    from tabletop.tui.roles import judging_words

    engine = Engine(load_campaign(CAMPAIGNS / "belarus-border-2021.yaml").campaign)
    latvia = judging_words(engine, "latvia")
    assert "the side that has met the larger share of its objectives wins" in latvia
    assert latvia.startswith("An ending may decide the result itself.")  # armed conflict: everyone loses
    assert latvia.endswith("Your own aims count for you alone, not for your side.")  # Latvia has secret aims
