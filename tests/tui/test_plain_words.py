"""Every sentence the screens build is plain words, for every bundled campaign (issue 13).

Whole games with bots at every seat (the facilitator's too), and at every step each
sentence the screens would show, built by the functions the screens call: the log, the
dice panel, the round in review, the board's status lines, each seat's hand and role
panel, the played cards, the gauges, the facilitator console and its forms, the end.
The screens themselves are read whole by tests/tui/test_plain_screens.py; the words
are judged by tests/tui/plain_words.py (operators, raw ids, grammar slips, placeholders).

Author prose is not ours to rewrite, so it is not collected here: a seat's brief (the
"Your brief" section of its role panel), card texts, an inject's text, a vote's question.
The author's lines our screens quote (the contest question in the console) are left out
by the checker, by their exact words. Everything else, including the campaign's names and
titles placed in our sentences, is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from plain_words import Checker

from tabletop.campaign.bundled import bundled_campaigns
from tabletop.campaign.validate import load_campaign
from tabletop.engine import commands as C
from tabletop.engine.views import OBSERVER, View
from tabletop.journal.clock import ClockReading
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui import console, roles, text
from tabletop.tui.chronicle import Chronicle
from tabletop.tui.private import Said
from tabletop.tui.screens.vote import vote_lines
from tabletop.tui.summary import round_summary
from tabletop.tui.widgets.dice import roll_content
from tabletop.tui.widgets.header import turn_words
from tabletop.tui.widgets.played import play_line
from tabletop.tui.widgets.tracks import gauge_words, short_name

FAC = C.FACILITATOR
#: a few games per campaign: different deals, different endings
SEEDS = (1, 2, 3)

def _board(s: LocalSession, view: View) -> Iterator[tuple[str, str]]:
    """The public board: status lines, played cards, gauges, the clock."""
    e = s.engine
    yield "waiting_text", text.waiting_text(e, view, s.is_bot)
    yield "hidden_hands_note", text.hidden_hands_note(e, view, s.is_bot)
    yield "step_words", text.step_words(e, view.step)
    for here in (True, False):
        yield "next_step_hint", text.next_step_hint(view, s.is_bot, lambda: bool(view.pending), facilitator_here=here)
    for p in view.plays:
        yield "play_line", play_line(e, p, 200).plain
    yield "turn_words", turn_words(e, view)
    for t in e.campaign.tracks:
        helps = e.side_name(t.favours) if t.favours else ""
        yield "gauge_words", gauge_words(t, view.tracks.get(t.id, t.start), helps)
    if view.turn is not None:
        for left in (75.0, -45.0):
            reading = ClockReading(left, left * 10, view.turn, False, "pass")
            yield "clock_text", text.clock_text(e, reading)


def _seat(s: LocalSession, seat: str) -> Iterator[tuple[str, str]]:
    """What one actor's board and role panel say (its own brief is author prose: not taken)."""
    e = s.engine
    view = s.view(seat)
    actor = view.actors[seat]
    yield "hand_title", text.hand_title(text.seat_name(e, seat), actor.resources or 0, view.plays_left, 200, (1, 3))
    yield "hand_title", text.hand_title(text.seat_name(e, seat), 1, 1, 200, (1, 1))
    yield "nothing_playable_hint", text.nothing_playable_hint(True)
    for instance, reason in s.options(seat).hand:
        if reason:
            yield "why_not_play", reason
        card = e.cards[e.instance_card[instance]]
        yield "card_summary", text.card_summary(e, card)
        for line in text.card_detail_lines(e, card, view.phase):
            yield "card_detail_lines", line
    for line in roles.objective_lines(e, seat):
        yield "objective_lines", line
    yield "values_line", roles.values_line(e, view.values)
    yield "nearest_ending", roles.nearest_ending(e, view)
    for heading, body in roles.brief_sections(e, view, seat):
        yield "brief_sections", heading
        if heading != "Your brief":
            yield f"brief_sections: {heading}", body


def _console(s: LocalSession) -> Iterator[tuple[str, str]]:
    """The facilitator console, its menu and its forms' options, secrets shown and covered."""
    e = s.engine
    view, opts = s.view(FAC), s.options(FAC)
    yield "all_hands_text", text.all_hands_text(e, view)
    for revealed in (True, False):
        rows = console.summary_rows(e, view, opts, public_values=s.view(OBSERVER).values, is_bot=s.is_bot,
                                    revealed=revealed)
        for row, _ in rows:
            yield "console.summary_rows", row
        yield from (("console.tool_labels", label) for label in console.tool_labels(e, view, opts, revealed).values())
    yield from (("console.TOOLS", label) for _, _, label in (*console.TOOLS, console.SECRETS_TOOL))
    for pid in opts.contests:
        yield "console.contest_choice", console.contest_choice(e, view, pid)
    for p in view.proposals:
        yield "console.proposal_choice", console.proposal_choice(e, p)
    for t in opts.transitions:
        yield "console.trigger_choice", console.trigger_choice(e, t)
    for t in e.campaign.tracks:
        yield "console.track_choice", console.track_choice(view, t)


def _library(s: LocalSession) -> Iterator[tuple[str, str]]:
    """The inject form's options and previews (the inject's own text is the author's)."""
    e = s.engine
    for inject in e.campaign.injects:
        yield "console.inject_choice", console.inject_choice(inject).splitlines()[0]
        for notes in (True, False):
            yield "console.inject_preview", console.inject_preview(e, inject, notes)


def _vote(s: LocalSession, view: View) -> Iterator[tuple[str, str]]:
    """The ballot dialog of each seat the vote waits for, and the hand-off that calls it."""
    e = s.engine
    vote = view.vote
    if vote is None:
        return
    for seat in s.awaiting():
        advising = seat in vote.advisors
        said = [Said(a, True, "it buys time") for a in vote.advisors if a != seat]
        ballots = {v: Said(v, False, "") for v in vote.voters if v != seat}
        for heard in ((), said):
            for part, line in vote_lines(e, s.view(seat), seat, advising=advising, advice=heard,
                                         ballots=ballots if heard else None):
                if part != "vote-prompt":  # the card's question is the author's
                    yield f"vote_lines {part}", line
        for line in text.handoff_words(e, view, "advice" if advising else "ballot"):
            yield "handoff_words", line


def play_and_collect(path: Path, seed: int) -> list[tuple[str, str]]:
    """One bot game of the campaign at ``path``: every (where, sentence) its screens would show."""
    loaded = load_campaign(path)
    c = loaded.campaign
    s = LocalSession(c, seed=seed, controllers=resolve_controllers(c, [side.id for side in c.sides]))
    e = s.engine
    chronicle = Chronicle(e)
    s.add_listener(chronicle.feed, OBSERVER, replay=True)
    said: list[tuple[str, str]] = list(_library(s))
    proposed = False
    seen_lines = 0
    for _ in range(5000):
        view = s.view(OBSERVER)
        said += [("chronicle", line.text) for line in chronicle.lines[seen_lines:]]
        seen_lines = len(chronicle.lines)
        said += [("roll_content", roll_content(roll).plain) for roll in chronicle.take_rolls()]
        said += [(f"round_summary {h}", line) for h, lines in round_summary(e, chronicle, max(view.round, 1)) for line in [h, *lines]]
        said += list(_board(s, view))
        said += list(_vote(s, view))
        said += list(_console(s))
        for seat in s.awaiting():  # the seat whose board is shown
            if seat in e.side_of:
                said += [("handoff_words", line) for line in text.handoff_words(e, view, "turn")]
                said += list(_seat(s, seat))
                for line in roles.standing_lines(e, s.view(seat), seat) + roles.ending_lines(e, s.view(seat)):
                    said.append(("standing/ending lines", line))
        if s.ended:
            break
        turn = view.turn
        if not proposed and turn is not None and view.vote is None and s.awaiting() == (turn,):
            track = c.tracks[0].id
            s.submit_now(C.Propose(turn, "Open a hotline to the other side", {"tracks": {track: 1}}))
            proposed = True
            continue
        command = s.bot_command()
        assert command is not None, f"the bots are stuck: {s.awaiting()}"
        s.submit_now(command)
    outcome = s.view(FAC).outcome
    assert outcome is not None, "the game did not end"
    said += [("result_line", roles.result_line(e, outcome)),
             ("end_reason", chronicle.narrator.end_reason(outcome.reason, outcome.detail))]
    said += [("hidden_values_lines", line) for line in roles.hidden_values_lines(e, s.view(FAC).values)]
    said += [("turning point", line.text) for line in chronicle.turning_points]
    for seat in e.actors:  # every role panel at the end
        said += [("standing_lines", line) for line in roles.standing_lines(e, s.view(seat), seat)]
        said += [("ending_lines", line) for line in roles.ending_lines(e, s.view(seat))]
    return [(where, line) for where, line in said if line]


@pytest.mark.parametrize("path", bundled_campaigns(), ids=lambda p: p.stem)
def test_every_sentence_of_a_bot_game_is_plain_words(path: Path) -> None:
    checker = Checker(load_campaign(path).campaign)
    for seed in SEEDS:
        said = play_and_collect(path, seed)
        assert len({w for w, _ in said}) > 20, "the game showed too little to be a test"
        problems = checker.report(said)
        assert not problems, f"{path.stem} seed {seed}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("path", bundled_campaigns(), ids=lambda p: p.stem)
def test_a_narrow_gauge_names_its_track_by_words_of_its_name(path: Path) -> None:
    """A gauge too narrow for a track's name shows a shorter one: never an id that says
    something else than the name (``Diversification`` for "Alternative supply")."""
    for track in load_campaign(path).campaign.tracks:
        short = short_name(track).lower().split()
        assert set(short) <= set(track.name.lower().replace("-", " ").split()), (track.id, track.name, short)


def test_the_checker_finds_what_is_not_plain_words() -> None:
    path = next(p for p in bundled_campaigns() if p.stem == "belarus-border-2021")
    checker = Checker(load_campaign(path).campaign)
    assert checker.problems("Strengthen Polish border protection needs border <= 6.") == ["<="]
    assert checker.problems('Invoke Article 4 together needs played("pl-hint-article-4").') == ["pl-hint-article-4"]
    assert checker.problems("mass_crossing: → Border crisis") == ["mass_crossing"]
    assert checker.problems("Poland proposes (#1): ?") == ["?"]
    assert checker.problems("Poland gains 1 resources.") == ["1 resources"]
    assert checker.problems("Transit and consumer states's turns") == ["states's"]
    # a possessive or a second bracket after a bracket, a bracket in a bracket (play-tests)
    assert checker.problems("Belarus (Lukashenka regime)'s turn") == [")'s"]
    assert checker.problems("Belarus (Lukashenka regime) (you) · Russia (you)") == [") ("]
    assert checker.problems("roll 2d6 (+1 (Witnesses come forward) for every 2 Public trust)") == [
        "(+1 (Witnesses come forward)"]
    assert not checker.problems("Belarus (Lukashenka regime; you) · roll 2d6 (Witnesses: +1) · Latvia's turn")
    assert not checker.problems("Poland · ◆1 resource · 2 actions left · covert? · Does it work?")
    checker.prose.append("When tension >= 7, Minsk sails.")  # the author's words are the author's
    assert not checker.problems("• When tension >= 7,\n  Minsk sails.\n")
    assert checker.problems("Needs: When tension >= 7, Minsk sails.") == [">="]  # ours around them


def test_the_header_names_a_side_between_its_turns_not_its_id() -> None:
    from dataclasses import replace

    path = next(p for p in bundled_campaigns() if p.stem == "tutorial")
    c = load_campaign(path).campaign
    s = LocalSession(c, seed=1, controllers=resolve_controllers(c, []))
    view = replace(s.view(OBSERVER), turn=None, step="blue")
    assert turn_words(s.engine, view) == "Veldia and Ostrand's turns"  # not "Blue"
    assert turn_words(s.engine, replace(view, step="phase_check")) == "Phase check"
