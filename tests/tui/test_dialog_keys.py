"""Dialogs that do what they show: enter on a ballot asks as y and n do, the attribution
form's focus follows its reading order with the default action named in the footer, and a
trigger card says when its condition is not met now (the engine's words, via the session)."""

from __future__ import annotations

from collections.abc import Callable

from scenario import focus_card, play_now, take_keyboard, to_vote_now, until, wait_for
from textual.widgets import Button, Static

from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp
from tabletop.tui.widgets.hand import CardDetail

SIZE = (100, 30)


def enter_says(app: TabletopApp) -> str:
    """What the footer of the screen on top says enter does ('' if it shows no enter)."""
    bound = app.screen.active_bindings.get("enter")
    return bound.binding.description if bound is not None and bound.binding.show else ""


async def test_enter_on_a_ballot_asks_first_as_y_and_n_do(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(briefing=False, moves=to_vote_now)
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "VoteScreen")
        assert enter_says(app) == "Yes"  # the footer names enter, as the focused button
        seq = session.state.seq
        await pilot.press("enter")
        ask = await wait_for(pilot, "ConfirmScreen")
        assert "Vote yes on" in str(ask.query_one(".dialog-title", Static).render())
        await pilot.press("escape")
        await wait_for(pilot, "VoteScreen")
        assert session.state.seq == seq  # nothing was cast
        await pilot.press("tab")  # to No
        assert enter_says(app) == "No"
        await pilot.press("enter")
        ask = await wait_for(pilot, "ConfirmScreen")
        assert "Vote no on" in str(ask.query_one(".dialog-title", Static).render())
        await pilot.press("enter")
        await until(pilot, lambda: session.state.seq > seq, "the ballot")
    [ballot] = [e.event for e in session.entries if isinstance(e.event, E.BallotCast) and e.event.actor == "veldia"]
    assert ballot.yes is False


async def test_enter_in_the_reason_box_finishes_the_reason_and_casts_nothing(
    new_app: Callable[..., TabletopApp],
) -> None:
    app = new_app(briefing=False, moves=to_vote_now)
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        vote = await wait_for(pilot, "VoteScreen")
        seq = session.state.seq
        await pilot.press("r")
        assert enter_says(app) == "Done"
        await pilot.press("enter")
        assert vote.focused is vote.query_one("#vote-yes", Button)
        assert type(app.screen).__name__ == "VoteScreen" and session.state.seq == seq


def trawler_hidden(session: LocalSession) -> None:
    """Northmark drags its anchor (a covert play): Veldia may attribute it."""
    play_now(session, "northmark", "anchor-drag")


async def test_the_attribution_form_starts_on_its_default_action_and_says_so(
    new_app: Callable[..., TabletopApp],
) -> None:
    """One hidden play, one actor to accuse: both chosen already, so the focus starts on
    Attribute, the footer says enter attributes, and tab goes to Cancel and says so."""
    app = new_app(briefing=False, moves=trawler_hidden)
    session = app.session
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "veldia")
        await wait_for(pilot, "GameScreen")
        await pilot.press("a")
        form = await wait_for(pilot, "AttributeScreen")
        assert form.focused is form.query_one("#attr-go", Button)
        assert enter_says(app) == "Attribute"
        await pilot.press("tab")
        assert form.focused is form.query_one("#attr-cancel", Button) and enter_says(app) == "Cancel"
        await pilot.press("tab")  # round to the first list: it is marked, and enter moves on
        assert form.focused is form.query_one("#attr-play")
        assert str(form.query_one("#attr-play-label", Static).render()).startswith("▶")
        assert enter_says(app) == "Next"
        await pilot.press("enter")
        assert form.focused is form.query_one("#attr-go", Button)  # the one actor is chosen already
        seq = session.state.seq
        await pilot.press("enter")
        await until(pilot, lambda: session.state.seq > seq, "the attribution")
    attributed = [e.command for e in session.entries if e.command is not None and e.command.get("type") == "attribute"]
    assert attributed and attributed[-1]["accused"] == "northmark"


def to_crisis_with_all_clear(session: LocalSession) -> None:
    """The trawler, then passes into round 2, a Crisis: Ostrand holds the all-clear card,
    whose condition (connectivity 6+, trust 4+, tension 5 or less) is not met."""
    trawler_hidden(session)
    while session.awaiting() != ("ostrand",) or session.view("ostrand").phase != "crisis":
        session.submit_now(C.Pass(session.awaiting()[0]))


async def test_a_trigger_card_says_its_condition_is_not_met_now(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(briefing=False, moves=to_crisis_with_all_clear)
    async with app.run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "ostrand")
        await wait_for(pilot, "GameScreen")
        await focus_card(pilot, "all-clear")
        await pilot.pause()
        detail = str(app.screen.query_one(CardDetail).content)
        await pilot.press("enter")
        ask = await wait_for(pilot, "PlayScreen")
        effects = str(ask.query_one("#play-effects", Static).render())
    said = "Its condition is not met now: Connectivity is 3, it needs 6 or more"
    assert said in " ".join(detail.split())
    assert said in " ".join(effects.split())
