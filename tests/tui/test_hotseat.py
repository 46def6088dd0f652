"""The hot-seat flow as a plain object (:mod:`tabletop.tui.flow`): no app, no Pilot.

What the game screen does after each move (dice, end, bot, hand-off, ballot) and which
of a seat's keys are open, asked of a session driven by commands.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import actor, build_campaign, card, track
from scenario import pass_to_the_end_now, to_facilitator_now, to_vote_now

from tabletop.engine import commands as C
from tabletop.engine.queries import Wait
from tabletop.engine.views import OBSERVER
from tabletop.session import LocalSession
from tabletop.tui.flow import HotSeat, Step, dice_seconds, keys

FAC = C.FACILITATOR
HUMANS = ["northmark", "veldia", "ostrand"]


def test_each_human_seat_is_handed_the_keyboard_then_shown(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    flow = HotSeat(s, HUMANS)
    assert flow.next(OBSERVER) == Step(OBSERVER, "handoff", "northmark")
    assert flow.handoff_task("northmark") == "turn"
    flow.took_keyboard("northmark")
    assert flow.next(OBSERVER) == Step("northmark")
    s.submit_now(C.Pass("northmark"))
    assert flow.next("northmark") == Step(OBSERVER, "handoff", "veldia"), "no hand stays up behind the hand-off"


def test_one_human_is_shown_without_hand_offs(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    flow = HotSeat(s, ["northmark"])
    assert flow.next(OBSERVER) == Step("northmark")
    s.submit_now(C.Pass("northmark"))
    assert flow.next("northmark") == Step("northmark"), "the idle seat is the only human's"


def test_dice_come_first_unless_they_are_off(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    assert HotSeat(s, HUMANS).next("veldia", rolls=True) == Step(OBSERVER, "dice"), "no hand behind the dice"
    assert HotSeat(s, ["veldia"]).next("veldia", rolls=True) == Step("veldia", "dice"), "the only human: its own board"
    assert HotSeat(s, HUMANS, dice=False).next("veldia", rolls=True).then == "handoff"


def test_dice_wait_for_a_key_where_someone_acts_at_the_keyboard() -> None:
    """Where someone plays here a roll waits for a key, a bot's too, whatever ``tabletop
    play`` asks (3 s); a screen nobody acts at lets it go, within three bot moves."""
    assert dice_seconds(3.0, attended=True, bot_delay=0.6) is None
    assert dice_seconds(3.0, attended=True, bot_delay=0) is None, "not hidden when bots move at once"
    assert dice_seconds(3.0, attended=False, bot_delay=0.6) == pytest.approx(1.8)
    assert dice_seconds(3.0, attended=False, bot_delay=5) == 3.0
    assert dice_seconds(3.0, attended=False, bot_delay=0) == 0, "bots at full speed: the log tells the rolls"
    assert dice_seconds(None, attended=False, bot_delay=0.6) is None, "None: until a key, everywhere"


def test_a_bot_awaited_is_left_to_move(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(bots=("northmark",), journal=False)
    assert HotSeat(s, ["veldia", "ostrand"]).next(OBSERVER) == Step(OBSERVER, "bot")
    assert HotSeat(s, ["veldia"]).next(OBSERVER) == Step("veldia", "bot"), "the only human's board stays up"


def test_a_ballot_is_asked_once(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    to_vote_now(s)
    assert s.waits() == (Wait("veldia", "ballot"),)
    flow = HotSeat(s, HUMANS)
    assert flow.next(OBSERVER) == Step(OBSERVER, "handoff", "veldia")
    assert flow.handoff_task("veldia") == "ballot"
    flow.took_keyboard("veldia")
    step = flow.next(OBSERVER)
    assert step == Step("veldia", "vote", "veldia")
    ballot = s.options("veldia").ballot
    assert ballot is not None
    flow.vote_asked(ballot, "veldia")
    assert flow.next("veldia") == Step("veldia"), "closed without voting: not asked again by itself"


def test_the_facilitator_is_needed_and_no_human_seat_is_shown(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    to_facilitator_now(s)
    flow = HotSeat(s, HUMANS)
    assert flow.facilitator_needed() and s.waits() == (Wait(FAC, "ruling"),)
    assert flow.next(OBSERVER) == Step(OBSERVER)
    assert not HotSeat(new_session(bots=("facilitator",), journal=False), HUMANS).facilitator_needed()


def test_the_end_is_shown_once(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    pass_to_the_end_now(s)
    flow = HotSeat(s, HUMANS)
    assert flow.next(OBSERVER) == Step(OBSERVER, "end")
    assert flow.next(OBSERVER) == Step(OBSERVER, "over")


def test_keys_follow_the_options(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    assert keys(s.options("northmark")) == {
        "play": True, "pass_turn": True, "propose": True, "attribute": None, "vote": False, "advise": False,
    }
    assert set(keys(s.options("veldia")).values()) == {False}, "not her turn"
    assert set(keys(s.options("northmark"), bot=True).values()) == {False}, "a bot's seat"
    to_vote_now(s)
    assert keys(s.options("veldia"))["vote"] is True and keys(s.options("veldia"))["play"] is False


def test_the_attribute_key_is_closed_when_the_attribution_cannot_be_paid() -> None:
    """The drift the screens had: ``a`` was open whenever a hidden play of the other side
    was on the table, whatever the seat could pay; the engine refused it."""
    cards = [
        card("whisper", actor="r1", covert={"attribution": {"target": 8}}),
        card("b-noop", "blue", actor="b1"),
    ]
    for cost, open_ in ((6, None), (1, True)):
        camp = build_campaign(cards=cards, tracks=[track("tension")], rules={"attribution_cost": cost},
                              blue=[actor("b1", resources=5)])
        s = LocalSession(camp, seed=1, controllers={"r1": "human", "b1": "human", FAC: "human"})
        s.submit_now(C.PlayCard("r1", "whisper"))
        assert s.waits() == (Wait("b1", "turn"),)
        assert keys(s.options("b1"))["attribute"] is open_, f"cost {cost} with 5 resources"
