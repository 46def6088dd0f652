"""The round in review: when a round ends the table reads what happened in it (plays,
votes, dice and rulings, tracks with their causes, phase, injects), over the public board;
``s`` brings it back, left and right step through the rounds, ``l`` scrolls the whole log."""

from __future__ import annotations

from collections.abc import Callable

from scenario import rule_and_adjust_now, take_keyboard, to_facilitator_now, wait_for
from textual.containers import VerticalScroll
from textual.widgets import Static

from tabletop.engine import commands as C
from tabletop.engine.views import OBSERVER
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp
from tabletop.tui.chronicle import Chronicle
from tabletop.tui.flow import HotSeat, Step
from tabletop.tui.summary import round_summary

HUMANS = ["northmark", "veldia", "ostrand"]


def _round_one(session: LocalSession) -> None:
    """Round 1 by commands: three plays, a vote, a ruling, an adjustment, then everyone passes."""
    to_facilitator_now(session)
    rule_and_adjust_now(session)
    for _ in range(20):
        if session.view(OBSERVER).round > 1:
            return
        seat = session.awaiting()[0]
        session.submit_now(C.Advance(seat) if seat == "facilitator" else C.Pass(seat))
    raise AssertionError("round 1 did not end")


def test_the_flow_reviews_a_round_once_over_the_public_board(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    flow = HotSeat(s, HUMANS)
    assert flow.next(OBSERVER).then == "handoff"  # round 1 is not over
    _round_one(s)
    peeked = flow.peek("ostrand")
    assert peeked == Step(OBSERVER, "summary") and flow.summarized == 0, "peek tells the step without taking it"
    assert flow.next("ostrand") == Step(OBSERVER, "summary") and flow.summarized == 1
    assert flow.peek(OBSERVER).then == "handoff" == flow.next(OBSERVER).then  # what enter leads to after the review
    assert flow.next(OBSERVER).then != "summary"  # once
    assert HotSeat(s, HUMANS).next(OBSERVER).then != "summary", "a resumed game does not review its past"
    assert HotSeat(s, HUMANS, summaries=False).summaries is False


def test_the_summary_says_what_happened_and_why_each_track_moved(new_session: Callable[..., LocalSession]) -> None:
    s = new_session(journal=False)
    chronicle = Chronicle(s.engine)
    s.add_listener(chronicle.feed, OBSERVER, replay=True)
    _round_one(s)
    sections = dict(round_summary(s.engine, chronicle, 1))
    assert {"What was played", "Votes", "Dice and rulings", "Tracks"} <= set(sections)
    played = "\n".join(sections["What was played"])
    assert "Veldia played" in played and "Ostrand played" in played
    trust = next(line for line in sections["Tracks"] if line.startswith("Public trust"))
    assert trust == "Public trust 4 → 7: Joint cable-protection patrol (#3) +1, The mayor's press conference (#2) +2"
    # the ruling moved the game on: the facilitator's adjustment came in round 2, with its reason
    later = dict(round_summary(s.engine, chronicle, 2))["Tracks"]
    assert any("the facilitator: Rumours spread on local radio -1" in line for line in later)
    assert "The mayor was candid" in "\n".join(sections["Dice and rulings"])
    assert not any("draws" in line for lines in sections.values() for line in lines)


async def test_the_table_reads_the_round_then_scrolls_back_through_the_log(
    new_app: Callable[..., TabletopApp],
) -> None:
    app = new_app(briefing=False, moves=_round_one)
    async with app.run_test(size=(80, 24)) as pilot:
        # a game resumed after round 1: no dice again (seen before), no review by itself, but s brings it back
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("s")
        review = await wait_for(pilot, "RoundSummaryScreen")
        title = str(review.query_one("#summary-title", Static).render())
        assert title == "Round 1 of 4 in review"
        assert review.check_action("step", (1,)) is False or review.last >= 2
        body = review.query_one("#summary-body", VerticalScroll)
        assert body.has_focus  # arrows and page keys scroll it
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, "HelpScreen")
        assert help_screen.help_title == "the round in review"  # type: ignore[attr-defined]  # not "RoundSummary"
        await pilot.press("escape")
        await wait_for(pilot, "RoundSummaryScreen")
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        await pilot.press("l")
        log = await wait_for(pilot, "LogScreen")
        body = log.query_one("#log-body", VerticalScroll)
        assert body.has_focus and body.max_scroll_y > 0
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("enter")
        await wait_for(pilot, "GameScreen")


async def test_a_round_that_ends_opens_its_review_with_no_hand_behind_it(
    new_app: Callable[..., TabletopApp],
) -> None:
    app = new_app(briefing=False, moves=to_facilitator_now)  # the ruling will end round 1
    session = app.session
    async with app.run_test(size=(100, 30)) as pilot:
        # (the rolls made before the app opened were seen then: no dice pop up)
        [contest] = session.view("facilitator").pending
        await session.submit(C.Adjudicate("facilitator", contest, True, "Candid"))
        assert session.view(OBSERVER).round == 2
        review = await wait_for(pilot, "RoundSummaryScreen")
        board = app.screen_stack[-2]
        assert getattr(board, "shown_seat", None) == OBSERVER  # the public board behind it
        assert "Round 1 of 4 in review" in str(review.query_one("#summary-title", Static).render())
        # play-test: it said "enter: back to the board" and enter led to a hand-off
        hint = str(review.query_one(".dialog-hint", Static).render())
        assert hint.startswith("enter: on to the hand-off to "), hint
        await pilot.press("enter")
        handoff = await wait_for(pilot, "HandOffScreen")
        assert hint.startswith(f"enter: on to the hand-off to {session.engine.campaign.actor_by_id[handoff.seat].name} ·")


def test_a_round_without_a_phase_change_says_so_and_what_would_move_the_crisis(
    new_session: Callable[..., LocalSession],
) -> None:
    s = new_session(journal=False)
    chronicle = Chronicle(s.engine)
    s.add_listener(chronicle.feed, OBSERVER, replay=True)
    _round_one(s)
    phase = dict(round_summary(s.engine, chronicle, 1))["Crisis phase"]
    assert not chronicle.phase_changes  # the tutorial's round 1 stays calm
    start = s.engine.phase_name(s.engine.campaign.phases.initial)
    assert phase[0] == f"No change: the crisis stays in {start}."
    # the tutorial's calm moves on to the crisis by itself: the table is told when
    assert any(line.startswith("It moves to Crisis at a phase check when: Tension is at least 4") for line in phase), phase
    assert not any(op in " ".join(phase) for op in (">=", "<=", "==")), phase


def test_the_votes_list_the_advice_given_and_a_revealed_red_line_its_value(
    new_session: Callable[..., LocalSession],
) -> None:
    """Play-test: the review's votes left out Veldia's advice (a format-2 vote with an
    advisor), and its phase lines named Northmark's red line without the value the
    diplomatic note had revealed to everyone."""
    from scenario import pass_now, play_now

    s = new_session(journal=False)
    chronicle = Chronicle(s.engine)
    s.add_listener(chronicle.feed, OBSERVER, replay=True)
    pass_now(s, "northmark", "veldia")
    play_now(s, "ostrand", "diplomatic-note")
    vote = s.view(C.FACILITATOR).vote
    assert vote is not None and s.awaiting() == ("veldia",)
    s.submit_now(C.Advise("veldia", vote.play, False, "It tells them we are nervous"))
    red_line = s.view(OBSERVER).values["red_line"]
    sections = dict(round_summary(s.engine, chronicle, 1))
    assert "Veldia advises against it." in sections["Votes"], sections["Votes"]  # its reason is not the room's
    assert sections["Votes"][-1].startswith("Agreed: Diplomatic note to Northmark")  # the advice comes with the ballots
    phase = " ".join(sections["Crisis phase"])
    assert f"Tension is at least Northmark's red line ({red_line})" in phase, phase
