"""The trainer's assessment in the viewer: each learning objective's final rating (P/S/M/U)
and the improvement plan (corrective action, owner, due date, what it answers).

Both are kept in the notes sidecar beside the save (:mod:`tabletop.journal.notes`), never in
the save; ``tabletop report --format aar`` reads them. The screen shows, for each objective,
what the evaluators said (how many observations, their ratings) and the first evidence
line, so the trainer sets the final rating with the record in view.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from tabletop.analysis.evaluation import Evaluation
from tabletop.analysis.evidence import Measured
from tabletop.analysis.report import Builder
from tabletop.journal.notes import (
    MAX_ACTION,
    MAX_FIELD,
    RATINGS,
    Action,
    read_notes,
    save_action,
    set_rating,
)
from tabletop.journal.replay import Replay
from tabletop.tui.replay.screens.dialogs import ErrorLine
from tabletop.tui.replay.widgets.bars import ReplayFooter
from tabletop.tui.screens.dialog import Dialog

NOT_SET = "not set"


def _short(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis (the dialog shows it whole)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def rating_options() -> list[tuple[str, str]]:
    return [(f"{k} — {v}", k) for k, v in RATINGS.items()]


def answer_options(ev: Evaluation) -> list[tuple[str, str]]:
    """What a corrective action may answer: each learning objective, each observation."""
    out = [(f"Objective: {text}", ref) for ref, text in ev.refs.items()]
    for o in ev.observations():
        short = o.text if len(o.text) <= 60 else o.text[:59] + "…"
        out.append((f"Observation (event {o.seq}): {short}", o.ref))
    return out


def evaluators_said(ev: Evaluation) -> dict[str, str]:
    """Objective reference -> what the evaluators said of it, in a line."""
    out = {}
    for a in ev.assessed():
        n = len(a.observations)
        said = f"{n} observation{'s' if n != 1 else ''}"
        if a.ratings:
            said += " · evaluators rated " + ", ".join(f"{r}×{k}" for r, k in a.ratings)
        out[a.ref] = said
    return out


@dataclass(frozen=True)
class ActionDraft:
    action: str
    owner: str
    due: str
    answers: str


class ActionScreen(Dialog[ActionDraft | None]):
    """A corrective action of the improvement plan: add one, or edit ``current``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, answers: list[tuple[str, str]], current: Action | None = None, default: str = "") -> None:
        super().__init__()
        self.answers = answers
        self.current = current
        self.default = current.answers if current else default

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog", id="action-box"):
            yield Static(f"Corrective action {c.id}" if c else "A new corrective action", classes="dialog-title",
                         markup=False)
            yield Label("What will be done", classes="dialog-label")
            yield Input(c.action if c else "", id="action-text", max_length=MAX_ACTION,
                        placeholder="e.g. a consult-before-acting drill for the boarding team")
            with HorizontalGroup(classes="form-row"):
                yield Label("Owner", classes="form-label action-label")
                yield Input(c.owner if c else "", id="action-owner", max_length=MAX_FIELD,
                            placeholder="who is responsible")
            with HorizontalGroup(classes="form-row"):
                yield Label("Due", classes="form-label action-label")
                yield Input(c.due if c else "", id="action-due", max_length=MAX_FIELD, placeholder="e.g. 2027-03-01")
            yield Label("It answers", classes="dialog-label")
            yield Select(self.answers, id="action-answers", prompt="nothing in particular",
                         value=self.default if self.default in {v for _, v in self.answers} else Select.NULL)
            yield ErrorLine(id="action-error")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Save", id="action-save", variant="primary", compact=True)
                yield Button("Cancel", id="action-cancel", compact=True)
            yield Static("ctrl+s or enter save · esc cancel · kept beside the save, never in it", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#action-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#action-save")
    def action_save(self) -> None:
        text = self.query_one("#action-text", Input).value.strip()
        if not text:
            self.query_one("#action-error", ErrorLine).say("Say what will be done (or esc to cancel).")
            self.query_one("#action-text", Input).focus()
            return
        answers = self.query_one("#action-answers", Select).value
        self.dismiss(ActionDraft(
            text, self.query_one("#action-owner", Input).value.strip(), self.query_one("#action-due", Input).value.strip(),
            answers if isinstance(answers, str) else "",
        ))

    @on(Button.Pressed, "#action-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AssessmentScreen(Screen[str | None]):
    """Final ratings and the improvement plan, kept in the notes sidecar; dismissed with the
    trainer's name (it signs the next note too)."""

    HELP_TITLE = "the assessment"

    BINDINGS = [
        Binding("escape,q", "close", "Back", tooltip="Back to the replay (everything is already saved)."),
        Binding("plus,a", "add", "Add action", key_display="+", tooltip="Add a corrective action to the improvement plan."),
        Binding("e", "edit", "Edit", tooltip="Edit the corrective action under the cursor."),
        Binding("delete,d", "remove", "Remove", key_display="del", tooltip="Remove the corrective action under the cursor."),
    ]

    def __init__(self, replay: Replay, save_path: Path, author: str = "") -> None:
        super().__init__()
        self.replay = replay
        self.save_path = save_path
        self.author = author
        self.ev = Evaluation(replay, read_notes(save_path))
        self._words: Builder | None = None

    def compose(self) -> ComposeResult:
        said = evaluators_said(self.ev)
        with VerticalScroll(id="as-body"):
            yield Static(f"Assessment — {self.replay.campaign.title}", classes="dialog-title", markup=False)
            yield Static(
                "Set each learning objective's final rating, and plan the corrective actions. Kept in "
                f"{self.save_path.name.removesuffix('.jsonl')}.notes.jsonl beside the save; "
                "tabletop report --format aar prints them.", classes="as-hint", markup=False)
            if not self.ev.refs:
                yield Static("The campaign lists no learning objectives.", classes="as-hint", markup=False)
            for n, a in enumerate(self.ev.assessed()):
                with Vertical(classes="as-objective"):
                    yield Static(a.text, classes="as-objective-text", markup=False)
                    first = next((line for m in a.evidence.evidence for line in self.ev_lines(m)), "")
                    yield Static(said[a.ref] + (f" · evidence: {first}" if first else ""), classes="as-said",
                                 markup=False)
                    for o in a.observations:
                        rating = f"{o.rating} " if o.rating else ""
                        yield Static(f"  {rating}{o.author or 'Evaluator'} (event {o.about}): {o.text}",
                                     classes="as-observation", markup=False)
                    yield Select(rating_options(), id=f"rate-{n}", prompt=f"Final rating: {NOT_SET}",
                                 value=a.final.rating if a.final else Select.NULL, compact=True)
            yield Static("Improvement plan", classes="as-heading")
            yield DataTable(id="as-plan", cursor_type="row", zebra_stripes=True)
            yield Static("", id="as-plan-empty", classes="as-hint", markup=False)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Add action", id="as-add", variant="primary", compact=True)
                yield Button("Edit", id="as-edit", compact=True)
                yield Button("Remove", id="as-remove", compact=True)
            with HorizontalGroup(classes="form-row"):
                yield Label("By", classes="form-label")
                yield Input(self.author, placeholder="your name: it signs the ratings and actions you set",
                            id="as-author", max_length=80)
        yield ReplayFooter(compact=True, show_command_palette=False)

    def ev_lines(self, m: Measured) -> list[str]:
        """An evidence item measured, in the report's words."""
        if self._words is None:
            self._words = Builder(self.replay, self.save_path.name, self.ev.notes)
        return self._words.v2.measured(m)

    def on_mount(self) -> None:
        table = self.query_one("#as-plan", DataTable)
        table.add_columns("#", "Corrective action", "Owner", "Due", "Answers")
        self.show_plan()

    @property
    def signer(self) -> str:
        """The name in the "By" field (it signs ratings and actions)."""
        return self.query_one("#as-author", Input).value.strip()

    # ---- ratings

    @on(Select.Changed)
    def _rated(self, event: Select.Changed) -> None:
        sid = event.select.id or ""
        if not sid.startswith("rate-"):
            return
        a = self.ev.assessed()[int(sid[5:])]
        value = event.value if isinstance(event.value, str) else ""
        if value == (a.final.rating if a.final else ""):
            return
        try:
            set_rating(self.save_path, a.ref, value, author=self.signer)
        except (ValueError, OSError) as e:
            self.notify(f"The rating was not saved: {e}", severity="error")
            return
        self.reload()
        words = f"{value} ({RATINGS[value]})" if value else NOT_SET
        self.notify(f"Final rating of “{a.text}”: {words}.", timeout=3)

    # ---- the plan

    def reload(self) -> None:
        self.ev = Evaluation(self.replay, read_notes(self.save_path), self.ev.d)

    def show_plan(self) -> None:
        table = self.query_one("#as-plan", DataTable)
        table.clear()
        words = dict((v, k) for k, v in answer_options(self.ev))
        for a in self.ev.notes.actions:
            answers = words.get(a.answers, a.answers or "—")
            table.add_row(str(a.id), _short(a.action, 44), _short(a.owner or "to be named", 20),
                          _short(a.due or "to be set", 12), _short(answers, 40), key=str(a.id))
        table.display = bool(self.ev.notes.actions)
        self.query_one("#as-plan-empty", Static).update(
            "" if self.ev.notes.actions else "No corrective action yet: + adds one.")

    def selected(self) -> Action | None:
        table = self.query_one("#as-plan", DataTable)
        acts = self.ev.notes.actions
        if not acts or not 0 <= table.cursor_row < len(acts):
            return None
        return acts[table.cursor_row]

    @on(Button.Pressed, "#as-add")
    def action_add(self) -> None:
        self._edit(None)

    @on(Button.Pressed, "#as-edit")
    def action_edit(self) -> None:
        current = self.selected()
        if current is None:
            self.notify("No corrective action to edit yet: + adds one.", timeout=3)
            return
        self._edit(current)

    def _edit(self, current: Action | None) -> None:
        def done(draft: ActionDraft | None) -> None:
            if draft is None:
                return
            try:
                a = save_action(self.save_path, draft.action, draft.owner, draft.due, draft.answers, self.signer,
                                id=current.id if current else None)
            except (ValueError, OSError) as e:
                self.notify(f"The corrective action was not saved: {e}", severity="error")
                return
            self.reload()
            self.show_plan()
            self.notify(f"Corrective action {a.id} saved.", timeout=3)

        self.app.push_screen(ActionScreen(answer_options(self.ev), current), done)

    @on(Button.Pressed, "#as-remove")
    def action_remove(self) -> None:
        current = self.selected()
        if current is None:
            self.notify("No corrective action to remove.", timeout=3)
            return
        try:
            save_action(self.save_path, "", author=self.signer, id=current.id, deleted=True)
        except (ValueError, OSError) as e:
            self.notify(f"Not removed: {e}", severity="error")
            return
        self.reload()
        self.show_plan()
        self.notify(f"Corrective action {current.id} removed.", timeout=3)

    def action_close(self) -> None:
        self.dismiss(self.signer or None)
