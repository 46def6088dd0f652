"""The crisis phases: the ladder, every transition (where it goes, the author's words for
it or its condition, how it fires), and the history of phase changes with what caused each.
Names only: a transition's trigger id is the campaign author's, not the players'."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tabletop.campaign.explain import transition_lines, trigger_name
from tabletop.engine.narrate import Narrator
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import condition_text, trigger_title
from tabletop.tui.widgets.footer import Footer
from tabletop.tui.widgets.ladder import TERMINAL_MARK


class PhaseScreen(Screen[None]):

    HELP_TITLE = 'phase screen'
    BINDINGS = [Binding("escape,p,q", "close", "Back to the board", tooltip="Close the phase screen.")]

    def __init__(self, engine: Engine, view: View, narrator: Narrator, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.view = view
        self.narrator = narrator

    def compose(self) -> ComposeResult:
        yield Static("Crisis phases", id="phases-title")
        with VerticalScroll(id="phases-body"):
            yield Static("Ladder", classes="section-heading")
            with Vertical(id="phases-ladder"):
                yield from self._ladder()
            yield Static("Transitions", classes="section-heading")
            with Vertical(id="phases-transitions"):
                yield from self._transitions()
            yield Static("History", classes="section-heading")
            yield Static(self._history(), id="phases-history")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#phases-body").focus()

    def _ladder(self) -> Iterator[Static]:
        """A line a phase, the current one marked, its description under it, indented."""
        for phase in self.engine.campaign.phases.states:
            current = phase.id == self.view.phase
            mark = "▶ " if current else "  "
            end = f" {TERMINAL_MARK} ends the exercise" if phase.terminal else ""
            style = "bold $text on $accent" if current else "$foreground"
            yield Static(Content.assemble(Content.styled(mark + phase.name, style), Content.styled(end, "$text-muted")))
            if current and phase.description.strip():
                yield Static(Content.styled(" ".join(phase.description.split()), "italic $text-muted"), classes="phase-detail")

    def _transitions(self) -> Iterator[Static]:
        """Each transition: where it goes, then, indented (a wrapped line too), the author's
        words for it or its condition, and how it fires (:func:`transition_lines`: each said
        once, and a hidden value the view knows by its value)."""
        name = self.engine.phase_name
        transitions = self.engine.campaign.phases.transitions
        if not transitions:
            yield Static(Content.styled("No transitions.", "$text-muted"))
        for t in transitions:
            sources = "any phase" if t.source == "*" else " / ".join(name(s) for s in t.sources)
            live = self.view.phase in t.sources or (t.source == "*" and self.view.phase not in self.engine.terminal)
            yield Static(Content.assemble(
                Content.styled(trigger_title(t.trigger), "bold $foreground" if live else "$foreground"),
                Content.styled(f": {sources} → {name(t.dest)}", "$foreground"),
            ))
            for line in transition_lines(self.engine.campaign, t, self.view.values):
                yield Static(Content.styled(line, "$text-muted"), classes="phase-detail")

    def _history(self) -> Content:
        if not self.view.phase_history:
            start = self.engine.phase_name(self.engine.campaign.phases.initial)
            return Content.styled(f"No phase change yet; the exercise began in {start}.", "$text-muted")
        rows = []
        for ch in self.view.phase_history:
            if ch.cause == "threshold":
                why = "the tracks crossed a threshold" + (f" ({self._words(ch.condition)})" if ch.condition else "")
            else:
                why = f"because of {self.narrator.cause(ch.cause)}" + (f" ({self._words(ch.condition)})" if ch.condition else "")
            rows.append(
                Content.assemble(
                    Content.styled(f"Round {ch.round}: ", "$text-muted"),
                    # the space ends the bold part: a part's leading space does not survive its wrapping
                    Content.styled(f"{self.engine.phase_name(ch.source)} → {self.engine.phase_name(ch.dest)} ", "bold $foreground"),
                    Content.styled(f"— {trigger_name(ch.trigger)}: {why}", "$foreground"),
                )
            )
        return Content("\n").join(rows)

    def _words(self, condition: str) -> str:
        return condition_text(self.engine, condition)

    def action_close(self) -> None:
        self.dismiss(None)
