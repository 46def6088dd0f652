"""The base of the board's dialogs: a modal screen whose footer shows its own keys."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Footer

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A dialog over the board. Its footer lists the dialog's keys, not the board's
    (Textual calls this ``on_mount`` as well as a subclass's own)."""

    def on_mount(self) -> None:
        if not self.query(Footer):
            self.mount(Footer())
