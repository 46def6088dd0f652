"""The after-action report as a document: sections made of a few kinds of block.

:func:`tabletop.analysis.report.build_report` makes one from a save;
:mod:`tabletop.analysis.render` writes it as Markdown or as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tabletop.analysis.debrief import TrackSeries


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = ""  # "" | "warning" | "lead"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Bullets:
    """A list; an item may carry sub-items."""

    items: tuple[tuple[str, tuple[str, ...]], ...]
    checklist: bool = False


@dataclass(frozen=True)
class Charts:
    """One line chart per track (HTML); Markdown shows ``table`` instead."""

    series: TrackSeries
    table: Table
    spec: tuple[tuple[str, str, int, int, tuple[tuple[int, str], ...]], ...]  # (id, name, min, max, thresholds)
    round_starts: tuple[tuple[int, int], ...]  # (round, first seq)
    events: int


Block = Para | Heading | Table | Bullets | Charts


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    marking: str = ""  # a handling line (e.g. a classification), at the top and bottom of every page
