"""The facilitator's forms: each a ModalScreen that dismisses the command to send (or None).

Used by :class:`~tabletop.tui.screens.facilitator.FacilitatorScreen`; what each form
offers comes from the facilitator's options (:mod:`tabletop.engine.queries`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.campaign.model import Transition
from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.console import (
    contest_choice,
    inject_choice,
    inject_preview,
    proposal_choice,
    track_choice,
    trigger_choice,
)
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.widgets.effects import TrackDeltas

FAC = C.FACILITATOR


class _Form(Dialog[Any]):
    """A dialog that dismisses a command (or None on escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close the form without sending anything.")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, ".cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _picked(self, selector: str) -> str | None:
        ol = self.query_one(selector, OptionList)
        if ol.highlighted is None:
            return None
        return str(ol.get_option_at_index(ol.highlighted).id)

    def on_mount(self) -> None:
        for ol in self.query(OptionList):
            if ol.option_count and ol.highlighted is None:
                ol.highlighted = 0
        # The first choice to make: a list with one entry is chosen already (the one
        # contest to rule on), so the focus starts on what comes next (its rationale).
        fields = [w for w in self.query("OptionList, Input") if not (isinstance(w, OptionList) and w.option_count == 1)]
        (fields or list(self.query("OptionList, Input")))[0].focus()


class AdjudicateForm(_Form):
    """Rule a facilitator contest a success or a failure, with a rationale (the contests
    are those the facilitator's ``options`` list)."""

    def __init__(self, engine: Engine, view: View, contests: tuple[int, ...], draft: C.Adjudicate | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine, self.view, self.contests, self.draft = engine, view, contests, draft

    def compose(self) -> ComposeResult:
        options = [Option(contest_choice(self.engine, self.view, pid), id=f"play-{pid}") for pid in self.contests]
        with Vertical(classes="dialog"):
            yield Static("Rule on a contest", classes="dialog-title")
            yield OptionList(*options, id="adj-play")
            yield Static("Rationale (required)", classes="dialog-label")
            yield Input(self.draft.rationale if self.draft else "", placeholder="Why?", id="adj-rationale")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Success", id="adj-success", variant="success")
                yield Button("Failure", id="adj-failure", variant="error")
                yield Button("Cancel (esc)", classes="cancel")

    @on(OptionList.OptionSelected, "#adj-play")
    def _to_rationale(self) -> None:
        self.query_one("#adj-rationale", Input).focus()

    @on(Input.Submitted, "#adj-rationale")
    def _to_buttons(self) -> None:
        self.query_one("#adj-success", Button).focus()

    @on(Button.Pressed, "#adj-success,#adj-failure")
    def _rule(self, event: Button.Pressed) -> None:
        picked = self._picked("#adj-play")
        if picked is None:
            self.notify("No contest is waiting for a ruling.", severity="warning")
            return
        rationale = self.query_one("#adj-rationale", Input).value
        self.dismiss(C.Adjudicate(FAC, int(picked.removeprefix("play-")), event.button.id == "adj-success", rationale))


class ProposalForm(_Form):
    """Accept, amend (with other track changes) or reject a free-form proposal."""

    def __init__(self, engine: Engine, view: View, proposals: tuple[int, ...], draft: C.RuleProposal | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine, self.view, self.proposals, self.draft = engine, view, proposals, draft

    def compose(self) -> ComposeResult:
        options = [
            Option(proposal_choice(self.engine, p), id=f"proposal-{p.id}")
            for p in self.view.proposals if p.id in self.proposals
        ]
        amended = dict((self.draft.effects or {}).get("tracks", {})) if self.draft else {}
        with Vertical(classes="dialog"):
            yield Static("Rule on a proposal", classes="dialog-title")
            yield OptionList(*options, id="rule-proposal")
            yield Static("Rationale (required)", classes="dialog-label")
            yield Input(self.draft.rationale if self.draft else "", placeholder="Why?", id="rule-rationale")
            yield Static("Amended track changes (for Amend)", classes="dialog-label")
            yield TrackDeltas(self.engine, amended, id="rule-deltas")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Accept", id="rule-accept", variant="success")
                yield Button("Amend", id="rule-amend", variant="warning")
                yield Button("Reject", id="rule-reject", variant="error")
                yield Button("Cancel", classes="cancel")

    @on(OptionList.OptionSelected, "#rule-proposal")
    def _to_rationale(self) -> None:
        self.query_one("#rule-rationale", Input).focus()

    @on(Input.Submitted, "#rule-rationale")
    def _to_buttons(self) -> None:
        self.query_one("#rule-accept", Button).focus()

    @on(Button.Pressed, "#rule-accept,#rule-amend,#rule-reject")
    def _rule(self, event: Button.Pressed) -> None:
        picked = self._picked("#rule-proposal")
        if picked is None:
            self.notify("No proposal is waiting for a ruling.", severity="warning")
            return
        verdict = str(event.button.id).removeprefix("rule-")
        rationale = self.query_one("#rule-rationale", Input).value
        effects = {"tracks": self.query_one(TrackDeltas).deltas()} if verdict == "amend" else None
        self.dismiss(C.RuleProposal(FAC, int(picked.removeprefix("proposal-")), verdict, rationale, effects))


class InjectForm(_Form):
    """Fire an inject from the campaign's library: enter on the list goes to Fire (its
    preview read first), enter there fires. Firing cannot be undone, so one key never does it.

    ``notes``: show each inject's audience, expected response and objective (not while
    the console's secrets are covered)."""

    def __init__(self, engine: Engine, injects: tuple[str, ...], *, notes: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine, self.injects, self.notes = engine, injects, notes

    def compose(self) -> ComposeResult:
        by_id = self.engine.campaign.inject_by_id
        options = [Option(inject_choice(by_id[i]), id=f"inject-{i}") for i in self.injects]
        with Vertical(classes="dialog"):
            yield Static("Fire an inject from the library", classes="dialog-title")
            yield OptionList(*options, id="inject-list")
            yield Static("", id="inject-preview", classes="dialog-text", markup=False)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Fire", id="inject-fire", variant="warning")
                yield Button("Cancel (esc)", classes="cancel")

    @on(OptionList.OptionHighlighted, "#inject-list")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        inj = self.engine.campaign.inject_by_id[str(event.option.id).removeprefix("inject-")]
        self.query_one("#inject-preview", Static).update(inject_preview(self.engine, inj, self.notes))

    @on(OptionList.OptionSelected, "#inject-list")
    def _to_fire(self) -> None:
        self.query_one("#inject-fire", Button).focus()

    @on(Button.Pressed, "#inject-fire")
    def _fire(self) -> None:
        picked = self._picked("#inject-list")
        if picked is None:
            self.notify("This campaign has no library injects.", severity="warning")
            return
        self.dismiss(C.FireInject(FAC, picked.removeprefix("inject-")))


class FreeInjectForm(_Form):
    """Fire an inject of your own: title, text and track changes.

    Enter in the title moves on to the text; the form fires only with a title (it is what
    the players read), and says so rather than send an empty inject.
    """

    def __init__(self, engine: Engine, draft: C.FireInject | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine, self.draft = engine, draft

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(classes="dialog"):
            yield Static("Fire a free-text inject", classes="dialog-title")
            yield Input(d.title if d else "", placeholder="Title (required)", id="free-title")
            yield Input(d.text if d else "", placeholder="What happens (optional)", id="free-text")
            yield Static("Track changes (optional)", classes="dialog-label")
            yield TrackDeltas(self.engine, dict((d.effects or {}).get("tracks", {})) if d else {}, id="free-deltas")
            yield Static("", id="free-problem", classes="dialog-problem", markup=False)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Fire", id="free-fire", variant="warning")
                yield Button("Cancel (esc)", classes="cancel")

    def _title_missing(self) -> bool:
        """Say so (and go to the title) if there is none; the problem line clears once there is."""
        title = self.query_one("#free-title", Input)
        missing = not title.value.strip()
        problem = self.query_one("#free-problem", Static)
        problem.update("Write a title first: it is what the players read." if missing else "")
        problem.display = missing
        if missing:
            title.focus()
        return missing

    @on(Input.Submitted, "#free-title")
    def _to_text(self) -> None:
        if not self._title_missing():
            self.query_one("#free-text", Input).focus()

    @on(Input.Submitted, "#free-text,#free-deltas Input")
    @on(Button.Pressed, "#free-fire")
    def _fire(self) -> None:
        if self._title_missing():
            return
        deltas = self.query_one(TrackDeltas).deltas()
        self.dismiss(
            C.FireInject(
                FAC, None, self.query_one("#free-title", Input).value, self.query_one("#free-text", Input).value,
                {"tracks": deltas} if deltas else None,
            )
        )


class AdjustForm(_Form):
    """Move a track by a number of steps, with the reason (required, journalled)."""

    def __init__(self, engine: Engine, view: View, draft: C.AdjustTrack | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine, self.view, self.draft = engine, view, draft

    def compose(self) -> ComposeResult:
        options = [
            Option(track_choice(self.view, t), id=f"track-{t.id}")
            for t in self.engine.campaign.tracks
        ]
        d = self.draft
        with Vertical(classes="dialog"):
            yield Static("Adjust a track", classes="dialog-title")
            yield OptionList(*options, id="adjust-track")
            with HorizontalGroup(classes="form-row"):
                yield Static("Change", classes="form-label")
                yield Input(str(d.delta) if d else "", placeholder="e.g. -1 or 2", type="integer", id="adjust-delta")
            with HorizontalGroup(classes="form-row"):
                yield Static("Reason", classes="form-label")
                yield Input(d.reason if d else "", placeholder="Why? (required, goes in the journal)", id="adjust-reason")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Adjust", id="adjust-go", variant="warning")
                yield Button("Cancel (esc)", classes="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        if self.draft is not None:
            ids = [t.id for t in self.engine.campaign.tracks]
            if self.draft.track in ids:
                self.query_one("#adjust-track", OptionList).highlighted = ids.index(self.draft.track)

    @on(OptionList.OptionSelected, "#adjust-track")
    def _to_delta(self) -> None:
        self.query_one("#adjust-delta", Input).focus()

    @on(Input.Submitted, "#adjust-delta")
    def _to_reason(self) -> None:
        self.query_one("#adjust-reason", Input).focus()

    @on(Input.Submitted, "#adjust-reason")
    @on(Button.Pressed, "#adjust-go")
    def _go(self) -> None:
        picked = self._picked("#adjust-track")
        text = self.query_one("#adjust-delta", Input).value.strip()
        try:
            delta = int(text)
        except ValueError:
            delta = 0
        if picked is None:
            return
        self.dismiss(C.AdjustTrack(FAC, picked.removeprefix("track-"), delta, self.query_one("#adjust-reason", Input).value))


class TriggerForm(_Form):
    """Fire a phase transition trigger (its condition must still hold)."""

    def __init__(self, engine: Engine, transitions: tuple[Transition, ...], draft: C.FireTrigger | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine, self.transitions, self.draft = engine, transitions, draft

    def compose(self) -> ComposeResult:
        options = [Option(trigger_choice(self.engine, t), id=f"trigger-{t.trigger}") for t in self.transitions]
        with Vertical(classes="dialog"):
            yield Static("Fire a phase trigger", classes="dialog-title")
            yield OptionList(*options, id="trigger-list")
            yield Input(self.draft.reason if self.draft else "", placeholder="Reason (required)", id="trigger-reason")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Fire", id="trigger-go", variant="warning")
                yield Button("Cancel (esc)", classes="cancel")

    @on(OptionList.OptionSelected, "#trigger-list")
    def _to_reason(self) -> None:
        self.query_one("#trigger-reason", Input).focus()

    @on(Input.Submitted, "#trigger-reason")
    @on(Button.Pressed, "#trigger-go")
    def _go(self) -> None:
        picked = self._picked("#trigger-list")
        if picked is None:
            self.notify("No transition leaves the current phase.", severity="warning")
            return
        self.dismiss(C.FireTrigger(FAC, picked.removeprefix("trigger-"), self.query_one("#trigger-reason", Input).value))


class TextForm(_Form):
    """One line of text: a note on the latest event, or the reason for a pause."""

    def __init__(self, title: str, placeholder: str, make: Callable[[str], C.Command], value: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.form_title, self.placeholder, self.make, self.value = title, placeholder, make, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.form_title, classes="dialog-title", markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="text-value")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("OK", id="text-go", variant="primary")
                yield Button("Cancel (esc)", classes="cancel")

    @on(Input.Submitted, "#text-value")
    @on(Button.Pressed, "#text-go")
    def _go(self) -> None:
        self.dismiss(self.make(self.query_one("#text-value", Input).value))


def minutes(text: str) -> int | None:
    """Seconds in ``text`` read as minutes (``5``, ``2.5``; blank or 0: no limit), or None if it is not a number."""
    text = text.strip().replace(",", ".")
    if not text:
        return 0
    try:
        value = float(text)
    except ValueError:
        return None
    if not 0 <= value <= C.MAX_CLOCK / 60:
        return None
    return round(value * 60)


class ClockForm(_Form):
    """The time boxes: minutes a turn and minutes a round (blank: no limit)."""

    def __init__(self, turn: int, rnd: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.turn, self.round = turn, rnd

    def compose(self) -> ComposeResult:
        def shown(seconds: int) -> str:
            return "" if not seconds else f"{seconds / 60:g}"

        with Vertical(classes="dialog"):
            yield Static("Set the clock", classes="dialog-title")
            yield Static("Minutes a turn (its time up, the turn ends), and minutes a round (shown to all). "
                         "Blank: no limit.", classes="dialog-text")
            yield Input(shown(self.turn), placeholder="minutes a turn, e.g. 5", id="clock-turn")
            yield Input(shown(self.round), placeholder="minutes a round, e.g. 30", id="clock-round")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Set", id="clock-go", variant="primary")
                yield Button("Cancel (esc)", classes="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#clock-go")
    def _go(self) -> None:
        turn = minutes(self.query_one("#clock-turn", Input).value)
        rnd = minutes(self.query_one("#clock-round", Input).value)
        if turn is None or rnd is None:
            self.notify(f"Minutes are a number from 0 to {C.MAX_CLOCK // 60} (blank: no limit).", severity="error")
            return
        self.dismiss(C.SetClock(FAC, turn, rnd))
