"""The observation dialog: an evaluator (or the facilitator) records what they saw.

It is opened at a shared keyboard, so it shows only public information: the public
events the caller passes (in words), the campaign's learning objectives and the P/S/M/U
scale. It dismisses the :class:`~tabletop.engine.commands.Observe` to send, or None.
:class:`Notebook` is what a screen holds to offer it: who observes at this keyboard, as
whom, and where the events come from; a refusal opens the dialog again with the draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.session import Session
from tabletop.tui.chronicle import LogLine
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.sending import send
from tabletop.tui.text import first_line

#: (event seq, the event in words) for the "about" choice
EventChoice = tuple[int, str]
#: how many recent events the dialog offers
RECENT = 20


def event_choices(lines: Sequence[LogLine], limit: int = RECENT) -> list[EventChoice]:
    """The latest events of a log an observation may be about, newest first (draws and
    the evaluation's own lines left out)."""
    picked = [line for line in lines if line.seq > 0 and line.kind not in ("draw", "evaluation")][-limit:]
    return [(line.seq, f"R{max(line.round, 1)} · {first_line(line.text, 48)}") for line in reversed(picked)]


class ObservationDialog(Dialog[C.Observe | None]):
    """Text, the event it is about (default: the latest), a learning objective, a P/S/M/U
    rating and strength / area for improvement, and the author's name."""

    HELP_TITLE = "observation"
    BINDINGS = [
        Binding("ctrl+s", "record", "Record", priority=True, tooltip="Record the observation in the journal."),
        Binding("escape", "cancel", "Cancel", tooltip="Close without recording anything."),
    ]

    def __init__(
        self, engine: Engine, seat: str = C.EVALUATOR, events: Sequence[EventChoice] = (), *,
        author: str = "", draft: C.Observe | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.seat = seat
        self.events = list(events)
        self.author = draft.author if draft is not None else author
        self.draft = draft

    def compose(self) -> ComposeResult:
        d = self.draft
        who = "the facilitator" if self.seat == C.FACILITATOR else "an evaluator"
        about = [(words, seq) for seq, words in self.events] or [("The latest event", 0)]
        about_value = d.about if d is not None and any(seq == d.about for _, seq in about) else about[0][1]
        objectives = [("No learning objective", "")] + [
            (first_line(f"{n}. {text}", 52), ref) for n, (ref, text) in enumerate(self.engine.objective_refs.items(), 1)
        ]
        ratings = [("No rating", "")] + [(f"{k} — {words}", k) for k, words in C.RATINGS.items()]
        kinds = [("Neither", "")] + [(words, k) for k, words in C.KINDS.items()]
        with Vertical(id="observe-box", classes="dialog"):
            yield Static(f"Record an observation, as {who}", classes="dialog-title", markup=False)
            with HorizontalGroup(classes="observe-row"):
                yield Label("Observed", classes="observe-label")
                yield TextArea(d.text if d is not None else "", id="observe-text", soft_wrap=True, compact=True,
                               placeholder="What happened, and what it shows")
            with HorizontalGroup(classes="observe-row"):
                yield Label("About", classes="observe-label")
                yield Select(about, value=about_value, allow_blank=False, compact=True, id="observe-about")
            with HorizontalGroup(classes="observe-row"):
                yield Label("Objective", classes="observe-label")
                yield Select(objectives, value=d.objective if d is not None else "", allow_blank=False, compact=True,
                             id="observe-objective", disabled=len(objectives) == 1)
            with HorizontalGroup(classes="observe-row"):
                yield Label("Rating", classes="observe-label")
                yield Select(ratings, value=d.rating if d is not None else "", allow_blank=False, compact=True,
                             id="observe-rating")
            with HorizontalGroup(classes="observe-row"):
                yield Label("It shows", classes="observe-label")
                yield Select(kinds, value=d.kind if d is not None else "", allow_blank=False, compact=True,
                             id="observe-kind")
            with HorizontalGroup(classes="observe-row"):
                yield Label("Your name", classes="observe-label")
                yield Input(self.author, placeholder=C.DEFAULT_AUTHOR.get(self.seat, "Your name"),
                            max_length=C.MAX_NAME, compact=True, id="observe-author")
            yield Static("Write what you observed first.", classes="dialog-problem", id="observe-problem")
            yield Static("Only the facilitator and the evaluators read it, until the debrief. "
                         "tab: next field · ctrl+s: record · esc: cancel", classes="dialog-hint", markup=False)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Record (ctrl+s)", id="observe-record", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="observe-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#observe-text", TextArea).focus()

    def _value(self, selector: str) -> Any:
        return self.query_one(selector, Select).value

    @on(Button.Pressed, "#observe-record")
    def action_record(self) -> None:
        text = self.query_one("#observe-text", TextArea).text.strip()
        if not text:
            self.query_one("#observe-problem").display = True
            self.query_one("#observe-text", TextArea).focus()
            return
        self.dismiss(C.Observe(
            self.seat, text, int(self._value("#observe-about")), str(self._value("#observe-objective")),
            str(self._value("#observe-rating")), str(self._value("#observe-kind")),
            " ".join(self.query_one("#observe-author", Input).value.split()),
        ))

    @on(Button.Pressed, "#observe-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class Notebook:
    """Who records observations at this keyboard (``seat``: the evaluators' or the
    facilitator's), under which name, and the public events they may refer to."""

    session: Session
    seat: str
    events: Callable[[], list[EventChoice]]
    author: str = ""

    def can_observe(self) -> bool:
        """The engine takes an observation from this seat now (see ``Options.can_observe``)."""
        return self.session.options(self.seat).can_observe

    def open(self, screen: Screen[Any], draft: C.Observe | None = None) -> None:
        """Put the dialog up over ``screen``; send what it dismisses (a refusal: again, with the draft)."""

        async def done(command: C.Observe | None) -> None:
            if command is None:
                return
            self.author = command.author
            if await send(screen, self.session, command, refused="Not recorded"):
                screen.notify("Observation recorded: only the facilitator and the evaluators see it.",
                              title="Observation")
                after = getattr(screen, "after_record", None)  # e.g. the end screen's fingerprint
                if after is not None:
                    after()
            else:
                self.open(screen, command)

        screen.app.push_screen(ObservationDialog(
            self.session.engine, self.seat, self.events(), author=self.author, draft=draft,
        ), done)
