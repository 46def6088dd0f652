"""Pilot tests of evaluation at a hot-seat table (issue 14): an evaluator's observation
from the board (o), the facilitator's from the console (r), the hotwash on the end screen
(h), and a game with reasons and a hotwash whose save verifies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from scenario import (
    focus_card, pass_now, pass_to_the_end_now, play_now, rule_and_adjust_now, take_keyboard, to_facilitator_now, to_vote_now,
    until, wait_for, write,
)
from textual.widgets import Input, Select, Static, TextArea

from tabletop.commands.verify import verify
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.views import EVALUATOR, OBSERVER, redact
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.observe import ObservationDialog

SIZE = (100, 30)
FAC = C.FACILITATOR


def recorded(session: LocalSession, kind: type[E.Event]) -> list[E.Event]:
    return [e.event for e in session.entries if isinstance(e.event, kind)]


def choices(dialog: ObservationDialog, selector: str) -> list[str]:
    select = dialog.query_one(selector, Select)
    return [str(prompt) for prompt, _ in select._options]


async def test_o_records_an_evaluators_observation_about_the_latest_event(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=to_facilitator_now, briefing=False)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        # (the rolls made before the app opened were seen then: no dice pop up)
        await wait_for(pilot, "GameScreen")
        latest = s.state.seq
        await pilot.press("o")
        dialog = await wait_for(pilot, "ObservationDialog")
        assert isinstance(dialog, ObservationDialog)
        about = dialog.query_one("#observe-about", Select)
        assert about.value == latest  # the default: the latest public event
        assert "Read the board" in " ".join(choices(dialog, "#observe-objective"))  # the tutorial's objectives
        assert choices(dialog, "#observe-rating")[1:] == [f"{k} — {w}" for k, w in C.RATINGS.items()]
        await pilot.press("ctrl+s")  # nothing written: the dialog says so and stays
        assert app.screen is dialog and dialog.query_one("#observe-problem").display
        dialog.query_one("#observe-text", TextArea).text = "Veldia waited for the vote before speaking."
        dialog.query_one("#observe-objective", Select).value = "#4"
        dialog.query_one("#observe-rating", Select).value = "S"
        dialog.query_one("#observe-kind", Select).value = "improvement"
        dialog.query_one("#observe-author", Input).value = "Kim Berg"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: recorded(s, E.ObservationRecorded), "the observation")
        await wait_for(pilot, "GameScreen")
        assert s.awaiting() == (FAC,)  # the game did not move
        await pilot.press("o")  # the name is remembered at this keyboard
        again = await wait_for(pilot, "ObservationDialog")
        assert again.query_one("#observe-author", Input).value == "Kim Berg"
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
    assert recorded(s, E.ObservationRecorded) == [E.ObservationRecorded(
        EVALUATOR, "Kim Berg", "Veldia waited for the vote before speaking.", latest, "#4", "S", "improvement",
    )]


async def test_the_dialog_offers_only_public_events(new_app: Callable[..., TabletopApp]) -> None:
    """The shared keyboard: Northmark's covert anchor drag is a covert action, never named."""
    def moves(session: LocalSession) -> None:
        instance = next(i for i in session.view("northmark").actors["northmark"].hand or ()
                        if session.engine.instance_card[i] == "anchor-drag")
        session.submit_now(C.PlayCard("northmark", instance))

    app = new_app(moves=moves, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "GameScreen")
        await pilot.press("o")
        dialog = await wait_for(pilot, "ObservationDialog")
        words = " ".join(choices(dialog, "#observe-about"))
        assert "covert action" in words  # that something happened is public
        assert "anchor" not in words.lower() and "Northmark plays" not in words


async def test_a_refused_observation_opens_again_with_what_was_written(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(briefing=False)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        await pilot.press("o")
        dialog = await wait_for(pilot, "ObservationDialog")
        dialog.query_one("#observe-text", TextArea).text = "x" * (C.MAX_OBSERVATION + 1)
        dialog.query_one("#observe-rating", Select).value = "U"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not dialog and isinstance(app.screen, ObservationDialog), "it again")
        draft = app.screen
        assert draft.query_one("#observe-text", TextArea).text == "x" * (C.MAX_OBSERVATION + 1)
        assert draft.query_one("#observe-rating", Select).value == "U"
        assert any("at most 1000 characters" in str(n.message) for n in app._notifications)
    assert recorded(s, E.ObservationRecorded) == []


async def test_the_facilitator_observes_from_the_console(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(moves=to_vote_now, briefing=False)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "VoteScreen")
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        await pilot.press("r")
        dialog = await wait_for(pilot, "ObservationDialog")
        assert "as the facilitator" in str(dialog.query_one(".dialog-title", Static).render())
        dialog.query_one("#observe-text", TextArea).text = "Ostrand framed the patrol well."
        dialog.query_one("#observe-kind", Select).value = "strength"
        await pilot.click("#observe-record")
        await until(pilot, lambda: recorded(s, E.ObservationRecorded), "the observation")
        await wait_for(pilot, "FacilitatorScreen")
    [obs] = recorded(s, E.ObservationRecorded)
    assert (obs.seat, obs.author, obs.kind) == (FAC, "Facilitator", "strength")  # type: ignore[attr-defined]


def _to_the_end(session: LocalSession) -> None:
    to_facilitator_now(session)
    rule_and_adjust_now(session)
    pass_to_the_end_now(session)


async def test_the_hotwash_is_offered_on_the_end_screen_and_never_in_the_way(
    new_app: Callable[..., TabletopApp],
) -> None:
    app = new_app(moves=_to_the_end, briefing=False)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        # (the rolls made before the app opened were seen then: no dice pop up)
        end = await wait_for(pilot, "EndScreen")  # the end screen itself: no dialog in the way
        await pilot.press("h")
        dialog = await wait_for(pilot, "HotwashDialog")
        seats = [v for _, v in dialog.query_one("#hotwash-seat", Select)._options]
        assert seats == ["northmark", "veldia", "ostrand", FAC, EVALUATOR]
        assert not dialog.query_one("#hotwash-author-row").display  # a player's seat: no name asked
        await pilot.press("escape")  # skipped: nothing recorded, back at the end
        assert await wait_for(pilot, "EndScreen") is end and recorded(s, E.HotwashAnswered) == []
        await pilot.press("h")
        dialog = await wait_for(pilot, "HotwashDialog")
        dialog.query_one("#hotwash-seat", Select).value = "veldia"
        await write(pilot, "We spoke with one voice")
        await pilot.press("enter")  # on to the next question
        assert app.focused is dialog.query_one("#hotwash-improve", Input)
        await pilot.press("enter")
        await write(pilot, "Say early what you do not know")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: recorded(s, E.HotwashAnswered), "the answers")
        await wait_for(pilot, "EndScreen")
        assert "1 answered" in str(end.query_one("#end-hotwash-text", Static).render())
        await pilot.press("h")  # Veldia has answered: the next seat is offered first
        dialog = await wait_for(pilot, "HotwashDialog")
        assert [v for _, v in dialog.query_one("#hotwash-seat", Select)._options][0] == "northmark"
        dialog.query_one("#hotwash-seat", Select).value = EVALUATOR
        await pilot.pause()
        assert dialog.query_one("#hotwash-author-row").display
        dialog.query_one("#hotwash-author", Input).value = "Kim"
        dialog.query_one("#hotwash-went_well", Input).value = "A calm white cell"
        await pilot.click("#hotwash-save")
        await until(pilot, lambda: len(recorded(s, E.HotwashAnswered)) == 2, "the evaluator's answers")
        await wait_for(pilot, "EndScreen")
        assert s.fingerprint and s.fingerprint in str(end.query_one("#end-debrief", Static).render())  # the new head
        await pilot.press("o")  # observations go on after the end
        await wait_for(pilot, "ObservationDialog")
    assert recorded(s, E.HotwashAnswered) == [
        E.HotwashAnswered("veldia", "", "We spoke with one voice", "", "Say early what you do not know"),
        E.HotwashAnswered(EVALUATOR, "Kim", "A calm white cell", "", ""),
    ]


async def test_when_every_seat_has_answered_h_is_closed(new_app: Callable[..., TabletopApp]) -> None:
    def moves(session: LocalSession) -> None:
        _to_the_end(session)
        for seat in ("northmark", "veldia", "ostrand", FAC):
            session.submit_now(C.Hotwash(seat, lesson="Done"))

    app = new_app(moves=moves, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        # (the rolls made before the app opened were seen then: no dice pop up)
        end = await wait_for(pilot, "EndScreen")
        assert end.check_action("hotwash", ())  # the evaluator still may
        app.session.submit_now(C.Hotwash(EVALUATOR, lesson="Done"))
        end.after_record()
        assert not end.check_action("hotwash", ())
        assert "every seat here has answered" in str(end.query_one("#end-hotwash-text", Static).render())


async def test_a_hot_seat_game_with_reasons_observations_and_a_hotwash_verifies(
    new_app: Callable[..., TabletopApp], tmp_path: Path,
) -> None:
    """The issue's hot-seat game (about 5 s on a loaded machine: one game, end to end): Veldia's
    repair ship carries its reason, Veldia's ballot on the joint patrol one given by keys, an
    evaluator observes by keys, the hotwash is answered. The save verifies, and the public
    stream (the players' log) never carries the observation."""
    def moves(session: LocalSession) -> None:  # the repair ship's reason by keys: tests/tui/test_format2_play.py
        pass_now(session, "northmark")
        repair = next(i for i in session.view("veldia").actors["veldia"].hand or ()
                      if session.engine.instance_card[i] == "repair-ship")
        session.submit_now(C.PlayCard("veldia", repair, rationale="Connectivity first"))
        play_now(session, "ostrand", "joint-patrol")

    app = new_app(moves=moves, briefing=False)
    s = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "VoteScreen")
        await pilot.press("r")
        await write(pilot, "Patrols calm the harbour")
        await pilot.press("enter", "y", "enter")
        await until(pilot, lambda: any(b.actor == "veldia" for b in recorded(s, E.BallotCast)), "Veldia's ballot")  # type: ignore[attr-defined]
        await take_keyboard(pilot, "ostrand")  # its second action
        await wait_for(pilot, "GameScreen")
        await pilot.press("o")
        dialog = await wait_for(pilot, "ObservationDialog")
        dialog.query_one("#observe-text", TextArea).text = "SECRET-NOTE the vote was quick"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: recorded(s, E.ObservationRecorded), "the observation")
        log = " ".join(line.text for line in app.screen_stack[1].chronicle.lines)  # type: ignore[attr-defined]
        assert "SECRET-NOTE" not in log and "Connectivity first" not in log  # a reason is its side's
    while not s.ended:
        seat = s.awaiting()[0]
        if seat == FAC:
            rule_and_adjust_now(s) if s.view(FAC).pending else s.submit_now(C.Advance(FAC))
        else:
            s.submit_now(C.Pass(seat))
    s.submit_now(C.Hotwash("veldia", went_well="Talking early"))
    s.close()
    [played] = recorded(s, E.CardPlayed)[:1]
    assert (played.card, played.rationale) == ("repair-ship", "Connectivity first")  # type: ignore[attr-defined]
    [ballot] = [b for b in recorded(s, E.BallotCast) if b.actor == "veldia"]  # type: ignore[attr-defined]
    assert ballot.rationale == "Patrols calm the harbour"  # type: ignore[attr-defined]
    save = tmp_path / "game.jsonl"
    code, text = verify(str(save))
    assert code == 0, text
    kinds = {json.loads(line)["event"]["type"] for line in save.read_text().splitlines()[1:]}
    assert {"observation_recorded", "hotwash_answered"} <= kinds
    public = [redact(s.engine, entry.event, OBSERVER, s.state) for entry in s.entries]
    assert "SECRET-NOTE" not in json.dumps([E.EVENTS.to_data(e) for e in public])
