"""What one seat reads alone: its brief panel.

:class:`BriefScreen` shows a seat's private injects ("For you only: …"), its brief, the
hidden values it knows and its objectives; the board opens it with ``b``, and the hot-seat
flow opens it when the seat takes the keyboard with something new to read. (The reason
for a card that asks one is asked by the play dialog, :class:`~tabletop.tui.screens.player.PlayScreen`.)
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tabletop.engine import events as E
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui import keygate
from tabletop.tui.roles import brief_sections, private_inject_line
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.text import seat_name


class BriefScreen(Dialog[None]):
    """A seat's own panel. ``news``: private injects to show first (new since it last had
    the keyboard); ``earlier``: those it was shown before (listed after the brief).
    ``full``: with the brief, the values it knows and its objectives (else the news only).
    ``handed_over``: when the hand-off that brought the seat closed, if it just did (keys
    are ignored for a moment after it, as on the board)."""

    BINDINGS = [
        Binding("enter,escape,b,space", "close", "Back to the board", tooltip="Close your brief (press b on the board to read it again)."),
    ]

    def __init__(
        self, engine: Engine, view: View, seat: str, news: Sequence[E.InjectFired] = (),
        earlier: Sequence[E.InjectFired] = (), *, full: bool = True, handed_over: float | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.view = view
        self.seat = seat
        self.news = list(news)
        self.earlier = list(earlier)
        self.full = full
        self.handed_over = handed_over

    def on_key(self, event: events.Key) -> None:
        """Right after a hand-off, the key that closed it pressed twice must not close this unread."""
        from tabletop.tui.screens.handoff import guarding

        if self.handed_over is not None and guarding(self.handed_over):
            keygate.drop(self.app, event)

    def compose(self) -> ComposeResult:
        with Vertical(id="brief-box", classes="dialog"):
            yield Static(f"{seat_name(self.engine, self.seat)}: only you see this", classes="dialog-title", markup=False)
            with VerticalScroll(id="brief-body"):
                for ev in self.news:
                    yield Static(private_inject_line(ev), classes="brief-news", markup=False)
                for heading, text in brief_sections(self.engine, self.view, self.seat) if self.full else ():
                    yield Static(heading, classes="dialog-label", markup=False)
                    yield Static(text, classes="dialog-text", markup=False)
                if self.earlier:
                    yield Static("Private injects you received", classes="dialog-label")
                    yield Static("\n".join(private_inject_line(ev) for ev in self.earlier), classes="dialog-text",
                                 markup=False)
            yield Static("enter: to the board · b: read this again from the board", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#brief-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
