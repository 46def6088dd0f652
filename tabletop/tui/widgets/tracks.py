"""Tracks as labelled gauges: name, value/max, change this round, a bar with threshold marks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tabletop.campaign.model import Track
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import accent_class

FULL, HALF, EMPTY, MARK = "█", "▌", "░", "│"


def delta_text(delta: int) -> str:
    """``▲2`` / ``▼1`` / ``""`` — the change since the round began."""
    if delta > 0:
        return f"▲{delta}"
    if delta < 0:
        return f"▼{-delta}"
    return ""


def bar_cells(track: Track, value: int, width: int) -> list[tuple[str, str]]:
    """(character, kind) per cell; kind is ``fill``, ``empty`` or ``mark`` (a threshold)."""
    span = max(track.max - track.min, 1)
    fill = (value - track.min) / span * width
    marks = {min(width - 1, max(0, round((t.at - track.min) / span * width) - 1)) for t in track.thresholds}
    cells = []
    for i in range(width):
        ch = FULL if i + 1 <= fill else HALF if i < fill else None
        if i in marks:  # a threshold: the fill goes on through it, in the mark's colour
            cells.append((ch, "mark-fill") if ch else (MARK, "mark"))
        elif ch:
            cells.append((ch, "fill"))
        else:
            cells.append((EMPTY, "empty"))
    return cells


def short_name(track: Track) -> str:
    """The track's id as a name (``escalation`` → ``Escalation``), for narrow gauges."""
    return track.id.replace("_", " ").capitalize()


def _fit_labels(track: Track, room: int) -> str:
    """Threshold labels shortened alike so that all of them fit in ``room`` cells."""
    marks = sorted(track.thresholds, key=lambda t: t.at)
    if not marks or room <= 0:
        return ""
    each = max(3, (room - 2 * (len(marks) - 1)) // len(marks))
    parts = []
    for t in marks:
        text = f"{t.at} {t.label}"
        parts.append(text if len(text) <= each else text[: each - 1] + "…")
    return "  ".join(parts)[:room]


class TrackGauge(Widget):
    """One track. Renders in as many lines as it is given (1, 2 or 3)."""

    DEFAULT_CSS = """
    TrackGauge { height: 2; }
    """

    value: reactive[int] = reactive(0)
    start: reactive[int] = reactive(0)

    def __init__(self, track: Track, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.track = track
        tracks = engine.campaign.tracks
        self.longest_name = max(len(x.name) for x in tracks)
        self.longest_id = max(len(short_name(x)) for x in tracks)
        self.value = self.start = track.start
        self.add_class(accent_class(engine, track.favours))

    def _bar(self, width: int) -> Content:
        styles = {"fill": "", "empty": "$text-disabled", "mark": "bold $warning", "mark-fill": "bold $warning"}
        return Content.assemble(*(Content.styled(ch, styles[kind]) for ch, kind in bar_cells(self.track, self.value, width)))

    def _labels(self) -> str:
        return "  ".join(f"{t.at} {t.label}" for t in sorted(self.track.thresholds, key=lambda t: t.at))

    def render(self) -> Content:
        t = self.track
        width = max(self.content_size.width, 12)
        lines = max(self.content_size.height, 1)
        delta = delta_text(self.value - self.start)
        numbers = f"{self.value}/{t.max}"
        head_right = Content.assemble(
            Content.styled(numbers, "bold $foreground"), Content.styled(f" {delta}" if delta else "", "bold $foreground")
        )
        if lines == 1:
            right_len = len(numbers) + 3
            room = max(6, width - right_len - 2 - 8)  # leave the bar at least 8 cells
            # One column for every gauge of the panel: full names if they all fit, else ids.
            if self.longest_name <= room:
                name, name_len = t.name, self.longest_name
            else:
                name_len = min(self.longest_id, room)
                name = short_name(t)
            name = name if len(name) <= name_len else name[: name_len - 1] + "…"
            bar_w = max(4, width - name_len - right_len - 2)
            return Content.assemble(
                Content.styled(name.ljust(name_len), "$foreground"), " ", self._bar(bar_w), " ",
                Content.styled(numbers.rjust(5), "bold $foreground"), Content.styled(delta.ljust(2), "bold $foreground"),
            )
        right_len = head_right.cell_length
        name_w = max(1, width - right_len - 1)
        name = t.name if len(t.name) <= name_w else t.name[: name_w - 1] + "…"
        head = Content.assemble(Content.styled(name.ljust(name_w), "$foreground"), " ", head_right)
        labels = self._labels()
        if lines == 2 and labels:
            if width - len(labels) - 1 >= 10:
                bar_w, text = width - len(labels) - 1, labels
            else:  # only the threshold nearest the value
                bar_w = max(10, min(16, width // 2))
                near = min(t.thresholds, key=lambda th: (abs(th.at - self.value), -th.at))
                text = f"{near.at} {near.label}"
                room = width - bar_w - 1
                text = text if len(text) <= room else text[: room - 1] + "…"
            bar = Content.assemble(self._bar(bar_w), " ", Content.styled(text, "$text-muted"))
            return Content("\n").join([head, bar])
        rows = [head, self._bar(width)]
        if lines >= 3 and labels:
            rows.append(Content.styled(labels if len(labels) <= width else _fit_labels(self.track, width), "$text-muted"))
        return Content("\n").join(rows)


class TrackPanel(VerticalGroup):
    """Every track of the campaign as a gauge; fed a View."""

    DEFAULT_CSS = """
    TrackPanel { height: auto; }
    """

    view: reactive[View | None] = reactive(None)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.set_class(len(engine.campaign.tracks) > 4, "-many")

    def compose(self) -> ComposeResult:
        for track in self.engine.campaign.tracks:
            yield TrackGauge(track, self.engine, id=f"track-{track.id}")

    def watch_view(self, view: View | None) -> None:
        if view is None or not self.is_mounted:
            return
        for gauge in self.query(TrackGauge):
            tid = gauge.track.id
            gauge.value = view.tracks.get(tid, gauge.track.start)
            gauge.start = view.round_start_tracks.get(tid, gauge.value)

    def on_mount(self) -> None:
        self.watch_view(self.view)
