"""Dice results, readable for a few seconds or until a key is pressed."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tabletop.tui import keygate
from tabletop.tui.chronicle import Roll
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.widgets.dice import DiceRoll


class DiceScreen(Dialog[None]):
    """One or more rolls; closes itself after ``seconds`` (never if None) or on any key."""

    def __init__(self, rolls: list[Roll], seconds: float | None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rolls = rolls
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="dice-box", classes="dialog"):
            yield Static("Dice", classes="dialog-title")
            for roll in self.rolls:
                yield DiceRoll(roll)
            yield Static("Press any key to continue", classes="dialog-hint")

    def on_mount(self) -> None:
        if self.seconds is not None:
            self.set_timer(self.seconds, self._close)

    def _close(self) -> None:
        if self.is_active:
            self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        if keygate.stale(self.app, event):  # pressed with the key that closed these dice
            keygate.drop(self.app, event)
            return
        event.stop()
        event.prevent_default()
        self._close()

    def on_click(self) -> None:
        self._close()
