"""A yes-or-no question before a key that cannot be undone (ending a turn, say)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.widgets import Button, Static

from tabletop.tui.screens.dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    """Dismisses True (enter or y) or False (escape or n); the footer says enter and escape
    in the words of the buttons (``⏎ End turn  esc Cancel``)."""

    BINDINGS = [
        # Before the focused button's own enter, so the footer can say it: it presses the focused button.
        Binding("enter", "press", "Yes", priority=True),
        Binding("escape", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
    ]

    def __init__(self, title: str, text: str, yes: str, no: str = "Cancel", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.title_text, self.text, self.yes, self.no = title, text, yes, no
        self.relabel("press", yes)
        self.relabel("answer(False)", no)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.text:
                yield Static(self.text, classes="dialog-text", markup=False)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button(f"{self.yes} (enter)", id="confirm-yes", variant="primary")
                yield Button(f"{self.no} (esc)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_press(self) -> None:
        """Enter: the focused button's answer (yes, unless the focus was moved to the other)."""
        self.dismiss(self.focused is not self.query_one("#confirm-no", Button))
