"""The header line: campaign, seed, round, in-game date, phase, and whose turn it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Static

from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import accent_class, nice_date, seat_name, step_words


def turn_words(engine: Engine, view: View) -> str:
    """The header's last part: ``Over``, ``Paused``, ``Vote``, ``Latvia's turn``, ``Veldia
    and Ostrand's turns`` or the step (``Phase check``)."""
    if view.outcome is not None:
        return "Over"
    if view.paused:
        return "Paused"
    if view.vote is not None:
        return "Vote"
    if view.turn is not None:
        return f"{seat_name(engine, view.turn)}'s turn"
    if view.step in engine.campaign.side_by_id:  # between two turns of a side: its name, not its id
        return step_words(engine, view.step)
    return view.step.replace("_", " ").capitalize()


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
        if view.turn is not None and view.outcome is None and not view.paused and view.vote is None:
            turn.add_class(accent_class(self.engine, self.engine.side_of.get(view.turn)))
        words = turn_words(self.engine, view)
        turn.update(f"│ {escape(words)}" if words else "")

    def on_mount(self) -> None:
        self.watch_view(self.view)
