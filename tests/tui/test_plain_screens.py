"""Every widget's text on every screen of a late game is plain words, for every bundled campaign.

One app per campaign, on a session the bots brought by commands to the middle of the game,
one actor and the facilitator at the keyboard: the hand-off and the seat's brief, the board,
its role panel (``b``), the round in review (``s``), the log (``l``), the projector view
(``P``), the phases (``p``), the facilitator console (``f``) with its secrets shown (``h``)
and its forms, then the rest of the game by commands and the end screen. Of each screen,
ALL the text of every widget (scrolled out of view or not): statics, labels, buttons,
option prompts, inputs, the log's lines, rendered gauges and cards, borders' titles and
tooltips. tests/tui/test_plain_words.py checks the same sentences as built, over whole games.
About 3 s of CPU per campaign (seventeen screens or so in one app): the price of reading
every screen as the players see it, once.

Author prose is not ours to rewrite and is left out, by its exact words only: a line that
is part of the campaign author's own sentences (a brief, a card or inject text, a prompt,
a description; see ``Checker`` in tests/tui/plain_words.py). Our sentences that quote it
are still checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from plain_words import Checker
from rich.console import Console
from scenario import game, wait_for
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets._footer import FooterKey

from tabletop.campaign.bundled import bundled_campaigns
from tabletop.campaign.model import Campaign
from tabletop.campaign.validate import load_campaign
from tabletop.engine import commands as C
from tabletop.engine.views import OBSERVER
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import build_app
from tabletop.tui.widgets.log import EventLog

FAC = C.FACILITATOR
SIZE = (100, 36)


def _plain(thing: Any) -> str:
    """The text of a widget's content (Content, rich Text, str, or any rich renderable)."""
    if thing is None:
        return ""
    if isinstance(thing, str):
        return thing
    plain = getattr(thing, "plain", None)
    if isinstance(plain, str):
        return plain
    console = Console(width=400, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 - closed below
    try:
        console.print(thing)
        return console.export_text()
    finally:
        console.file.close()


def widget_texts(widget: Widget) -> Iterator[str]:
    """All the text ``widget`` holds, whether in view or not."""
    for extra in (widget.border_title, widget.border_subtitle, widget.tooltip):
        if extra:
            yield _plain(extra)
    if isinstance(widget, EventLog):
        yield from (line.text for line in widget._all)
    elif isinstance(widget, OptionList):
        yield from (_plain(option.prompt) for option in widget.options)
    elif isinstance(widget, Input):
        yield widget.placeholder
        yield widget.value
    elif isinstance(widget, FooterKey):  # a key and what it does: "?" is the help key, not a secret
        yield widget.description
    elif type(widget).render is not Widget.render:
        yield _plain(widget.render())


def screen_texts(pilot: Pilot) -> list[str]:
    return [text for w in pilot.app.screen.query("*") for text in widget_texts(w) if text.strip()]


class Reader:
    """Collects the text of each screen shown and what in it is not plain words."""

    def __init__(self, campaign: Campaign) -> None:
        self.checker = Checker(campaign)
        self.problems: list[str] = []
        self.screens: list[str] = []

    def read(self, pilot: Pilot, where: str) -> None:
        texts = screen_texts(pilot)
        assert texts, f"{where}: no text on the screen"
        self.screens.append(where)
        self.problems += self.checker.report((where, line) for text in texts for line in text.splitlines())


def late_session(path: Path, seed: int = 2) -> tuple[LocalSession, str]:
    """A session of the campaign the bots played, by commands, past its middle round to a
    ballot one actor owes (else, if the game has none, to an actor's turn); that actor and
    the facilitator then pass to people (returned: the actor)."""
    c = load_campaign(path).campaign
    middle = c.calendar.rounds // 2 + 1
    for want_vote in (True, False):
        s = LocalSession(c, seed=seed, controllers=resolve_controllers(c, [side.id for side in c.sides]))
        while not s.ended:
            view, awaited = s.view(OBSERVER), s.awaiting()
            if view.round >= middle and len(awaited) == 1 and awaited[0] in s.engine.side_of and (
                view.vote is not None if want_vote else view.turn == awaited[0] and view.vote is None
            ):
                s.set_controller(awaited[0], "human")
                s.set_controller(FAC, "human")
                return s, awaited[0]
            assert s.step_bot(), s.awaiting()
    raise AssertionError("no actor is awaited past the middle of the game")


async def _escape(pilot: Pilot, back_to: str = "GameScreen") -> None:
    await pilot.press("escape")
    await wait_for(pilot, back_to)


async def _through_forms(pilot: Pilot, reader: Reader) -> None:
    """Open each facilitator form that lists something, read it, and close it."""
    for key, form in (("i", "InjectForm"), ("t", "AdjustForm"), ("g", "TriggerForm")):
        await pilot.press(key)
        await wait_for(pilot, form)
        await pilot.pause()
        reader.read(pilot, f"facilitator form {form}")
        await _escape(pilot, "FacilitatorScreen")


#: the key that closes a screen that came up by itself (a review that opened by itself
#: closes on enter alone: a space meant for the dice must not close it unread)
CLOSE = {"BriefScreen": "enter", "VoteScreen": "escape", "RoundSummaryScreen": "enter"}


async def to_the_board(pilot: Pilot, reader: Reader, seat: str) -> None:
    """Through what comes up first (the dice heard on the way in, the hand-off, the seat's
    brief, its ballot: left for later), reading each, to ``seat``'s board."""
    for _ in range(500):
        await pilot.pause()
        name = type(pilot.app.screen).__name__
        if name == "GameScreen" and game(pilot).shown_seat == seat:
            return
        if name in ("DiceScreen", "RoundSummaryScreen", "HandOffScreen", "BriefScreen", "VoteScreen"):
            reader.read(pilot, name)
            await pilot.press(CLOSE.get(name, "space"))
        else:
            await pilot.pause(0.01)
    raise AssertionError(f"{seat}'s board did not come up: the app shows {type(pilot.app.screen).__name__}")


@pytest.mark.parametrize("path", bundled_campaigns(), ids=lambda p: p.stem)
async def test_every_screen_of_a_late_game_is_plain_words(path: Path) -> None:
    session, seat = late_session(path)
    reader = Reader(session.campaign)
    app = build_app(session, bot_delay=0.0, dice_seconds=None, save_path=None)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await to_the_board(pilot, reader, seat)
        reader.read(pilot, "board")
        for key, screen in (("b", "BriefScreen"), ("s", "RoundSummaryScreen"), ("l", "LogScreen"),
                            ("P", "ProjectorScreen"), ("p", "PhaseScreen")):
            await pilot.press(key)
            await wait_for(pilot, screen)
            reader.read(pilot, screen)
            await _escape(pilot)
        await pilot.press("f")
        await wait_for(pilot, "FacilitatorScreen")
        reader.read(pilot, "facilitator console (secrets covered)")
        await pilot.press("h")
        await wait_for(pilot, "SecretsWarning")
        await pilot.press("y")
        await wait_for(pilot, "FacilitatorScreen")
        reader.read(pilot, "facilitator console (secrets shown)")
        await _through_forms(pilot, reader)
        await _escape(pilot)
        # the rest of the game by commands: the bots play every seat again
        session.set_controller(seat, "bot:heuristic")
        session.set_controller(FAC, "bot:heuristic")
        session.run_bots()
        assert session.ended
        for _ in range(200):
            await pilot.pause()
            name = type(app.screen).__name__
            if name == "EndScreen":
                break
            if name in ("DiceScreen", "RoundSummaryScreen"):
                reader.read(pilot, name)
                await pilot.press(CLOSE.get(name, "space"))
        await wait_for(pilot, "EndScreen")
        reader.read(pilot, "end screen")
        await _escape(pilot)
        reader.read(pilot, "the final board")
    assert {"board", "BriefScreen", "VoteScreen", "end screen", "facilitator console (secrets shown)"} <= set(reader.screens)
    assert not reader.problems, f"{path.stem}:\n" + "\n".join(dict.fromkeys(reader.problems))
