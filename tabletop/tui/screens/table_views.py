"""What the board shows the whole table besides the board itself: the round in review,
the log, the projector view, the card text's pages, and the clock.

:class:`TableViews` is a part of the game screen (:class:`~tabletop.tui.screens.game.GameScreen`
derives from it); the game screen sets the attributes it names.
"""

from __future__ import annotations

import time

from textual.screen import Screen
from textual.widgets import Static

from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.views import OBSERVER
from tabletop.session import Session
from tabletop.tui.chronicle import Chronicle
from tabletop.tui.text import clock_text
from tabletop.tui.widgets.hand import CardDetail
from tabletop.tui.widgets.quiet import set_text

FAC = C.FACILITATOR
#: the wall clock the board reads the time left at (tests put a clock of their own here)
now = time.time


class TableViews(Screen[None]):
    """The round in review (``s``), the log (``l``), the projector view (``P``), the
    card text's pages (PgUp/PgDn) and the clock at the foot of the board."""

    session: Session
    engine: Engine
    chronicle: Chronicle
    facilitator_here: bool
    _time_up_sent: int

    async def submit(self, command: C.Command) -> bool:
        raise NotImplementedError

    def _tick_clock(self) -> None:
        """Show the time left; where the facilitator sits, end a turn whose time is up."""
        reading = self.session.time_left(now())
        label = self.query_one("#clock", Static)
        set_text(label, clock_text(self.engine, reading))
        label.set_class(reading is not None and (reading.turn_left or 1) <= 0, "-over")
        if (
            reading is not None and reading.turn_is_up and self.facilitator_here and self.is_active
            and self._time_up_sent != self.session.view(OBSERVER).seq
        ):
            self._time_up_sent = self.session.view(OBSERVER).seq
            self.run_worker(self.submit(C.TimeUp(FAC)), exclusive=False)

    def action_round_summary(
        self, rnd: int | None = None, by_itself: bool = False, back: str = "the board", onward: str | None = None,
    ) -> None:
        """Round ``rnd`` in review (by default the last round over, or this one so far);
        ``by_itself``: opened as the round ended, not at a key; ``back``: what closing it
        goes back to; ``onward``: where closing it leads instead, in words."""
        from tabletop.tui.screens.summary import RoundSummaryScreen

        now = self.session.view(OBSERVER)
        last = now.round if now.outcome is not None else max(1, now.round - 1)
        self.app.push_screen(RoundSummaryScreen(self.engine, self.chronicle, rnd or last, max(last, now.round), by_itself=by_itself,
                                                 back=back, onward=onward))

    def action_detail(self, pages: int) -> None:
        self.query_one(CardDetail).scroll_by(pages)

    def action_projector(self, back: str = "the board") -> None:
        from tabletop.tui.screens.projector import ProjectorScreen

        self.app.push_screen(ProjectorScreen(self.session, back=back))

    def action_log(self, back: str = "the board") -> None:
        from tabletop.tui.screens.summary import LogScreen

        self.app.push_screen(LogScreen(self.chronicle, back))
