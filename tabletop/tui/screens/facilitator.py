"""The facilitator console (the white cell): rulings, injects, track adjustments, notes, flow.

Every tool sends an engine command as the seat ``facilitator`` through the session, so
each intervention is in the journal. In a hot-seat game the players share the screen,
so the console keeps its secrets (the hidden values, each inject's audience and expected
response) covered until the facilitator asks for them (``h``, after a warning); they are
covered again when the console closes. The forms (:mod:`.facilitator_forms`) are
ModalScreens that dismiss the command to send; a refusal is shown as a notification and
the form opens again with what was typed.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tabletop.engine import commands as C
from tabletop.engine.narrate import awaited_names, whose
from tabletop.engine.queries import Options
from tabletop.engine.views import OBSERVER, View
from tabletop.session import Session
from tabletop.tui.console import (
    SECRETS_TOOL,
    TOOLS,
    Row,
    advance_label,
    summary_rows,
    tool_labels,
)
from tabletop.tui.screens.confirm import ConfirmScreen
from tabletop.tui.screens.facilitator_forms import (
    AdjudicateForm,
    AdjustForm,
    ClockForm,
    FreeInjectForm,
    InjectForm,
    ProposalForm,
    TextForm,
    TriggerForm,
)
from tabletop.tui.screens.observe import Notebook
from tabletop.tui.sending import send
from tabletop.tui.text import seat_name
from tabletop.tui.widgets.footer import Footer

FAC = C.FACILITATOR
#: how the menu names a tool's key when its name is a word
_KEY_SHOWN = {"space": "␣", "plus": "+"}


# =========================================================================== the console

class FacilitatorScreen(Screen[None]):
    """The white cell's tools. Escape goes back to the board."""

    HELP_TITLE = 'facilitator console'

    BINDINGS = [
        Binding("escape,f", "close", "Back to the board", tooltip="Close the console."),
        Binding("c", "tool('contest')", "Contest", show=False, tooltip="Rule a pending facilitator contest a success or failure, with a rationale."),
        Binding("o", "tool('proposal')", "Proposal", show=False, tooltip="Accept, amend or reject a free-form proposal, with a rationale."),
        Binding("i", "tool('inject')", "Inject", show=False, tooltip="Fire an inject from the campaign's library."),
        Binding("n", "tool('free')", "Free inject", show=False, tooltip="Fire an inject of your own: title, text, track changes."),
        Binding("t", "tool('adjust')", "Adjust", show=False, tooltip="Move a track up or down, with a reason for the journal."),
        Binding("g", "tool('trigger')", "Trigger", show=False, tooltip="Fire a phase transition trigger (its condition must hold)."),
        Binding("m", "tool('note')", "Note", show=False, tooltip="Attach a note to the latest event, for the debrief."),
        Binding("r", "tool('observe')", "Observe", show=False,
                tooltip="Record an observation as the facilitator: the event, a learning objective, a P/S/M/U rating."),
        Binding("space", "tool('pause')", "Pause", show=False, tooltip="Pause the exercise, or resume it."),
        Binding("a", "tool('advance')", "Advance", show=False,
                tooltip="End the current turn or close the open vote (asks first: it cannot be taken back)."),
        Binding("k", "tool('clock')", "Clock", show=False, tooltip="Set the minutes a turn and a round may take (blank: no limit)."),
        Binding("plus", "tool('extend')", "More time", show=False, tooltip="Give the actor whose turn it is one more minute."),
        Binding("h", "tool('secrets')", "Secrets", show=False,
                tooltip="Hot-seat: show the hidden values and the injects' audiences and expected responses "
                        "(make sure only the facilitator can see the screen); press again to cover them."),
    ]

    def __init__(
        self, session: Session, *, covered: bool = False, notebook: Notebook | None = None, **kwargs: object,
    ) -> None:
        """``covered``: the players share this screen (hot-seat), so the secrets stay
        covered until the facilitator shows them. ``notebook``: the facilitator's
        observations (None: the tool is not offered)."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.notebook = notebook
        self.engine = session.engine
        self.covered = covered
        #: the secrets are on screen (always, unless the players share it)
        self.revealed = not covered

    def compose(self) -> ComposeResult:
        yield Static("Facilitator console · every action here is journalled as the facilitator", id="fac-title")
        with HorizontalGroup(id="fac-body"):
            with Vertical(id="fac-left"):
                yield OptionList(id="fac-menu")
                yield Static("↑↓ choose · enter open · or press the letter · esc back", id="fac-hint")
            with VerticalScroll(id="fac-status"):
                yield Static("", id="fac-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_console()
        menu = self.query_one("#fac-menu", OptionList)
        menu.focus()

    def on_screen_resume(self) -> None:
        self.refresh_console()

    # ---------------------------------------------------------------- display

    def _view(self) -> View:
        return self.session.view(FAC)

    def _options(self) -> Options:
        return self.session.options(FAC)

    def refresh_console(self) -> None:
        view, opts = self._view(), self._options()
        contests, proposals = opts.contests, opts.proposals
        advance = advance_label(self.engine, view, opts)
        labels = tool_labels(self.engine, view, opts, self.revealed)
        closed = not opts.tools_open
        disabled = {
            "contest": not contests, "proposal": not proposals, "advance": advance is None,
            "inject": not opts.injects, "free": closed, "adjust": closed, "trigger": closed,
            "pause": not (opts.can_pause or opts.can_resume), "note": not opts.can_annotate,
            "observe": not opts.can_observe,
            "clock": closed, "extend": closed or view.turn is None,
        }
        menu = self.query_one("#fac-menu", OptionList)
        keep = menu.highlighted
        menu.clear_options()
        menu.add_options(  # at once: each option added alone would measure the list again
            Option(f"{_KEY_SHOWN.get(key, key)}  {labels.get(tool, label)}", id=tool, disabled=disabled.get(tool, False))
            for tool, key, label in self._tools()
        )
        if keep is not None:
            menu.highlighted = keep
        else:
            first = next((i for i, (t, _, _) in enumerate(self._tools()) if not disabled.get(t, False)), 0)
            menu.highlighted = first
        self.query_one("#fac-summary", Static).update(self._summary(view))

    def _tools(self) -> tuple[tuple[str, str, str], ...]:
        tools = TOOLS if self.notebook is not None else tuple(t for t in TOOLS if t[0] != "observe")
        return (*tools, SECRETS_TOOL) if self.covered else tools

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tool" and parameters == ("secrets",):
            return self.covered  # a console of its own shows them at once
        if action == "tool" and parameters == ("observe",):
            return self.notebook is not None
        return True

    def _summary(self, view: View) -> Content:
        rows = summary_rows(
            self.engine, view, self._options(), public_values=self.session.view(OBSERVER).values,
            is_bot=self.session.is_bot, revealed=self.revealed,
        )
        return Content("\n").join(_styled(row) for row in rows)

    # ---------------------------------------------------------------- tools

    @on(OptionList.OptionSelected, "#fac-menu")
    async def _menu(self, event: OptionList.OptionSelected) -> None:
        await self.action_tool(str(event.option.id))

    async def action_tool(self, tool: str, draft: Any = None) -> None:
        view, opts = self._view(), self._options()
        e = self.engine
        if tool == "contest":
            if not opts.contests:
                self.notify("No contest is waiting for your ruling.", severity="warning")
                return
            self._form(AdjudicateForm(e, view, opts.contests, draft), tool)
        elif tool == "proposal":
            if not opts.proposals:
                self.notify("No proposal is waiting for your ruling.", severity="warning")
                return
            self._form(ProposalForm(e, view, opts.proposals, draft), tool)
        elif tool == "inject":
            self._form(InjectForm(e, opts.injects, notes=self.revealed), tool)
        elif tool == "free":
            self._form(FreeInjectForm(e, draft), tool)
        elif tool == "adjust":
            self._form(AdjustForm(e, view, draft), tool)
        elif tool == "trigger":
            self._form(TriggerForm(e, opts.transitions, draft), tool)
        elif tool == "note":
            self._form(TextForm("Annotate the latest event", "Your note for the debrief", lambda t: C.Annotate(FAC, t),
                                draft.text if draft else ""), tool)
        elif tool == "pause":
            if opts.can_resume:
                await self.send(C.Resume(FAC))
            else:
                self._form(TextForm("Pause the exercise", "Reason (optional)", lambda t: C.Pause(FAC, t),
                                    draft.reason if draft else ""), tool)
        elif tool == "observe":
            if self.notebook is None or not opts.can_observe:
                self.notify("Observations open once the exercise has begun.", severity="warning")
                return
            self.notebook.open(self)
        elif tool == "secrets":
            if not self.covered:
                return
            if self.revealed:
                self.revealed = False
                self.refresh_console()
                return

            def shown(yes: bool | None) -> None:
                if yes:
                    self.revealed = True
                    self.refresh_console()

            self.app.push_screen(SecretsWarning(), shown)
        elif tool == "clock":
            self._form(ClockForm(*view.clock), tool)
        elif tool == "extend":
            await self.send(C.ExtendTime(FAC, 60))
        elif tool == "advance":
            if advance_label(self.engine, view, opts) is None:
                self.notify("Nothing to move on: rule on the pending contests and proposals first.", severity="warning")
                return
            self.app.push_screen(self._advance_question(view), partial(self._advance_confirmed, self._advancing(view)))

    def _advance_question(self, view: View) -> ConfirmScreen:
        """What advance will do, in words, asked before it is done (it cannot be undone)."""
        e = self.engine
        if view.vote is not None:
            play = next((p for p in view.plays if p.id == view.vote.play), None)
            title = e.cards[play.card].title if play is not None and play.card else "the covert action"
            waiting = [a for a in view.vote.voters if a not in view.vote.ballots]
            late = f" Not voted yet: {', '.join(awaited_names(e, waiting))}." if waiting else ""
            return ConfirmScreen(f"Close the vote on {title} (#{view.vote.play})?",
                                 f"It cannot be taken back.{late}", "Close the vote")
        name = seat_name(e, view.turn)
        return ConfirmScreen(f"End {whose(name, 'turn')}?",
                             f"It cannot be taken back: {name} loses what is left of this turn.", "End turn")

    @staticmethod
    def _advancing(view: View) -> tuple[str | None, int | None]:
        """What advance would move on in ``view``: the turn's actor, or the vote's play."""
        return (None, view.vote.play) if view.vote is not None else (view.turn, None)

    async def _advance_confirmed(self, asked: tuple[str | None, int | None], yes: bool | None) -> None:
        if not yes:
            return
        if self._advancing(self._view()) != asked:  # the turn ended (or the vote closed) meanwhile
            self.notify("Nothing was moved on: the game moved on by itself meanwhile.", severity="warning")
            self.refresh_console()
            return
        await self.send(C.Advance(FAC))

    def _form(self, form: ModalScreen[Any], tool: str) -> None:
        async def done(command: C.Command | None) -> None:
            if command is not None and not await self.send(command):
                await self.action_tool(tool, command)  # open it again with what was typed

        self.app.push_screen(form, done)

    async def send(self, command: C.Command) -> bool:
        """Send ``command``; a refusal becomes a notification. Returns True if accepted."""
        if not await send(self, self.session, command, refused="Refused", severity="error"):
            return False
        self.notify(_DONE.get(command.TYPE, "Done."), title="Facilitator")
        self.refresh_console()
        return True

    def action_close(self) -> None:
        self.dismiss(None)


class SecretsWarning(ConfirmScreen):
    """Before the console shows its secrets on a screen the players share."""

    def __init__(self) -> None:
        super().__init__(
            "Show the secrets?",
            "Make sure only the facilitator can see the screen: the hidden values and the injects' "
            "audiences and expected responses will be shown until you press h again or close the console.",
            "Show",
        )


_DONE = {
    "adjudicate": "Ruling recorded.",
    "rule": "Ruling on the proposal recorded.",
    "inject": "Inject fired.",
    "adjust": "Track adjusted; the reason is in the journal.",
    "trigger": "Phase trigger fired.",
    "annotate": "Note saved.",
    "pause": "Exercise paused.",
    "resume": "Exercise resumed.",
    "advance": "Moved on.",
    "set_clock": "Clock set.",
    "extend_time": "One more minute for this turn.",
}


#: how the console styles each kind of summary row
_STYLES = {"head": "$text-accent bold", "muted": "$text-muted", "bold": "bold", "note": "$text-warning",
           "warn": "bold $text-warning", "": ""}


def _styled(row: Row) -> Content:
    text, style = row
    return Content.styled(text, _STYLES[style]) if _STYLES[style] else Content(text)
