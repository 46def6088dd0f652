"""The round in review and the whole log, for the table to read back at its own pace.

:class:`RoundSummaryScreen` opens by itself when a round ends (hot-seat: over the public
board, before the keyboard is handed over, so no hand shows behind it) and with ``s`` on
the board or the hand-off screen; left and right step to
the round before or after. :class:`LogScreen` (``l``) is every sentence of the log so
far, round by round, scrolled by keyboard.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tabletop.engine.rules import Engine
from tabletop.tui.chronicle import Chronicle
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.summary import round_summary


class RoundSummaryScreen(Dialog[None]):
    """Round ``rnd`` in review; ``last`` is the latest round that can be shown.

    ``by_itself``: it opened when the round ended (not at a key): then only enter or
    escape close it, so the key a player presses to clear the dice just before (space,
    say) does not close it unread. ``back``: what closing it goes back to (``the board``,
    or ``the hand-off`` when it was opened from one). ``onward``: where enter leads
    instead, in words ("on to the hand-off to Ostrand"), when the review opened by itself
    and the game goes on to something else than the board."""

    HELP_TITLE = "the round in review"

    BINDINGS = [
        Binding("enter,escape", "close", "Back to the board"),
        Binding("space,s", "close_asked", "Back to the board", show=False),
        Binding("left", "step(-1)", "Round before"),
        Binding("right", "step(1)", "Round after"),
    ]

    def __init__(
        self, engine: Engine, chronicle: Chronicle, rnd: int, last: int | None = None, *, by_itself: bool = False,
        back: str = "the board", onward: str | None = None, **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.back = back
        #: where enter leads, in words: "back to the board", "on to the hand-off to Ostrand"
        self.onward = onward or f"back to {back}"
        self.relabel("close", self.onward[:1].upper() + self.onward[1:])
        self.engine = engine
        self.chronicle = chronicle
        self.round = rnd
        self.last = rnd if last is None else last
        self.by_itself = by_itself

    def compose(self) -> ComposeResult:
        with Vertical(id="summary-box", classes="dialog"):
            yield Static("", id="summary-title", classes="dialog-title", markup=False)
            yield VerticalScroll(id="summary-body")
            yield Static(f"enter: {self.onward} · ↑↓ PgUp PgDn: read on · ←→: other rounds", classes="dialog-hint",
                         markup=False)

    async def on_mount(self) -> None:
        await self._fill()

    async def _fill(self) -> None:
        cal = self.engine.campaign.calendar
        self.query_one("#summary-title", Static).update(f"Round {self.round} of {cal.rounds} in review")
        body = self.query_one("#summary-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Static] = []
        for heading, lines in round_summary(self.engine, self.chronicle, self.round):
            widgets.append(Static(heading, classes="dialog-label", markup=False))
            widgets.append(Static("\n".join(f"• {line}" for line in lines), classes="dialog-text", markup=False))
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        body.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step" and parameters:
            to = self.round + int(str(parameters[0]))
            return 1 <= to <= self.last
        if action == "close_asked":
            return not self.by_itself
        return True

    async def action_step(self, step: int) -> None:
        self.round = max(1, min(self.last, self.round + step))
        self.refresh_bindings()
        await self._fill()

    def action_close(self) -> None:
        self.dismiss(None)

    action_close_asked = action_close


class LogScreen(Dialog[None]):
    """Every sentence of the log so far, round by round, newest at the bottom."""

    BINDINGS = [Binding("enter,escape,l", "close", "Back to the board")]

    def __init__(self, chronicle: Chronicle, back: str = "the board", **kwargs: object) -> None:
        """``back``: what closing it goes back to (``the hand-off`` when opened from one)."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.back = back
        self.relabel("close", f"Back to {back}")
        self.chronicle = chronicle

    def compose(self) -> ComposeResult:
        with Vertical(id="log-box", classes="dialog"):
            yield Static("The log", classes="dialog-title")
            with VerticalScroll(id="log-body"):
                text = "\n".join(
                    ("── " if line.kind == "round" else "") + line.text
                    for line in self.chronicle.lines if line.kind not in ("draw", "turn")
                )
                yield Static(text or "Nothing has happened yet.", markup=False)
            yield Static(f"↑↓ PgUp PgDn Home End: read · enter: back to {self.back}", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        body = self.query_one("#log-body", VerticalScroll)
        body.focus()
        body.scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
