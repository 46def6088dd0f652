"""Every key of the screen it was opened from, with a sentence each (and what the screen's
marks mean, when it says: its ``HELP_NOTE``)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.widgets import Static

from tabletop.tui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", tooltip="Close the help.")]

    def __init__(
        self, title: str, keys: list[tuple[str, str]], save_path: Path | None, note: str = "", **kwargs: object,
    ) -> None:
        """``note``: what the screen's marks mean (its ``HELP_NOTE``), said above the keys."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.note = note
        self.help_title = title
        self.keys = keys
        self.save_path = save_path

    def compose(self) -> ComposeResult:
        saved = (
            f"The game is saved to {self.save_path} after every move: ctrl+q quits at once and loses nothing."
            if self.save_path is not None else "This game is not being saved."
        )
        width = max((len(k) for k, _ in self.keys), default=4) + 2
        with Vertical(id="help-box", classes="dialog"):
            yield Static(f"Keys — {self.help_title}", classes="dialog-title", markup=False)
            yield Static(saved, id="help-saved", markup=False)
            if self.note:
                yield Static(self.note, id="help-note", markup=False)
            with VerticalScroll(id="help-body"):
                for key, text in self.keys:
                    with HorizontalGroup(classes="help-row"):
                        yield Static(key, classes="help-key", markup=False).set_styles(f"width: {width};")
                        yield Static(text, classes="help-text", markup=False)
            yield Static("esc to close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
