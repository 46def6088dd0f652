"""The bars across the top of the viewer: where we are, whose eyes we look through, damage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.replay.model import Seat, nice_date
from tabletop.tui.text import accent_class
from tabletop.tui.widgets.footer import Footer
from tabletop.tui.widgets.header import turn_words as board_turn_words


def turn_words(engine: Engine, view: View) -> str:
    """The board's words for whose turn it is (``Veldia's turn``, ``Vote``, ``Paused``,
    ``Over``, ``Adjudication``), except between two turns of a side: ``Red to act``."""
    between = view.outcome is None and not view.paused and view.vote is None and view.turn is None
    if between and view.step in engine.actors_of:
        return f"{engine.side_name(view.step)} to act"
    return board_turn_words(engine, view)


class ReplayHeader(HorizontalGroup):
    """One line: ``Event k/N │ Round r/R · date │ whose turn``, then the campaign and save."""

    DEFAULT_CSS = """
    ReplayHeader {
        height: 1;
        background: $panel;
        #rh-where { width: auto; color: $foreground; text-wrap: nowrap; padding: 0 1; }
        #rh-title { width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; padding: 0 1 0 2; text-align: right; }
    }
    """

    view: reactive[View | None] = reactive(None)

    def __init__(self, engine: Engine, save_name: str, total: int, parent: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.save_name = save_name
        self.total = total
        self.fork_of = parent  # "what if from <parent save> at event N", for a fork

    def compose(self) -> ComposeResult:
        yield Static("", id="rh-where", markup=False)
        parent = f" ({self.fork_of})" if self.fork_of else ""
        yield Static(f"{self.engine.campaign.title} · {self.save_name}{parent}", id="rh-title", markup=False)

    def watch_view(self, view: View | None) -> None:
        if view is None or not self.is_mounted:
            return
        rounds = self.engine.campaign.calendar.rounds
        where = Content.assemble(
            Content.styled(f"Event {view.seq}/{self.total}", "bold"),
            Content.styled(" │ ", "$text-muted"),
            (f"Round {view.round}/{rounds}" if view.round else "The deal") + f" · {nice_date(view.date)}",
            Content.styled(" │ ", "$text-muted"),
            Content.styled(turn_words(self.engine, view), "bold"),
        )
        self.query_one("#rh-where", Static).update(where)

    def on_mount(self) -> None:
        self.watch_view(self.view)


class ViewpointBar(Static):
    """Whose knowledge the screen shows, in the viewpoint's colour: impossible to miss."""

    DEFAULT_CSS = """
    ViewpointBar {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $primary 30%;
        color: $foreground;
    }
    """

    seat: reactive[Seat | None] = reactive(None)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def watch_seat(self, seat: Seat | None) -> None:
        if seat is None:
            return
        for cls in list(self.classes):
            if cls.startswith("vp-"):
                self.remove_class(cls)
        kind = "everything" if seat.everything else "side" if seat.side else "public"
        self.add_class(f"vp-{kind}")
        if seat.side:
            self.add_class("vp-" + accent_class(self.engine, seat.side))
        self.update(
            Content.assemble(
                Content.styled("Viewpoint: ", ""),
                Content.styled(seat.name.upper(), "bold"),
                Content.styled(f" — {seat.scope}", ""),
            )
        )


class DamageBanner(Static):
    """The damage sentence of a save read only in part."""

    DEFAULT_CSS = """
    DamageBanner {
        height: auto;
        padding: 0 1;
        background: $error 35%;
        color: $foreground;
        text-style: bold;
    }
    """


class ReplayFooter(Footer):
    """The footer; keys that only fit a wide terminal carry ``-wide-only`` (hidden below 100 columns)."""

    WIDE_ONLY = frozenset({"round(1)", "assess"})

    def hidden(self, key: FooterKey) -> bool:
        """A wide-only key on a narrow screen (its CSS hides it: it takes no room)."""
        return key.has_class("-wide-only") and self.screen.has_class("-narrow")

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in self.WIDE_ONLY:
                widget.add_class("-wide-only")
            yield widget
