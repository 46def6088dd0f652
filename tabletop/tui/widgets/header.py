"""The header line: campaign, seed, round, in-game date, phase, and whose turn it is."""

from __future__ import annotations


from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Static

from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import accent_class, nice_date, seat_name



class GameHeader(HorizontalGroup):
    """One line: title (shortened if need be) · round N/total · date · phase · turn.

    Never the seed: whoever knows it can work out every hand and every roll.
    """

    DEFAULT_CSS = """
    GameHeader {
        height: 1;
        background: $panel;
        #header-title { width: 1fr; min-width: 12; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; padding: 0 1; }
        #header-info { width: auto; color: $text-muted; text-wrap: nowrap; }
        #header-turn { width: auto; max-width: 28; text-style: bold; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    view: reactive[View | None] = reactive(None)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def compose(self) -> ComposeResult:
        yield Static(escape(self.engine.campaign.title), id="header-title")
        yield Static("", id="header-info")
        yield Static("", id="header-turn")

    def watch_view(self, view: View | None) -> None:
        if view is None or not self.is_mounted:
            return
        cal = self.engine.campaign.calendar
        round_ = max(view.round, 1)
        info = f"Round {round_}/{cal.rounds} · {nice_date(view.date)} │ [$foreground]{escape(self.engine.phase_name(view.phase))}[/]"
        self.query_one("#header-info", Static).update(info)
        turn = self.query_one("#header-turn", Static)
        for cls in list(turn.classes):
            if cls.startswith("side-"):
                turn.remove_class(cls)
        if view.outcome is not None:
            turn.update("│ Over")
        elif view.paused:
            turn.update("│ Paused")
        elif view.vote is not None:
            turn.update("│ Vote")
        elif view.turn is not None:
            turn.add_class(accent_class(self.engine, self.engine.side_of.get(view.turn)))
            turn.update(f"│ {escape(seat_name(self.engine, view.turn))}'s turn")
        else:
            step = view.step.replace("_", " ")
            turn.update(f"│ {escape(step.capitalize())}" if step else "")

    def on_mount(self) -> None:
        self.watch_view(self.view)
