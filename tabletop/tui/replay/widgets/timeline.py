"""The timeline: every event as a sentence, grouped by round, the current one highlighted.

A line-API widget (it renders only the lines on screen), so a save of thousands of
events scrolls and seeks at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tabletop.tui.replay.model import ANNOTATION_MARK, Row


class Timeline(ScrollView, can_focus=False):
    """Rows of the timeline; ``current`` is the event shown (its row is highlighted)."""

    COMPONENT_CLASSES = {
        "timeline--round",
        "timeline--number",
        "timeline--muted",
        "timeline--cursor",
        "timeline--note",
        "timeline--annotation",
    }

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .timeline--round { color: $text-accent; text-style: bold; }
        & > .timeline--number { color: $text-muted; }
        & > .timeline--muted { color: $text-disabled; }
        & > .timeline--cursor { background: $accent 40%; color: $foreground; text-style: bold; }
        & > .timeline--note { color: $accent; text-style: bold; }
        & > .timeline--annotation { color: $warning; text-style: bold; }
    }
    """

    current: reactive[int] = reactive(0)

    class Picked(Message):
        """An event was clicked: the viewer should go there."""

        def __init__(self, k: int) -> None:
            super().__init__()
            self.k = k

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: Sequence[Row] = ()
        self.marks: Mapping[int, str] = {}
        self._row_of: dict[int, int] = {}
        self._digits = 1

    # ------------------------------------------------------------------ data in

    def show(self, rows: Sequence[Row], marks: Mapping[int, str]) -> None:
        """Show these rows (and marks: event -> character) and keep ``current`` in sight."""
        self.rows = rows
        self.marks = marks
        self._row_of = {r.k: i for i, r in enumerate(rows) if r.kind == "event"}
        self._digits = len(str(max((r.k for r in rows), default=0)))
        self.virtual_size = Size(0, len(rows))
        self.refresh()
        self.call_after_refresh(self._follow)

    def set_marks(self, marks: Mapping[int, str]) -> None:
        self.marks = marks
        self.refresh()

    def row_of(self, k: int) -> int:
        """The row index of event ``k`` (-1 if not shown)."""
        return self._row_of.get(k, -1)

    def watch_current(self, old: int, new: int) -> None:
        for k in (old, new):
            row = self._row_of.get(k)
            if row is not None:
                self.refresh_line(row - int(self.scroll_y))
        self._follow()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self.rows))
        self._follow()

    def _follow(self) -> None:
        """Scroll so that the current row, and its round heading if it fits, are in sight."""
        row = self._row_of.get(self.current)
        height = self.scrollable_content_region.height
        if row is None or height <= 0:
            return
        top = int(self.scroll_y)
        margin = min(2, max(0, (height - 1) // 2))
        if row < top + margin or row >= top + height - margin:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]

        def style(name: str) -> Style:
            return self.get_component_rich_style(name)  # resolved against the background (muted colours have alpha)

        if row.kind == "round":
            text = f"── {row.text} "
            segments = [Segment(text, style("timeline--round")), Segment("─" * max(0, width - len(text)), style("timeline--number"))]
            return Strip(segments).adjust_cell_length(width, base)
        cursor = row.k == self.current
        line = Style.from_color(None, self.get_component_rich_style("timeline--cursor").bgcolor) + Style(bold=True) if cursor else Style()
        mark = self.marks.get(row.k, " ")
        mark_style = style("timeline--annotation" if mark == ANNOTATION_MARK else "timeline--note") + line
        text_style = (style("timeline--muted") if row.muted else base) + line
        segments = [
            Segment(f"{row.k:>{self._digits}}", style("timeline--number") + line),
            Segment(" " + mark + " ", mark_style),
            Segment(row.text, text_style),
        ]
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = strip.crop(0, max(0, width - 1)) + Strip([Segment("…", text_style)])
        return strip.adjust_cell_length(width, base + line)

    def on_click(self, event: events.Click) -> None:
        index = event.y + int(self.scroll_y)
        if 0 <= index < len(self.rows):
            self.post_message(self.Picked(self.rows[index].k))
