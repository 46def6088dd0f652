"""The dice panel: where someone plays at the keyboard a roll waits for a key, and that
key does nothing else; a game of bots alone lets its rolls go by themselves.

The apps are built as ``tabletop play`` builds them (``dice_seconds=3.0``, the default),
not with the tests' usual ``None``: what is tested is that 3 s no longer closes a roll
at a table. No test waits those seconds: each asserts on what the panel was given (its
``seconds`` and its timer).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scenario import game, pass_now, play_now, take_keyboard, until, wait_for
from textual.widgets import Static

from tabletop.engine import commands as C
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp, build_app
from tabletop.tui.screens.dice import BY_ITSELF, UNTIL_KEY, DiceScreen
from tabletop.tui.screens.game import GameScreen

SIZE = (100, 30)


def hint(dice: DiceScreen) -> str:
    return str(dice.query_one(".dialog-hint", Static).render())


def northmark_hid_the_trawler(session: LocalSession) -> None:
    """Northmark plays the anchor-drag covertly: Veldia may attribute it (a roll)."""
    play_now(session, "northmark", "anchor-drag")


async def test_a_hot_seat_roll_waits_for_a_key_that_goes_nowhere_else(new_app: Callable[..., TabletopApp]) -> None:
    """The play-test: Veldia's attribution is rolled, the table reads it for as long as it
    likes, and the key that closes it does not take Ostrand's keyboard."""
    app = new_app(dice_seconds=3.0, briefing=False, moves=northmark_hid_the_trawler)
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "GameScreen")
        [hidden] = session.options("veldia").attributable
        await session.submit(C.Attribute("veldia", hidden, "northmark"))  # as a and its dialog send it
        dice = await wait_for(pilot, "DiceScreen")
        assert isinstance(dice, DiceScreen)
        assert dice.seconds is None and dice.timer is None, "no timer: the roll is up until a key"
        assert hint(dice) == UNTIL_KEY
        await pilot.press("question_mark")  # the help, as the footer says: the dice stay under it
        await wait_for(pilot, "HelpScreen")
        await pilot.press("escape")
        assert await wait_for(pilot, "DiceScreen") is dice
        app.clear_notifications()
        await pilot.press("space")
        handoff = await wait_for(pilot, "HandOffScreen")
        assert handoff.seat == "ostrand"
        await pilot.pause(0.1)
        assert app.screen is handoff and not handoff.taken, "the dice's key did not take Ostrand's keyboard"
        assert not app._notifications, "the key was used (by the dice), so nothing says it was not"


def swarm_played_and_veldia_passed(session: LocalSession) -> None:
    """Northmark plays the dice contest, Veldia passes: the round ends with Ostrand's
    turn, and the contest is rolled."""
    play_now(session, "northmark", "bot-swarm")
    pass_now(session, "veldia")


async def test_a_bots_roll_waits_too_at_a_table(new_app: Callable[..., TabletopApp]) -> None:
    """Red is a bot, blue is at the keyboard: the table watches the roll of red's card as
    long as it likes, and enter, which would close the round in review after it, does not."""
    app = new_app(bots=("red",), bot_delay=0, dice_seconds=3.0, briefing=False, moves=swarm_played_and_veldia_passed)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "ostrand")
        await wait_for(pilot, "GameScreen")
        await pilot.press("x", "y")  # Ostrand passes: the round ends, the swarm's dice are rolled
        dice = await wait_for(pilot, "DiceScreen")
        assert isinstance(dice, DiceScreen)
        assert [roll.title for roll in dice.rolls] and dice.seconds is None and dice.timer is None
        assert hint(dice) == UNTIL_KEY
        await pilot.press("enter")
        review = await wait_for(pilot, "RoundSummaryScreen")
        await pilot.pause(0.1)
        assert app.screen is review, "the enter closed the dice alone, not the review after them"


async def test_a_game_of_bots_alone_lets_its_rolls_go_by_themselves(new_app: Callable[..., TabletopApp]) -> None:
    """Nobody at the keyboard (``--bot red --bot blue``): a roll closes on its own, within
    three bot moves, and the game goes on to the round in review without a key."""
    app = new_app(bots=("red", "blue"), bot_delay=0.2, dice_seconds=3.0, briefing=False,
                  moves=swarm_played_and_veldia_passed)
    shown: list[DiceScreen] = []  # heard as it opens: a loaded machine may not poll within its 0.6 s
    async with app.run_test(size=SIZE) as pilot:
        app.screen_change_signal.subscribe(app, lambda s: shown.append(s) if isinstance(s, DiceScreen) else None,
                                           immediate=True)
        await until(pilot, lambda: shown, "Ostrand's bot to end the round: the roll")
        dice = shown[0]
        assert dice.seconds == pytest.approx(0.6) and dice.hint == BY_ITSELF
        await wait_for(pilot, "RoundSummaryScreen")  # no key pressed: the roll went by itself
        assert dice not in app.screen_stack and dice.timer is not None


@pytest.mark.parametrize(
    ("mode", "seat", "waits"),
    [
        ("single", "veldia", True),  # a joined player
        ("single", "evaluator", True),  # an evaluator takes notes at this keyboard
        ("facilitator", None, True),  # the host's console
        ("single", "observer", False),  # an observer's screen may be up on a wall, unattended
    ],
)
async def test_who_sits_at_the_keyboard_decides_whether_a_roll_waits(
    new_session: Callable[..., LocalSession], mode: str, seat: str | None, waits: bool,
) -> None:
    session = new_session(bots=("northmark", "ostrand"))
    app = build_app(session, seat_mode=mode, seat=seat, dice_seconds=3.0, briefing=False, bot_delay=0.6)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(isinstance(s, GameScreen) for s in app.screen_stack), "the board")
        assert game(pilot).dice_seconds == (None if waits else pytest.approx(1.8))



async def test_a_right_attribution_that_holds_shows_its_roll(new_app: Callable[..., TabletopApp]) -> None:
    """Play-test: the panel said "not shown to you (it would tell which card it was)" while
    the board below named the card. A right accusation that holds reveals the card in the
    same command, so the table is shown the roll whole."""
    app = new_app(briefing=False, moves=northmark_hid_the_trawler)  # the seed's roll holds
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "GameScreen")
        [hidden] = session.options("veldia").attributable
        await session.submit(C.Attribute("veldia", hidden, "northmark"))
        dice = await wait_for(pilot, "DiceScreen")
        text = "\n".join(str(w.render()) for w in dice.query("DiceRoll"))
        assert "SUCCESS — the attribution holds" in text, text
        assert "Dice   " in text and "Total  " in text and "not shown" not in text, text
        assert session.view("veldia").plays[0].revealed, "the board names the card: the roll may say it too"
