"""A small editor for track changes (used by proposals, free injects and amendments)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Input, Label

from tabletop.engine.rules import Engine


class TrackDeltas(VerticalGroup):
    """One compact number field per track; blank or 0 means no change."""

    DEFAULT_CSS = """
    TrackDeltas { height: auto; layout: grid; grid-size: 3; grid-gutter: 0 2; grid-rows: 1; }
    TrackDeltas > HorizontalGroup { height: 1; }
    TrackDeltas Label { width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    TrackDeltas Input { width: 6; }
    """

    def __init__(self, engine: Engine, initial: dict[str, int] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.initial = dict(initial or {})

    def compose(self) -> ComposeResult:
        for track in self.engine.campaign.tracks:
            value = self.initial.get(track.id)
            with HorizontalGroup():
                yield Label(track.name)
                yield Input(
                    str(value) if value else "", placeholder="±0", type="integer", compact=True,
                    id=f"delta-{track.id}", select_on_focus=True,
                )

    def deltas(self) -> dict[str, int]:
        """Track id → change, for every field with a number other than 0."""
        out = {}
        for track in self.engine.campaign.tracks:
            text = self.query_one(f"#delta-{track.id}", Input).value.strip()
            try:
                value = int(text) if text not in ("", "-", "+") else 0
            except ValueError:
                value = 0
            if value:
                out[track.id] = value
        return out
