"""The projector view: the public board for a room, large and without a hand.

The phase ladder, every track as a tall gauge, who the game waits for, and the last
round in review (or this one so far); nothing a seat holds alone, so it may stay up on
the wall. ``tabletop join URL --code <observer code> --projector`` opens it on its own
terminal; in hot-seat ``P`` opens it over the board (escape goes back).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tabletop.engine.views import OBSERVER
from tabletop.journal import Entry
from tabletop.session import Session
from tabletop.tui.chronicle import Chronicle
from tabletop.tui.screens.dialog import relabel
from tabletop.tui.summary import round_summary
from tabletop.tui.text import waiting_text
from tabletop.tui.widgets.footer import Footer
from tabletop.tui.widgets.header import GameHeader
from tabletop.tui.widgets.ladder import PhaseLadder
from tabletop.tui.widgets.tracks import TrackPanel


class ProjectorScreen(Screen[None]):
    """The public board, for a room. ``closable``: escape goes back (over a hot-seat board,
    or ``back``, the hand-off it was opened from)."""

    HELP_TITLE = "Projector view"
    BINDINGS = [Binding("escape", "close", "Back to the board")]

    def __init__(self, session: Session, *, closable: bool = True, back: str = "the board", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        relabel(self, "close", f"Back to {back}")
        self.session = session
        self.closable = closable
        self.chronicle = Chronicle(session.engine)

    def compose(self) -> ComposeResult:
        e = self.session.engine
        yield GameHeader(e, id="header")
        yield PhaseLadder(e, id="ladder")
        with Horizontal(id="projector-main"):
            with Vertical(id="projector-tracks", classes="pane"):
                yield TrackPanel(e, id="projector-gauges")
            with VerticalScroll(id="projector-review", classes="pane"):
                yield Static("", id="projector-summary")
        yield Static("", id="projector-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#projector-tracks").border_title = "Tracks (colour: whom a rise helps)"
        self.session.add_listener(self._heard, OBSERVER, replay=True)
        self.refresh_board()

    def on_unmount(self) -> None:
        self.session.remove_listener(self._heard)

    def _heard(self, entries: Sequence[Entry]) -> None:
        self.chronicle.feed(entries)
        if self.is_mounted:
            self.call_later(self.refresh_board)

    def refresh_board(self) -> None:
        view = self.session.view(OBSERVER)
        for widget in (self.query_one(GameHeader), self.query_one(PhaseLadder), self.query_one(TrackPanel)):
            widget.view = view
        over = view.outcome is not None
        rnd = view.round if over or view.round <= 1 else view.round - 1
        label = "so far" if not over and rnd == view.round else "in review"
        sections = round_summary(self.session.engine, self.chronicle, rnd) if rnd >= 1 else []
        text = Content("\n\n").join(
            Content.assemble(Content.styled(heading, "bold"), "\n", "\n".join(f"• {line}" for line in lines))
            for heading, lines in sections
        )
        self.query_one("#projector-review").border_title = f"Round {rnd} {label}" if rnd >= 1 else "Round 1"
        self.query_one("#projector-summary", Static).update(text if sections else "Nothing has happened yet.")
        self.query_one("#projector-status", Static).update(waiting_text(self.session.engine, view, self.session.is_bot))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.closable if action == "close" else True

    def action_close(self) -> None:
        self.dismiss(None)
