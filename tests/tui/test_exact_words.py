"""Words a first-time player read wrong (a play-test): what a roll must make, what a covert
play shows the others, which mark a facilitator's contest has, and the advisor's keys."""

from __future__ import annotations

from collections.abc import Callable

from format2_drill import drill_app, drill_session, to_boarding
from scenario import take_keyboard, to_facilitator_now, wait_for
from textual.widgets import Button

from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.views import redact
from tabletop.session import LocalSession
from tabletop.tui.text import card_detail_lines, card_effect_lines, card_summary

SIZE = (100, 30)


# ---------------------------------------------------------------- 1. a roll's target


def test_a_roll_says_its_target_is_met_at_or_above(new_session: Callable[..., LocalSession]) -> None:
    """``2d6 against 8`` did not say whether 8 succeeds; the engine's rule is ``total >= target``."""
    e = new_session(journal=False).engine
    swarm, trawler = e.cards["bot-swarm"], e.cards["anchor-drag"]
    assert card_summary(e, swarm) == "dice 2d6, 8 or more succeeds"
    assert any(line.startswith("Contest: at adjudication roll 2d6, 8 or more succeeds") for line in card_effect_lines(e, swarm))
    assert any(line.startswith("Covert: played face-down; to attribute it, roll 2d6, 9 or more succeeds")
               for line in card_detail_lines(e, trawler))
    for card in e.cards.values():
        for line in card_detail_lines(e, card):
            assert " against " not in line and "≥" not in line, line


# ---------------------------------------------------------------- 2. what a covert play shows


def test_the_covert_play_dialog_says_what_the_other_sides_see(new_session: Callable[..., LocalSession]) -> None:
    """Not "only that a covert action was taken": the engine shows the other side the
    play's effects on the tracks, and hides its card and author (Northmark is red's one
    actor, but its stream too says "someone"); belarus shares red with russia."""
    from test_card_preview import engine_of

    from tabletop.tui.screens.player import play_outcome

    s = new_session(journal=False)
    e = s.engine
    words = play_outcome(e, e.cards["anchor-drag"], True)
    said = ("the other sides see that a covert card was played in your side's step, and its effects on the tracks, "
            "but not which card it is or who played it")
    assert said in words and " only " not in words
    belarus = engine_of("belarus-border-2021")
    assert said in play_outcome(belarus, belarus.cards["by-steer-small-groups"], True)

    # the engine agrees: Veldia's stream holds the trawler's track changes, not its card or author
    hand = s.view("northmark").actors["northmark"].hand or ()
    trawler = next(i for i in hand if e.instance_card[i] == "anchor-drag")
    s.submit_now(C.PlayCard("northmark", trawler, covert=True))  # its one action: red's step ends, the play resolves
    seen = [redact(e, entry.event, "veldia", s.state) for entry in s.entries]
    played = [ev for ev in seen if isinstance(ev, E.CardPlayed)]
    assert played and played[0].card != "anchor-drag" and played[0].actor != "northmark"
    moved = {ev.track for ev in seen if isinstance(ev, E.TrackChanged) and ev.cause == f"play:{played[0].play}"}
    assert moved == {"connectivity", "tension"}


# ---------------------------------------------------------------- 3. the mark of a facilitator's contest


def test_a_contest_the_facilitator_rules_is_not_marked_with_a_die(new_session: Callable[..., LocalSession]) -> None:
    from tabletop.tui.replay.model import Seat
    from tabletop.tui.replay.widgets.board import play_lines
    from tabletop.tui.widgets.played import play_line

    s = new_session(journal=False)
    to_facilitator_now(s)  # the bot swarm's dice are rolled; the press conference awaits the ruling
    e, view = s.engine, s.view(C.FACILITATOR)
    conference = next(p for p in view.plays if p.card == "press-conference")
    assert conference.contest == "pending"
    line = play_line(e, conference).plain
    assert "⚖ awaits ruling" in line and "⚄" not in line
    board = " ".join(c.plain for c in play_lines(e, conference, Seat(C.FACILITATOR, "Facilitator", "everything", None)))
    assert "⚖ awaits ruling" in board and "⚄" not in board


# ---------------------------------------------------------------- 5. the advisor's keys


def _keys(screen) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The y and n keys as the footer shows them."""
    return {k: b.binding.description for k, b in screen.active_bindings.items() if k in ("y", "n") and b.binding.show}


async def test_the_advisors_keys_say_for_and_against_as_its_buttons_do() -> None:
    s = drill_session()
    to_boarding(s)
    async with drill_app(s).run_test(size=SIZE) as pilot:
        await take_keyboard(pilot, "b3")  # Blue Three advises
        ask = await wait_for(pilot, "VoteScreen")
        buttons = [str(b.label) for b in ask.query(Button)]
        assert buttons[:2] == ["For (y)", "Against (n)"]
        assert _keys(ask) == {"y": "For", "n": "Against"}
        await pilot.press("n")
        confirm = await wait_for(pilot, "ConfirmScreen")
        assert "Advise against" in " ".join(str(b.label) for b in confirm.query(Button))
        await pilot.press("enter")
        await take_keyboard(pilot, "b2")  # Blue Two votes
        ballot = await wait_for(pilot, "VoteScreen")
        assert [str(b.label) for b in ballot.query(Button)][:2] == ["Yes (y)", "No (n)"]
        assert _keys(ballot) == {"y": "Yes", "n": "No"}
