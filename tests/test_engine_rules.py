"""One or more tests per rule (docs/campaign-format.md: A round, Resolving a card), each on a tiny campaign built for it.

The campaigns come from :func:`engine_helpers.build_campaign`: side ``red`` (actor
``r1``), side ``blue`` (actor ``b1``), one track ``tension`` 0..10 starting at 5, phases
calm / tense / crisis / war (terminal). Each test overrides only what it is about.
Dice are fixed with :class:`FixedDice` where the outcome matters.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from typing import Any

import pytest

from engine_helpers import (
    CAMPAIGNS_DIR,
    Game,
    actor,
    build_campaign,
    card,
    check_state,
    check_views,
    load_bundled,
    run_bot_game,
    track,
)
from tabletop.engine import (
    FACILITATOR,
    CommandError,
    Engine,
    IllegalCommand,
    MalformedCommand,
    command_from_data,
    command_to_data,
    event_from_data,
    event_to_data,
)
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.narrate import Narrator
from tabletop.engine.state import state_to_data
from tabletop.engine.views import HIDDEN, redact, view_for, view_to_data

F = FACILITATOR


class FixedDice(random.Random):
    """A generator whose ``randint`` returns the given values in order (shuffles stay seeded)."""

    def __init__(self, *values: int) -> None:
        super().__init__(0)
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        assert self.values, "more dice rolled than the test expected"
        v = self.values.pop(0)
        assert a <= v <= b
        return v


def steps_of(events: list[E.Event]) -> list[str]:
    return [e.step for e in events if isinstance(e, E.StepStarted)]


def tension(g: Game) -> int:
    return g.state.tracks["tension"]


# =========================================================================== setup


def test_start_shuffles_each_deck_with_the_rng_and_deals_opening_hands() -> None:
    cards = [card(f"c{i}", actor="r1") for i in range(8)] + [card("b-noop", "blue", actor="b1")]
    camp = build_campaign(cards=cards, red=[actor("r1", hand_size=3)])
    engine = Engine(camp)
    events = engine.start(random.Random(1))
    assert events == engine.start(random.Random(1)), "the same rng must deal the same game"
    started = events[0]
    assert isinstance(started, E.GameStarted)
    assert sorted(started.decks["r1"]) == sorted(engine.start_decks["r1"])
    assert len({engine.start(random.Random(s))[0].decks["r1"] for s in range(10)}) > 1  # type: ignore[attr-defined]
    state = engine.fold(events)
    assert state.actors["r1"].hand == started.decks["r1"][:3]
    assert state.actors["r1"].deck == started.decks["r1"][3:]
    assert state.actors["b1"].hand == ("b-noop",)
    assert state.actors["r1"].resources == 5
    assert state.round == 1 and state.phase == "calm" and state.tracks == {"tension": 5}


def test_copies_of_a_card_are_numbered_instances() -> None:
    camp = build_campaign(red=[actor("r1", deck=["r-noop", "r-noop", "r-noop"])])
    engine = Engine(camp)
    assert engine.start_decks["r1"] == ("r-noop~1", "r-noop~2", "r-noop~3")
    assert engine.start_decks["b1"] == ("b-noop",)
    assert {engine.instance_card[i] for i in engine.start_decks["r1"]} == {"r-noop"}


def test_round_one_starts_on_the_calendar_start_and_rounds_advance_by_round_days() -> None:
    g = Game(build_campaign(start="2021-11-08", round_days=5))
    assert g.of(E.RoundStarted) == [E.RoundStarted(1, "2021-11-08")]
    assert view_for(g.engine, g.state, "r1").date == "2021-11-08"
    g.pass_round()
    assert g.of(E.RoundStarted)[-1] == E.RoundStarted(2, "2021-11-13")
    assert view_for(g.engine, g.state, "observer").date == "2021-11-13"


def test_decide_before_start_is_refused() -> None:
    engine = Engine(build_campaign())
    with pytest.raises(IllegalCommand, match="not started"):
        engine.decide(engine.initial_state(), C.Pass("r1"), random.Random(0))
    assert engine.awaiting(engine.initial_state()) == ()
    assert engine.legal_commands(engine.initial_state(), "r1") == []


# =========================================================================== turn order


def test_default_order_is_injects_sides_adjudication_phase_check_upkeep() -> None:
    camp = build_campaign(red=[actor("r1"), actor("r2")], blue=[actor("b1"), actor("b2")])
    g = Game(camp)
    assert steps_of(g.events) == ["injects", "red"]
    turns = []
    for _ in range(4):
        turns.append(g.state.turn)
        g.pass_()
    assert turns == ["r1", "r2", "b1", "b2"]
    assert steps_of(g.events) == ["injects", "red", "blue", "adjudication", "phase_check", "upkeep", "injects", "red"]
    assert g.state.round == 2 and g.state.turn == "r1"
    ended = g.of(E.TurnEnded)
    assert [(e.actor, e.passed, e.forced) for e in ended] == [(a, True, False) for a in ("r1", "r2", "b1", "b2")]


def test_rules_order_sets_the_steps_and_a_side_may_act_twice() -> None:
    g = Game(build_campaign(rules={"order": ["blue", "injects", "red", "upkeep", "blue"]}))
    assert steps_of(g.events) == ["blue"] and g.state.turn == "b1"
    g.pass_()
    assert steps_of(g.events) == ["blue", "injects", "red"] and g.state.turn == "r1"
    g.pass_()
    assert g.state.turn == "b1" and steps_of(g.events)[-1] == "blue" and g.state.round == 1
    g.pass_()
    assert g.state.round == 2 and g.state.turn == "b1"


def test_plays_per_turn_limits_actions_then_the_turn_ends_by_itself() -> None:
    cards = [card(c, actor="r1") for c in ("a", "b", "c")] + [card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, rules={"plays_per_turn": 2}))
    assert g.of(E.TurnStarted)[0] == E.TurnStarted("r1", 2)
    g.play("r1", "a")
    assert g.state.turn == "r1" and g.state.plays_left == 1
    events = g.play("r1", "b")
    assert E.TurnEnded("r1", passed=False) in events
    assert g.state.turn == "b1"
    g.refuse(C.PlayCard("r1", "c"), IllegalCommand, "It is B1's turn.")


def test_pass_ends_the_turn_early() -> None:
    g = Game(build_campaign(rules={"plays_per_turn": 3}))
    events = g.pass_("r1")
    assert events[0] == E.TurnEnded("r1", passed=True)
    assert g.state.turn == "b1"


def test_acting_out_of_turn_is_illegal() -> None:
    g = Game(build_campaign())
    g.refuse(C.Pass("b1"), IllegalCommand, "It is R1's turn.")
    g.refuse(C.PlayCard("b1", "b-noop"), IllegalCommand, "It is R1's turn.")
    assert g.engine.legal_commands(g.state, "b1") == []
    assert g.engine.awaiting(g.state) == ("r1",)


# =========================================================================== playing cards


def test_cost_is_paid_and_the_card_goes_on_the_table_then_to_the_discard() -> None:
    cards = [card("strike", actor="r1", cost=3, effects={"tracks": {"tension": 1}}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, red=[actor("r1", resources=4)]))
    events = g.play("r1", "strike")
    assert events[0] == E.CardPlayed(1, "r1", "strike", "strike", False, 3)
    assert events[1] == E.TrackChanged("tension", 1, 6, "play:1")
    assert g.state.actors["r1"].resources == 1
    assert g.state.actors["r1"].table == ("strike",) and g.state.actors["r1"].hand == ()
    g.pass_round()
    assert g.of(E.TableCleared) == [E.TableCleared((("r1", "strike"),), ())]
    assert g.state.actors["r1"].discard == ("strike",) and g.state.actors["r1"].table == ()


def test_single_use_cards_leave_the_game() -> None:
    cards = [card("once", actor="r1", single_use=True), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards))
    g.play("r1", "once")
    g.pass_round()
    assert g.of(E.TableCleared) == [E.TableCleared((), (("r1", "once"),))]
    assert g.state.actors["r1"].removed == ("once",) and g.state.actors["r1"].discard == ()


def test_a_card_the_actor_cannot_afford_is_refused_with_a_sentence() -> None:
    cards = [card("strike", actor="r1", cost=3), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, red=[actor("r1", resources=2)]))
    msg = g.refuse(C.PlayCard("r1", "strike"), IllegalCommand)
    assert msg == "Strike costs 3 and you have 2."
    assert g.engine.why_not_play(g.state, "r1", "strike") == msg
    assert C.PlayCard("r1", "strike") not in g.engine.legal_commands(g.state, "r1")
    assert g.engine.legal_commands(g.state, "r1") == [C.Pass("r1")]


def test_only_the_cards_side_may_play_it() -> None:
    cards = [card("r-noop", actor="r1"), card("blue-only", "blue"), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, red=[actor("r1", deck=["r-noop", "blue-only"])]))
    assert g.refuse(C.PlayCard("r1", "blue-only")) == "Only Blue can play Blue Only."
    assert g.engine.legal_commands(g.state, "r1") == [C.PlayCard("r1", "r-noop"), C.Pass("r1")]


def test_only_the_cards_actor_may_play_it() -> None:
    cards = [card("r2-card", actor="r2"), card("b-noop", "blue", actor="b1")]
    camp = build_campaign(cards=cards, red=[actor("r1", deck=["r2-card"]), actor("r2", deck=[])])
    g = Game(camp)
    assert g.refuse(C.PlayCard("r1", "r2-card")) == "Only R2 can play R2 Card."


def test_a_card_outside_its_phases_is_refused_until_the_phase_comes() -> None:
    cards = [card("surge", actor="r1", phases=["tense", "crisis"]), card("b-noop", "blue", actor="b1")]
    transitions = [{"trigger": "heat", "source": "calm", "dest": "tense"}]
    g = Game(build_campaign(cards=cards, transitions=transitions))
    assert g.refuse(C.PlayCard("r1", "surge")) == "Surge can be played only while the crisis is in Tense or Crisis."
    g.do(C.FireTrigger(F, "heat", "The talks failed."))
    assert g.state.phase == "tense"
    g.play("r1", "surge")


def test_requires_must_hold() -> None:
    cards = [card("dare", actor="r1", requires="tension >= 7"), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards))
    assert g.refuse(C.PlayCard("r1", "dare")) == "Dare can be played only when Tension is at least 7."
    g.do(C.AdjustTrack(F, "tension", 2, "Border incident"))
    g.play("r1", "dare")


def test_a_card_not_in_hand_is_refused() -> None:
    cards = [card("a", actor="r1"), card("b", actor="r1"), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, red=[actor("r1", hand_size=1)]))
    in_deck = g.state.actors["r1"].deck[0]
    assert g.refuse(C.PlayCard("r1", in_deck)) == "That card is not in your hand."
    assert g.refuse(C.PlayCard("r1", "b-noop")) == "That card is not in your hand."


# =========================================================================== drawing


def test_upkeep_draws_never_beyond_hand_size() -> None:
    cards = [card("x", actor="r1"), card("b-noop", "blue", actor="b1")]
    red = [actor("r1", hand_size=2, draw_per_round=3, deck=["x"] * 6)]
    g = Game(build_campaign(cards=cards, red=red))
    assert len(g.hand("r1")) == 2
    g.pass_round()
    assert not [e for e in g.of(E.CardsDrawn)[1:] if e.actor == "r1"], "a full hand draws nothing"
    g.do(C.PlayCard("r1", g.hand("r1")[0]))
    g.pass_round()
    drawn = [e for e in g.of(E.CardsDrawn)[1:] if e.actor == "r1"]
    assert len(drawn) == 1 and len(drawn[0].cards) == 1
    assert len(g.hand("r1")) == 2


def test_draw_effect_draws_for_the_player_up_to_hand_size() -> None:
    cards = [
        card("intel", actor="r1", effects={"draw": 1}),
        card("flood", actor="r2", effects={"draw": 3}),
        card("b-noop", "blue", actor="b1"),
    ]
    red = [actor("r1", hand_size=3, deck=["intel"] * 6), actor("r2", hand_size=2, deck=["flood"] * 6)]
    g = Game(build_campaign(cards=cards, red=red))
    before = g.state.actors["r1"].deck
    events = g.do(C.PlayCard("r1", g.hand("r1")[0]))
    assert E.CardsDrawn("r1", before[:1]) in events
    assert len(g.hand("r1")) == 3
    before = g.state.actors["r2"].deck
    events = g.do(C.PlayCard("r2", g.hand("r2")[0]))
    assert E.CardsDrawn("r2", before[:1]) in events, "draw 3 with one free slot draws 1"
    assert len(g.hand("r2")) == 2


def test_an_empty_deck_is_refilled_by_shuffling_the_discard_pile() -> None:
    cards = [card("x", actor="r1"), card("b-noop", "blue", actor="b1")]
    red = [actor("r1", hand_size=2, draw_per_round=2, deck=["x"] * 5)]
    g = Game(build_campaign(cards=cards, red=red, rules={"plays_per_turn": 2}))
    for _ in range(2):
        g.do(C.PlayCard("r1", g.hand("r1")[0]))
    g.pass_round()  # upkeep draws 2 of the 3 left; the 2 played go to the discard pile
    a = g.state.actors["r1"]
    assert len(a.deck) == 1 and len(a.discard) == 2 and len(a.hand) == 2
    last, discard = a.deck, a.discard
    for _ in range(2):
        g.do(C.PlayCard("r1", g.hand("r1")[0]))
    n = len(g.events)
    g.pass_round()
    upkeep = g.events[n:]
    drawn = [e for e in upkeep if isinstance(e, (E.CardsDrawn, E.DeckReshuffled)) and e.actor == "r1"]
    assert len(drawn) == 3
    assert drawn[0] == E.CardsDrawn("r1", last), "what is left of the deck is drawn first"
    assert isinstance(drawn[1], E.DeckReshuffled) and sorted(drawn[1].order) == sorted(discard)
    assert drawn[2] == E.CardsDrawn("r1", drawn[1].order[:1])
    a = g.state.actors["r1"]
    assert a.deck == drawn[1].order[1:]
    check_state(g.engine, g.state)


# =========================================================================== effects


def test_track_changes_are_clamped_to_the_bounds() -> None:
    cards = [
        card("up", actor="r1", effects={"tracks": {"tension": 3, "trust": -9}}),
        card("b-noop", "blue", actor="b1"),
    ]
    tracks = [track("tension", start=9), track("trust", start=-3, min=-5, max=5)]
    g = Game(build_campaign(cards=cards, tracks=tracks))
    events = g.play("r1", "up")
    assert E.TrackChanged("tension", 1, 10, "play:1") in events
    assert E.TrackChanged("trust", -2, -5, "play:1") in events
    assert g.state.tracks == {"tension": 10, "trust": -5}


def test_a_change_clamped_to_nothing_makes_no_event() -> None:
    cards = [card("up", actor="r1", effects={"tracks": {"tension": 2}}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, tracks=[track("tension", start=10)]))
    events = g.play("r1", "up")
    assert not [e for e in events if isinstance(e, E.TrackChanged)]


def test_resources_go_to_the_player_and_resources_of_to_named_actors() -> None:
    cards = [
        card("loot", actor="r1", effects={"resources": 2, "resources_of": {"b1": -9, "r2": 1}}),
        card("b-noop", "blue", actor="b1"),
    ]
    g = Game(build_campaign(cards=cards, red=[actor("r1"), actor("r2", resources=0)]))
    events = g.play("r1", "loot")
    changes = [e for e in events if isinstance(e, E.ResourcesChanged)]
    assert sorted(changes, key=lambda e: e.actor) == [
        E.ResourcesChanged("b1", -5, 0, "play:1"),  # resources never go below 0
        E.ResourcesChanged("r1", 2, 7, "play:1"),
        E.ResourcesChanged("r2", 1, 1, "play:1"),
    ]


def test_discard_effect_discards_at_random_from_the_named_hand() -> None:
    cards = [
        card("raid", actor="r1", effects={"discard": {"b1": 2}}),
        card("purge", actor="r1", effects={"discard": {"b1": 9}}),
        *(card(f"b{i}", "blue", actor="b1") for i in range(4)),
    ]
    g = Game(build_campaign(cards=cards, rules={"plays_per_turn": 2}))
    hand = g.hand("b1")
    events = g.play("r1", "raid")
    discarded = [e for e in events if isinstance(e, E.CardsDiscarded)]
    assert len(discarded) == 1 and discarded[0].actor == "b1" and discarded[0].cause == "play:1"
    assert len(discarded[0].cards) == 2 and set(discarded[0].cards) <= set(hand)
    assert g.state.actors["b1"].discard == discarded[0].cards
    assert set(g.hand("b1")) == set(hand) - set(discarded[0].cards)
    events = g.play("r1", "purge")
    assert [e for e in events if isinstance(e, E.CardsDiscarded)][0].cards.__len__() == 2
    assert g.hand("b1") == ()
    check_state(g.engine, g.state)


def test_trigger_effect_fires_a_transition_only_if_its_condition_holds() -> None:
    transitions = [{"trigger": "heat", "source": "calm", "dest": "tense", "when": "tension >= 7", "auto": False}]
    cards = [
        card("nudge", actor="r1", effects={"tracks": {"tension": 1}, "trigger": "heat"}),
        card("shove", actor="r1", effects={"tracks": {"tension": 1}, "trigger": "heat"}),
        card("b-noop", "blue", actor="b1"),
    ]
    g = Game(build_campaign(cards=cards, transitions=transitions, rules={"plays_per_turn": 2}))
    events = g.play("r1", "nudge")  # 5 -> 6: the condition does not hold
    assert not [e for e in events if isinstance(e, E.PhaseChanged)] and g.state.phase == "calm"
    events = g.play("r1", "shove")  # 6 -> 7: it holds once the tracks have moved
    assert E.PhaseChanged("calm", "tense", "heat", "play:2", "tension >= 7") in events
    assert g.state.phase == "tense"
    assert g.state.phase_history[-1].cause == "play:2"


def test_trigger_effect_without_a_transition_from_the_current_phase_does_nothing() -> None:
    transitions = [{"trigger": "heat", "source": "tense", "dest": "crisis"}]
    cards = [card("nudge", actor="r1", effects={"trigger": "heat"}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, transitions=transitions))
    events = g.play("r1", "nudge")
    assert not [e for e in events if isinstance(e, E.PhaseChanged)] and g.state.phase == "calm"


# =========================================================================== the crisis machine


def test_phase_check_takes_chained_automatic_transitions_in_order_and_stops() -> None:
    transitions = [
        {"trigger": "rise", "source": "calm", "dest": "tense", "when": "tension >= 5"},
        {"trigger": "jump", "source": "calm", "dest": "crisis", "when": "tension >= 5"},  # listed second
        {"trigger": "boil", "source": "tense", "dest": "crisis", "when": "tension >= 5"},
        {"trigger": "back", "source": "crisis", "dest": "calm", "when": "tension >= 5", "auto": False},
    ]
    g = Game(build_campaign(transitions=transitions))
    g.pass_()
    g.pass_()
    changes = g.of(E.PhaseChanged)
    assert changes == [
        E.PhaseChanged("calm", "tense", "rise", "threshold", "tension >= 5"),
        E.PhaseChanged("tense", "crisis", "boil", "threshold", "tension >= 5"),
    ]
    assert g.state.phase == "crisis" and g.state.round == 2
    assert [(h.source, h.dest, h.round) for h in g.state.phase_history] == [("calm", "tense", 1), ("tense", "crisis", 1)]
    assert g.events.index(changes[0]) > g.events.index(E.StepStarted("phase_check"))


def test_phase_check_cannot_loop_forever() -> None:
    transitions = [
        {"trigger": "there", "source": "calm", "dest": "tense", "when": "tension >= 0"},
        {"trigger": "back", "source": "tense", "dest": "calm", "when": "tension >= 0"},
    ]
    g = Game(build_campaign(transitions=transitions))
    g.pass_round()
    assert 1 <= len(g.of(E.PhaseChanged)) <= 4  # at most one pass through the four phases
    assert g.state.round == 2 and not g.state.ended


def test_a_transition_without_a_condition_fires_only_by_trigger() -> None:
    g = Game(build_campaign(transitions=[{"trigger": "heat", "source": "calm", "dest": "tense"}]))
    g.pass_round()
    assert g.state.phase == "calm"
    events = g.do(C.FireTrigger(F, "heat", "The facilitator raises the stakes."))
    assert events == [E.PhaseChanged("calm", "tense", "heat", "facilitator", None)]


def test_a_terminal_phase_ends_the_game_at_once() -> None:
    transitions = [{"trigger": "invade", "source": "*", "dest": "war", "when": "tension >= 8"}]
    cards = [card("mobilise", actor="r1", effects={"tracks": {"tension": 3}}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, transitions=transitions, rules={"plays_per_turn": 2},
                            red_objectives=[{"id": "win", "title": "Win", "when": "phase == \"war\""}]))
    g.play("r1", "mobilise")
    assert not g.state.ended, "an automatic transition waits for the phase check"
    g.pass_()
    g.pass_()
    assert g.events[-2] == E.PhaseChanged("calm", "war", "invade", "threshold", "tension >= 8")
    assert g.events[-1] == E.GameEnded("terminal_phase", "war", {"red": {"win": True}, "blue": {}})
    assert g.state.ended and g.state.outcome is not None and g.state.outcome.reason == "terminal_phase"
    assert g.engine.awaiting(g.state) == ()
    assert g.engine.legal_commands(g.state, "r1") == [] and g.engine.legal_commands(g.state, F) == []
    g.refuse(C.Pass("r1"), IllegalCommand, "The exercise is over.")
    g.refuse(C.AdjustTrack(F, "tension", -1, "Too late"), IllegalCommand, "The exercise is over.")
    g.do(C.Annotate(F, "A note for the debrief is still welcome."))


def test_a_trigger_into_a_terminal_phase_ends_the_game_mid_turn() -> None:
    transitions = [{"trigger": "invade", "source": "calm", "dest": "war"}]
    cards = [card("attack", actor="r1", effects={"trigger": "invade"}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, transitions=transitions))
    events = g.play("r1", "attack")
    assert [type(e) for e in events] == [E.CardPlayed, E.PhaseChanged, E.GameEnded]
    assert g.state.outcome is not None and g.state.outcome.detail == "war"


# =========================================================================== the end


def test_an_end_condition_is_checked_at_the_end_of_the_round() -> None:
    cards = [card("stoke", actor="r1", effects={"tracks": {"tension": 2}}), card("b-noop", "blue", actor="b1")]
    end = [{"id": "boil", "title": "Boiling over", "when": "tension >= 7"}]
    g = Game(build_campaign(cards=cards, end=end, rounds=5))
    g.play("r1", "stoke")
    assert not g.state.ended
    g.pass_()
    assert g.events[-1] == E.GameEnded("end_condition", "boil", {"red": {}, "blue": {}})
    assert isinstance(g.events[-2], E.TableCleared)
    assert g.state.round == 1 and not g.of(E.RoundStarted)[1:]


def test_the_game_ends_after_the_last_round() -> None:
    g = Game(build_campaign(rounds=2))
    g.pass_round()
    assert g.state.round == 2 and not g.state.ended
    g.pass_round()
    assert g.state.outcome is not None
    assert (g.state.outcome.reason, g.state.outcome.detail) == ("last_round", "2")
    assert g.state.round == 2


def test_objectives_are_evaluated_in_the_outcome() -> None:
    g = Game(build_campaign(
        rounds=1,
        red_objectives=[
            {"id": "pressure", "title": "Keep up the pressure", "when": "tension >= 5"},
            {"id": "late", "title": "Last long", "when": "round >= 3"},
        ],
        blue_objectives=[{"id": "calm", "title": "Calm it down", "when": "tension < 3"}],
    ))
    g.pass_to_end()
    outcome = g.state.outcome
    assert outcome is not None
    assert outcome.objectives == {"red": {"pressure": True, "late": False}, "blue": {"calm": False}}
    assert outcome.met("red") == 1 and outcome.met("blue") == 0
    assert outcome.verdict() == "red"
    assert g.events[-1] == E.GameEnded("last_round", "1", outcome.objectives)


# =========================================================================== injects


def test_an_inject_by_round_fires_at_that_rounds_inject_step() -> None:
    injects = [{"id": "storm", "title": "Storm", "text": "Ships stay in port.", "round": 2,
                "effects": {"tracks": {"tension": 1}}}]
    g = Game(build_campaign(injects=injects))
    assert not g.of(E.InjectFired)
    g.pass_round()
    fired = g.of(E.InjectFired)
    assert fired == [E.InjectFired("storm", "Storm", "Ships stay in port.", "round")]
    i = g.events.index(fired[0])
    assert g.events[i - 1] == E.StepStarted("injects")
    assert g.events[i + 1] == E.TrackChanged("tension", 1, 6, "inject:storm")
    assert g.state.fired == ("storm",)
    g.refuse(C.FireInject(F, "storm"), IllegalCommand, "Storm has already fired.")


def test_an_inject_by_condition_fires_once_at_the_first_inject_step_where_it_holds() -> None:
    injects = [{"id": "riot", "title": "Riot", "when": "tension >= 6", "effects": {"tracks": {"tension": 1}}}]
    g = Game(build_campaign(injects=injects, rounds=4))
    g.do(C.AdjustTrack(F, "tension", 1, "Rumours"))
    assert not g.of(E.InjectFired), "a condition is checked only at the inject step"
    g.pass_round()
    assert g.of(E.InjectFired) == [E.InjectFired("riot", "Riot", "", "condition")]
    assert tension(g) == 7
    g.pass_round()
    g.pass_round()
    assert len(g.of(E.InjectFired)) == 1, "it fires once"


def test_the_facilitator_fires_library_injects_any_number_of_times() -> None:
    injects = [{"id": "leak", "title": "A leak", "text": "Papers surface.", "effects": {"tracks": {"tension": -1}}}]
    g = Game(build_campaign(injects=injects))
    g.pass_round()
    assert not g.of(E.InjectFired), "a library inject never fires by itself"
    for expected in (4, 3):
        events = g.do(C.FireInject(F, "leak"))
        assert events == [
            E.InjectFired("leak", "A leak", "Papers surface.", "facilitator"),
            E.TrackChanged("tension", -1, expected, "inject:leak"),
        ]
    g.refuse(C.FireInject(F, "nope"), MalformedCommand, "There is no inject 'nope'.")


def test_the_facilitator_fires_a_free_text_inject() -> None:
    g = Game(build_campaign())
    events = g.do(C.FireInject(F, None, title=" Storm ", text="Ships stay in port.", effects={"tracks": {"tension": 2}}))
    assert events == [
        E.InjectFired(None, "Storm", "Ships stay in port.", "facilitator"),
        E.TrackChanged("tension", 2, 7, "inject:free"),
    ]
    assert g.state.fired == ()
    g.refuse(C.FireInject(F, None, title="  "), IllegalCommand, "Please write a title for the inject.")
    g.refuse(C.FireInject(F, None, title="X", effects={"tracks": {"nope": 1}}), MalformedCommand, "no track 'nope'")
    g.refuse(C.FireInject(F, None, title="X", effects={"bogus": 1}), MalformedCommand, "not valid")
    g.refuse(C.FireInject(F, None, title="X", effects=[1]), MalformedCommand, "must be a mapping")  # type: ignore[arg-type]


# =========================================================================== contests


CONTEST_CARDS = [
    card("prep", actor="r1"),
    card("never", actor="r1"),
    card("probe", actor="r1", contest={
        "by": "dice", "dice": "2d6", "target": 9,
        "modifiers": [
            {"add": 1, "when": "tension >= 5", "label": "Tense"},
            {"add": 2, "if_played": "prep"},
            {"add": 10, "when": "tension >= 9", "label": "Not now"},
            {"add": 3, "if_played": "never"},
        ],
        "success": {"tracks": {"tension": 2}},
        "failure": {"tracks": {"tension": -2}},
    }),
    card("b-noop", "blue", actor="b1"),
]


@pytest.mark.parametrize(("dice", "success"), [((3, 3), True), ((3, 2), False)])
def test_a_dice_contest_is_rolled_at_adjudication_with_its_modifiers(dice: tuple[int, int], success: bool) -> None:
    g = Game(build_campaign(cards=CONTEST_CARDS, rules={"plays_per_turn": 2}))
    g.play("r1", "prep")
    events = g.play("r1", "probe")
    assert E.ContestPending(2, "dice") in events
    assert not g.of(E.ContestRolled), "dice wait for the adjudication step"
    assert g.state.pending == (2,) and g.state.play(2).contest == "pending"
    events = g.do(C.Pass("b1"), FixedDice(*dice))
    rolled = [e for e in events if isinstance(e, E.ContestRolled)]
    total = sum(dice) + 3
    assert rolled == [E.ContestRolled(2, dice, (("Tense", 1), ("Prep played", 2)), 9, total, success)]
    assert events.index(rolled[0]) > events.index(E.StepStarted("adjudication"))
    i = events.index(rolled[0])
    assert events[i + 1] == E.TrackChanged("tension", 2 if success else -2, 7 if success else 3, "play:2")
    assert g.state.pending == () and g.state.play(2).contest == ("success" if success else "failure")


def test_a_dice_contest_without_target_is_rolled_against_7() -> None:
    cards = [card("try", actor="r1", contest={"success": {"tracks": {"tension": 1}}}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards))
    g.play("r1", "try")
    events = g.do(C.Pass("b1"), FixedDice(4, 3))
    assert E.ContestRolled(1, (4, 3), (), 7, 7, True) in events


def test_a_dice_contest_resolves_at_once_when_the_order_has_no_adjudication() -> None:
    g = Game(build_campaign(cards=CONTEST_CARDS, rules={"order": ["injects", "red", "blue", "phase_check", "upkeep"]}))
    events = g.do(C.PlayCard("r1", "probe"), FixedDice(6, 6))
    assert [type(e) for e in events[:3]] == [E.CardPlayed, E.ContestPending, E.ContestRolled]
    assert events[2] == E.ContestRolled(1, (6, 6), (("Tense", 1),), 9, 13, True)
    assert g.state.pending == ()


@pytest.mark.parametrize("order", [None, ["injects", "red", "blue", "phase_check", "upkeep"]])
def test_the_log_says_when_a_dice_contest_is_rolled(order: list[str] | None) -> None:
    """At adjudication where the round has the step; at once where it has not: the log
    never promises a step the round does not have."""
    g = Game(build_campaign(cards=CONTEST_CARDS, rules={"order": order} if order else {}))
    g.do(C.PlayCard("r1", "probe"), FixedDice(6, 6))
    told = [line for line in Narrator(g.engine).sentences(g.events) if "the dice" in line or "by dice" in line]
    assert told == ["Probe (#1) goes to the dice at once." if order else "Probe (#1) will be decided by dice at adjudication."]


def test_a_facilitator_contest_waits_at_once_when_the_order_has_no_adjudication() -> None:
    cards = [card("r-noop", actor="r1"), card("sanction", "blue", actor="b1", contest={"by": "facilitator"})]
    g = Game(build_campaign(cards=cards, rules={"order": ["injects", "red", "blue", "phase_check", "upkeep"]}))
    g.pass_("r1")
    g.play("b1", "sanction")
    assert g.engine.awaiting(g.state) == (F,), "the contest resolves as soon as its card does: it needs a ruling now"


SANCTION = card("sanction", "blue", actor="b1", contest={
    "by": "facilitator", "prompt": "Do the sanctions bite?",
    "success": {"tracks": {"tension": -2}}, "failure": {"tracks": {"tension": 1}},
})


def test_a_facilitator_contest_blocks_the_round_until_adjudicated() -> None:
    g = Game(build_campaign(cards=[card("r-noop", actor="r1"), SANCTION]))
    g.pass_("r1")
    events = g.play("b1", "sanction")
    assert E.ContestPending(1, "facilitator") in events
    assert g.step == "adjudication" and g.state.round == 1
    assert g.engine.awaiting(g.state) == (F,)
    legal = g.engine.legal_commands(g.state, F)
    assert C.Adjudicate(F, 1, True, "") in legal and C.Adjudicate(F, 1, False, "") in legal
    assert C.Advance(F) not in legal
    g.refuse(C.Adjudicate(F, 1, True, "   "), IllegalCommand, "Please write a rationale.")
    g.refuse(C.Advance(F), IllegalCommand, "Nothing to move on")
    g.refuse(C.Pass("r1"), IllegalCommand, "It is nobody's turn right now.")
    events = g.do(C.Adjudicate(F, 1, True, " The allies agree. "))
    assert events[:2] == [
        E.ContestAdjudicated(1, True, "The allies agree."),
        E.TrackChanged("tension", -2, 3, "play:1"),
    ]
    assert g.state.round == 2 and g.state.play(1).contest == "success"
    g.refuse(C.Adjudicate(F, 1, False, "Again"), IllegalCommand, "no contest waiting")


def test_a_facilitator_contest_failure_applies_the_failure_branch() -> None:
    g = Game(build_campaign(cards=[card("r-noop", actor="r1"), SANCTION]))
    g.pass_("r1")
    g.play("b1", "sanction")
    events = g.do(C.Adjudicate(F, 1, False, "Leaky borders."))
    assert events[1] == E.TrackChanged("tension", 1, 6, "play:1")


# =========================================================================== consensus


def consensus_game(**card_fields: Any) -> Game:
    joint = card("joint", "blue", actor="b1", cost=1, consensus={"voters": ["b1", "b2"]},
                 effects={"tracks": {"tension": -2}}, **card_fields)
    cards = [card("r-noop", actor="r1"), joint, card("b2-card", "blue", actor="b2")]
    g = Game(build_campaign(cards=cards, blue=[actor("b1"), actor("b2")]))
    g.pass_("r1")
    return g


def test_consensus_all_yes_applies_the_effects_and_the_players_yes_is_cast() -> None:
    g = consensus_game()
    events = g.play("b1", "joint")
    assert events[1:] == [E.VoteOpened(1, ("b1", "b2")), E.BallotCast(1, "b1", True)]
    assert g.state.play(1).status == "voting"
    assert g.engine.awaiting(g.state) == ("b2",)
    assert g.engine.legal_commands(g.state, "b2") == [C.CastVote("b2", 1, True), C.CastVote("b2", 1, False)]
    assert g.engine.legal_commands(g.state, "b1") == []
    events = g.do(C.CastVote("b2", 1, True))
    assert events[:3] == [
        E.BallotCast(1, "b2", True),
        E.VoteClosed(1, True),
        E.TrackChanged("tension", -2, 3, "play:1"),
    ]
    assert g.state.play(1).status == "resolved" and g.state.vote is None
    assert g.state.turn == "b2"


def test_consensus_one_no_means_no_effect_and_the_cost_stays_spent() -> None:
    g = consensus_game()
    g.play("b1", "joint")
    events = g.do(C.CastVote("b2", 1, False))
    assert events[:2] == [E.BallotCast(1, "b2", False), E.VoteClosed(1, False)]
    assert not [e for e in events if isinstance(e, E.TrackChanged)]
    assert g.state.play(1).status == "rejected" and tension(g) == 5
    assert g.state.actors["b1"].resources == 4
    g.pass_round()
    assert "joint" in g.state.actors["b1"].discard


def test_voting_refusals() -> None:
    g = consensus_game()
    g.play("b1", "joint")
    g.refuse(C.CastVote("r1", 1, True), IllegalCommand, "You do not have a vote on this card.")
    g.refuse(C.CastVote("b1", 1, False), IllegalCommand, "You have already voted.")
    g.refuse(C.PlayCard("b2", "b2-card"), IllegalCommand, "A vote is open")
    g.refuse(C.Pass("b1"), IllegalCommand, "A vote is open")
    g.refuse(C.CastVote("b2", 2, True), MalformedCommand, "no play number 2")
    g.refuse(C.CastVote("b2", 1, "yes"), MalformedCommand, "yes or no")  # type: ignore[arg-type]


def test_advance_closes_a_vote_with_missing_voters() -> None:
    g = consensus_game()
    g.play("b1", "joint")
    assert C.Advance(F) in g.engine.legal_commands(g.state, F)
    events = g.do(C.Advance(F))
    assert events[0] == E.VoteClosed(1, False, ("b2",))
    assert g.state.play(1).status == "rejected" and tension(g) == 5
    assert g.state.turn == "b2"


def test_a_rejected_consensus_card_does_not_count_for_if_played() -> None:
    probe = card("probe", "blue", actor="b2", contest={
        "target": 2, "modifiers": [{"add": 5, "if_played": "joint", "label": "Joint"}]})
    joint = card("joint", "blue", actor="b1", consensus={"voters": ["b1", "b2"]})
    cards = [card("r-noop", actor="r1"), joint, probe]
    g = Game(build_campaign(cards=cards, blue=[actor("b1"), actor("b2")]))
    g.pass_("r1")
    g.play("b1", "joint")
    g.do(C.CastVote("b2", 1, False))
    g.play("b2", "probe")
    rolled = g.of(E.ContestRolled)
    assert len(rolled) == 1 and rolled[0].modifiers == ()


# =========================================================================== covert play


def covert_game(**rules: Any) -> Game:
    cards = [
        card("whisper", actor="r1", cost=1, covert={
            "attribution": {"target": 8, "modifiers": [{"add": 1, "when": "trust >= 5", "label": "Intel"}]},
            "on_attributed": {"tracks": {"tension": -3}},
        }, effects={"tracks": {"tension": 1}, "resources": 1}),
        card("shout", actor="r2"),
        card("b-noop", "blue", actor="b1"),
    ]
    camp = build_campaign(
        cards=cards,
        red=[actor("r1"), actor("r2")],
        tracks=[track("tension"), track("trust")],
        rules={"misattribution": {"tracks": {"trust": -2}}, **rules},
    )
    return Game(camp)


def test_a_covert_play_is_sealed_until_its_sides_step_ends() -> None:
    g = covert_game()
    sealed = g.play("r1", "whisper")
    assert sealed == [E.CovertSealed("r1", "whisper", "whisper", 1), E.TurnEnded("r1", False), E.TurnStarted("r2", 1)]
    assert g.state.plays == () and g.state.sealed == (("r1", "whisper"),)
    assert "whisper" not in g.hand("r1") and g.state.actors["r1"].resources == 4, "it leaves the hand, paid for"
    assert tension(g) == 5, "no effect yet"
    for seat in ("r1", "r2", "side:red", F):
        assert redact(g.engine, sealed[0], seat, g.state) == sealed[0]
    for seat in ("b1", "side:blue", "observer"):
        assert redact(g.engine, sealed[0], seat, g.state) == E.Hidden()
        assert redact(g.engine, sealed[1], seat, g.state) == E.TurnEnded("r1", None), "not told whether r1 passed"
        assert view_for(g.engine, g.state, seat).plays_left is None
    events = g.pass_("r2")
    played = next(e for e in events if isinstance(e, E.CardPlayed))
    assert played == E.CardPlayed(1, "r1", "whisper", "whisper", True, 1)
    assert events.index(E.TurnEnded("r2", True)) < events.index(played) < events.index(E.StepStarted("blue"))
    assert g.state.sealed == () and tension(g) == 6 and g.state.actors["r1"].resources == 5
    check_state(g.engine, g.state)


def test_a_covert_play_is_hidden_from_other_sides_and_visible_to_its_own() -> None:
    g = covert_game()
    g.play("r1", "whisper")
    events = g.pass_("r2")
    events = events[events.index(E.TurnEnded("r2", True)) + 1:]
    played = events[0]
    assert played == E.CardPlayed(1, "r1", "whisper", "whisper", True, 1)
    for seat in ("r1", "r2", "side:red", F):
        pv = view_for(g.engine, g.state, seat).plays[0]
        assert (pv.card, pv.actor, pv.covert) == ("whisper", "r1", True), seat
        assert redact(g.engine, played, seat, g.state) == played
    for seat in ("b1", "side:blue", "observer"):
        pv = view_for(g.engine, g.state, seat).plays[0]
        assert (pv.card, pv.actor, pv.covert) == (None, None, True), seat
        hidden = redact(g.engine, played, seat, g.state)
        assert hidden == E.CardPlayed(1, HIDDEN, HIDDEN, HIDDEN, True, 0)
        assert redact(g.engine, events[1], seat, g.state) == events[1], "track changes are public"
        money = next(e for e in events if isinstance(e, E.ResourcesChanged))
        assert redact(g.engine, money, seat, g.state) == E.Hidden()
        assert "whisper" not in json.dumps(view_to_data(view_for(g.engine, g.state, seat)))
        narr = Narrator(g.engine)
        assert narr.sentence(hidden) == "A covert action was taken (#1)."
    check_views(g.engine, g.state)


def test_optional_covert_lets_the_player_choose() -> None:
    cards = [card("leak", actor="r1", covert={"optional": True}), card("plain", actor="r1"),
             card("sneak", actor="r1", covert={}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, rules={"plays_per_turn": 3}))
    legal = g.engine.legal_commands(g.state, "r1")
    assert C.PlayCard("r1", "leak", True) in legal and C.PlayCard("r1", "leak", False) in legal
    assert C.PlayCard("r1", "plain") in legal and C.PlayCard("r1", "sneak") in legal
    g.refuse(C.PlayCard("r1", "plain", True), IllegalCommand, "Plain cannot be played covertly.")
    g.refuse(C.PlayCard("r1", "sneak", False), IllegalCommand, "Sneak can only be played covertly.")
    played = g.play("r1", "leak", False)[0]
    assert isinstance(played, E.CardPlayed) and played.covert is False
    assert isinstance(g.play("r1", "sneak")[0], E.CovertSealed)
    assert view_for(g.engine, g.state, "b1").plays[0].card == "leak"


def test_optional_covert_defaults_to_covert() -> None:
    cards = [card("leak", actor="r1", covert={"optional": True}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards))
    assert isinstance(g.play("r1", "leak")[0], E.CovertSealed)


def test_a_covert_card_is_never_put_to_a_vote() -> None:
    """The vote would show its author voting yes (the validator refuses such a card too)."""
    voters = {"voters": ["r1", "r2"]}
    cards = [card("poll", actor="r1", covert={"optional": True}, consensus=voters),
             card("secret-poll", actor="r1", covert={}, consensus=voters), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, red=[actor("r1"), actor("r2")]))
    legal = g.engine.legal_commands(g.state, "r1")
    assert C.PlayCard("r1", "poll", False) in legal and C.PlayCard("r1", "poll", True) not in legal
    assert not [c for c in legal if isinstance(c, C.PlayCard) and c.card == "secret-poll"]
    g.refuse(C.PlayCard("r1", "poll", True), IllegalCommand, "Poll needs a vote, so it cannot be played covertly.")
    g.refuse(C.PlayCard("r1", "secret-poll"), IllegalCommand, "a covert card cannot be put to a vote")
    g.refuse(C.PlayCard("r1", "poll"), IllegalCommand, "cannot be played covertly")  # covert is its default
    assert g.play("r1", "poll", False)[1] == E.VoteOpened(1, ("r1", "r2"))


def test_correct_attribution_that_succeeds_reveals_and_applies_on_attributed() -> None:
    g = covert_game()
    g.play("r1", "whisper")
    g.pass_("r2")
    legal = g.engine.legal_commands(g.state, "b1")
    assert C.Attribute("b1", 1, "r1") in legal and C.Attribute("b1", 1, "r2") in legal
    events = g.do(C.Attribute("b1", 1, "r1"), FixedDice(4, 3))
    assert events[:3] == [
        E.AttributionAttempted(1, "b1", "r1", (4, 3), (("Intel", 1),), 8, 8, True, True, 1),
        E.CovertRevealed(1, "whisper", "r1", "attributed"),
        E.TrackChanged("tension", -3, 3, "attribution:1"),
    ]
    assert g.state.actors["b1"].resources == 4
    play = g.state.play(1)
    assert play.revealed and play.revealed_how == "attributed" and play.perceived_author == "r1"
    pv = view_for(g.engine, g.state, "observer").plays[0]
    assert (pv.card, pv.actor) == ("whisper", "r1")
    assert E.TurnEnded("b1", passed=False) in events, "an attribution is the turn's action"


def test_a_wrong_accusation_that_succeeds_applies_misattribution_and_reveals_nothing() -> None:
    g = covert_game()
    g.play("r1", "whisper")
    g.pass_("r2")
    events = g.do(C.Attribute("b1", 1, "r2"), FixedDice(6, 6))
    attempt = events[0]
    assert attempt == E.AttributionAttempted(1, "b1", "r2", (6, 6), (("Intel", 1),), 8, 13, True, False, 1)
    assert events[1] == E.TrackChanged("trust", -2, 3, "attribution:1")
    assert not [e for e in events if isinstance(e, E.CovertRevealed)]
    play = g.state.play(1)
    assert play.hidden and play.perceived_author == "r2"
    for seat in ("b1", "observer"):
        # the roll is the card's (its target, its modifiers' labels): only the outcome is told
        told = replace(attempt, dice=(), modifiers=(), target=0, total=0, correct=None)  # type: ignore[arg-type]
        assert redact(g.engine, attempt, seat, g.state) == told
        pv = view_for(g.engine, g.state, seat).plays[0]
        assert pv.card is None and pv.accusations[0].correct is None and pv.perceived_author == "r2"
    assert redact(g.engine, attempt, "r2", g.state) == attempt
    assert view_for(g.engine, g.state, "r2").plays[0].accusations[0].correct is False


@pytest.mark.parametrize("accused", ["r1", "r2"])
def test_a_failed_attribution_reveals_nothing_and_has_no_effect(accused: str) -> None:
    g = covert_game()
    g.play("r1", "whisper")
    g.pass_("r2")
    events = g.do(C.Attribute("b1", 1, accused), FixedDice(1, 1))
    assert isinstance(events[0], E.AttributionAttempted) and events[0].success is False
    assert not [e for e in events if isinstance(e, (E.CovertRevealed, E.TrackChanged))]
    assert g.state.play(1).hidden and g.state.play(1).perceived_author is None
    assert g.state.actors["b1"].resources == 4, "the attempt is paid for anyway"


def test_attribution_refusals() -> None:
    g = covert_game(attribution_cost=6)
    g.play("r1", "whisper")  # sealed: it becomes play 2 when red's step ends
    g.play("r2", "shout")
    assert g.state.play(2).hidden and g.state.turn == "b1"
    g.refuse(C.Attribute("b1", 1, "r2"), IllegalCommand, "That play is not hidden.")
    g.refuse(C.Attribute("b1", 2, "b1"), IllegalCommand, "You cannot accuse your own side.")
    g.refuse(C.Attribute("b1", 2, "zz"), MalformedCommand, "There is no actor 'zz'.")
    g.refuse(C.Attribute("b1", 9, "r1"), MalformedCommand, "There is no play number 9.")
    assert g.refuse(C.Attribute("b1", 2, "r1"), IllegalCommand) == "An attribution costs 6 and you have 5."
    assert not [c for c in g.engine.legal_commands(g.state, "b1") if isinstance(c, C.Attribute)]
    g.pass_until("r1")
    g.refuse(C.Attribute("r1", 2, "b1"), IllegalCommand, "That is your own side's play.")


def test_a_reveal_effect_reveals_the_oldest_hidden_plays_of_other_sides() -> None:
    cards = [
        card("c1", actor="r1", covert={}), card("c2", actor="r1", covert={}),
        card("mine", "blue", actor="b1", covert={}),
        card("expose", "blue", actor="b1", effects={"reveal": 1}),
        card("flood", "blue", actor="b1", effects={"reveal": 5}),
    ]
    g = Game(build_campaign(cards=cards, rules={"plays_per_turn": 3}))
    g.play("r1", "c1")
    g.play("r1", "c2")
    g.pass_("r1")  # they take effect now, in an order that owes nothing to when they were played
    first, second = g.state.play(1).card, g.state.play(2).card
    assert {first, second} == {"c1", "c2"}
    g.play("b1", "mine")
    g.pass_("b1")
    g.pass_("r1")
    events = g.play("b1", "expose")
    assert [e for e in events if isinstance(e, E.CovertRevealed)] == [E.CovertRevealed(1, first, "r1", "effect")]
    events = g.play("b1", "flood")
    assert [e for e in events if isinstance(e, E.CovertRevealed)] == [E.CovertRevealed(2, second, "r1", "effect")]
    assert g.state.play(3).hidden, "a reveal never uncovers the player's own side"


def test_reveal_after_reveals_at_upkeep_when_due() -> None:
    cards = [card("mole", actor="r1", covert={"reveal_after": 1}), card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards))
    g.play("r1", "mole")
    g.pass_round()
    assert not g.of(E.CovertRevealed) and g.state.play(1).hidden
    g.pass_("r1")
    events = g.pass_("b1")
    revealed = [e for e in events if isinstance(e, E.CovertRevealed)]
    assert revealed == [E.CovertRevealed(1, "mole", "r1", "timer")]
    assert events.index(revealed[0]) > events.index(E.StepStarted("upkeep"))


# =========================================================================== proposals


def proposal_game() -> Game:
    g = Game(build_campaign(transitions=[{"trigger": "heat", "source": "calm", "dest": "tense"}]))
    g.pass_("r1")
    return g


def test_a_proposal_waits_for_the_facilitators_ruling() -> None:
    g = proposal_game()
    events = g.do(C.Propose("b1", " Close the border crossings ", {"tracks": {"tension": -1}}))
    assert events[0] == E.ProposalSubmitted(1, "b1", "Close the border crossings", {"tracks": {"tension": -1}})
    assert redact(g.engine, events[0], "r1", g.state) == E.ProposalSubmitted(1, "b1", HIDDEN, {})
    assert redact(g.engine, events[0], "side:blue", g.state) == events[0]
    assert view_for(g.engine, g.state, "r1").proposals == ()
    assert g.step == "adjudication" and g.engine.awaiting(g.state) == (F,)
    legal = g.engine.legal_commands(g.state, F)
    assert C.RuleProposal(F, 1, "accept", "") in legal and C.RuleProposal(F, 1, "reject", "") in legal
    g.refuse(C.RuleProposal(F, 1, "accept", ""), IllegalCommand, "Please write a rationale.")
    g.refuse(C.RuleProposal(F, 1, "maybe", "Hmm"), MalformedCommand, "accept, amend or reject")
    g.refuse(C.RuleProposal(F, 2, "accept", "Hmm"), MalformedCommand, "no proposal number 2")
    g.refuse(C.RuleProposal(F, 1, "amend", "Less"), IllegalCommand, "needs the effects")


@pytest.mark.parametrize(
    ("verdict", "effects", "change"),
    [("accept", None, -1), ("amend", {"tracks": {"tension": -3}}, -3), ("reject", None, 0)],
)
def test_a_ruling_applies_the_effects_it_allows(verdict: str, effects: dict[str, Any] | None, change: int) -> None:
    g = proposal_game()
    g.do(C.Propose("b1", "Close the border crossings", {"tracks": {"tension": -1}}))
    events = g.do(C.RuleProposal(F, 1, verdict, "Proportionate.", effects))
    allowed = {"tracks": {"tension": change}} if change else {}
    assert events[0] == E.ProposalRuled(1, verdict, "Proportionate.", allowed, "Close the border crossings")
    if change:
        assert events[1] == E.TrackChanged("tension", change, 5 + change, "proposal:1")
    assert tension(g) == 5 + change
    assert g.state.round == 2
    assert view_for(g.engine, g.state, "r1").proposals[0].verdict == verdict
    g.refuse(C.RuleProposal(F, 1, "accept", "Again"), IllegalCommand, "already been ruled on")


def test_proposal_refusals() -> None:
    g = proposal_game()
    g.refuse(C.Propose("b1", "  "), IllegalCommand, "Please write a description of the action.")
    g.refuse(C.Propose("b1", "x", {"tracks": {"nope": 1}}), MalformedCommand, "no track 'nope'")
    g.refuse(C.Propose("b1", "x", {"resources_of": {"nobody": 1}}), MalformedCommand, "no actor 'nobody'")
    g.refuse(C.Propose("b1", "x", {"trigger": "nope"}), MalformedCommand, "no phase trigger 'nope'")
    g.refuse(C.Propose("b1", "x", "effects"), MalformedCommand, "must be a mapping")  # type: ignore[arg-type]
    g.refuse(C.Propose("b1", 3), MalformedCommand, "must be text")  # type: ignore[arg-type]
    g.refuse(C.Propose("r1", "Out of turn"), IllegalCommand, "It is B1's turn.")


# =========================================================================== the facilitator's tools


def test_adjust_track_with_a_reason() -> None:
    g = Game(build_campaign())
    events = g.do(C.AdjustTrack(F, "tension", 7, " Mobilisation "))
    assert events == [E.TrackChanged("tension", 5, 10, "facilitator", "Mobilisation")]
    g.refuse(C.AdjustTrack(F, "tension", 1, "More"), IllegalCommand, "Tension is already at its maximum (10).")
    g.refuse(C.AdjustTrack(F, "tension", -1, " "), IllegalCommand, "Please write a reason for the change.")
    g.refuse(C.AdjustTrack(F, "nope", 1, "x"), MalformedCommand, "There is no track 'nope'.")
    g.refuse(C.AdjustTrack(F, "tension", 0, "x"), MalformedCommand, "other than 0")
    g.refuse(C.AdjustTrack(F, "tension", True, "x"), MalformedCommand, "whole number")
    g.refuse(C.AdjustTrack(F, "tension", "1", "x"), MalformedCommand, "whole number")  # type: ignore[arg-type]
    g.do(C.AdjustTrack(F, "tension", -20, "Peace"))
    g.refuse(C.AdjustTrack(F, "tension", -1, "More"), IllegalCommand, "already at its minimum (0)")


def test_fire_trigger() -> None:
    transitions = [
        {"trigger": "heat", "source": "calm", "dest": "tense", "when": "tension >= 6", "auto": False},
        {"trigger": "war", "source": "crisis", "dest": "war"},
    ]
    g = Game(build_campaign(transitions=transitions))
    g.refuse(C.FireTrigger(F, "heat", "Now"), IllegalCommand, "No 'heat' transition leaves Calm")
    g.refuse(C.FireTrigger(F, "war", "Now"), IllegalCommand, "No 'war' transition leaves Calm")
    g.refuse(C.FireTrigger(F, "nope", "Now"), MalformedCommand, "There is no phase trigger 'nope'.")
    g.refuse(C.FireTrigger(F, "heat", ""), IllegalCommand, "Please write a reason.")
    g.do(C.AdjustTrack(F, "tension", 1, "Incident"))
    assert g.do(C.FireTrigger(F, "heat", "Now")) == [E.PhaseChanged("calm", "tense", "heat", "facilitator", "tension >= 6")]


def test_annotate_ties_a_note_to_the_latest_event() -> None:
    g = Game(build_campaign())
    seq = g.state.seq
    events = g.do(C.Annotate(F, " Red hesitated. "))
    assert events == [E.Annotated("Red hesitated.", seq)]
    assert g.state.seq == seq + 1 and g.state.turn == "r1"
    assert redact(g.engine, events[0], "r1", g.state) == E.Hidden()
    assert redact(g.engine, events[0], F, g.state) == events[0]
    g.refuse(C.Annotate(F, ""), IllegalCommand, "Please write a note.")
    g.refuse(C.Annotate(F, "x" * 5000), MalformedCommand, "too long")


def test_pause_blocks_players_until_resume() -> None:
    g = Game(build_campaign())
    assert g.do(C.Pause(F, "Coffee")) == [E.Paused("Coffee")]
    assert g.state.paused and g.engine.awaiting(g.state) == (F,)
    g.refuse(C.Pass("r1"), IllegalCommand, "The exercise is paused by the facilitator.")
    g.refuse(C.PlayCard("r1", "r-noop"), IllegalCommand, "paused")
    g.refuse(C.Pause(F), IllegalCommand, "already paused")
    g.refuse(C.Advance(F), IllegalCommand, "Resume the exercise first.")
    assert g.engine.legal_commands(g.state, "r1") == []
    assert g.engine.legal_commands(g.state, F) == [C.Resume(F)]
    assert g.engine.why_not_play(g.state, "r1", "r-noop") == "The exercise is paused by the facilitator."
    g.do(C.AdjustTrack(F, "tension", 1, "The facilitator can still steer"))
    assert g.do(C.Resume(F)) == [E.Resumed()]
    assert g.engine.awaiting(g.state) == ("r1",)
    g.refuse(C.Resume(F), IllegalCommand, "not paused")
    g.pass_("r1")


def test_advance_ends_the_current_turn() -> None:
    g = Game(build_campaign())
    events = g.do(C.Advance(F))
    assert events[0] == E.TurnEnded("r1", passed=True, forced=True)
    assert g.state.turn == "b1"


# =========================================================================== refusals


def test_malformed_and_misdirected_commands() -> None:
    g = Game(build_campaign())
    g.refuse(C.PlayCard("r1", "nope"), MalformedCommand, "There is no card 'nope'.")
    g.refuse(C.PlayCard("r1", 7), MalformedCommand, "There is no card 7.")  # type: ignore[arg-type]
    g.refuse(C.PlayCard("r1", "r-noop", "yes"), MalformedCommand, "Covert must be")  # type: ignore[arg-type]
    g.refuse(C.Pass("nobody"), MalformedCommand, "There is no seat 'nobody'.")
    g.refuse(C.Pass(F), MalformedCommand, "There is no seat 'facilitator'.")
    g.refuse(C.AdjustTrack("r1", "tension", 1, "Mine"), IllegalCommand, "Only the facilitator can do that.")
    g.refuse(C.Advance("r1"), IllegalCommand, "Only the facilitator can do that.")
    g.refuse(C.Pause("observer"), IllegalCommand, "Only the facilitator can do that.")
    g.refuse(C.Adjudicate(F, 1, True, "x"), MalformedCommand, "There is no play number 1.")
    g.refuse(C.Adjudicate(F, True, True, "x"), MalformedCommand, "There is no play number True.")  # type: ignore[arg-type]
    g.refuse({"type": "pass", "seat": "r1"}, MalformedCommand, "not a command")
    g.refuse(C.Annotate(F, None), MalformedCommand, "must be text")  # type: ignore[arg-type]
    g.refuse(C.Pause(F, 5), MalformedCommand, "must be text")  # type: ignore[arg-type]
    g.refuse(C.FireInject(F, 5), MalformedCommand, "There is no inject 5.")  # type: ignore[arg-type]


def test_an_unhashable_seat_is_malformed() -> None:
    g = Game(build_campaign())
    cmd = command_from_data({"type": "pass", "seat": {}})
    g.refuse(cmd, MalformedCommand)


def test_a_boolean_proposal_number_is_malformed() -> None:
    g = proposal_game()
    g.do(C.Propose("b1", "Close the border crossings"))
    g.refuse(C.RuleProposal(F, True, "accept", "Fine."), MalformedCommand)  # type: ignore[arg-type]


def test_refusals_leave_the_state_as_it_was() -> None:
    """Each refusal is checked by ``Game.refuse``; here a burst of them between real moves."""
    g = covert_game()
    bad: list[Any] = [
        C.Pass("b1"), C.PlayCard("r1", "nope"), C.Attribute("r1", 1, "b1"), C.Resume(F),
        C.CastVote("r1", 1, True), C.AdjustTrack(F, "tension", 0, "x"), C.Pass(F),
    ]
    for cmd in bad:
        with pytest.raises(CommandError):
            g.engine.decide(g.state, cmd, random.Random(0))
    snapshot = g.state
    g.play("r1", "whisper")
    for cmd in bad:
        with pytest.raises(CommandError):
            g.engine.decide(g.state, cmd, random.Random(0))
    assert g.engine.fold(g.events) == g.state
    assert snapshot == g.engine.fold(g.events[: snapshot.seq])


# =========================================================================== end of game: no event after it


def test_no_round_inject_fires_after_the_game_ended() -> None:
    injects = [
        {"id": "invasion", "title": "Invasion", "round": 1, "effects": {"trigger": "invade"}},
        {"id": "later", "title": "Later", "round": 1, "effects": {"tracks": {"tension": 1}}},
    ]
    g = Game(build_campaign(injects=injects, transitions=[{"trigger": "invade", "source": "calm", "dest": "war"}]))
    assert g.state.ended
    assert isinstance(g.events[-1], E.GameEnded), [type(e).__name__ for e in g.events]


def test_no_contest_is_rolled_after_the_game_ended() -> None:
    win = {"target": 2, "success": {"trigger": "invade"}}
    cards = [card("first", actor="r1", contest=win), card("second", actor="r1", contest=win),
             card("b-noop", "blue", actor="b1")]
    g = Game(build_campaign(cards=cards, rules={"plays_per_turn": 2},
                            transitions=[{"trigger": "invade", "source": "calm", "dest": "war"}]))
    g.play("r1", "first")
    g.play("r1", "second")
    g.pass_("b1")
    assert g.state.ended
    assert isinstance(g.events[-1], E.GameEnded), [type(e).__name__ for e in g.events[-4:]]


# =========================================================================== serial forms


def feature_game() -> Game:
    """A scripted two-round game that produces every kind of event the engine emits."""
    cards = [
        card("whisper", actor="r1", covert={"on_attributed": {"tracks": {"tension": -1}}},
             effects={"tracks": {"tension": 1}}),
        CONTEST_CARDS[2],  # probe: a dice contest
        card("raid", actor="r1", single_use=True, effects={"discard": {"b2": 1}, "draw": 1}),
        card("prep", actor="r1"),
        card("joint", "blue", actor="b1", consensus={"voters": ["b1", "b2"]}, effects={"tracks": {"tension": -1}}),
        card("b-noop", "blue", actor="b1"),
        SANCTION | {"actor": "b2"},
        card("filler", "blue", actor="b2"),
    ]
    transitions = [{"trigger": "heat", "source": "calm", "dest": "tense", "when": "tension >= 5"},
                   {"trigger": "cool", "source": "tense", "dest": "calm"}]
    injects = [{"id": "storm", "title": "Storm", "round": 2, "effects": {"tracks": {"tension": 1}}},
               {"id": "leak", "title": "Leak", "effects": {"resources_of": {"r1": 1}}}]
    camp = build_campaign(
        cards=cards, transitions=transitions, injects=injects, rounds=2,
        red=[actor("r1", draw_per_round=1)],
        blue=[actor("b1", income=1), actor("b2", deck=["sanction", "filler", "filler"], hand_size=3)],
        rules={"plays_per_turn": 2},
        red_objectives=[{"id": "heat", "title": "Heat", "when": "tension >= 6"}],
    )
    g = Game(camp, seed=3)
    g.do(C.Pause(F, "Start late"))
    g.do(C.Resume(F))
    g.do(C.Annotate(F, "Off we go"))
    # round 1
    g.play("r1", "whisper")  # sealed: play 2, once red's step ends
    g.play("r1", "probe")
    g.do(C.Attribute("b1", 2, "r1"), FixedDice(6, 6))
    g.play("b1", "joint")
    g.do(C.CastVote("b2", 3, True))
    g.do(C.Propose("b2", "Evacuate the coast", {"tracks": {"tension": -1}}))
    g.play("b2", "sanction")  # ends blue's turn: probe is rolled, the round waits for rulings
    assert g.engine.awaiting(g.state) == (F,)
    g.do(C.Adjudicate(F, 4, False, "Too little, too late."))
    g.do(C.RuleProposal(F, 1, "amend", "Partly.", {"tracks": {"tension": -2}}))
    assert g.state.round == 2
    # round 2
    g.do(C.FireInject(F, "leak"))
    g.do(C.FireInject(F, None, "Free", "text", {"resources_of": {"b2": 1}}))
    g.do(C.AdjustTrack(F, "tension", 3, "Noise"))
    if g.state.phase == "tense":
        g.do(C.FireTrigger(F, "cool", "A quiet week."))
    g.play("r1", "raid")  # the deck is empty: the discard pile is reshuffled to draw
    g.do(C.SetClock(F, 300, 1800))
    g.do(C.ExtendTime(F, 60))
    g.do(C.TimeUp(F))  # the clock ends the turn on
    g.pass_to_end()
    # evaluation, after the end (where it never moves the game, nor the dice before it)
    g.do(C.NameSeat(F, "r1", "Ada Lind"))
    g.do(C.Observe(C.EVALUATOR, "Red waited for the leak.", 3, rating="S", kind="improvement", author="Kim"))
    g.do(C.Hotwash("b1", went_well="The vote", improve="", lesson="Ask early"))
    kinds = {type(e) for e in g.events}
    # format 2's events (advice, revealed values, an unmet trigger's reason) come from its
    # own keys: tests/test_format2_engine.py plays and round-trips them
    format2 = {E.AdviceGiven, E.ValuesRevealed, E.TriggerUnmet}
    missing = set(E.EVENTS.classes.values()) - kinds - {E.Hidden} - format2
    assert not missing, sorted(k.__name__ for k in missing)
    return g


def test_every_event_of_a_game_round_trips_through_json() -> None:
    g = feature_game()
    for ev in g.events:
        data = event_to_data(ev)
        assert event_from_data(data) == ev
        assert event_from_data(json.loads(json.dumps(data))) == ev
    assert g.engine.fold(event_from_data(json.loads(json.dumps(event_to_data(e)))) for e in g.events) == g.state


@pytest.mark.parametrize("name", ["tutorial", "baltic-winter-energy", "belarus-border-2021"])
def test_bundled_bot_games_round_trip_events_commands_and_states(name: str) -> None:
    engine = Engine(load_bundled(CAMPAIGNS_DIR / f"{name}.yaml"))
    game = run_bot_game(engine, seed=11, kind="random")
    for ev in game.events:
        assert event_from_data(json.loads(json.dumps(event_to_data(ev)))) == ev
    for _, cmd in game.commands:
        assert command_from_data(json.loads(json.dumps(command_to_data(cmd)))) == cmd
    state = engine.initial_state()
    for ev in game.events:
        state = engine.apply(state, ev)
        json.dumps(state_to_data(state))
    assert state == game.state


SAMPLE_COMMANDS: list[C.Command] = [
    C.PlayCard("r1", "x"), C.PlayCard("r1", "x", True), C.Pass("r1"), C.CastVote("b1", 3, False),
    C.Attribute("b1", 2, "r1"), C.Advise("b2", 3, True, "Wise"), C.CastVote("b1", 3, True, "Why not"),
    C.PlayCard("r1", "x", None, "Because"), C.Propose("b1", "Do it", {"tracks": {"tension": -1}, "discard": {"r1": 1}}),
    C.Adjudicate(F, 1, True, "Because"), C.RuleProposal(F, 1, "amend", "Less", {"tracks": {"t": 1}}),
    C.RuleProposal(F, 1, "reject", "No"), C.FireInject(F, "leak"),
    C.FireInject(F, None, "Storm", "Rain", {"resources_of": {"b1": 2}}), C.AdjustTrack(F, "t", -2, "Why"),
    C.FireTrigger(F, "heat", "Why"), C.Annotate(F, "Note"), C.Pause(F, "Tea"), C.Resume(F), C.Advance(F),
    C.Observe("evaluator", "Slow", 4, "lo-1", "M", "improvement", "Kim"), C.Observe(F, "Good"),
    C.Hotwash("b1", "Talked", "Listen", "Ask", ""), C.NameSeat(F, "r1", "Ada"),
    C.SetClock(F, 300, 1800), C.ExtendTime(F, 60), C.TimeUp(F),
]


def test_every_kind_of_command_round_trips_through_json() -> None:
    assert {type(c) for c in SAMPLE_COMMANDS} == set(C.COMMANDS.classes.values())
    for cmd in SAMPLE_COMMANDS:
        data = command_to_data(cmd)
        assert data["type"] == cmd.TYPE
        assert command_from_data(json.loads(json.dumps(data))) == cmd


def test_serial_forms_refuse_what_is_not_one() -> None:
    for data in ({"type": "nope"}, {"type": "pass"}, {"type": "pass", "seat": "r1", "extra": 1}, [], "pass"):
        with pytest.raises(ValueError):
            command_from_data(data)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        event_from_data({"type": "resumed", "when": 1})


def test_every_state_and_view_of_a_game_is_json() -> None:
    g = feature_game()
    engine = g.engine
    state = engine.initial_state()
    seats = [*engine.actors, "side:red", "side:blue", "observer", "evaluator", F]
    for i, ev in enumerate(g.events):
        state = engine.apply(state, ev)
        json.dumps(state_to_data(state))
        if i % 7 == 0 or i == len(g.events) - 1:
            for seat in seats:
                json.dumps(view_to_data(view_for(engine, state, seat)))
    check_state(engine, state)


def test_narration_covers_full_and_redacted_streams() -> None:
    g = feature_game()
    engine = g.engine
    for seat in (F, "b1", "observer"):
        narr = Narrator(engine)
        state = engine.initial_state()
        lines = []
        for ev in g.events:
            state = engine.apply(state, ev)
            red = redact(engine, ev, seat, state)
            if red is not None:
                line = narr.sentence(red)
                if line:
                    lines.append(line)
        assert lines[0].startswith("The exercise begins")
        ended = next(i for i, line in enumerate(lines) if line.startswith("The exercise ends"))
        # after the end: the seat's name (public), the observation (the facilitator's), the
        # hotwash (the facilitator's and its author's)
        after = {F: 3, "b1": 2, "observer": 1}[seat]
        assert len(lines) == ended + 1 + after, lines[ended:]
        assert all(isinstance(line, str) and line for line in lines)


def test_a_bundled_game_reaches_an_outcome() -> None:
    engine = Engine(load_bundled(CAMPAIGNS_DIR / "tutorial.yaml"))
    game = run_bot_game(engine, seed=1)
    assert game.state is not None and game.state.outcome is not None
    assert game.state.outcome.reason in ("terminal_phase", "end_condition", "last_round")
    assert set(game.state.outcome.objectives) == {s.id for s in engine.campaign.sides}
    check_views(engine, game.state)


# =========================================================================== mirrors


def mirror_mismatches(g: Game, seats: list[str]) -> list[str]:
    """Where a seat's mirror (its redacted stream, folded) shows something its real view does not."""
    from dataclasses import asdict

    out = []
    for seat in seats:
        real = mirror = g.engine.initial_state()
        for ev in g.events:
            real = g.engine.apply(real, ev)
            mirror = g.engine.apply(mirror, redact(g.engine, ev, seat, real))
            vm, vr = asdict(view_for(g.engine, mirror, seat)), asdict(view_for(g.engine, real, seat))
            if vm != vr:
                fields = sorted(k for k in vm if vm[k] != vr[k])
                out.append(f"{seat} after {type(ev).__name__} #{real.seq}: {fields}")
                break
        assert mirror.seq == real.seq
    return out


def test_a_mirror_of_an_open_game_shows_what_the_real_view_shows() -> None:
    g = consensus_game()
    g.play("b1", "joint")
    g.do(C.CastVote("b2", 1, True))
    g.do(C.FireInject(F, None, "Storm", "", {"discard": {"b2": 1}, "resources_of": {"r1": 2}}))
    g.pass_to_end()
    seats = [*g.engine.actors, "side:red", "side:blue", "observer"]
    assert mirror_mismatches(g, seats) == []


def test_a_mirror_counts_the_hand_of_a_hidden_covert_author_like_the_real_view() -> None:
    g = covert_game()
    g.play("r1", "whisper")
    assert mirror_mismatches(g, ["b1", "observer"]) == []


def test_a_mirror_learns_whether_an_accusation_was_right_once_the_play_is_revealed() -> None:
    cards = [card("whisper", actor="r1", covert={}), card("r2-noop", actor="r2"),
             card("expose", "blue", actor="b1", effects={"reveal": 1})]
    g = Game(build_campaign(cards=cards, red=[actor("r1"), actor("r2")], rules={"plays_per_turn": 2}))
    g.play("r1", "whisper")
    g.pass_("r1")
    g.pass_("r2")
    g.do(C.Attribute("b1", 1, "r2"), FixedDice(6, 6))
    g.play("b1", "expose")
    assert view_for(g.engine, g.state, "observer").plays[0].accusations[0].correct is False
    assert mirror_mismatches(g, ["b1", "side:blue", "observer"]) == []


def test_a_mirror_shows_a_ruled_proposal_like_the_real_view() -> None:
    g = proposal_game()
    g.do(C.Propose("b1", "Close the border crossings", {"tracks": {"tension": -1}}))
    g.do(C.RuleProposal(F, 1, "accept", "Fine."))
    assert mirror_mismatches(g, ["r1", "observer"]) == []
