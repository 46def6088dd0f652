"""The host's seats: who is connected, and the join command for each seat (hosted games)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

Rows = Callable[[], list[tuple[str, str, str]]]


class SeatsScreen(ModalScreen[None]):
    """Seat, status (connected / waiting / bot) and `tabletop join …` command, refreshed every second."""

    BINDINGS = [Binding("escape,j,q", "close", "Close")]
    DEFAULT_CSS = """
    SeatsScreen { align: center middle; }
    SeatsScreen > Vertical {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SeatsScreen #seats-table { width: auto; }
    SeatsScreen .hint { color: $text-muted; }
    """

    def __init__(self, rows: Rows) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Seats[/b] — hand each player the command for their seat", markup=True)
            yield Static(id="seats-table", markup=False)
            yield Static("Codes are secret: each lets its holder act for that seat. Esc closes.", classes="hint")

    def on_mount(self) -> None:
        self.refresh_rows()
        self.set_interval(1.0, self.refresh_rows)

    def refresh_rows(self) -> None:
        rows = self.rows()
        width = max((len(name) for name, _, _ in rows), default=0)
        lines = [f"{name:<{width}}  {status or '':<9}  {command}" for name, status, command in rows]
        self.query_one("#seats-table", Static).update("\n".join(lines))

    def action_close(self) -> None:
        self.dismiss(None)
