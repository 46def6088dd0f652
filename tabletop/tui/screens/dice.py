"""Dice results, up until a key is pressed (or, where nobody acts at this keyboard, for
a few seconds).

Where someone plays at the keyboard the table reads a roll at its own pace: it stays up
until a key is pressed, and that key does nothing else, so a key pressed "for the dice"
never lands on the screen after them (a hand-off, the next player's board). A screen
nobody acts at (a game of bots alone, an observer's) lets a roll go by itself; which
one this is, :class:`~tabletop.tui.screens.game.GameScreen` decides
(:func:`~tabletop.tui.flow.dice_seconds`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from tabletop.tui import keygate
from tabletop.tui.chronicle import Roll
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.widgets.dice import DiceRoll

#: the hint of dice that wait for a key
UNTIL_KEY = "Press any key to continue"
#: the hint of dice that go by themselves
BY_ITSELF = "Goes on by itself in a moment, or press any key"


class DiceScreen(Dialog[None]):
    """One or more rolls; closes on any key but ``?`` (the key is used for nothing else),
    or by itself after ``seconds`` (None: never)."""

    HELP_TITLE = "the dice"
    #: for the footer and the help: any key closes the dice (see :meth:`on_key`)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "close", "Continue", tooltip="Close the dice and go on; so does any other key but the help key.")]

    def __init__(self, rolls: list[Roll], seconds: float | None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rolls = rolls
        self.seconds = seconds
        #: the timer that closes the dice by themselves (None: they wait for a key)
        self.timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dice-box", classes="dialog"):
            yield Static("Dice", classes="dialog-title")
            for roll in self.rolls:
                yield DiceRoll(roll)
            yield Static(self.hint, classes="dialog-hint")

    @property
    def hint(self) -> str:
        """What the panel says of how it closes."""
        return UNTIL_KEY if self.seconds is None else BY_ITSELF

    def on_mount(self) -> None:
        if self.seconds is not None:
            self.timer = self.set_timer(self.seconds, self._close, name="dice")

    def _close(self) -> None:
        if self.is_active:
            self.dismiss(None)

    def action_close(self) -> None:
        self._close()

    def on_key(self, event: events.Key) -> None:
        if keygate.stale(self.app, event):  # pressed before these dice were up: meant for the screen before
            keygate.drop(self.app, event)
            return
        if event.key == "question_mark":
            return  # the help, as the footer says; the dice stay
        event.stop()
        event.prevent_default()
        self._close()

    def on_click(self) -> None:
        self._close()
