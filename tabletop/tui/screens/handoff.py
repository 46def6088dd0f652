"""The hot-seat hand-off: hides every hand until the next player is at the keyboard."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static


class HandOffScreen(Screen[None]):
    """``Pass the keyboard to Lithuania — press any key when ready``."""

    def __init__(
        self, seat: str, name: str, side_name: str, accent: str, what: str, recent: list[str], context: str = "",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.context = context
        self.seat = seat
        self.seat_title = name
        self.side_name = side_name
        self.accent = accent
        self.what = what
        self.recent = recent

    def compose(self) -> ComposeResult:
        with Center(id="handoff-center"):
            with Vertical(id="handoff-box", classes=self.accent):
                if self.context:
                    yield Static(self.context, id="handoff-context", markup=False)
                yield Static("Pass the keyboard to", id="handoff-pass")
                yield Static(self.seat_title, id="handoff-seat", classes=self.accent, markup=False)
                if self.side_name != self.seat_title:
                    yield Static(self.side_name, id="handoff-side", markup=False)
                yield Static(self.what, id="handoff-what", markup=False)
                yield Static("Everyone else, please look away.", id="handoff-away")
                yield Static("Press any key when ready", id="handoff-key")
        if self.recent:
            recent = Static("\n".join(self.recent), id="handoff-recent", markup=False)
            recent.border_title = "Just happened"
            yield recent

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(None)

    def on_click(self) -> None:
        self.dismiss(None)
