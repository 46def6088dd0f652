"""A hot-seat game of the tutorial, driven by key presses and, move for move, by commands
(shared by the Pilot and snapshot tests)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from tabletop.engine import commands as C
from tabletop.session import LocalSession
from tabletop.tui.screens.game import GameScreen
from tabletop.tui.widgets.hand import CardWidget


async def wait_for(pilot: Pilot, screen: str, timeout: float = 10.0) -> Screen:
    """Let the app work until the screen on top is the class named ``screen``. A round in
    review that opens on the way (at the end of a round) is read and closed, unless it
    is the screen awaited (tests/tui/test_round_review.py reads it)."""
    for _ in range(int(timeout / 0.01)):
        top = type(pilot.app.screen).__name__
        if top == screen:
            await painted(pilot)
            return pilot.app.screen
        if top == "RoundSummaryScreen":
            await painted(pilot)
            await pilot.press("enter")
        await pilot.pause(0.01)
    raise AssertionError(f"expected {screen}, the app shows {type(pilot.app.screen).__name__}")


async def to_first_hand_off(pilot: Pilot) -> Screen:
    """Read past the briefing (enter) to the first hand-off, and return it."""
    await wait_for(pilot, "BriefingScreen")
    await pilot.press("enter")
    return await wait_for(pilot, "HandOffScreen")


async def painted(pilot: Pilot, timeout: float = 10.0) -> None:
    """Let the app work until the screen on top has been painted: a key pressed before
    then is not its key (:mod:`tabletop.tui.keygate`), as a person cannot press it."""
    gate = getattr(pilot.app, "key_gate", None)
    await pilot.pause()
    for _ in range(int(timeout / 0.01)):
        if gate is None or gate.ready:
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{type(pilot.app.screen).__name__} was never painted")


async def write(pilot: Pilot, text: str) -> None:
    """Fill the focused (empty) input with ``text`` at once, as typing it would: its
    keys are Textual's to test, not ours, and one key at a time costs a frame each."""
    field = pilot.app.focused
    assert isinstance(field, Input), f"the focus is on {field!r}, not an input"
    assert field.value == "", f"{field!r} already holds {field.value!r}"
    field.value = text
    field.cursor_position = len(text)
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    """Let the app work until ``condition()`` holds (no fixed pause: as long as it takes)."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def game(pilot: Pilot) -> GameScreen:
    return next(s for s in pilot.app.screen_stack if isinstance(s, GameScreen))


async def focus_card(pilot: Pilot, card_id: str) -> CardWidget:
    """Move the focus (with the down arrow) to the card ``card_id`` in the hand shown."""
    for _ in range(10):
        focused = pilot.app.screen.focused
        if isinstance(focused, CardWidget) and focused.card.id == card_id:
            return focused
        await pilot.press("down")
    raise AssertionError(f"{card_id} is not in the hand shown")


async def take_keyboard(pilot: Pilot, seat: str, *, read_brief: bool = True) -> None:
    """The hand-off for ``seat`` is up: press a key to take the keyboard (and, with
    ``read_brief``, close the brief the seat is shown alone, if it is)."""
    screen = await wait_for(pilot, "HandOffScreen")
    assert screen.seat == seat, f"hand-off to {screen.seat}, expected {seat}"
    await pilot.press("space")
    if read_brief:
        await close_brief(pilot, seat)


async def close_brief(pilot: Pilot, seat: str) -> None:
    """If ``seat``, which took the keyboard, is shown its brief (or news for it alone), close it."""
    for _ in range(1000):
        await pilot.pause(0.01)
        top = type(pilot.app.screen).__name__
        if top == "BriefScreen":
            await painted(pilot)
            await pilot.press("enter")
            await pilot.pause()
            return
        if top == "GameScreen" and not game(pilot).private.due(seat):
            return
        if top not in ("HandOffScreen", "GameScreen"):
            return
    raise AssertionError("the seat was neither shown its brief nor the board")


async def play(pilot: Pilot, seat: str, card_id: str) -> None:
    """``seat`` takes the keyboard and plays ``card_id``: enter on the card, enter to confirm."""
    await take_keyboard(pilot, seat)
    await wait_for(pilot, "GameScreen")
    await focus_card(pilot, card_id)
    await pilot.press("enter")
    await wait_for(pilot, "PlayScreen")
    await pilot.press("enter")
    await pilot.pause()


async def to_vote(pilot: Pilot) -> None:
    """Briefing, then Northmark plays the dice contest, Veldia the press conference,
    Ostrand the joint patrol: Veldia's ballot is next (behind a hand-off)."""
    await wait_for(pilot, "BriefingScreen")
    await pilot.press("enter")
    await play(pilot, "northmark", "bot-swarm")
    await play(pilot, "veldia", "press-conference")
    await play(pilot, "ostrand", "joint-patrol")


async def to_facilitator(pilot: Pilot) -> None:
    """…Veldia votes yes, Ostrand (two actions a turn) passes its second, the dice are
    rolled and dismissed: the game waits for a ruling."""
    await to_vote(pilot)
    await take_keyboard(pilot, "veldia")
    await wait_for(pilot, "VoteScreen")
    await pilot.press("y", "enter")
    await take_keyboard(pilot, "ostrand")
    await wait_for(pilot, "GameScreen")
    await pilot.press("x", "y")
    await wait_for(pilot, "DiceScreen")
    await pilot.press("space")
    await wait_for(pilot, "GameScreen")


async def rule_and_adjust(pilot: Pilot) -> None:
    """In the console: rule the press conference a success, lower trust by 1 with a reason."""
    await pilot.press("f")
    await wait_for(pilot, "FacilitatorScreen")
    await pilot.press("c")
    await wait_for(pilot, "AdjudicateForm")
    # the one contest is chosen already: the focus starts in its rationale
    await write(pilot, "The mayor was candid about what is unknown")
    await pilot.press("enter")
    await pilot.press("enter")  # Success
    await wait_for(pilot, "FacilitatorScreen")
    await pilot.press("t")
    await wait_for(pilot, "AdjustForm")
    await pilot.press("down", "enter")  # Public trust
    await pilot.press("minus", "1", "enter")
    await write(pilot, "Rumours spread on local radio")
    await pilot.press("enter")
    await wait_for(pilot, "FacilitatorScreen")
    await pilot.press("escape")


async def pass_to_the_end(pilot: Pilot, limit: int = 200) -> list[str]:
    """Everyone passes until the end screen; returns the seats handed the keyboard."""
    handed = []
    for _ in range(limit):
        await painted(pilot)
        name = type(pilot.app.screen).__name__
        if name == "EndScreen":
            return handed
        if name == "HandOffScreen":
            handed.append(pilot.app.screen.seat)
            await pilot.press("space")
        elif name == "BriefScreen":
            await pilot.press("enter")
        elif name == "DiceScreen":
            await pilot.press("space")
        elif name == "RoundSummaryScreen":  # opened as the round ended: enter closes it
            await pilot.press("enter")
        elif name == "GameScreen":
            screen = game(pilot)
            assert not screen._facilitator_needed(), "the game unexpectedly waits for the facilitator"
            await pilot.press("x", "y")
        else:
            raise AssertionError(f"unexpected screen {name}")
    raise AssertionError("the game did not end")


# ---------------------------------------------------------------- the same game, by commands
#
# The snapshot and screen tests start from a state built here, by the commands the keys
# above send (the keys themselves are tested by tests/tui/test_game.py, which plays the
# scenario above by key presses). A screen opened on such a session shows what it shows
# after the same moves made by keys.

FAC = C.FACILITATOR


def instance_of(session: LocalSession, seat: str, card_id: str) -> str:
    """The instance of ``card_id`` in ``seat``'s hand."""
    hand = session.view(seat).actors[seat].hand or ()
    for instance in hand:
        if session.engine.instance_card[instance] == card_id:
            return instance
    raise AssertionError(f"{card_id} is not in {seat}'s hand")


def play_now(session: LocalSession, seat: str, card_id: str) -> None:
    assert session.awaiting() == (seat,), session.awaiting()
    session.submit_now(C.PlayCard(seat, instance_of(session, seat, card_id)))


def pass_now(session: LocalSession, *seats: str) -> None:
    for seat in seats:
        assert session.awaiting() == (seat,), session.awaiting()
        session.submit_now(C.Pass(seat))


def to_vote_now(session: LocalSession) -> None:
    """:func:`to_vote` by commands: Veldia's ballot is awaited."""
    play_now(session, "northmark", "bot-swarm")
    play_now(session, "veldia", "press-conference")
    play_now(session, "ostrand", "joint-patrol")


def to_facilitator_now(session: LocalSession) -> None:
    """:func:`to_facilitator` by commands: the game waits for a ruling."""
    to_vote_now(session)
    vote = session.view(FAC).vote
    assert vote is not None and session.awaiting() == ("veldia",)
    session.submit_now(C.CastVote("veldia", vote.play, True))
    assert session.awaiting() == ("ostrand",)  # its second action of the turn
    session.submit_now(C.Pass("ostrand"))
    assert session.awaiting() == (FAC,)


def rule_and_adjust_now(session: LocalSession) -> None:
    """:func:`rule_and_adjust` by commands."""
    view = session.view(FAC)
    [contest] = view.pending
    session.submit_now(C.Adjudicate(FAC, contest, True, "The mayor was candid about what is unknown"))
    session.submit_now(C.AdjustTrack(FAC, "trust", -1, "Rumours spread on local radio"))


def pass_to_the_end_now(session: LocalSession, limit: int = 200) -> None:
    """:func:`pass_to_the_end` by commands: everyone awaited passes until the game ends."""
    for _ in range(limit):
        if session.ended:
            return
        seat = session.awaiting()[0]
        assert seat != FAC, "the game unexpectedly waits for the facilitator"
        session.submit_now(C.Pass(seat))
    raise AssertionError("the game did not end")
