"""The base of the board's dialogs: a modal screen whose footer shows its own keys."""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.screen import ModalScreen

from tabletop.tui.widgets.footer import Footer

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A dialog over the board. Its footer lists the dialog's keys, not the board's."""

    @on(events.Mount)
    def _add_footer(self) -> None:
        if not self.query(Footer):
            self.mount(Footer())
