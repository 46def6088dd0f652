"""Pilot tests of format 2 at the keyboard (issue 11): advice, reasons, briefs, private
injects and the end, on the inline drill of tests/tui/format2_drill.py (and one on the
tutorial, seed 4, whose repair ship asks why)."""

from __future__ import annotations

from collections.abc import Callable

from format2_drill import B1_BRIEF, drill_app, drill_session, instance, to_boarding
from scenario import close_brief, focus_card, pass_now, take_keyboard, until, wait_for, write
from textual.widgets import Static

from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp

SIZE = (100, 30)


def texts(screen) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in screen.query(Static))


def said(session: LocalSession, kind: type) -> list[tuple[str, bool, str]]:
    return [(e.event.actor, e.event.yes, e.event.rationale) for e in session.entries if isinstance(e.event, kind)]


# ---------------------------------------------------------------- 1. advisors

async def test_the_advisor_is_asked_first_then_the_voter_reads_the_advice() -> None:
    s = drill_session()
    to_boarding(s)
    assert [w.need for w in s.waits()] == ["advice", "ballot"]
    async with drill_app(s).run_test(size=SIZE) as pilot:
        handoff = await wait_for(pilot, "HandOffScreen")
        assert handoff.seat == "b3" and "Your advice (you do not vote): Board the vessel" in texts(handoff)
        await take_keyboard(pilot, "b3")
        ask = await wait_for(pilot, "VoteScreen")
        assert "Blue Three: your advice" in texts(ask) and "Blue One and Blue Two decide" in texts(ask)
        # play-test: "Advice: Blue Three: … your advice" and "Advise for Board the vessel?" read oddly
        assert "Your advice to Blue One and Blue Two on Board the vessel: for or against?" in texts(ask)
        assert "… your advice" not in texts(ask) and "Advice: " not in texts(ask)
        await pilot.press("r")
        await write(pilot, "Boarding invites a clash")
        await pilot.press("enter", "n")  # the reason, then against (asked first)
        sure = await wait_for(pilot, "ConfirmScreen")
        assert "Advise Blue One and Blue Two against Board the vessel?" in texts(sure)
        await pilot.press("enter")
        await until(pilot, lambda: said(s, E.AdviceGiven), "Blue Three's advice")
        assert said(s, E.AdviceGiven) == [("b3", False, "Boarding invites a clash")]
        # then Blue Two votes, reading Blue Three's advice and its reason (one side)
        await take_keyboard(pilot, "b2")
        ballot = await wait_for(pilot, "VoteScreen")
        assert "Blue Three advises against — Boarding invites a clash" in texts(ballot)
        assert "Blue One: ✓ yes" in texts(ballot)
        await pilot.press("r")
        await write(pilot, "We must be seen to act")
        await pilot.press("enter", "y", "enter")
        await until(pilot, lambda: any(isinstance(e.event, E.VoteClosed) for e in s.entries), "the vote closing")
    assert said(s, E.BallotCast)[-1] == ("b2", True, "We must be seen to act")


async def test_an_advisor_alone_at_the_keyboard_is_asked_without_a_hand_off() -> None:
    s = drill_session(bots=("red", "b1", "b2"))
    to_boarding(s)
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await close_brief(pilot, "b3")
        ask = await wait_for(pilot, "VoteScreen")
        assert "your advice" in texts(ask)
        await pilot.press("y", "enter")
        await until(pilot, lambda: said(s, E.AdviceGiven), "the advice")
    assert said(s, E.AdviceGiven) == [("b3", True, "")]


async def test_later_then_v_asks_for_the_advice_again() -> None:
    s = drill_session()
    to_boarding(s)
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "b3")
        await wait_for(pilot, "VoteScreen")
        await pilot.press("escape")
        board = await wait_for(pilot, "GameScreen")
        assert "Waiting for: Blue Three's advice · Blue Two's vote" in str(board.query_one("#status").render())
        await pilot.press("v")
        await wait_for(pilot, "VoteScreen")
        await pilot.press("y", "enter")
        await until(pilot, lambda: said(s, E.AdviceGiven), "the advice")


# ---------------------------------------------------------------- 2. a reason for a card

async def _to_repair(pilot) -> None:  # type: ignore[no-untyped-def]
    await take_keyboard(pilot, "b1")
    await wait_for(pilot, "GameScreen")
    await focus_card(pilot, "repair")
    await pilot.press("enter")
    await wait_for(pilot, "PlayScreen")  # the play dialog, with a box for the reason


async def test_a_card_that_asks_why_is_played_with_the_reason_given() -> None:
    s = drill_session()
    s.submit_now(C.Pass("r1"))
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await _to_repair(pilot)
        await pilot.press("escape")  # cancelled: nothing played
        await wait_for(pilot, "GameScreen")
        assert not any(isinstance(e.event, E.CardPlayed) for e in s.entries)
        await focus_card(pilot, "repair")
        await pilot.press("enter")
        await wait_for(pilot, "PlayScreen")  # the play dialog, with a box for the reason
        await write(pilot, "The town cannot wait a week")
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(e.event, E.CardPlayed) for e in s.entries), "the play")
    [played] = [e.event for e in s.entries if isinstance(e.event, E.CardPlayed)]
    assert (played.card, played.rationale) == ("repair", "The town cannot wait a week")


async def test_enter_on_an_empty_reason_plays_the_card_without_one() -> None:
    s = drill_session()
    s.submit_now(C.Pass("r1"))
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await _to_repair(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(e.event, E.CardPlayed) for e in s.entries), "the play")
    [played] = [e.event for e in s.entries if isinstance(e.event, E.CardPlayed)]
    assert played.rationale == ""


async def test_the_tutorial_repair_ship_asks_why(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=lambda s: pass_now(s, "northmark"), briefing=False)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await focus_card(pilot, "repair-ship")
        await pilot.press("enter")
        await wait_for(pilot, "PlayScreen")  # the play dialog, with a box for the reason
        await write(pilot, "Connectivity first")
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(e.event, E.CardPlayed) for e in s.entries), "the play")
    assert [e.event.rationale for e in s.entries if isinstance(e.event, E.CardPlayed)] == ["Connectivity first"]


# ---------------------------------------------------------------- 3. roles


async def test_each_seat_reads_its_own_brief_after_its_hand_off_and_on_b() -> None:
    s = drill_session()
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "r1", read_brief=False)
        brief = await wait_for(pilot, "BriefScreen")
        text = texts(brief)
        assert RED_BRIEF_WORDS in text and "You know: Red line is 8" in text
        assert "Red's hidden aim (secret: only your side knows)" in text
        assert "Blue's quiet aim" not in text and "Blue One keeps 3 resources" not in text and B1_BRIEF not in text
        await pilot.press("enter")
        await wait_for(pilot, "GameScreen")
        await pilot.press("x", "y")
        # Blue One: its brief, its side's objectives, its own secret one; nothing of red's
        await take_keyboard(pilot, "b1", read_brief=False)
        brief = await wait_for(pilot, "BriefScreen")
        text = texts(brief)
        assert B1_BRIEF in text and "Red line" not in text and "Red's hidden aim" not in text
        assert "Keep tension at 5 or less" in text and "Blue's quiet aim (secret: only your side knows)" in text
        assert "Blue One keeps 3 resources (secret: only you know)" in text
        await pilot.press("enter")
        await wait_for(pilot, "GameScreen")
        await pilot.press("b")
        again = await wait_for(pilot, "BriefScreen")
        assert B1_BRIEF in texts(again)
        await pilot.press("b")
        await wait_for(pilot, "GameScreen")


RED_BRIEF_WORDS = "Push, but not past the line"


# ---------------------------------------------------------------- 4. private injects


async def test_a_private_inject_is_for_its_seat_alone_when_it_takes_the_keyboard() -> None:
    s = drill_session()
    async with drill_app(s).run_test(size=SIZE) as pilot:
        board = await wait_for(pilot, "HandOffScreen")
        await take_keyboard(pilot, "r1", read_brief=False)
        red = await wait_for(pilot, "BriefScreen")
        assert "A tip for Blue One" not in texts(red)
        await pilot.press("enter")
        await wait_for(pilot, "GameScreen")
        from scenario import game

        shared = "\n".join(line.text for line in game(pilot).chronicle.lines)
        assert "A tip for Blue One" not in shared and "trawler" not in shared
        assert "Tension +1 (now 6), from an inject." in shared
        await pilot.press("x", "y")
        await take_keyboard(pilot, "b1", read_brief=False)
        blue = await wait_for(pilot, "BriefScreen")
        assert "For you only: A tip for Blue One — The trawler is red's." in texts(blue)
        await pilot.press("enter")
        del board


# ---------------------------------------------------------------- 3. the facilitator's console


async def test_the_hot_seat_console_covers_its_secrets_until_the_facilitator_shows_them() -> None:
    s = drill_session()
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await wait_for(pilot, "HandOffScreen")
        from scenario import game

        game(pilot).action_facilitator()
        console = await wait_for(pilot, "FacilitatorScreen")

        def summary() -> str:
            return str(console.query_one("#fac-summary").render())

        # the players share the screen: no hidden value, no inject's audience or expected response
        assert "Red line" not in summary() and "= 8" not in summary()
        assert "to Blue One only" not in summary() and "expected:" not in summary()
        assert "Secrets covered" in summary() and "Press h" in summary()
        await pilot.press("h")
        warning = await wait_for(pilot, "SecretsWarning")
        assert "Make sure only the facilitator can see the screen" in texts(warning)
        await pilot.press("escape")  # not now: still covered
        await wait_for(pilot, "FacilitatorScreen")
        assert "Red line" not in summary()
        await pilot.press("h")
        await wait_for(pilot, "SecretsWarning")
        await pilot.press("enter")  # "Show secrets"
        await wait_for(pilot, "FacilitatorScreen")
        text = summary()
        assert "Red line = 8 · known to Red" in text
        assert "A tip for Blue One" in text and "to Blue One only" in text
        assert "expected: Blue One shares the tip" in text and "objective: Share what you learn." in text
        await pilot.press("h")  # covered again
        assert "Red line" not in summary()
        await pilot.press("h")
        await wait_for(pilot, "SecretsWarning")
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")
        assert "Red line = 8" in summary()
        await pilot.press("escape")  # closing the console covers them again
        await pilot.pause()
        game(pilot).action_facilitator()
        console = await wait_for(pilot, "FacilitatorScreen")
        assert "Red line" not in summary() and "Secrets covered" in summary()


async def test_a_console_of_its_own_shows_every_hidden_value_and_each_injects_audience() -> None:
    s = drill_session(bots=("red", "b1", "b2", "b3"))
    async with drill_app(s, seat_mode="facilitator").run_test(size=SIZE) as pilot:
        board = await wait_for(pilot, "GameScreen")
        board.action_facilitator()
        console = await wait_for(pilot, "FacilitatorScreen")
        text = str(console.query_one("#fac-summary").render())
        assert "Red line = 8 · known to Red" in text
        assert "A tip for Blue One" in text and "to Blue One only" in text
        assert "expected: Blue One shares the tip" in text and "objective: Share what you learn." in text
        assert "Secrets covered" not in text
        assert not console.check_action("tool", ("secrets",))


# ---------------------------------------------------------------- 5. the end


def _clash(session: LocalSession) -> None:
    """The facilitator raises tension to 8: an armed clash, which every side loses."""
    session.submit_now(C.AdjustTrack("facilitator", "tension", 2, "A shot across the bow"))
    while not session.ended:
        session.submit_now(C.Pass(session.awaiting()[0]))


async def test_the_end_says_every_side_loses_and_reveals_secrets_and_values() -> None:
    s = drill_session()
    _clash(s)
    async with drill_app(s).run_test(size=SIZE) as pilot:
        end = await wait_for(pilot, "EndScreen")
        text = texts(end)
    assert "Every side loses." in text
    assert "Red: 1 of 1 met — lost" in text and "Blue: 0 of 2 met — lost" in text
    assert "Red's hidden aim (secret)" in text and "Blue's quiet aim (secret)" in text
    assert "Blue One (its own, not counted for Blue)" in text and "Blue One keeps 3 resources (secret)" in text
    assert "Red line was 8" in text
