"""What a new user found playing the format-2 tutorial in hot-seat: the briefing's learning
objectives, the phase ladder's conditions, the reason box of a ballot, the brief and the
hand-off's wording, and a notice covering the end screen."""

from __future__ import annotations

from collections.abc import Callable

from format2_drill import drill_app, drill_session, to_boarding
from scenario import take_keyboard, until, wait_for, write
from textual.widgets import Button, Input, Static

from tabletop.campaign.validate import LoadedCampaign
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.rules import Engine
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp
from tabletop.tui.roles import brief_sections
from tabletop.tui.screens.handoff import side_note

SIZE = (100, 30)
OPERATORS = (">=", "<=", "==", "!=", " > ", " < ")


def texts(screen) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_the_briefing_lists_each_learning_objective_by_its_words(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        briefing = await wait_for(pilot, "BriefingScreen")
        text = texts(briefing)
    assert "• Read the board: what the three public tracks mean" in text
    attribute = next(lo for lo in app.session.campaign.learning if lo.id == "attribute")
    assert f"• {' '.join(attribute.text.split())}" in text
    assert "id=" not in text and "EvidenceItem" not in text and "evidence=" not in text


async def test_the_phase_ladder_says_its_conditions_in_words(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("p")
        phases = await wait_for(pilot, "PhaseScreen")
        text = texts(phases)
    assert "Automatic: tension reaches Northmark's hidden red line" in text
    assert "red_line" not in text and not any(op in text for op in OPERATORS), text


def test_a_card_modifier_without_a_label_is_said_in_words(tutorial: LoadedCampaign) -> None:
    from tabletop.tui.text import condition_text

    engine = Engine(tutorial.campaign)
    assert condition_text(engine, "trust <= 4") == "Public trust is at most 4"


async def test_enter_or_escape_leaves_the_reason_box_keeping_the_reason() -> None:
    s = drill_session()
    to_boarding(s)
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "b3")
        ask = await wait_for(pilot, "VoteScreen")
        box = ask.query_one("#vote-reason", Input)
        assert "press r" in box.placeholder
        await pilot.press("r")
        assert box.has_focus and "Enter when done" in box.placeholder
        await write(pilot, "Boarding invites a clash")
        await pilot.press("escape")  # leaves the box, not the ballot
        await pilot.pause()
        assert pilot.app.screen is ask and not box.has_focus
        assert isinstance(ask.focused, Button) and box.value == "Boarding invites a clash"
        await pilot.press("r", "end", "!", "enter")  # back in, one more key, enter leaves it again
        await pilot.pause()
        assert not box.has_focus and box.value == "Boarding invites a clash!"
        await pilot.press("n", "enter")
        await until(pilot, lambda: any(isinstance(e.event, E.AdviceGiven) for e in s.entries), "the advice")
    advice = [e.event for e in s.entries if isinstance(e.event, E.AdviceGiven)]
    assert [(a.yes, a.rationale) for a in advice] == [(False, "Boarding invites a clash!")]


def test_the_brief_says_once_that_only_its_seat_reads_it(new_session: Callable[..., LocalSession]) -> None:
    session = new_session()
    sections = dict(brief_sections(session.engine, session.view("veldia"), "veldia"))
    assert "Your brief" in sections and "Your brief (only you read this)" not in sections
    assert not sections["Your brief"].lower().startswith("only you read this")
    assert sections["Your brief"].startswith("It is your town")


def test_the_hand_off_names_the_side_only_when_its_name_does_not_say_the_seat() -> None:
    assert side_note("Veldia", "Veldia and Ostrand") == ""
    assert side_note("Northmark", "Northmark") == ""
    assert side_note("Lithuania", "Border states and the Alliance") == " · Border states and the Alliance"
    assert side_note("Belarus (Lukashenka regime)", "Belarus and Russia") == " · Belarus and Russia"
    assert side_note("Red", "Redland") == " · Redland"  # one form for every seat, brackets in its name or not


async def test_the_hand_off_reads_veldia_on_one_line(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("x", "y")  # Northmark passes: Veldia is called
        handoff = await wait_for(pilot, "HandOffScreen")
        assert handoff.seat == "veldia"
        assert str(handoff.query_one("#handoff-seat", Static).render()) == "Veldia"
        assert "Veldia and Ostrand" not in texts(handoff)


async def test_the_end_screen_is_not_covered_by_a_notice_raised_before_it() -> None:
    s = drill_session()
    s.submit_now(C.AdjustTrack("facilitator", "tension", 2, "A shot across the bow"))
    while not s.ended:
        s.submit_now(C.Pass(s.awaiting()[0]))
    # a notice up when the end screen opens (as the facilitator's "Ruling recorded." was)
    async with drill_app(s, notice="Ruling recorded.").run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, "EndScreen")
        await pilot.pause()
        assert not list(pilot.app._notifications)
