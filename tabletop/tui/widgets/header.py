"""The header line: campaign, round, in-game date, phase, and whose turn it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Static

from tabletop.engine.grammar import whose
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import accent_class, nice_date, seat_name, short_seat, shorten_words, step_words
from tabletop.tui.widgets.quiet import set_accent, set_text


def turn_words(engine: Engine, view: View, short: bool = False) -> str:
    """The header's last part: ``Over``, ``Paused``, ``Vote``, ``Latvia's turn``, ``Veldia
    and Ostrand's turns`` or the step (``Phase check``); ``short``: a seat's name without
    its bracketed part (``Belarus's turn``)."""
    if view.outcome is not None:
        return "Over"
    if view.paused:
        return "Paused"
    if view.vote is not None:
        return "Vote"
    if view.turn is not None:
        name = seat_name(engine, view.turn)
        return whose(short_seat(name) if short else name, "turn", start=True)
    if view.step in engine.campaign.side_by_id:  # between two turns of a side: its name, not its id
        return step_words(engine, view.step)
    return view.step.replace("_", " ").capitalize()


def short_title(title: str) -> str:
    """A campaign title without its subtitle: ``Belarus Border Crisis 2021`` of
    ``Belarus Border Crisis 2021: Migrants as a Weapon, …`` (the title itself if it has none)."""
    head, colon, _ = title.partition(": ")
    return head if colon and head.strip() else title


class GameHeader(HorizontalGroup):
    """One line: title · round N/total · date · phase · turn, shortened to fit the width.

    What gives way on a narrow screen, in turn: the title's subtitle, the bracketed part
    of the seat's name, the phase (the ladder below names it), the turn's last words
    (whole words; the title is cut last, to :data:`TITLE_LEAST` cells). Never the seed:
    whoever knows it can work out every hand and every roll.
    """

    DEFAULT_CSS = """
    GameHeader {
        height: 1;
        background: $panel;
        #header-title { width: 1fr; min-width: 12; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; padding: 0 1; }
        #header-info { width: auto; color: $text-muted; text-wrap: nowrap; }
        #header-turn { width: auto; text-style: bold; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    view: reactive[View | None] = reactive(None)

    #: the title's least width (its ``min-width``)
    TITLE_LEAST = 12

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def compose(self) -> ComposeResult:
        yield Static(escape(self.engine.campaign.title), id="header-title", markup=False)
        yield Static("", id="header-info")
        yield Static("", id="header-turn", markup=False)

    def _turn(self, view: View, short: bool) -> str:
        words = turn_words(self.engine, view, short)
        return f"│ {escape(words)}" if words else ""

    def watch_view(self, view: View | None) -> None:
        if view is None or not self.is_mounted:
            return
        accent = None
        if view.outcome is None and not view.paused and view.vote is None and view.turn is not None:
            accent = accent_class(self.engine, self.engine.side_of.get(view.turn))
        set_accent(self.query_one("#header-turn", Static), accent)
        self._fit(view)

    def on_resize(self) -> None:
        if self.view is not None:
            self._fit(self.view)

    def _fit(self, view: View) -> None:
        """The longest title, info and turn that fit in the width together (see the class)."""
        e = self.engine
        title = e.campaign.title
        when = f"Round {max(view.round, 1)}/{e.campaign.calendar.rounds} · {nice_date(view.date)}"
        phase = e.phase_name(view.phase)
        width = self.size.width
        tries = [
            (title, True, False), (short_title(title), True, False), (short_title(title), True, True),
            (short_title(title), False, True),
        ]
        for title_text, with_phase, short in tries:
            info = when + (f" │ {phase}" if with_phase else "")
            turn = self._turn(view, short)
            if len(title_text) + 2 + len(info) + len(turn) + 2 <= width:
                break
        else:  # the turn's words give way, whole, before the title's least width
            room = width - 2 - len(info) - 2 - len("│ ") - GameHeader.TITLE_LEAST
            words = turn_words(e, view, short=True)
            turn = f"│ {escape(shorten_words(words, room, whole=True))}" if words and room > 1 else ""
        set_text(self.query_one("#header-title", Static), title_text)
        info_markup = escape(when) + (f" │ [$foreground]{escape(phase)}[/]" if with_phase else "")
        set_text(self.query_one("#header-info", Static), info_markup)
        set_text(self.query_one("#header-turn", Static), turn)

    def on_mount(self) -> None:
        self.watch_view(self.view)
