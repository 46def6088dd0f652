"""The event log: the story in plain sentences, newest at the bottom, scrolling itself."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.widgets import RichLog

from tabletop.tui.chronicle import LogLine

_STYLES = {"round": "bold", "phase": "bold", "end": "bold", "facilitator": "italic", "inject": "italic", "note": "dim italic"}


class EventLog(RichLog, can_focus=False):
    """Sentences from the :class:`~tabletop.tui.chronicle.Chronicle`, wrapped to the width
    (and wrapped again when the width changes)."""

    DEFAULT_CSS = """
    EventLog { height: 1fr; background: transparent; scrollbar-size-vertical: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(wrap=True, markup=False, auto_scroll=True, min_width=20, **kwargs)  # type: ignore[arg-type]
        self._all: list[LogLine] = []
        self._width = 0

    def add(self, lines: Iterable[LogLine]) -> None:
        new = list(lines)
        self._all.extend(new)
        if self._width:
            for line in new:
                self._write(line)

    def _write(self, line: LogLine) -> None:
        prefix = "── " if line.kind == "round" else "» " if line.kind == "phase" else ""
        self.write(Text(prefix + line.text, style=_STYLES.get(line.kind, "")), width=self._width, scroll_end=True)

    def on_resize(self, event: events.Resize) -> None:
        width = max(self.scrollable_content_region.width, self.min_width)
        if width != self._width:
            self._width = width
            self.clear()
            for line in self._all:
                self._write(line)
