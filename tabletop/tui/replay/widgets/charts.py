"""Charts drawn with block characters: a track over time with its thresholds, and the
crisis phases as bands. No plotting library: eighth blocks give 8 levels per cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from tabletop.tui.replay.model import bar_levels, column_cells, column_index, level_row
from tabletop.tui.text import shorten_words

THRESHOLD = "┈"


@dataclass(frozen=True)
class Axis:
    """The x axis shared by the charts: how many points, labels at some of them, and
    the point the viewer is at."""

    points: int
    labels: Sequence[tuple[int, str]]  # (point, label), in order
    cursor: int


@dataclass(frozen=True)
class SeriesData:
    title: str
    low: int
    high: int
    values: Sequence[int]  # one per point
    thresholds: Sequence[tuple[int, str]] = ()  # (value, label)
    colour: str = "$accent"
    note: str = ""  # after the title (e.g. "now 5")
    label_width: int | None = None  # room for the threshold labels (the same for charts drawn together)


def axis_text(axis: Axis, cols: Sequence[int]) -> str:
    """The labels under the plot, each at the first column showing its point, never overlapping."""
    cells = [" "] * len(cols)
    free = 0
    for point, label in axis.labels:
        c = next((i for i, p in enumerate(cols) if p >= point), None)
        if c is None or c < free or c + len(label) > len(cols):
            continue
        cells[c : c + len(label)] = list(label)
        free = c + len(label) + 1
    return "".join(cells)


def cursor_columns(axis: Axis, cols: Sequence[int]) -> set[int]:
    """The columns that show the cursor point (the first column past it when a column
    stands for several points)."""
    exact = {i for i, p in enumerate(cols) if p == axis.cursor}
    if exact:
        return exact
    after = next((i for i, p in enumerate(cols) if p >= axis.cursor), len(cols) - 1)
    return {after}


class TrackChart(Widget):
    """One track over time: a column per point (or per bucket of points), thresholds as
    dotted lines labelled on the right, the viewer's step highlighted."""

    DEFAULT_CSS = """
    TrackChart { height: 6; padding: 0 1; margin-bottom: 1; }
    """

    ROWS = 4

    def __init__(self, data: SeriesData, axis: Axis, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.data = data
        self.axis = axis

    def show(self, data: SeriesData, axis: Axis) -> None:
        self.data, self.axis = data, axis
        self.refresh()

    def render(self) -> Content:
        d, axis, rows = self.data, self.axis, self.ROWS
        width = max(self.content_size.width, 20)
        gutter = max(len(str(d.high)), len(str(d.low))) + 1
        labels_by_row: dict[int, list[str]] = {}
        for at, label in sorted(d.thresholds, key=lambda t: -t[0]):
            labels_by_row.setdefault(level_row(at, d.low, d.high, rows), []).append(f"{at} {label}")
        right = max((len(" · ".join(v)) for v in labels_by_row.values()), default=0)
        right = min(right if d.label_width is None else d.label_width, 22)
        plot = width - gutter - 1 - (right + 1 if right else 0)
        if plot < 12:  # too narrow for labels on the right: the plot takes the room
            right, plot = 0, width - gutter - 1
        cols = column_index(axis.points, plot)
        cursor = cursor_columns(axis, cols)
        levels = [bar_levels(d.values[p], d.low, d.high, rows) for p in cols]
        cells = [column_cells(lv, rows) for lv in levels]
        lines = [
            Content.assemble(
                Content.styled(d.title, "bold $foreground"), Content.styled(f"  {d.note}" if d.note else "", "$text-muted")
            )
        ]
        for r in range(rows):  # top row first
            row_from_bottom = rows - 1 - r
            axis_label = str(d.high) if r == 0 else str(d.low) if r == rows - 1 else ""
            tick = "┤" if r in (0, rows - 1) else "│"
            parts: list[Content | str] = [Content.styled(axis_label.rjust(gutter - 1) + " " + tick, "$text-muted")]
            has_threshold = row_from_bottom in labels_by_row
            for c, column in enumerate(cells):
                ch = column[r]
                bg = " on $accent 35%" if c in cursor else ""
                if ch == " " and has_threshold:
                    parts.append(Content.styled(THRESHOLD, f"$warning{bg}"))
                elif ch == " ":
                    parts.append(Content.styled(" ", bg.strip()) if bg else " ")
                else:
                    parts.append(Content.styled(ch, f"{d.colour}{bg}"))
            if right:
                text = " · ".join(labels_by_row.get(row_from_bottom, []))
                text = shorten_words(text, right)
                parts.append(Content.styled(" " + text, "$warning"))
            lines.append(Content.assemble(*parts))
        lines.append(Content.styled(" " * (gutter + 1) + axis_text(axis, cols), "$text-muted"))
        return Content("\n").join(lines)


@dataclass(frozen=True)
class Band:
    name: str
    active: Sequence[bool]  # one per point
    terminal: bool = False


class PhaseBands(Widget):
    """One row per crisis phase, filled where the crisis was in it."""

    DEFAULT_CSS = """
    PhaseBands { height: auto; padding: 0 1; }
    """

    def __init__(self, bands: Sequence[Band], axis: Axis, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.bands = bands
        self.axis = axis

    def show(self, bands: Sequence[Band], axis: Axis) -> None:
        self.bands, self.axis = bands, axis
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.bands) + 1

    def render(self) -> Content:
        width = max(self.content_size.width, 20)
        name_w = min(18, max((len(b.name) for b in self.bands), default=4) + 1)
        plot = max(8, width - name_w - 1)
        cols = column_index(self.axis.points, plot)
        cursor = cursor_columns(self.axis, cols)
        lines = []
        for band in self.bands:
            name = band.name if len(band.name) < name_w else band.name[: name_w - 2] + "…"
            parts: list[Content | str] = [Content.styled(name.ljust(name_w) + "│", "$foreground")]
            colour = "$error" if band.terminal else "$accent"
            for c, p in enumerate(cols):
                bg = " on $accent 35%" if c in cursor else ""
                if band.active[p]:
                    parts.append(Content.styled("█", f"{colour}{bg}"))
                else:
                    parts.append(Content.styled("·", f"$text-disabled{bg}"))
            lines.append(Content.assemble(*parts))
        lines.append(Content.styled(" " * (name_w + 1) + axis_text(self.axis, cols), "$text-muted"))
        return Content("\n").join(lines)
