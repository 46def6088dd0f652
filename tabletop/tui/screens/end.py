"""The end of the exercise: why it ended, objectives met or missed, turning points, the save."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from tabletop.campaign.model import Objective
from tabletop.campaign.plural import noted
from tabletop.engine.narrate import Narrator
from tabletop.engine.rules import Engine
from tabletop.engine.state import Outcome
from tabletop.tui.chronicle import LogLine
from tabletop.tui.roles import RESULT_WORDS, hidden_values_lines, result_line
from tabletop.tui.screens.hotwash import HotwashDesk
from tabletop.tui.screens.observe import Notebook
from tabletop.tui.widgets.footer import Footer


class EndScreen(Screen[None]):

    HELP_TITLE = 'end of the exercise'
    BINDINGS = [
        # shown once in the footer, as the app's ^q: two "Quit" keys side by side read as two things
        Binding("q", "app.quit", "Quit", show=False, tooltip="Leave tabletop (the game is saved)."),
        Binding("escape,b", "close", "Back to the board", tooltip="Look at the final board again (press e to come back here)."),
        Binding("d", "debrief", "Debrief replay", tooltip="Leave the game and open its debrief replay viewer."),
        Binding("h", "hotwash", "Hotwash", tooltip="Each seat answers three short questions (optional, for the report)."),
        Binding("o", "observe", "Observe", show=False, tooltip="Record an evaluator's observation (seen by the facilitator and the evaluators)."),
    ]

    def __init__(
        self, engine: Engine, outcome: Outcome, narrator: Narrator, turning_points: list[LogLine],
        save_path: Path | None, fingerprint: str | None = None, values: Mapping[str, int | str] | None = None,
        *, hotwash: HotwashDesk | None = None, notebook: Notebook | None = None, **kwargs: object,
    ) -> None:
        """``hotwash``: the seats that may answer the hotwash here; ``notebook``: who may still
        record observations here (None: neither is offered)."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.outcome = outcome
        self.narrator = narrator
        self.turning_points = turning_points
        self.save_path = save_path
        #: the save's chain head (a joined seat: the host's save's, as last named to it)
        self.fingerprint = fingerprint
        #: the hidden values, revealed at the end
        self.values = dict(values or {})
        self.hotwash = hotwash
        self.notebook = notebook
        #: a seat here may still answer the hotwash (asked of the engine when it may change)
        self._hotwash_open = hotwash is not None and bool(hotwash.open_seats())

    def compose(self) -> ComposeResult:
        reason = self.narrator.end_reason(self.outcome.reason, self.outcome.detail)
        yield Static("The exercise is over", id="end-title")
        yield Static(f"It ended because {reason}.", id="end-reason", markup=False)
        with VerticalScroll(id="end-body"):
            yield Static(result_line(self.engine, self.outcome), id="end-result", markup=False)
            yield Static("Objectives", classes="section-heading")
            yield Static(self._objectives(), id="end-objectives")
            if self.values:
                yield Static("Hidden values", classes="section-heading")
                yield Static("\n".join(hidden_values_lines(self.engine, self.values)), id="end-values", markup=False)
            yield Static("Turning points", classes="section-heading")
            yield Static(self._turning_points(), id="end-turning")
        if self.hotwash is not None and self.hotwash.seats:
            with HorizontalGroup(id="end-hotwash"):
                yield Static(self._hotwash_text(), id="end-hotwash-text")
                yield Button("Hotwash (h)", id="end-hotwash-button", compact=True)
        yield Static(self._debrief(), id="end-debrief")
        yield Footer()

    def on_mount(self) -> None:
        # A notice still up (the facilitator's "Ruling recorded.") would cover the save and
        # its fingerprint at the foot of the screen: what it said is done.
        self.app.clear_notifications()
        self.query_one("#end-body").focus()

    def on_resize(self) -> None:
        """Compact keys without the palette's key on a narrow screen (as on the board)."""
        footer = self.query_one(Footer)
        footer.compact = self.size.width < 100
        footer.show_command_palette = not footer.compact

    def _objectives(self) -> Content:
        rows: list[Content] = []
        outcome = self.outcome
        results = outcome.results
        for side in self.engine.campaign.sides:
            met = outcome.objectives.get(side.id, {})
            result = f" — {RESULT_WORDS.get(results[side.id], results[side.id])}" if side.id in results else ""
            rows.append(Content.styled(f"{side.name}: {sum(met.values())} of {len(side.objectives)} met{result}", "bold $foreground"))
            rows += [_objective_row(obj, met.get(obj.id, False), "  ") for obj in side.objectives]
            for actor in side.actors:
                mine = outcome.actor_objectives.get(actor.id, {})
                if actor.objectives:
                    own = noted(actor.name, f"its own, not counted for {side.name}")
                    rows.append(Content.styled(f"  {own}", "$text-muted"))
                    rows += [_objective_row(obj, mine.get(obj.id, False), "    ") for obj in actor.objectives]
        if outcome.declared:
            rows.append(Content.styled("The ending itself decided the result, whatever the objectives say.", "$text-muted"))
        elif outcome.verdict() == "draw":
            rows.append(Content.styled("No side met a larger share of its objectives.", "$text-muted"))
        return Content("\n").join(rows)

    def _turning_points(self) -> Content:
        if not self.turning_points:
            return Content.styled("None: no phase change, contest or vote.", "$text-muted")
        return Content("\n").join(
            Content.assemble(Content.styled(f"R{p.round} ", "$text-muted"), Content.styled(p.text, "$foreground"))
            for p in self.turning_points
        )

    def _debrief(self) -> Content:
        fingerprint = (
            [Content.assemble(
                Content.styled("Fingerprint of the save: " if self.save_path else "Fingerprint of the host's save: ",
                               "$text-muted"),
                Content.styled(self.fingerprint, "$foreground"),
            )]
            if self.fingerprint else []
        )
        if self.save_path is None:
            if not fingerprint:
                return Content.styled("This game was not saved.", "$text-muted")
            return Content("\n").join([Content.styled("The host keeps the save.", "$text-muted"), *fingerprint])
        return Content("\n").join(
            [
                Content.assemble(Content.styled("Saved to ", "$text-muted"), Content.styled(str(self.save_path), "bold $foreground")),
                *fingerprint,
                Content.assemble(
                    Content.styled("Debrief replay: press d, or later ", "$text-muted"),
                    Content.styled(f"tabletop replay {self.save_path}", "bold $accent"),
                ),
            ]
        )

    def _hotwash_text(self) -> Content:
        desk = self.hotwash
        assert desk is not None
        if not self._hotwash_open:
            return Content.styled("Hotwash: every seat here has answered. Thank you.", "$text-muted")
        done = len(desk.answered)
        said = f"{done} answered; " if done else ""
        return Content.assemble(
            Content.styled("Hotwash: ", "bold $foreground"),
            Content.styled(f"{said}three short questions, all optional.", "$text-muted"),
        )

    def after_record(self) -> None:
        """An answer or an observation was journaled: say how the hotwash stands, and the
        save's new fingerprint (its chain head moved)."""
        session = self.hotwash.session if self.hotwash is not None else self.notebook.session if self.notebook else None
        if session is not None and session.fingerprint:
            self.fingerprint = session.fingerprint
            self.query_one("#end-debrief", Static).update(self._debrief())
        self._hotwash_open = self.hotwash is not None and bool(self.hotwash.open_seats())
        if self.hotwash is not None and self.hotwash.seats:
            self.query_one("#end-hotwash-text", Static).update(self._hotwash_text())
            self.query_one("#end-hotwash-button", Button).disabled = not self._hotwash_open
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "debrief":
            return self.save_path is not None
        if action == "hotwash":
            return self._hotwash_open
        if action == "observe":
            return self.notebook is not None and self.notebook.can_observe()
        return True

    @on(Button.Pressed, "#end-hotwash-button")
    def action_hotwash(self) -> None:
        if self.hotwash is None or not self.hotwash.open(self):
            self.notify("Every seat here has answered the hotwash.", severity="information")

    def action_observe(self) -> None:
        if self.notebook is not None:
            self.notebook.open(self)

    def action_debrief(self) -> None:
        """Close the game and open the replay of its save (the command line carries it out)."""
        self.app.exit("replay")

    def action_close(self) -> None:
        self.dismiss(None)


def _objective_row(obj: Objective, ok: bool, indent: str) -> Content:
    """``  ✓ Keep the cable up`` (a secret one ends ``(secret)``, or ``; secret)`` in the
    title's own bracket: :func:`noted`)."""
    said = noted(obj.title, "secret") if obj.secret else obj.title
    head = os.path.commonprefix([obj.title, said])  # the title; the note after it is muted
    return Content.assemble(
        Content.styled(f"{indent}✓ " if ok else f"{indent}✗ ", "bold $success" if ok else "bold $error"),
        Content.styled(head, "$foreground"),
        Content.styled(said[len(head):], "$text-muted"),
    )
