"""The base of the board's dialogs: a modal screen whose footer shows its own keys."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from tabletop.tui.widgets.footer import Footer

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A dialog over the board. Its footer lists the dialog's keys, not the board's, and
    ``?`` (a modal screen hides the app's keys, so each dialog has its own)."""

    BINDINGS = [Binding("question_mark", "app.help", "Help", tooltip="List every key of this screen with what it does.")]

    @on(events.Mount)
    def _add_footer(self) -> None:
        if not self.query(Footer):
            self.mount(Footer())

    def relabel(self, action: str, description: str) -> None:
        """Show the keys of ``action`` in this dialog's footer as ``description``."""
        relabel(self, action, description)


def relabel(screen: Screen[Any], action: str, description: str) -> None:
    """Show the keys of ``action`` in ``screen``'s footer as ``description`` (say, the words
    of the button they press, or where closing it goes back to), for this screen alone."""
    keys = screen._bindings.key_to_bindings  # the screen's own copy of its class's bindings
    for key, bindings in keys.items():
        keys[key] = [replace(b, description=description) if b.action == action else b for b in bindings]
