"""Pilot tests: games played by key presses, asserted on the session and the journal.

The whole scenario of tests/tui/scenario.py is played by keys once, in
test_a_whole_hotseat_game; the other tests bring the session to where they start by
commands, and fill text fields at once (``write``) rather than a key at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scenario import (
    close_brief, focus_card, game, pass_now, pass_to_the_end, rule_and_adjust, take_keyboard, to_facilitator, to_first_hand_off, until, wait_for, write,
)
from textual.command import Command, CommandList
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tabletop.engine import events as E
from tabletop.journal import read_journal
from tabletop.tui.app import TabletopApp
from tabletop.tui.widgets.hand import CardWidget

SIZE = (100, 30)


def mounted_cards(app: TabletopApp) -> list[CardWidget]:
    """Every card widget mounted on any screen of the stack."""
    return [w for screen in app.screen_stack for w in screen.query(CardWidget)]


async def test_a_whole_hotseat_game(new_app: Callable[..., TabletopApp], tmp_path: Path) -> None:
    app = new_app()
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await to_facilitator(pilot)
        screen = game(pilot)
        # blocked on the facilitator: the board says so, f is highlighted in the footer
        assert "facilitator" in str(screen.query_one("#status", Static).render()).lower()
        attention = [k for k in screen.query(FooterKey) if k.has_class("-attention")]
        assert [k.key for k in attention] == ["f"]
        await rule_and_adjust(pilot)
        handed = await pass_to_the_end(pilot)
        end = await wait_for(pilot, "EndScreen")
        text = "\n".join(str(w.render()) for w in end.query(Static))
        assert "Objectives" in text and "Turning points" in text
        assert f"tabletop replay {tmp_path / 'game.jsonl'}" in text
        assert "✓" in text or "✗" in text
        await pilot.press("q")
    assert session.ended
    # every human seat was handed the keyboard in turn, never the same seat twice in a row
    assert set(handed) == {"northmark", "veldia", "ostrand"}
    assert all(a != b for a, b in zip(handed, handed[1:]))
    # the journal holds every decision, with who made it and why
    read = read_journal(tmp_path / "game.jsonl")
    assert read.damage is None
    assert len(read.entries) == len(session.entries)
    events = [(e.seat, e.event) for e in read.entries]
    adjust = [ev for seat, ev in events if isinstance(ev, E.TrackChanged) and ev.cause == "facilitator"]
    assert [(a.track, a.delta, a.reason) for a in adjust] == [("trust", -1, "Rumours spread on local radio")]
    assert any(seat == "facilitator" and isinstance(ev, E.TrackChanged) for seat, ev in events)
    ruled = [ev for _, ev in events if isinstance(ev, E.ContestAdjudicated)]
    assert [(r.success, r.rationale) for r in ruled] == [(True, "The mayor was candid about what is unknown")]
    assert any(isinstance(ev, E.ContestRolled) for _, ev in events)
    assert ("veldia", E.BallotCast(3, "veldia", True)) in events
    assert any(isinstance(ev, E.VoteClosed) and ev.passed for _, ev in events)
    assert isinstance(events[-1][1], E.GameEnded)


async def test_the_hand_off_hides_every_hand(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_first_hand_off(pilot)
        assert mounted_cards(app) == []
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        assert {c.instance for c in mounted_cards(app)} == set(app.session.view("northmark").actors["northmark"].hand)
        await focus_card(pilot, "bot-swarm")
        await pilot.press("enter")
        await wait_for(pilot, "PlayScreen")
        assert mounted_cards(app)  # asked over Northmark's own board
        await pilot.press("enter")
        handoff = await wait_for(pilot, "HandOffScreen")
        assert handoff.seat == "veldia"
        # Northmark's cards are gone from every screen while Veldia is called to the keyboard
        assert mounted_cards(app) == []
        assert game(pilot).shown_seat == "observer"
        await pilot.press("space")
        await close_brief(pilot, "veldia")  # her brief, the first time she has the keyboard
        await wait_for(pilot, "GameScreen")
        assert {c.instance for c in mounted_cards(app)} == set(app.session.view("veldia").actors["veldia"].hand)


async def test_a_refused_move_is_a_notification_and_changes_nothing(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=lambda session: pass_now(session, "northmark", "veldia"))
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "ostrand")
        await wait_for(pilot, "GameScreen")
        before = session.state
        app.clear_notifications()
        card = await focus_card(pilot, "all-clear")  # only in a Crisis; the town is Calm
        assert card.has_class("-unplayable")
        detail = " ".join(str(game(pilot).query_one("#detail").render()).split())
        assert "can be played only while the crisis is in Crisis" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert session.state is before
        assert [n.message for n in app._notifications] == ["Joint statement: all clear can be played only while the crisis is in Crisis."]
        # the facilitator is refused too, without a traceback: a change needs a reason
        app.clear_notifications()
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("t")
        await wait_for(pilot, "AdjustForm")
        await pilot.press("enter", "2", "enter", "enter")
        # the refusal is noted, then the form opens again (until then the old one may be on top)
        await until(pilot, lambda: app._notifications, "the refusal's notification")
        form = await wait_for(pilot, "AdjustForm")  # opened again, with what was typed
        assert session.state is before
        assert [n.message for n in app._notifications] == ["Please write a reason for the change."]
        assert form.query_one("#adjust-delta").value == "2"


async def test_an_all_bot_game_plays_itself_to_the_end(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(bots=("red", "blue"), bot_delay=0, dice_seconds=3.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await wait_for(pilot, "EndScreen", timeout=60)
        assert app.session.ended
        assert not any(type(s).__name__ == "HandOffScreen" for s in app.screen_stack)
        await pilot.press("d")  # the end screen offers the debrief replay
        await pilot.pause()
    assert app.return_value == "replay"  # tabletop play then opens `tabletop replay SAVE`


async def test_a_mixed_game_hands_off_only_between_humans(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(bots=("red",), bot_delay=0, dice_seconds=3.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        handed = []
        for _ in range(40):
            screen = await wait_for(pilot, "HandOffScreen")
            handed.append(screen.seat)
            await pilot.press("space")
            await close_brief(pilot, screen.seat)
            await wait_for(pilot, "GameScreen")
            await pilot.press("x", "y")
            if len(handed) == 4:
                break
        assert handed == ["veldia", "ostrand", "veldia", "ostrand"]
        assert "northmark" not in handed


async def test_a_proposal_is_ruled_on_in_the_console(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=lambda session: pass_now(session, "northmark"))
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "GameScreen")
        await pilot.press("w")
        await wait_for(pilot, "ProposeScreen")
        await write(pilot, "Open a cash-only market at the harbour")
        await pilot.press("tab", "tab", "1", "enter")
        await take_keyboard(pilot, "ostrand")
        await pilot.press("x", "y")
        await wait_for(pilot, "GameScreen")
        assert session.awaiting() == ("facilitator",)
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("o")
        await wait_for(pilot, "ProposalForm")  # the one proposal is chosen: the focus is in the rationale
        await write(pilot, "Sensible and cheap")
        await pilot.press("enter")
        await pilot.press("enter")  # Accept
        await wait_for(pilot, "FacilitatorScreen")
    ruled = [e.event for e in session.entries if isinstance(e.event, E.ProposalRuled)]
    assert [(r.verdict, r.rationale, dict(r.effects)) for r in ruled] == [("accept", "Sensible and cheap", {"tracks": {"trust": 1}})]


async def test_pause_resume_and_advance_from_the_console(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app()
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("space")
        await wait_for(pilot, "TextForm")
        await write(pilot, "Coffee break")
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")
        assert session.state.paused
        await pilot.press("escape")
        screen = await wait_for(pilot, "GameScreen")
        assert screen.check_action("pass_turn", ()) is False  # nobody plays while paused
        assert screen.check_action("facilitator_needed", ()) is True
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("space")  # resume
        await pilot.press("a")  # advance: it asks first, in words
        ask = await wait_for(pilot, "ConfirmScreen")
        assert ask.title_text == "End Northmark's turn?"
        await pilot.press("escape")  # not now: nothing moved on
        await wait_for(pilot, "FacilitatorScreen")
        assert session.awaiting() == ("northmark",)
        await pilot.press("a")
        await wait_for(pilot, "ConfirmScreen")
        await pilot.press("enter")  # yes: Northmark's turn ends
        await until(pilot, lambda: session.awaiting() == ("veldia",), "Veldia's turn")
        assert not session.state.paused


async def test_palette_and_help(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, "HelpScreen")
        text = "\n".join(str(w.render()) for w in help_screen.query(Static))
        for sentence in ("Play the focused card", "End your turn", "facilitator console", "Quit at once", "already saved"):
            assert sentence in text
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        await pilot.press("ctrl+p")
        palette = await wait_for(pilot, "CommandPalette")
        await write(pilot, "facilitator console")
        found = palette.query_one(CommandList)

        def first_hit() -> str | None:
            option = found.highlighted_option
            return option.hit.text if isinstance(option, Command) else None

        await until(pilot, lambda: first_hit() == "Facilitator console", "the palette to find the console")
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")


async def test_a_finished_game_opens_on_its_end_screen(new_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tabletop.tui.app import build_app

    session = new_session(bots=("red", "blue"))
    session.run_bots()
    assert session.ended
    app = build_app(session, bot_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "EndScreen")


async def test_an_optionally_covert_card_asks_how(minimal_campaign_text: str) -> None:
    from tabletop.campaign.validate import load_campaign_text
    from tabletop.session import LocalSession, resolve_controllers
    from tabletop.tui.app import build_app

    text = minimal_campaign_text.replace("    covert:\n      attribution:", "    covert:\n      optional: true\n      attribution:")
    campaign = load_campaign_text(text).campaign
    session = LocalSession(campaign, seed=1, controllers=resolve_controllers(campaign, ["belarus", "blue"]))
    app = build_app(session, bot_delay=0, dice_seconds=None, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # Belarus (a bot) moves first
            if session.awaiting() == ("russia",) and type(app.screen).__name__ == "GameScreen":
                break
            await pilot.pause(0.01)
        assert game(pilot).shown_seat == "russia"  # the only human seat: no hand-off needed
        await focus_card(pilot, "disinformation")
        await pilot.press("enter")
        ask = await wait_for(pilot, "PlayScreen")  # how, in the one dialog that asks before a play
        assert ask.query_one("#play-covert").has_class("-chosen")  # face-down first
        await pilot.press("o")  # openly
        assert ask.query_one("#play-open").has_class("-chosen")
        assert "Play openly" in str(ask.query_one("#play-go").label)
        def disinformation() -> list:  # type: ignore[type-arg]
            return [p for p in session.state.plays if p.card == "disinformation"]

        assert not disinformation()  # not yet: enter plays it
        await pilot.press("enter")
        await until(pilot, disinformation, "the play")
    played = [p for p in session.state.plays if p.card == "disinformation"]
    assert [(p.actor, p.covert) for p in played] == [("russia", False)]


async def test_injects_and_notes_from_the_console(new_app: Callable[..., TabletopApp], tmp_path: Path) -> None:
    app = new_app()
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "BriefingScreen")
        await pilot.press("enter")
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("g")  # no trigger can fire from Calm right now: refused, nothing changes
        await wait_for(pilot, "TriggerForm")
        before = session.state
        await pilot.press("enter")
        await write(pilot, "Test")
        await pilot.press("enter")
        await wait_for(pilot, "TriggerForm")
        assert session.state is before
        assert any("transition leaves Calm" in n.message for n in app._notifications)
        await pilot.press("escape")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("i")  # the library: the storm, then the fishermen's video
        form = await wait_for(pilot, "InjectForm")
        before = session.state
        await pilot.press("enter")  # on the list: to the Fire button, nothing fired yet
        await pilot.pause()
        assert session.state is before and form.focused is not None and form.focused.id == "inject-fire"
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("n")  # a free-text inject with a track change
        await wait_for(pilot, "FreeInjectForm")
        await write(pilot, "Ferry strike")
        await pilot.press("tab")
        await write(pilot, "No boats today")
        await pilot.press("tab", "tab", "tab", "minus", "1", "enter")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("m")
        await wait_for(pilot, "TextForm")
        await write(pilot, "Good pace so far")
        await pilot.press("enter")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("escape")
    events = [e.event for e in session.entries]
    fired = [(e.inject, e.title, e.cause) for e in events if isinstance(e, E.InjectFired) and e.cause == "facilitator"]
    assert fired == [("storm-delays-repair", "Storm delays the repair work", "facilitator"), (None, "Ferry strike", "facilitator")]
    assert any(isinstance(e, E.TrackChanged) and e.cause == "inject:free" and e.track == "connectivity" for e in events)
    notes = [e for e in events if isinstance(e, E.Annotated)]
    assert [n.text for n in notes] == ["Good pace so far"]
    assert read_journal(tmp_path / "game.jsonl").entries[-1].seat == "facilitator"
