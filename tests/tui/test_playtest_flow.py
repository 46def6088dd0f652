"""The hot-seat flow and privacy findings of a new user's play-test of the default campaign
(Belarus border 2021, every seat human, 80x24): a play asks first and says what happens,
a covert play is told to its author alone, the console's advance asks first, a round is
read in review before the keyboard is handed on, the hand-off opens the public views and
leaves no notification up, a resumed game does not roll its old dice again, and a pass of
a side that cannot play covertly is public."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from scenario import close_brief, focus_card, game, take_keyboard, until, wait_for
from textual.pilot import Pilot
from textual.widgets import Static

from tabletop.campaign.validate import load_campaign
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.views import OBSERVER
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import TabletopApp, build_app
from tabletop.tui.widgets.played import PlayedPanel

ROOT = Path(__file__).resolve().parents[2]
SIZE = (80, 24)
STEER = "Steer small groups to the border"
SAID = f"You played {STEER} covertly; it is resolved at the end of your side's step."


@pytest.fixture(scope="module")
def belarus():  # type: ignore[no-untyped-def]
    return load_campaign(ROOT / "campaigns" / "belarus-border-2021.yaml").campaign


def belarus_session(campaign, holding: dict[str, Iterable[str]], bots: Iterable[str] = ()) -> LocalSession:  # type: ignore[no-untyped-def]
    """A game of the default campaign whose opening hands hold the cards in ``holding``."""
    for seed in range(1, 500):
        s = LocalSession(campaign, seed=seed, controllers=resolve_controllers(campaign, list(bots)))
        hands = {a: {s.engine.instance_card[i] for i in s.view(a).actors[a].hand or ()} for a in holding}
        if all(set(cards) <= hands[a] for a, cards in holding.items()):
            return s
        s.close()
    raise AssertionError(f"no seed deals {holding}")


def app_for(session: LocalSession, **options: object) -> TabletopApp:
    options.setdefault("dice_seconds", None)
    return build_app(session, bot_delay=0, briefing=False, **options)  # type: ignore[arg-type]


def frame(pilot: Pilot) -> str:
    """What the terminal shows now, every layer (notifications too), as text."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def instance(session: LocalSession, seat: str, card: str) -> str:
    return next(i for i in session.view(seat).actors[seat].hand or () if session.engine.instance_card[i] == card)


# ---------------------------------------------------------------- 2 and 14: a play asks first


async def test_a_play_asks_first_and_says_its_cost_and_what_happens(belarus) -> None:  # type: ignore[no-untyped-def]
    s = belarus_session(belarus, {"belarus": ["by-steer-small-groups"]})
    have = s.view("belarus").actors["belarus"].resources
    async with app_for(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "belarus")
        await wait_for(pilot, "GameScreen")
        await focus_card(pilot, "by-steer-small-groups")
        await pilot.press("enter")
        ask = await wait_for(pilot, "PlayScreen")
        text = " ".join(str(w.render()) for w in ask.query(Static))
        assert f"Play {STEER}?" in text
        assert f"Costs 1 resource: you have {have}, {have - 1} left after." in text
        assert ("Covertly: it is resolved at the end of your side's step; the other sides see that a covert card was played "
                "in your side's step, and its effects on the tracks, but not which card it is or who played it." in text)
        await pilot.press("escape")  # back: nothing is played
        await wait_for(pilot, "GameScreen")
        assert not s.state.sealed and s.view("belarus").actors["belarus"].resources == have
        await pilot.press("enter")
        await wait_for(pilot, "PlayScreen")
        await pilot.press("enter")  # played
        await until(pilot, lambda: s.state.sealed, "the covert play")
        board = await wait_for(pilot, "GameScreen")
        assert board.shown_seat == "belarus"  # its second action: its own board, which says so
        played = " ".join(str(board.query_one(PlayedPanel).render()).split())
        assert SAID in played
    s.close()


async def _belarus_plays_covertly_and_passes(pilot: Pilot, card: str) -> None:
    await take_keyboard(pilot, "belarus")
    await wait_for(pilot, "GameScreen")
    await focus_card(pilot, card)
    await pilot.press("enter")
    await wait_for(pilot, "PlayScreen")
    await pilot.press("enter")
    await wait_for(pilot, "GameScreen")
    await pilot.press("x")
    await wait_for(pilot, "ConfirmScreen")
    await pilot.press("y")
    await wait_for(pilot, "HandOffScreen")


async def test_a_covert_play_is_told_on_its_authors_board_alone(belarus) -> None:  # type: ignore[no-untyped-def]
    """Two games where Belarus plays a different covert card (of the same cost) look the
    same to the room and to Russia: at the hand-off, on the public board, on Russia's board."""
    cards = ("by-steer-small-groups", "by-state-propaganda")
    frames: dict[str, list[str]] = {}
    for card in cards:
        s = belarus_session(belarus, {"belarus": cards})
        async with app_for(s).run_test(size=SIZE) as pilot:
            await _belarus_plays_covertly_and_passes(pilot, card)
            seen = [frame(pilot)]  # the hand-off to Russia
            await pilot.press("P")  # the public board, from the hand-off
            await wait_for(pilot, "ProjectorScreen")
            seen.append(frame(pilot))
            await pilot.press("escape")
            await take_keyboard(pilot, "russia")
            board = await wait_for(pilot, "GameScreen")
            assert board.shown_seat == "russia"
            assert board.query_one(PlayedPanel).sealed == ()  # Belarus's note is Belarus's alone
            seen.append(frame(pilot))
            frames[card] = seen
        s.close()
    first, second = (frames[c] for c in cards)
    for a, b in zip(first, second, strict=True):
        assert a == b
    assert not any("You played" in f or STEER in f for f in first)


# ---------------------------------------------------------------- 1: advance asks first


async def test_the_consoles_advance_asks_before_it_ends_a_turn(belarus) -> None:  # type: ignore[no-untyped-def]
    s = belarus_session(belarus, {})
    async with app_for(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "belarus")
        await wait_for(pilot, "GameScreen")
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("s")  # the board's round review key: nothing here
        await pilot.pause()
        assert s.awaiting() == ("belarus",)
        await pilot.press("a")
        ask = await wait_for(pilot, "ConfirmScreen")
        assert ask.title_text == "End the turn of Belarus (Lukashenka regime)?"  # not "…regime)'s turn"
        assert "cannot be taken back" in ask.text
        await pilot.press("escape")
        await wait_for(pilot, "FacilitatorScreen")
        assert s.awaiting() == ("belarus",)
        await pilot.press("a")
        await wait_for(pilot, "ConfirmScreen")
        await pilot.press("enter")
        await until(pilot, lambda: s.awaiting() == ("russia",), "Russia's turn")
    s.close()


# ---------------------------------------------------------------- 11: no notification over a hand-off


async def test_a_notification_on_one_seats_board_is_gone_at_the_hand_off(belarus) -> None:  # type: ignore[no-untyped-def]
    s = belarus_session(belarus, {})
    async with app_for(s).run_test(size=SIZE, notifications=True) as pilot:
        await take_keyboard(pilot, "belarus")
        board = await wait_for(pilot, "GameScreen")
        board.notify("Not allowed: Secret card of Belarus", severity="warning")
        await pilot.pause()
        assert "Secret card of Belarus" in frame(pilot)
        await pilot.press("x")
        await wait_for(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, "HandOffScreen")
        await pilot.pause()
        assert not pilot.app._notifications
        assert "Secret card of Belarus" not in frame(pilot)
    s.close()


# ---------------------------------------------------------------- 4: the round in review, then the hand-off


def _to_the_last_turn(session: LocalSession) -> None:
    """Everyone passes in round 1 but the EU, the last seat."""
    while session.awaiting() != ("eu",):
        session.submit_now(C.Pass(session.awaiting()[0]))


async def test_the_table_reads_the_round_before_the_keyboard_is_handed_on(belarus) -> None:  # type: ignore[no-untyped-def]
    """The play-test's path: the last play of the round rolls dice; the dice wait for a
    key (at a table, whatever ``tabletop play`` says: 3 s), and that key is theirs: it does
    not close the round in review after them, nor does a space pressed twice."""
    s = belarus_session(belarus, {"eu": ["eu-airline-sanctions"]})
    _to_the_last_turn(s)
    async with app_for(s, dice_seconds=3.0).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "eu")
        await wait_for(pilot, "GameScreen")
        await focus_card(pilot, "eu-airline-sanctions")
        await pilot.press("enter")
        await wait_for(pilot, "PlayScreen")
        await pilot.press("enter")
        await until(pilot, lambda: s.view(OBSERVER).round == 2, "round 2")
        dice = await wait_for(pilot, "DiceScreen")
        assert dice.seconds is None  # type: ignore[attr-defined]
        await pilot.press("space")  # the dice's key: used for them alone
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "RoundSummaryScreen", "the round in review")
        assert game(pilot).shown_seat == OBSERVER  # over the public board: no hand behind it
        await pilot.press("space")  # pressed twice, or late: the review stays
        await pilot.press("s")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "RoundSummaryScreen"
        await pilot.press("enter")
        handoff = await wait_for(pilot, "HandOffScreen")
        assert handoff.seat == "belarus"
    s.close()


async def test_s_l_and_p_on_the_hand_off_open_the_public_views(belarus) -> None:  # type: ignore[no-untyped-def]
    s = belarus_session(belarus, {})
    s.submit_now(C.Pass("belarus"))
    async with app_for(s).run_test(size=SIZE) as pilot:
        handoff = await wait_for(pilot, "HandOffScreen")
        assert "s: round in review · l: log · P: public board" in frame(pilot)
        for key, screen in (("s", "RoundSummaryScreen"), ("l", "LogScreen"), ("P", "ProjectorScreen")):
            await pilot.press(key)
            await wait_for(pilot, screen)
            await pilot.press("escape")
            assert await wait_for(pilot, "HandOffScreen") is handoff
            assert not handoff.taken and s.awaiting() == ("russia",)
        await pilot.press("space")  # any other key takes the keyboard
        await close_brief(pilot, "russia")
        board = await wait_for(pilot, "GameScreen")
        assert board.shown_seat == "russia"
    s.close()


# ---------------------------------------------------------------- 9: a resumed game's dice


async def test_a_resumed_game_does_not_roll_its_old_dice_again(belarus) -> None:  # type: ignore[no-untyped-def]
    s = belarus_session(belarus, {"eu": ["eu-airline-sanctions"]})
    _to_the_last_turn(s)
    s.submit_now(C.PlayCard("eu", instance(s, "eu", "eu-airline-sanctions")))  # rolled at adjudication
    assert any(isinstance(e.event, E.ContestRolled) for e in s.entries)
    shown: list[str] = []
    app = app_for(s)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(30):
            shown.append(type(pilot.app.screen).__name__)
            await pilot.pause(0.01)
        assert "DiceScreen" not in shown
        await wait_for(pilot, "HandOffScreen")
    s.close()


# ---------------------------------------------------------------- 15: passes in the log and the review


async def test_a_pass_of_a_side_that_cannot_play_covertly_is_in_the_log_and_the_review(belarus) -> None:  # type: ignore[no-untyped-def]
    from tabletop.tui.summary import round_summary

    s = belarus_session(belarus, {})
    _to_the_last_turn(s)
    async with app_for(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "eu")
        await wait_for(pilot, "GameScreen")
        await pilot.press("x")
        await wait_for(pilot, "ConfirmScreen")
        await pilot.press("y")
        await until(pilot, lambda: s.view(OBSERVER).round == 2, "round 2")
        review = await wait_for(pilot, "RoundSummaryScreen")
        text = " ".join(str(w.render()) for w in review.query(Static))
        assert "Poland passes." in text and "The European Union passes." in text
        # Belarus and Russia can play covertly: whether they passed stays their side's
        assert "Belarus (Lukashenka regime) passes" not in text and "Russia passes" not in text
        sections = dict(round_summary(s.engine, game(pilot).chronicle, 1))
        assert "Latvia passes." in sections["What was played"]
        log = [line.text for line in game(pilot).chronicle.lines]
        assert "NATO passes." in log
    s.close()


# ---------------------------------------------------------------- 3: bots named only if there are bots


@pytest.mark.parametrize("bots", [(), ("red",)])
def test_the_hint_names_bots_only_when_a_seat_is_one(belarus, bots) -> None:  # type: ignore[no-untyped-def]
    from tabletop.tui.text import next_step_hint

    s = belarus_session(belarus, {}, bots=bots)
    hint = next_step_hint(s.view(OBSERVER), s.is_bot, lambda: False)
    assert ("Bots move by themselves" in hint) == bool(bots)
    assert "press f to steer the exercise" in hint.lower()
    s.close()
