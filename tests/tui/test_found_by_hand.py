"""Defects found by hand (issue 9, section 5), each pinned by a Pilot test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scenario import game, take_keyboard, to_first_hand_off, to_vote_now, until, wait_for, write
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from tabletop.tui.app import TabletopApp
from tabletop.tui.screens import handoff
from tabletop.tui.screens.game import GameScreen
from tabletop.tui.text import card_effect_lines
from tabletop.tui.widgets.hand import CardWidget

SIZE = (100, 30)


class FakeClock:
    """Stands in for ``handoff.clock``: time moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wait_out_the_guard(self) -> None:
        self.now += max(handoff.KEY_GUARD, handoff.OPEN_GUARD) + 0.1


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(handoff, "KEY_GUARD", 0.4)  # the real guards (tests/tui/conftest.py turns them off)
    monkeypatch.setattr(handoff, "OPEN_GUARD", 1.0)
    monkeypatch.setattr(handoff, "clock", fake)
    return fake


async def burst(pilot: Pilot, *keys: str) -> None:
    """Keys that arrive together, as a terminal delivers two quick presses in one read:
    all are queued before the app handles the first (``pilot.press`` waits in between)."""
    chars = {"space": " ", "enter": "\r"}
    for key in keys:
        pilot.app.post_message(events.Key(key, chars.get(key)))
    await pilot.pause()
    await pilot.pause()


async def read_brief(pilot: Pilot, clock: FakeClock) -> None:
    """The seat that took the keyboard reads its brief (unread, it stays up), then closes it."""
    assert type(pilot.app.screen).__name__ == "BriefScreen", type(pilot.app.screen).__name__
    clock.wait_out_the_guard()
    await pilot.press("enter")
    await pilot.pause()


def hand_shown(app: TabletopApp) -> set[str]:
    return {c.instance for c in game_screen(app).query(CardWidget)}


def game_screen(app: TabletopApp) -> GameScreen:
    return next(s for s in app.screen_stack if isinstance(s, GameScreen))


async def test_two_quick_keys_at_a_hand_off_neither_blank_the_app_nor_play_a_card(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    app = new_app()
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await to_first_hand_off(pilot)
        seq = session.state.seq
        await pilot.press("space")  # a key in the moment the hand-off opens is not the next player's
        await pilot.pause()
        assert type(app.screen).__name__ == "HandOffScreen"

        clock.wait_out_the_guard()
        await burst(pilot, "space", "space")  # Space Space: one takes the keyboard, one is ignored
        assert type(app.screen).__name__ == "BriefScreen"  # the second did not close the brief unread
        await read_brief(pilot, clock)
        assert isinstance(app.screen, GameScreen)  # not blank: the board is up, the hand on it
        assert game_screen(app).shown_seat == "northmark"
        assert hand_shown(app) == set(session.view("northmark").actors["northmark"].hand)
        assert session.state.seq == seq

        clock.wait_out_the_guard()
        await pilot.press("x", "y")  # Northmark passes: Veldia is called to the keyboard
        await wait_for(pilot, "HandOffScreen")
        await pilot.press("x")  # Northmark's second, quick key: does not take Veldia's keyboard
        await pilot.pause()
        assert type(app.screen).__name__ == "HandOffScreen"
        seq = session.state.seq

        clock.wait_out_the_guard()
        await pilot.press("enter", "enter")  # Enter Enter: the second must not play Veldia's first card
        await pilot.pause()
        await read_brief(pilot, clock)
        assert isinstance(app.screen, GameScreen)
        assert game_screen(app).shown_seat == "veldia"
        assert hand_shown(app) == set(session.view("veldia").actors["veldia"].hand)
        assert session.state.seq == seq and not any(p.actor == "veldia" for p in session.state.plays)

        clock.wait_out_the_guard()
        await pilot.press("x", "y")  # once the moment has passed, keys work as ever
        await wait_for(pilot, "HandOffScreen")
        assert session.state.seq > seq
        seq = session.state.seq

        clock.wait_out_the_guard()
        await burst(pilot, "enter", "enter")  # the same, both keys arriving at once
        await read_brief(pilot, clock)
        assert isinstance(app.screen, GameScreen)
        assert game_screen(app).shown_seat == "ostrand"
        assert hand_shown(app) == set(session.view("ostrand").actors["ostrand"].hand)
        assert session.state.seq == seq and not any(p.actor == "ostrand" for p in session.state.plays)

async def test_dismissing_a_hand_off_twice_pops_only_the_hand_off(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_first_hand_off(pilot)
        depth = len(app.screen_stack)
        clock.wait_out_the_guard()
        screen.take_keyboard()
        screen.take_keyboard()  # idempotent: the board below stays
        await pilot.pause()
        await read_brief(pilot, clock)
        assert len(app.screen_stack) == depth - 1 and isinstance(app.screen, GameScreen)
        assert game(pilot).shown_seat == "northmark"


async def test_the_second_of_two_quick_keys_does_not_vote(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    app = new_app(moves=to_vote_now)  # Veldia is called to the keyboard for her ballot
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        handoff_screen = await wait_for(pilot, "HandOffScreen")
        assert handoff_screen.seat == "veldia"
        seq = session.state.seq
        clock.wait_out_the_guard()
        await pilot.press("enter", "enter")  # the second Enter would press Yes on a ballot unread
        await pilot.pause()
        await read_brief(pilot, clock)
        assert type(app.screen).__name__ == "VoteScreen"
        assert session.state.seq == seq
        clock.wait_out_the_guard()
        await pilot.press("n", "enter")
        await pilot.pause()
        assert any(type(e.event).__name__ == "BallotCast" for e in session.entries[seq:])


async def test_an_empty_free_text_inject_is_not_fired(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app()
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("n")
        form = await wait_for(pilot, "FreeInjectForm")
        before = session.state
        app.clear_notifications()
        await pilot.press("enter")  # Enter in the empty Title field
        await pilot.pause()
        assert session.state is before
        assert app.screen is form  # still open, and it says what is missing
        assert "title" in str(form.query_one("#free-problem", Static).render()).lower()
        assert form.focused is form.query_one("#free-title")
        await pilot.press("tab", "tab", "tab", "tab", "minus", "1", "enter")  # changes, but still no title
        await pilot.pause()
        assert session.state is before and app.screen is form
        assert form.focused is form.query_one("#free-title")  # back to what is missing
        await write(pilot, "Ferry strike")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form and form.focused is form.query_one("#free-text")  # on to what happens
        assert str(form.query_one("#free-problem", Static).render()) == ""
        await write(pilot, "No boats today")
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")
        assert session.state is not before
        fired = [e.event for e in session.entries if type(e.event).__name__ == "InjectFired"]
        assert fired[-1].title == "Ferry strike" and fired[-1].text == "No boats today"
        changed = [e.event for e in session.entries if type(e.event).__name__ == "TrackChanged"]
        assert changed[-1].cause == "inject:free" and changed[-1].delta == -1


def ignored_notice(app: TabletopApp) -> str:
    """The notice that says which keys were not used (empty if none)."""
    return " ".join(str(n.message) for n in app._notifications if str(n.message).startswith("Not used:"))


async def test_keys_typed_with_the_one_that_takes_the_keyboard_are_not_used_and_said(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    """enter x enter in one burst at a hand-off: the enter takes the keyboard; the x and the
    enter were typed while the hand-off was up, before the hand was seen: neither passes,
    plays nor opens a dialog, and the player is told they were not used."""
    app = new_app(moves=to_vote_now)  # the next hand-off (Veldia's) is for a ballot; pass it
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "HandOffScreen")
        clock.wait_out_the_guard()
        await pilot.press("space")
        await read_brief(pilot, clock)
        vote = await wait_for(pilot, "VoteScreen")
        clock.wait_out_the_guard()
        await pilot.press("n", "enter")  # Veldia says no: Ostrand is called to the keyboard
        handoff_screen = await wait_for(pilot, "HandOffScreen")
        assert handoff_screen is not vote and handoff_screen.seat == "ostrand"
        seq = session.state.seq
        clock.wait_out_the_guard()
        app.clear_notifications()
        await burst(pilot, "enter", "x", "enter")
        await read_brief(pilot, clock)
        await until(pilot, lambda: ignored_notice(app), "the notice of the keys not used")
        assert isinstance(app.screen, GameScreen) and game_screen(app).shown_seat == "ostrand"
        assert session.state.seq == seq  # no pass, no play
        assert ignored_notice(app).startswith("Not used: x, enter")


async def test_an_enter_typed_before_the_play_dialog_appeared_does_not_play_the_card(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    """enter enter in one burst on a card: the first asks to play it, the second was typed
    before the dialog was up: it must not press the dialog's Play button."""
    app = new_app()
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await to_first_hand_off(pilot)
        clock.wait_out_the_guard()
        await pilot.press("space")
        await read_brief(pilot, clock)
        assert isinstance(app.screen.focused, CardWidget)
        seq = session.state.seq
        clock.wait_out_the_guard()
        app.clear_notifications()
        card = app.screen.focused.card
        await burst(pilot, "enter", "enter")
        ask = await wait_for(pilot, "PlayScreen")
        # The dialog says what the card does, in the detail pane's words.
        does = str(ask.query_one("#play-effects", Static).render())
        assert does.splitlines() == card_effect_lines(app.session.engine, card, session.view("northmark").phase)
        await until(pilot, lambda: ignored_notice(app), "the notice of the key not used")
        assert session.state.seq == seq and not session.state.plays
        assert ignored_notice(app).startswith("Not used: enter")
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        assert session.state.seq == seq


async def test_a_key_the_screen_has_no_use_for_is_said_not_swallowed(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    """A seat's brief comes up as it takes the keyboard; x (meant to pass) does nothing
    there, and says so, rather than vanish from a player typing by rote."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_first_hand_off(pilot)
        clock.wait_out_the_guard()
        await pilot.press("space")
        brief = await wait_for(pilot, "BriefScreen")
        clock.wait_out_the_guard()
        app.clear_notifications()
        await pilot.press("x")
        await until(pilot, lambda: app._notifications, "the notice")
        assert app.screen is brief
        assert [str(n.message) for n in app._notifications] == ["x does nothing here (? lists this screen's keys)."]


async def test_the_confirms_say_the_european_union_mid_sentence(minimal_campaign_text: str) -> None:
    """"End The European Union's turn?": a name that begins with "The" takes no capital mid-sentence."""
    from tabletop.campaign.validate import load_campaign_text
    from tabletop.session import LocalSession, resolve_controllers
    from tabletop.tui.app import build_app

    campaign = load_campaign_text(minimal_campaign_text.replace("name: Russia", "name: The European Union", 1)).campaign
    session = LocalSession(campaign, seed=1, controllers=resolve_controllers(campaign, ["belarus", "blue"]))
    app = build_app(session, bot_delay=0, dice_seconds=None, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: session.awaiting() == ("russia",) and isinstance(app.screen, GameScreen), "russia's turn")
        await pilot.pause()
        assert "Waiting for: the European Union's turn" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("x")
        ask = await wait_for(pilot, "ConfirmScreen")
        assert ask.title_text == "End the European Union's turn?"
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("a")
        ask = await wait_for(pilot, "ConfirmScreen")
        assert ask.title_text == "End the European Union's turn?"


async def test_footers_say_what_the_keys_do_where_they_are(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    """The review opened from the hand-off goes back to the hand-off, and says so; the
    confirm's footer says its buttons' words; the role screen (a dialog) has ? Help."""
    from tabletop.tui.screens.help import HelpScreen

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        handoff_screen = await to_first_hand_off(pilot)
        clock.wait_out_the_guard()
        await pilot.press("s")
        review = await wait_for(pilot, "RoundSummaryScreen")
        assert "enter: back to the hand-off" in str(review.query_one(".dialog-hint", Static).render())
        assert review.active_bindings["enter"].binding.description == "Back to the hand-off"
        await pilot.press("enter")
        assert await wait_for(pilot, "HandOffScreen") is handoff_screen
        clock.wait_out_the_guard()
        await pilot.press("space")
        brief = await wait_for(pilot, "BriefScreen")
        assert brief.active_bindings["question_mark"].binding.description == "Help"
        clock.wait_out_the_guard()
        await pilot.press("question_mark")
        assert isinstance(await wait_for(pilot, "HelpScreen"), HelpScreen)
        await pilot.press("escape")
        await wait_for(pilot, "BriefScreen")
        await pilot.press("enter")
        await wait_for(pilot, "GameScreen")
        await pilot.press("x")
        ask = await wait_for(pilot, "ConfirmScreen")
        shown = {k: b.binding.description for k, b in ask.active_bindings.items() if b.binding.show}
        assert shown["enter"] == "End turn" and shown["escape"] == "Cancel"
        assert "y" not in shown and "n" not in shown
        buttons = [str(b.label) for b in ask.query("Button").results()]
        assert buttons == ["End turn (enter)", "Cancel (esc)"]


async def test_arrows_and_enter_typed_together_open_the_card_the_arrows_reached(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    """down down enter in one burst: each arrow moves the focus one card on, and enter asks
    to play the card they reached, not the one focused before (a focus moved later, as
    Widget.focus does, left the second arrow and the enter reading the old card)."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_first_hand_off(pilot)
        clock.wait_out_the_guard()
        await pilot.press("space")
        await read_brief(pilot, clock)
        clock.wait_out_the_guard()
        cards = list(game_screen(app).query(CardWidget))
        assert len(cards) >= 3 and app.screen.focused is cards[0]
        await burst(pilot, "down", "down", "enter")
        ask = await wait_for(pilot, "PlayScreen")
        assert ask.card == cards[2].card
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        assert app.screen.focused is cards[2]


async def test_a_key_within_a_second_of_a_hand_off_opening_does_not_take_the_keyboard(
    new_app: Callable[..., TabletopApp], clock: FakeClock,
) -> None:
    """A hand-off may open under a key meant for the screen before (the key that closed
    the dice or the board's last move, pressed twice; a bot's move): for a second it takes
    no key, so the last player's key does not show the next player's secrets to the room."""
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_first_hand_off(pilot)
        clock.now += handoff.KEY_GUARD + 0.2  # past the board's guard, not the hand-off's
        await pilot.press("space")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandOffScreen"
        await until(pilot, lambda: ignored_notice(app), "the notice of the key not used")
        assert ignored_notice(app).startswith("Not used: space")
        assert type(app.screen).__name__ == "HandOffScreen"
        clock.now += handoff.OPEN_GUARD
        await pilot.press("space")
        await until(pilot, lambda: type(app.screen).__name__ != "HandOffScreen", "the keyboard taken")
