"""The hotwash: once the exercise is over, each seat answers three short questions.

Offered on the end screen (a key and a button), never in the way: every answer is
optional, escape skips, and the end screen stays as it was. :class:`HotwashDialog`
dismisses the :class:`~tabletop.engine.commands.Hotwash` to send; :class:`HotwashDesk`
is what the end screen holds to offer it (the seats that answer at this keyboard, and
which of them the engine still takes an answer from).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.session import Session
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.sending import send

QUESTIONS = (
    ("went_well", "Went well", "What went well?"),
    ("improve", "To improve", "What should be done better next time?"),
    ("lesson", "Lesson", "One lesson you take away"),
)


class HotwashDialog(Dialog[C.Hotwash | None]):
    """The seat answering (one of ``seats``), its name (an evaluator's), the three answers."""

    HELP_TITLE = "hotwash"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save these answers in the journal."),
        Binding("escape", "skip", "Skip", tooltip="Close without answering (you can come back with h)."),
    ]

    def __init__(
        self, engine: Engine, seats: Sequence[str], *, author: str = "", draft: C.Hotwash | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.seats = list(seats)
        self.author = draft.author if draft is not None else author
        self.draft = draft

    def compose(self) -> ComposeResult:
        d = self.draft
        choices = [(_name(self.engine, s), s) for s in self.seats]
        seat = d.seat if d is not None and d.seat in self.seats else self.seats[0]
        with Vertical(id="hotwash-box", classes="dialog"):
            yield Static("Hotwash: three short questions", classes="dialog-title", markup=False)
            yield Static("Each answer is optional and kept for the after-action report. esc skips.",
                         classes="dialog-hint", markup=False)
            with HorizontalGroup(classes="observe-row"):
                yield Label("Answering", classes="observe-label")
                yield Select(choices, value=seat, allow_blank=False, compact=True, id="hotwash-seat")
            with HorizontalGroup(classes="observe-row", id="hotwash-author-row"):
                yield Label("Your name", classes="observe-label")
                yield Input(self.author, placeholder="Evaluator", max_length=C.MAX_NAME, compact=True,
                            id="hotwash-author")
            for key, label, question in QUESTIONS:
                with HorizontalGroup(classes="observe-row"):
                    yield Label(label, classes="observe-label")
                    yield Input(getattr(d, key) if d is not None else "", placeholder=question,
                                max_length=C.MAX_HOTWASH, compact=True, id=f"hotwash-{key}")
            yield Static("Answer at least one question, or skip.", classes="dialog-problem", id="hotwash-problem")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="hotwash-save", variant="primary", compact=True)
                yield Button("Skip (esc)", id="hotwash-skip", compact=True)

    def on_mount(self) -> None:
        self._author_row()
        self.query_one("#hotwash-went_well", Input).focus()

    @on(Select.Changed, "#hotwash-seat")
    def _author_row(self) -> None:
        """A name is asked of the evaluators only (several share their seat)."""
        self.query_one("#hotwash-author-row").display = self._seat() == C.EVALUATOR

    def _seat(self) -> str:
        return str(self.query_one("#hotwash-seat", Select).value)

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#hotwash-save")
    def action_save(self) -> None:
        answers = {key: self.query_one(f"#hotwash-{key}", Input).value.strip() for key, _, _ in QUESTIONS}
        if not any(answers.values()):
            self.query_one("#hotwash-problem").display = True
            return
        seat = self._seat()
        author = " ".join(self.query_one("#hotwash-author", Input).value.split()) if seat == C.EVALUATOR else ""
        self.dismiss(C.Hotwash(seat, answers["went_well"], answers["improve"], answers["lesson"], author))

    @on(Button.Pressed, "#hotwash-skip")
    def action_skip(self) -> None:
        self.dismiss(None)


def _name(engine: Engine, seat: str) -> str:
    """A seat as the dialog offers it: ``Veldia``, ``The facilitator``, ``An evaluator``."""
    if seat == C.EVALUATOR:
        return "An evaluator"
    name = engine.seat_name(seat)
    return name[:1].upper() + name[1:]


@dataclass
class HotwashDesk:
    """The seats that answer the hotwash at this keyboard, and the answers sent from it."""

    session: Session
    seats: Sequence[str]
    author: str = ""  # the evaluator's name, as last given
    answered: list[str] = field(default_factory=list)  # the seats whose answers were recorded here

    def open_seats(self) -> list[str]:
        """The seats the engine still takes a hotwash from (after the end, once each)."""
        return [s for s in self.seats if self.session.options(s).can_hotwash]

    def open(self, screen: Screen[Any], draft: C.Hotwash | None = None) -> bool:
        """Put the dialog up over ``screen`` (False if no seat here may answer)."""
        seats = self.open_seats()
        if draft is not None and draft.seat not in seats and draft.seat in self.seats:
            seats.insert(0, draft.seat)  # an evaluator answering under another name
        if not seats:
            return False

        async def done(command: C.Hotwash | None) -> None:
            if command is None:
                return
            if command.seat == C.EVALUATOR:
                self.author = command.author
            if await send(screen, self.session, command, refused="Not recorded"):
                self.answered.append(command.seat)
                left = len(self.open_seats())
                more = f" {left} more seat{'s' if left != 1 else ''} can answer: press h." if left else ""
                who = command.author or ("an evaluator" if command.seat == C.EVALUATOR
                                         else self.session.engine.seat_name(command.seat))
                screen.notify(f"Hotwash of {who} recorded.{more}", title="Hotwash")
                after = getattr(screen, "after_record", None)
                if after is not None:
                    after()
            else:
                self.open(screen, command)

        screen.app.push_screen(HotwashDialog(self.session.engine, seats, author=self.author, draft=draft), done)
        return True
