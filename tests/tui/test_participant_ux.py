"""What a participant at the keyboard meets on the board: a pass asks first, the cursor
lands on a card that can be played, and a hand with nothing playable says what can be done."""

from __future__ import annotations

from collections.abc import Callable

from scenario import game, take_keyboard, until, wait_for
from textual.widgets import Footer, Static

from tabletop.engine.queries import Options
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import TabletopApp
from tabletop.tui.widgets.hand import CardWidget

SIZE = (100, 30)


def _bots_until(when: Callable[[Options], bool]) -> Callable[[LocalSession], None]:
    """Moves for ``new_app``: bots play until Ostrand's turn comes with a hand that ``when`` likes."""

    def moves(session: LocalSession) -> None:
        c = session.campaign
        controllers = resolve_controllers(c, ["red", "blue", "facilitator"])
        bots = LocalSession(c, seed=session.seed, controllers=controllers, rng=session.rng)
        for _ in range(200):
            o = bots.options("ostrand")
            if o.my_turn and when(o):
                return
            command = bots.bot_command()
            assert command is not None
            bots.submit_now(command)
            session.submit_now(command)
        raise AssertionError("Ostrand's turn never came with such a hand")

    return moves


def _stuck(o: Options) -> bool:
    return bool(o.hand) and all(reason for _, reason in o.hand)


def _first_unplayable(o: Options) -> bool:
    return len(o.hand) > 1 and o.hand[0][1] is not None and any(reason is None for _, reason in o.hand)


async def test_a_hand_with_nothing_playable_says_what_the_seat_can_do(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=_bots_until(_stuck), briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "ostrand")
        await wait_for(pilot, "GameScreen")
        hint = str(game(pilot).query_one(".hand-hint", Static).render())
    assert hint.startswith("None of your cards can be played now. You can ")
    assert "pass (x)" in hint and "proposal" in hint


async def test_the_cursor_lands_on_the_first_playable_card(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=_bots_until(_first_unplayable), briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "ostrand")
        screen = await wait_for(pilot, "GameScreen")
        cards = list(screen.query(CardWidget))
        playable = [w for w in cards if w.reason is None]
        assert cards[0].reason is not None and playable
        assert screen.focused is playable[0]
        assert not game(pilot).query(".hand-hint")  # something can be played: no hint


async def test_a_pass_asks_first_and_escape_keeps_the_turn(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(briefing=False)
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        seq = session.state.seq
        await pilot.press("x")
        ask = await wait_for(pilot, "ConfirmScreen")
        assert "End Northmark's turn?" in str(ask.query_one(".dialog-title", Static).render())
        left = session.view("northmark").plays_left
        assert f"You have {left} action{'s' if left != 1 else ''} left this turn." in " ".join(
            str(s.render()) for s in ask.query(Static))  # what the pass gives up, one action too
        footer = " ".join(b.binding.description for b in ask.active_bindings.values() if b.binding.show)
        assert "End turn" in footer and "Cancel" in footer and "Play" not in footer  # the dialog's own keys, as its buttons say
        assert ask.query_one(Footer).display  # shown at the bottom, over the board's
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        assert session.state.seq == seq and session.awaiting() == ("northmark",)
        await pilot.press("x", "y")
        await until(pilot, lambda: session.state.seq > seq, "the pass")
    assert session.awaiting() != ("northmark",)


async def test_at_80x24_a_long_card_text_reads_on_with_page_down(new_app: Callable[..., TabletopApp]) -> None:
    from tabletop.tui.widgets.hand import CardDetail

    app = new_app(briefing=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await take_keyboard(pilot, "northmark")
        screen = await wait_for(pilot, "GameScreen")
        detail = screen.query_one(CardDetail)
        cards = list(screen.query(CardWidget))
        long = next((c for c in cards if c.card.source and len(detail._lines()) > 0), cards[0])
        long.focus()
        await pilot.pause()
        first = str(detail.render())
        assert "more line" in first and "(PgDn)" in first  # cut, and it says so
        for _ in range(10):
            if "more line" not in str(detail.render()):
                break
            await pilot.press("pagedown")
            await pilot.pause()
        last = str(detail.render())
        assert "more line" not in last and long.card.source.strip()[-20:] in last.replace("\n", " ")
        for _ in range(10):
            await pilot.press("pageup")
            await pilot.pause()
        assert detail.scrolled == 0 and str(detail.render()).splitlines()[0] == first.splitlines()[0]


async def test_the_palettes_screenshot_is_saved_beside_the_save_and_says_where(
    new_app: Callable[..., TabletopApp], tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    app = new_app(briefing=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_screenshot()
        await pilot.pause()
        shots = list(tmp_path.glob("*.svg"))
        assert len(shots) == 1 and shots[0].read_text().startswith("<svg")
        assert any(str(shots[0]) in n.message for n in app._notifications)


async def test_a_ballot_key_asks_first_so_a_letter_typed_for_a_reason_casts_nothing(
    new_app: Callable[..., TabletopApp],
) -> None:
    from scenario import to_vote_now

    app = new_app(briefing=False, moves=to_vote_now)
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "VoteScreen")
        seq = session.state.seq
        await pilot.press("n")  # the first letter of "no time to check", typed outside the box
        ask = await wait_for(pilot, "ConfirmScreen")
        assert "Vote no on" in str(ask.query_one(".dialog-title", Static).render())
        await pilot.press("escape")
        await wait_for(pilot, "VoteScreen")
        assert session.state.seq == seq  # nothing was cast
        await pilot.press("y", "enter")
        await until(pilot, lambda: session.state.seq > seq, "the ballot")
