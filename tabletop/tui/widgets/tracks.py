"""Tracks as labelled gauges: name, value, change this round, the band it is in, and a bar.

The change this round is a mark beside the value (``7▲2``); the tooltip says it in words
("Up 2 this round (▲2; 5 when the round began)"), and so does the board's help.

Every gauge of a panel lines up: the same name column, the same number column, so bars
of the same scale are the same width. A bar fills from its zero (the middle of a track
that runs from -5 to 5), in the colour of the side a rise helps; thresholds not reached
are marked beside the fill, never inside it (the band's name says which were crossed).
A one-line gauge too narrow for a bar of :data:`MIN_BAR` cells shows the band without one.
The name column is as wide as the longest name, less what the bands need (never so narrow
that a name loses part of a word); a one-line gauge whose band does not fit beside it
puts the band on a line of its own while its panel has a spare row (:meth:`TrackPanel.fit`).
A band's name too long even so is shortened by whole words (``2 to Military…``), never
mid-word; the tooltip says it whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tabletop.campaign.model import Track
from tabletop.engine.grammar import in_sentence
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import accent_class, shorten_phrase, shorten_words

FULL, LEFT, RIGHT, EMPTY, MARK = "█", "▌", "▐", "░", "│"
#: the narrowest bar worth drawing
MIN_BAR = 8


def delta_text(delta: int) -> str:
    """``▲2`` / ``▼1`` / ``""`` — the change since the round began."""
    if delta > 0:
        return f"▲{delta}"
    if delta < 0:
        return f"▼{-delta}"
    return ""


def band_text(track: Track, value: int) -> tuple[str, bool]:
    """The band ``value`` is in (``Crisis``, True), or how far the nearest is (``1 to Crisis``, False)."""
    band = track.band(value)
    if band is not None:
        return band.label, True
    ahead = track.next_band(value)
    return (f"{ahead[1]} to {ahead[0].label}", False) if ahead else ("", False)


def band_fit(track: Track, value: int, room: int) -> tuple[str, bool]:
    """:func:`band_text` in ``room`` cells, shortened by whole words (:func:`shorten_words`):
    ``Military…``; the distance to the next band is kept whole (``2 to Military…``)."""
    text, inside = band_text(track, value)
    ahead = None if inside else track.next_band(value)
    if len(text) <= room or ahead is None:
        return shorten_words(text, room, whole=True), inside
    lead = f"{ahead[1]} to "
    if room - len(lead) < 2:  # no room for the distance and a mark
        return shorten_words(text, room, whole=True), inside
    return lead + shorten_words(ahead[0].label, room - len(lead), whole=True), inside


def gauge_words(track: Track, value: int, helps: str = "", start: int | None = None) -> str:
    """A gauge's tooltip: ``Tension: 7 (from 0 to 10), Crisis. Up 2 this round (▲2; 5 when
    the round began). A rise helps Northmark.`` (``start``: the value at the round's start)."""
    band, _ = band_text(track, value)
    words = f"{track.name}: {value} (from {track.min} to {track.max})" + (f", {band}" if band else "") + "."
    if start is not None and start != value:
        delta = value - start
        words += f" {'Up' if delta > 0 else 'Down'} {abs(delta)} this round ({delta_text(delta)}; {start} when the round began)."
    return words + (f" A rise helps {in_sentence(helps)}." if helps else "")


def _pos(track: Track, value: int, width: int) -> float:
    return (value - track.min) / max(track.max - track.min, 1) * width


def bar_cells(track: Track, value: int, width: int) -> list[tuple[str, str]]:
    """(character, kind) per cell; kind is ``fill``, ``empty`` or ``mark`` (an empty cell
    that ends at a threshold). The fill runs from the track's zero (its minimum, or 0 when
    it runs from below zero to above it) to ``value``."""
    zero = 0 if track.min < 0 < track.max else track.min
    a, b = sorted((_pos(track, zero, width), _pos(track, value, width)))
    marks = {min(width - 1, max(0, round(_pos(track, t.at, width)) - 1)) for t in track.thresholds}
    cells = []
    for i in range(width):
        cover = max(0.0, min(b, i + 1) - max(a, i))
        if cover >= 0.75:
            ch, kind = FULL, "fill"
        elif cover >= 0.25:
            ch, kind = (LEFT if a <= i else RIGHT), "fill"
        elif i in marks:
            ch, kind = MARK, "mark"
        else:
            ch, kind = EMPTY, "empty"
        cells.append((ch, kind))
    return cells


_STYLES = {"fill": "", "empty": "$text-disabled", "mark": "bold $text-warning"}


@dataclass(frozen=True, slots=True)
class Columns:
    """The widths every gauge of a panel shares."""

    name: int
    number: int  # the value, right-aligned ("-5", "10")
    band: int  # the longest band text


def short_name(track: Track) -> str:
    """A shorter name for narrow gauges: the track's id as words when they are words of its
    name (``gas_price`` → ``Gas price`` for "Wholesale gas price"), else the name itself
    (an id that says something else, ``diversification`` for "Alternative supply", is no name)."""
    words = track.id.replace("_", " ").replace("-", " ")
    if set(words.lower().split()) <= set(track.name.lower().replace("-", " ").split()):
        return words.capitalize()
    return track.name


def fit_name(track: Track, room: int) -> str:
    """The track's name in ``room`` cells: whole, else :func:`short_name`, else that
    shortened by whole words (``Market…``)."""
    for name in (track.name, short_name(track)):
        if len(name) <= room:
            return name
    return shorten_words(short_name(track), room, whole=True)


def name_floor(tracks: list[Track]) -> int:
    """The narrowest name column that cuts no word: each short name's first word (and
    its mark, if more words follow)."""
    return max((len(w[0]) + (len(w) > 1) for w in (short_name(t).split() for t in tracks) if w), default=1)


class TrackGauge(Widget):
    """One track. Renders in as many lines as it is given (1, 2 or 3)."""

    DEFAULT_CSS = """
    TrackGauge { height: 2; }
    """

    #: the band on a line of its own (a one-line gauge whose band does not fit beside it,
    #: when its panel has the row: :meth:`TrackPanel.fit`)
    band_below: reactive[bool] = reactive(False, layout=True)

    value: reactive[int] = reactive(0)
    start: reactive[int] = reactive(0)

    def __init__(self, track: Track, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.track = track
        self.engine = engine
        tracks = engine.campaign.tracks
        self.longest_name = max(len(x.name) for x in tracks)
        self.longest_id = max(len(short_name(x)) for x in tracks)
        numbers = [len(str(v)) for x in tracks for v in (x.min, x.max)]
        labels = [len(t.label) for x in tracks for t in x.thresholds] or [0]
        self.columns = Columns(self.longest_name, max(numbers), max(labels) + 3)
        self.longest_label = max(labels)
        self.name_floor = name_floor(list(tracks))
        self.helps = engine.side_name(track.favours) if track.favours else ""
        self.value = self.start = track.start
        self.add_class(accent_class(engine, track.favours))

    def watch_value(self, value: int) -> None:
        self.tooltip = gauge_words(self.track, value, self.helps, self.start)

    def watch_start(self, start: int) -> None:
        self.tooltip = gauge_words(self.track, self.value, self.helps, start)

    @property
    def compact(self) -> bool:
        """Whether it is a one-line gauge (a short screen's many tracks), which may take a
        second line for its band."""
        return self.styles.height is not None and self.styles.height.is_auto

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 if self.band_below else 1

    def name_width(self, room: int) -> int:
        """The name column in ``room`` cells (the line less the numbers): the longest name,
        less what the longest band needs, but never under :func:`name_floor`."""
        return max(1, min(self.longest_name, max(self.name_floor, room - 1 - self.longest_label), room // 2 + 1))

    def band_fits(self, width: int) -> bool:
        """Whether the band fits beside the name and the numbers of a one-line gauge ``width`` wide."""
        rest = width - self.name_width(width - self._numbers().cell_length - 1) - 1 - self._numbers().cell_length - 1
        return len(band_text(self.track, self.value)[0]) <= rest

    def _bar(self, width: int) -> Content:
        cells = bar_cells(self.track, self.value, width)
        return Content.assemble(*(Content.styled(ch, _STYLES[kind]) for ch, kind in cells))

    def _band(self, room: int) -> Content:
        text, inside = band_fit(self.track, self.value, room)
        if room <= 0 or not text:
            return Content(" " * max(room, 0))
        return Content.styled(text.ljust(room), "bold $foreground" if inside else "$text-muted")

    def _numbers(self) -> Content:
        delta = delta_text(self.value - self.start)
        return Content.assemble(
            Content.styled(str(self.value).rjust(self.columns.number), "bold $foreground"),
            Content.styled(delta.ljust(2) if len(delta) <= 2 else delta, "bold $foreground"),
        )

    def _name_cells(self, room: int) -> Content:
        t = self.track
        name = t.name if self.longest_name <= room else fit_name(t, room)
        return Content.styled(name.ljust(room), "$foreground")

    def render(self) -> Content:
        width = max(self.content_size.width, 12)
        lines = max(self.content_size.height, 1)
        numbers = self._numbers()
        cols = self.columns
        if lines == 1 or (self.compact and self.band_below):
            # name · bar · value▲1 · band, every column the same width in every gauge
            fits = cols.name + 1 + MIN_BAR + 1 + numbers.cell_length + 1 + cols.band <= width
            name_w = cols.name if fits else self.name_width(width - numbers.cell_length - 1)
            rest = width - name_w - 1 - numbers.cell_length
            if self.band_below:  # name and value; the band under them, from the band's column
                text = Content(band_fit(self.track, self.value, width)[0])
                at = max(0, min(name_w + 1 + numbers.cell_length + 1, width - text.cell_length))
                return Content("\n").join([
                    Content.assemble(self._name_cells(name_w), " ", numbers),
                    Content.assemble(" " * at, self._band(width - at)),
                ])
            band_w = min(cols.band, max(0, rest - 1))
            bar_w = rest - 1 - band_w - 1
            parts: list[str | Content] = [self._name_cells(name_w), " "]
            if bar_w >= MIN_BAR:
                parts += [self._bar(bar_w), " "]
            else:  # no room for a bar: the band gets the width
                band_w = rest - 1
            parts += [numbers, " ", self._band(band_w)]
            return Content.assemble(*parts)
        # two lines or more: name, value and band over a full-width bar
        head_room = width - numbers.cell_length - 1
        # the band gets all the name column does not take
        name_w = self.name_width(head_room)
        band_w = max(0, head_room - name_w - 1)
        # the change this round in words ("▲2 this round"), where a line has room for it:
        # under the bar beside whom a rise helps, else after the band
        note = f"{delta_text(self.value - self.start)} this round" if self.value != self.start else ""
        helps = f"a rise helps {in_sentence(self.helps)}" if lines >= 3 and self.helps else ""
        if note and helps and len(helps) + 3 + len(note) <= width:
            helps, note = f"{helps} · {note}", ""
        band_used = len(band_fit(self.track, self.value, band_w)[0]) if band_w else 0
        tail: list[str | Content] = []
        sep = " · " if band_used else ""
        if note and band_w - band_used >= len(note) + len(sep):
            tail = [" ", self._band(band_used), Content.styled(f"{sep}{note}".ljust(band_w - band_used), "$text-muted")]
        elif band_w:
            tail = [" ", self._band(band_w)]
        head = Content.assemble(self._name_cells(name_w), " ", numbers, *tail)
        rows = [head, self._bar(width)]
        if helps:
            rows.append(Content.styled(shorten_phrase(helps, width), "$text-muted"))
        return Content("\n").join(rows)


class TrackPanel(VerticalGroup):
    """Every track of the campaign as a gauge; fed a View. Its border title (if it has a
    border) is the longest of :data:`TITLES` that fits its width."""

    DEFAULT_CSS = """
    TrackPanel { height: auto; }
    """

    #: what the colours mean, longest first
    TITLES = ("Tracks (colour: whom a rise helps)", "Tracks (colour: a rise helps)", "Tracks")

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
        self.fit()

    def fit(self) -> None:
        """Fit the gauges to the pane the panel shares, which keeps its other widgets'
        least heights (the played cards' pane): gauges of two lines (``-two-line``, on a
        tall screen that would give three) or of one (``-one-line``) when taller ones do
        not fit. Then give each one-line gauge whose band does not fit beside its name a
        second line for it, in the campaign's order, while the pane has rows to spare; a
        band that gets no line is shortened by whole words. The screen calls it again
        when its size changes."""
        gauges = list(self.query(TrackGauge))
        if not gauges or self.parent is None:
            return
        others = sum(
            int(w.styles.min_height.value) if w.styles.min_height is not None else 1
            for w in self.parent.children if w is not self and w.display
        )
        room = cast(Widget, self.parent).content_size.height - others - self.styles.gutter.height
        if room > 0:
            self.set_class(len(gauges) * 3 > room, "-two-line")
            self.set_class(len(gauges) * 2 > room, "-one-line")
        width = gauges[0].content_size.width
        if not width or not (self.has_class("-one-line") or gauges[0].compact):
            for gauge in gauges:
                gauge.band_below = False
            return
        spare = room - len(gauges)
        for gauge in gauges:
            below = spare > 0 and not gauge.band_fits(width)
            spare -= below
            gauge.band_below = below

    def on_mount(self) -> None:
        self.watch_view(self.view)

    def on_resize(self) -> None:
        room = self.outer_size.width - 2  # a corner each side
        self.border_title = next((t for t in self.TITLES if len(t) <= room), self.TITLES[-1])
