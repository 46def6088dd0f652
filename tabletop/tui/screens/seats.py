"""The host's seats: who is connected, each seat's join command, and handing a seat to a bot."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tabletop.tui.screens.dialog import Dialog

#: (seat, name, status, join command) rows, read afresh every second
Rows = Callable[[], list[tuple[str, str, str, str]]]
#: hand_seat(seat, "bot" | "human"), or None where seats cannot be handed over
HandSeat = Callable[[str, str], None] | None


class SeatsScreen(Dialog[None]):
    """Seat, status (connected / waiting / bot) and `tabletop join …` command per seat.

    ``b`` hands the highlighted actor seat to a bot, or back to its player (recorded in
    the journal as a facilitator note).
    """

    BINDINGS = [
        Binding("b", "toggle_bot", "Bot / player"),
        Binding("escape,j,q", "close", "Close"),
    ]
    DEFAULT_CSS = """
    SeatsScreen { align: center middle; }
    SeatsScreen > Vertical {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SeatsScreen OptionList { width: auto; height: auto; max-height: 12; }
    SeatsScreen .hint { color: $text-muted; }
    """

    def __init__(self, rows: Rows, hand_seat: HandSeat = None, actors: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.rows = rows
        self.hand_seat = hand_seat
        self.actors = actors
        self._seats: list[tuple[str, str]] = []  # (seat, status) per option

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Seats[/b] — hand each player the command for their seat", markup=True)
            yield OptionList(id="seats-table")
            hint = "b: give the highlighted seat to a bot, or back to its player · " if self.hand_seat else ""
            yield Static(f"{hint}Codes are secret: each lets its holder act for that seat. Esc closes.", classes="hint")

    def on_mount(self) -> None:
        self.refresh_rows()
        self.set_interval(1.0, self.refresh_rows)

    def refresh_rows(self) -> None:
        rows = self.rows()
        width = max((len(name) for _, name, _, _ in rows), default=0)
        table = self.query_one("#seats-table", OptionList)
        keep = table.highlighted
        table.clear_options()
        table.add_options(
            Option(f"{name:<{width}}  {status or '':<9}  {command}", id=seat) for seat, name, status, command in rows
        )
        self._seats = [(seat, status) for seat, _, status, _ in rows]
        if rows:
            table.highlighted = min(keep or 0, len(rows) - 1)

    def action_toggle_bot(self) -> None:
        index = self.query_one("#seats-table", OptionList).highlighted
        if self.hand_seat is None or index is None or index >= len(self._seats):
            return
        seat, status = self._seats[index]
        if seat not in self.actors:
            self.notify("Only a player's seat can be handed to a bot.", severity="warning")
            return
        try:
            self.hand_seat(seat, "human" if status == "bot" else "bot")
        except ValueError as e:
            self.notify(str(e), severity="error")
        self.refresh_rows()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_toggle_bot()

    def action_close(self) -> None:
        self.dismiss(None)
