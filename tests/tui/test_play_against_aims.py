"""The play dialog says when a card works against one of the seat's own aims (found by a
new player: nothing warned that a play undid the seat's secret objective), in one plain
line computed by the engine (tabletop.engine.aims) and asked through the session; never
another seat's aims."""

from __future__ import annotations

from collections.abc import Callable

from scenario import focus_card, pass_now, take_keyboard, wait_for
from textual.widgets import Static

from tabletop.campaign.redact import campaign_text_for
from tabletop.campaign.validate import LoadedCampaign, load_campaign_text
from tabletop.engine.aims import aims_against
from tabletop.engine.rules import Engine
from tabletop.tui.app import TabletopApp

RESERVE = (
    "This lowers your resources, which your secret aim 'Ostrand keeps a reserve (3 or more resources at the end)'"
    " wants kept at 3 or more."
)


async def test_the_play_dialog_says_which_own_aim_a_card_works_against(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(journal=False, briefing=False, moves=lambda s: pass_now(s, "northmark", "veldia"))
    async with app.run_test(size=(100, 30)) as pilot:
        await take_keyboard(pilot, "ostrand")
        await wait_for(pilot, "GameScreen")
        await focus_card(pilot, "joint-patrol")  # costs 1: Ostrand's secret aim keeps 3 or more
        await pilot.press("enter")
        dialog = await wait_for(pilot, "PlayScreen")
        # with the numbers the seat sees: its 2 resources, 1 after the patrol
        assert str(dialog.query_one("#play-against", Static).render()) == RESERVE.replace(
            "lowers your resources,", "lowers your resources from 2 to 1,")
        await pilot.press("escape")
        await focus_card(pilot, "diplomatic-note")  # costs nothing, moves nothing Ostrand's aims bound
        await pilot.press("enter")
        dialog = await wait_for(pilot, "PlayScreen")
        assert not dialog.query("#play-against")


def test_only_the_seats_own_aims_are_read(tutorial: LoadedCampaign) -> None:
    c = tutorial.campaign
    engine = Engine(c)
    patrol = c.card_by_id["joint-patrol"]
    assert [a.sentence() for a in aims_against(engine, "ostrand", patrol)] == [RESERVE]
    # the same card asked for another seat reads that seat's aims, never Ostrand's
    assert aims_against(engine, "veldia", patrol) == ()
    assert aims_against(engine, "facilitator", patrol) == ()


def test_a_network_seat_reads_the_line_from_the_campaign_it_was_sent(tutorial: LoadedCampaign) -> None:
    """A joined seat computes it from its own copy of the campaign (nothing is asked of the
    host, so no frame carries it); that copy has the seat's own aims whole."""
    for seat, expected in (("ostrand", [RESERVE]), ("veldia", [])):
        text = campaign_text_for(tutorial.campaign, tutorial.text, seat)
        c = load_campaign_text(text, str(tutorial.path)).campaign
        card = c.card_by_id["joint-patrol"]
        assert [a.sentence() for a in aims_against(Engine(c), seat, card)] == expected
    northmark = load_campaign_text(campaign_text_for(tutorial.campaign, tutorial.text, "northmark"), "t").campaign
    assert "keeps a reserve" not in str(northmark.model_dump())  # the secret never reaches the other side
