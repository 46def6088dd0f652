"""What screens offer is what the engine accepts: :mod:`tabletop.engine.queries` in random games.

Each example plays a random game (the same moves as the engine's property tests) and, at
every step and for every seat, builds what a screen would offer from the seat's
:class:`~tabletop.engine.queries.Options` (:func:`~tabletop.engine.queries.offered`):
every offered command is accepted by ``Engine.decide``, every command of
``legal_commands`` is offered, a card shown unplayable is refused with the reason shown,
the game screen's keys (:func:`tabletop.tui.flow.keys`) are open exactly when what they
send is legal, and the facilitator's open tools are open. Derandomized when ``CI=true`` (tests/conftest.py).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import build_campaign, card, actor, command_rng, start_rng, track
from hypothesis_profiles import examples
from test_engine_properties import CAMPAIGNS, SETTINGS, choose, engine_for, with_text
from tabletop.engine import FACILITATOR, CommandError, Engine
from tabletop.engine import commands as C
from tabletop.engine.errors import IllegalCommand
from tabletop.engine.queries import Wait, offered, options, waits, why_not
from tabletop.engine.state import GameState
from tabletop.tui.flow import keys

F = FACILITATOR
MAX_STEPS = 80


def accepted(engine: Engine, state: GameState, cmd: C.Command) -> str | None:
    return why_not(engine, state, with_text(cmd))


def check_options(engine: Engine, state: GameState) -> None:
    assert {w.seat for w in waits(engine, state)} == set(engine.awaiting(state))
    for seat in (*engine.actors, F):
        opts = options(engine, state, seat)
        offer = offered(opts)
        legal = engine.legal_commands(state, seat)
        assert sorted(map(repr, offer)) == sorted(map(repr, legal)), f"{seat}: offered {offer}, legal {legal}"
        for cmd in offer:
            assert accepted(engine, state, cmd) is None, f"{seat}: offered {cmd}, refused: {accepted(engine, state, cmd)}"
        for instance, reason in opts.hand:
            if reason is not None:
                assert not opts.ways(instance)
                assert accepted(engine, state, C.PlayCard(seat, instance)) == reason
            elif opts.my_turn:
                assert opts.ways(instance), f"{seat}: {instance} shown playable but not legal"
        if seat != F:
            # a turn's other moves: proposals only on one's turn
            propose = C.Propose(seat, "An idea.", {})
            assert (accepted(engine, state, propose) is None) == opts.my_turn
            # the game screen's keys: open exactly when the engine would take what they send
            open_ = keys(opts)
            kinds = {type(c) for c in legal}
            assert open_["pass_turn"] is open_["propose"] is (C.Pass in kinds)
            assert (open_["attribute"] is True) == (C.Attribute in kinds)
            assert open_["vote"] is (C.CastVote in kinds)
            continue
        for inject in opts.injects:
            assert accepted(engine, state, C.FireInject(F, inject)) is None
        for trigger in opts.triggers:
            try:
                engine.decide(state, C.FireTrigger(F, trigger, "Why not."), random.Random(0))
            except IllegalCommand:
                pass  # offered, and the condition decides: the engine says why
        assert (accepted(engine, state, C.Pause(F, "")) is None) == opts.can_pause
        assert (accepted(engine, state, C.Annotate(F, "A note.")) is None) == opts.can_annotate


def play(engine: Engine, data: st.DataObject) -> None:
    seed = data.draw(st.integers(0, 2**20), label="seed")
    state = engine.fold(engine.start(start_rng(seed)))
    check_options(engine, state)
    for _ in range(MAX_STEPS):
        if state.ended:
            break
        cmd = choose(data, engine, state)
        try:
            new = engine.decide(state, cmd, command_rng(seed, state))
        except CommandError:
            continue
        state = engine.fold(new, state)
        check_options(engine, state)


@pytest.mark.parametrize("name", CAMPAIGNS)
def test_what_screens_offer_is_what_the_engine_accepts(name: str) -> None:
    engine = engine_for(name)

    @settings(SETTINGS, max_examples=examples(15))
    @given(data=st.data())
    def random_play(data: st.DataObject) -> None:
        play(engine, data)

    random_play()


def test_attribution_is_not_offered_when_it_cannot_be_paid() -> None:
    """The drift the screens had: the attribute key was offered whatever the seat could pay."""
    campaign = build_campaign(
        sides=[
            {"id": "red", "name": "Red", "actors": [actor("r1", resources=5, deck=["veil", "r-noop"])]},
            {"id": "blue", "name": "Blue", "actors": [actor("b1", resources=0, deck=["b-noop"])]},
        ],
        cards=[
            card("veil", "red", covert={"attribution": {"dice": "1d6", "target": 2}}),
            card("r-noop", "red"),
            card("b-noop", "blue"),
        ],
        tracks=[track("t")],
        rules={"attribution_cost": 2},
    )
    engine = Engine(campaign)
    state = engine.fold(engine.start(random.Random(1)))
    rng = random.Random(2)
    while not state.ended and engine.awaiting(state) != ("b1",):
        seat = engine.awaiting(state)[0]
        legal = engine.legal_commands(state, seat)
        cmd = next((c for c in legal if isinstance(c, C.PlayCard) and c.card == "veil"), None) or legal[-1]
        state = engine.fold(engine.decide(state, with_text(cmd), rng), state)
    assert any(p.hidden for p in state.plays)
    opts = options(engine, state, "b1")
    assert opts.my_turn and opts.attributable == () and opts.accusable == ()
    assert waits(engine, state) == (Wait("b1", "turn"),)


def test_a_paused_game_takes_no_ruling_as_its_options_say() -> None:
    """While paused, the facilitator is offered only Resume, and the engine agrees."""
    from pathlib import Path

    from tabletop.campaign.validate import load_campaign
    from tabletop.session import LocalSession, resolve_controllers

    loaded = load_campaign(Path(__file__).resolve().parents[1] / "campaigns" / "tutorial.yaml")
    session = LocalSession(loaded.campaign, seed=3, controllers=resolve_controllers(loaded.campaign, []))
    session.submit_now(C.Pause(C.FACILITATOR, "a break"))
    assert session.legal_commands(C.FACILITATOR) == [C.Resume(C.FACILITATOR)]
    for ruling in (C.Advance(C.FACILITATOR), C.RuleProposal(C.FACILITATOR, 1, "accept", ""),
                   C.Adjudicate(C.FACILITATOR, 1, True, "")):
        with pytest.raises(IllegalCommand, match="Resume the exercise first"):
            session.submit_now(ruling)
