"""The viewer's small dialogs; each dismisses a typed result (None: cancelled)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from tabletop.engine.commands import FACILITATOR
from tabletop.journal.notes import MAX_NOTE
from tabletop.journal.replay import Replay
from tabletop.tui.replay.model import Seat, parse_target
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.text import seat_name

HUMAN = "human"


class ErrorLine(Static):
    """A dialog's error sentence: takes no room until there is one."""

    DEFAULT_CSS = """
    ErrorLine { color: $error; height: auto; display: none; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def say(self, text: str) -> None:
        self.update(text)
        self.display = bool(text)


class JumpScreen(Dialog[int | None]):
    """Go to an event by number, or to a round (``r3``)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, replay: Replay, current: int) -> None:
        super().__init__()
        self.replay = replay
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jump-box"):
            yield Static("Go to", classes="dialog-title")
            yield Label(f"An event from 0 to {len(self.replay)}, or r and a round number (r3).", classes="dialog-hint")
            yield Input(placeholder=str(self.current), id="jump-input", select_on_focus=True)
            yield ErrorLine(id="jump-error")
            yield Static("enter go · esc cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _go(self, event: Input.Submitted) -> None:
        try:
            k = parse_target(event.value, self.replay)
        except ValueError as e:
            self.query_one("#jump-error", ErrorLine).say(str(e).capitalize() + ".")
            return
        self.dismiss(k)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class NoteDraft:
    text: str
    author: str


class NoteScreen(Dialog[NoteDraft | None]):
    """A debrief note about one event: its text (several lines) and who wrote it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, k: int, sentence: str, author: str) -> None:
        super().__init__()
        self.k = k
        self.sentence = sentence
        self.author = author

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-box"):
            yield Static(f"Note on event {self.k}", classes="dialog-title", markup=False)
            yield Static(self.sentence, classes="dialog-text", markup=False)
            yield TextArea(id="note-text", soft_wrap=True, show_line_numbers=False)
            with HorizontalGroup(classes="form-row"):
                yield Label("By", classes="form-label")
                yield Input(self.author, placeholder="your name (optional)", id="note-author", max_length=80)
            yield ErrorLine(id="note-error")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Save", id="note-save", variant="primary")
                yield Button("Cancel", id="note-cancel")
            yield Static("ctrl+s save · esc cancel · kept beside the save, never in it", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#note-text", TextArea).focus()

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text.strip()
        error = self.query_one("#note-error", ErrorLine)
        if not text:
            error.say("Write something first (or esc to cancel).")
            return
        if len(text) > MAX_NOTE:
            error.say(f"A note is at most {MAX_NOTE} characters (this one has {len(text)}).")
            return
        self.dismiss(NoteDraft(text, self.query_one("#note-author", Input).value.strip()))

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ViewpointScreen(Dialog[str | None]):
    """Choose whose eyes to look through."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, seats: Sequence[Seat], current: str) -> None:
        super().__init__()
        self.seats = seats
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="viewpoint-box"):
            yield Static("Look through the eyes of…", classes="dialog-title")
            yield OptionList(
                *(Option(f"{s.name} — {s.scope}", id=s.id) for s in self.seats), id="viewpoint-list"
            )
            yield Static("enter choose · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = next((i for i, s in enumerate(self.seats) if s.id == self.current), 0)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ForkPointScreen(Dialog[int | None]):
    """The step is in the middle of a command: offer the decision points around it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, k: int, before: int, after: int | None) -> None:
        super().__init__()
        self.k, self.before, self.after = k, before, after

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="forkpoint-box"):
            yield Static("What if? Not from here", classes="dialog-title")
            yield Static(
                f"Event {self.k} is in the middle of a command: a new game can only start where the "
                "game waited for a decision.",
                classes="dialog-text",
            )
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button(f"Fork at {self.before}", id="fork-before", variant="primary")
                if self.after is not None:
                    yield Button(f"Fork at {self.after}", id="fork-after")
                yield Button("Cancel", id="fork-cancel")
            yield Static("esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#fork-before", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"fork-before": self.before, "fork-after": self.after}.get(event.button.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ForkRequest:
    """Where to save the what-if game, and who plays each seat in it."""

    path: Path
    controllers: dict[str, str]  # seat -> "human" | "bot:<kind>"


class ForkScreen(Dialog[ForkRequest | None]):
    """Where to save the what-if game that starts at step ``k``, and which seats bots play."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, k: int, replay: Replay, default: Path) -> None:
        super().__init__()
        self.k = k
        self.replay = replay
        self.default = default
        self.seats = dict(replay.header.seats)

    def compose(self) -> ComposeResult:
        e = self.replay.engine
        with Vertical(classes="dialog", id="fork-box"):
            yield Static(f"What if? A new game from event {self.k}", classes="dialog-title", markup=False)
            with VerticalScroll(id="fork-body"):
                yield Static(
                    f"The new save holds the first {self.k} events of this one and names it as its parent; "
                    "the same decisions draw the same dice. This save is not changed.",
                    classes="dialog-text", markup=False,
                )
                yield Label("Save the new game as", classes="dialog-label")
                yield Input(str(self.default), id="fork-path")
                yield ErrorLine(id="fork-error")
                yield Label("Bots play the ticked seats (space ticks); people play the others here.", classes="dialog-label")
                yield SelectionList[str](
                    *(
                        (seat_name(e, seat).capitalize() if seat == FACILITATOR else seat_name(e, seat), seat, who != HUMAN)
                        for seat, who in self.seats.items()
                    ),
                    id="fork-bots",
                )
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Fork and play", id="fork-go", variant="primary", compact=True)
                yield Button("Cancel", id="fork-cancel", compact=True)
            yield Static("enter fork and play · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#fork-path", Input).focus()

    def controllers(self) -> dict[str, str]:
        """Each seat's controller: a ticked seat keeps its bot (or gets the heuristic one)."""
        ticked = set(self.query_one("#fork-bots", SelectionList).selected)
        out = {}
        for seat, who in self.seats.items():
            if seat in ticked:
                out[seat] = who if who != HUMAN else "bot:heuristic"
            else:
                out[seat] = HUMAN
        return out

    @on(Input.Submitted)
    @on(Button.Pressed, "#fork-go")
    def _go(self) -> None:
        text = self.query_one("#fork-path", Input).value.strip()
        error = self.query_one("#fork-error", ErrorLine)
        if not text:
            error.say("Give the new save a file name.")
            return
        path = Path(text).expanduser()
        if path.exists():
            error.say(f"{path} already exists; a save is never overwritten.")
            return
        self.dismiss(ForkRequest(path, self.controllers()))

    @on(Button.Pressed, "#fork-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplayHelpScreen(Dialog[None]):
    """Every key of the screen it was opened from, and what the timeline's marks mean."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, title: str, keys: Sequence[tuple[str, str]], notes: str) -> None:
        super().__init__()
        self.help_title = title
        self.keys = keys
        self.notes = notes

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.keys), default=4) + 2
        with Vertical(id="help-box", classes="dialog"):
            yield Static(f"Keys — {self.help_title}", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                for key, text in self.keys:
                    with HorizontalGroup(classes="help-row"):
                        yield Static(key, classes="help-key", markup=False).set_styles(f"width: {width};")
                        yield Static(text, classes="help-text", markup=False)
                yield Static(self.notes, id="help-notes", markup=False)
            yield Static("esc to close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
