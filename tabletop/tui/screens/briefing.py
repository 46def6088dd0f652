"""The briefing, shown at game start: title, situation, learning objectives, seats."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tabletop.engine.grammar import noted
from tabletop.engine.rules import Engine
from tabletop.tui.text import reflow
from tabletop.tui.widgets.footer import Footer


class BriefingScreen(Screen[None]):
    """Read, then press enter to begin."""

    HELP_TITLE = 'briefing'

    BINDINGS = [
        Binding("enter", "begin", "Begin", tooltip="Close the briefing and start the exercise."),
        Binding("escape", "begin", "Begin", show=False),
    ]

    def __init__(self, engine: Engine, seats: dict[str, str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.seats = seats  # seat -> "human" | "bot:..."

    def compose(self) -> ComposeResult:
        c = self.engine.campaign
        with Vertical(id="briefing"):
            yield Static(c.title, id="briefing-title", markup=False)
            yield Static(self._seat_lines(), id="briefing-seats", markup=False)
            with VerticalScroll(id="briefing-body"):
                yield Static(reflow(c.briefing), id="briefing-text", markup=False)
                if c.learning:
                    yield Static("Learning objectives", classes="briefing-heading")
                    yield Static("\n".join(f"• {' '.join(lo.text.split())}" for lo in c.learning), markup=False)
            yield Static("Press enter to begin · ↑↓ PgUp PgDn to read on", id="briefing-hint")
        yield Footer()

    def _seat_lines(self) -> str:
        """``Seats: Northmark (you) · Veldia (bot) · … · facilitator (you: press f) · evaluators (press o)``."""
        parts = []
        for side in self.engine.campaign.sides:
            for actor in side.actors:
                who = self.seats.get(actor.id, "human")
                label = {"human": "you", "remote": "joins remotely"}.get(who, "bot")
                parts.append(noted(actor.name, label))
        fac = self.seats.get("facilitator", "human")
        parts.append(f"facilitator ({ {'human': 'you: press f', 'remote': 'at the host'}.get(fac, 'bot') })")
        if "evaluator" in self.seats:  # this keyboard records observations
            parts.append("evaluators (press o to observe)")
        return "Seats: " + " · ".join(parts)

    def on_mount(self) -> None:
        self.query_one("#briefing-body").focus()

    def action_begin(self) -> None:
        self.dismiss(None)
