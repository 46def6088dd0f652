"""The board's dialogs for what one seat says or reads alone: a card play and a pass
(each asked first), an attribution, a proposal, a ballot or advice with its reason, and
the seat's brief panel.

:class:`SeatDialogs` is the part of the game screen (:class:`~tabletop.tui.screens.game.GameScreen`
derives from it) that opens them and sends what they dismiss; it asks the seat's own
stream (:class:`~tabletop.tui.private.PrivateFeeds`) for what only that seat may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from textual.screen import Screen

from tabletop.campaign.model import Card
from tabletop.engine import commands as C
from tabletop.engine.narrate import seat_name, whose
from tabletop.engine.queries import Options
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.session import Session
from tabletop.tui.flow import HotSeat
from tabletop.tui.private import PrivateFeeds, has_private
from tabletop.tui.text import plural


class SeatDialogs(Screen[None]):
    """Opens the seat shown's own dialogs; the game screen sets the attributes below."""

    session: Session
    engine: Engine
    private: PrivateFeeds
    flow: HotSeat
    shown_seat: str
    options: Options | None
    view: View | None
    _handed_over: float | None

    def _keys(self) -> dict[str, bool | None]:
        raise NotImplementedError

    async def submit(self, command: C.Command) -> bool:
        raise NotImplementedError

    def _ask_to_play(self, seat: str, card: Card, ways: Sequence[C.PlayCard]) -> None:
        """Ask ``seat`` before one of ``ways`` (the card's legal plays) is sent: its cost,
        covert or open, what happens, which of the seat's own aims it works against (the
        session's word), and its reason if the campaign asks one for the card."""
        from tabletop.tui.screens.player import PlayScreen

        have = (self.view.actors[seat].resources or 0) if self.view is not None else 0
        phase = self.view.phase if self.view is not None else None
        unmet = self.session.unmet_triggers(seat, card.id)
        against = self.session.aims_against(seat, card.id)  # the seat's own aims only
        self.app.push_screen(PlayScreen(self.engine, card, ways, have, phase, unmet, against), partial(self._play_confirmed, seat))

    async def _play_confirmed(self, seat: str, command: C.PlayCard | None) -> None:
        if command is not None and seat == self.shown_seat:
            await self.submit(command)

    def action_vote(self) -> None:
        if not self._keys()["vote"] or self.options is None or self.options.ballot is None:
            return
        self._ask(self.options.ballot, advising=False)

    def action_advise(self) -> None:
        if not self._keys()["advise"] or self.options is None or self.options.advice is None:
            return
        self._ask(self.options.advice, advising=True)

    def _ask(self, play: int, *, advising: bool) -> None:
        """Put the ballot (or the request for advice) on ``play`` to the seat shown."""
        from tabletop.tui.screens.vote import VoteScreen

        seat = self.shown_seat
        view = self.session.view(seat)
        self.flow.vote_asked(play, seat)

        async def answered(answer: tuple[bool, str] | None) -> None:
            if answer is not None:
                yes, reason = answer
                await self.submit(C.Advise(seat, play, yes, reason) if advising else C.CastVote(seat, play, yes, reason))

        self.app.push_screen(VoteScreen(
            self.engine, view, seat, self._handed_over, advising=advising,
            advice=self.private.advice(seat, play), ballots=self.private.ballots(seat, play),
        ), answered)

    def action_brief(self) -> None:
        """The seat shown's own panel: its brief, what it knows, its objectives, its private injects."""
        seat = self.shown_seat
        if seat not in self.private.received:
            return
        from tabletop.tui.screens.brief import BriefScreen

        self.flow.briefed(seat)
        received = self.private.received[seat]
        self.app.push_screen(BriefScreen(self.engine, self.session.view(seat), seat, earlier=received))

    def _show_brief(self, seat: str) -> None:
        """What ``seat`` is shown alone as it takes the keyboard: private injects new to it,
        and its brief the first time."""
        from tabletop.tui.screens.brief import BriefScreen

        view = self.session.view(seat)
        news = self.private.unseen(seat)
        first = self.private.first_time(seat) and has_private(self.engine, view, seat)
        self.flow.briefed(seat)
        if first:
            self.app.push_screen(BriefScreen(self.engine, view, seat, news, handed_over=self._handed_over))
        else:
            self.app.push_screen(BriefScreen(self.engine, view, seat, news, full=False, handed_over=self._handed_over))

    def action_pass_turn(self) -> None:
        """Ends the turn after a yes: a pass cannot be taken back."""
        from tabletop.tui.screens.confirm import ConfirmScreen

        seat = self.shown_seat
        left = (self.view.plays_left or 0) if self.view is not None else 0
        more = f" You have {plural(left, 'action')} left this turn." if left > 0 else ""  # one, too, is given up
        turn = whose(seat_name(self.engine, seat), "turn")
        ask = ConfirmScreen(f"End {turn}?", f"A pass cannot be taken back.{more}", "End turn")
        self.app.push_screen(ask, partial(self._pass_confirmed, seat))

    async def _pass_confirmed(self, seat: str, yes: bool | None) -> None:
        if yes and seat == self.shown_seat:
            await self.submit(C.Pass(seat))

    def action_attribute(self) -> None:
        if self.options is None or not self.options.attributable:
            self.notify("No hidden play of the other side to attribute.", severity="warning")
            return
        from tabletop.tui.screens.player import AttributeScreen

        cost = self.engine.campaign.rules.attribution_cost
        assert self.view is not None
        self.app.push_screen(AttributeScreen(self.engine, self.view, self.options, cost), self._send_choice)

    def action_propose(self, draft: C.Propose | None = None) -> None:
        from tabletop.tui.screens.player import ProposeScreen

        async def done(command: C.Propose | None) -> None:
            if command is None:
                return
            if await self.submit(command):
                when = "at adjudication" if self.engine.has_adjudication else "before play goes on"
                self.notify(f"Proposal sent: the facilitator rules on it {when}.", title="Proposal")
            else:
                self.action_propose(command)  # open it again with what was typed

        self.app.push_screen(ProposeScreen(self.engine, self.shown_seat, draft), done)

    async def _send_choice(self, command: C.Command | None) -> None:
        if command is not None:
            await self.submit(command)
