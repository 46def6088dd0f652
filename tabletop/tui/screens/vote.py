"""A ballot on a consensus card: the card, the question, who proposed it, ballots so far."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import card_summary, seat_name


class VoteScreen(ModalScreen[bool | None]):
    """Dismisses True (yes), False (no) or None (decide later: press v on the board).

    ``handed_over``: when the hand-off that called this voter closed (``handoff.clock``),
    if it just did; keys are ignored for a moment after it, so the second of two quick
    keys does not cast a ballot on a card its voter has not read.
    """

    BINDINGS = [
        Binding("y", "vote(True)", "Yes", tooltip="Vote yes: the card takes effect only if every voter agrees."),
        Binding("n", "vote(False)", "No", tooltip="Vote no: the card then has no effect."),
        Binding("escape", "later", "Later", tooltip="Close the ballot and look at the board first (press v to vote)."),
    ]

    def __init__(self, engine: Engine, view: View, seat: str, handed_over: float | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.view = view
        self.seat = seat
        self.handed_over = handed_over

    def on_key(self, event: events.Key) -> None:
        from tabletop.tui.screens.handoff import guarding

        if self.handed_over is not None and guarding(self.handed_over):
            event.stop()
            event.prevent_default()

    def compose(self) -> ComposeResult:
        vote = self.view.vote
        assert vote is not None
        play = next((p for p in self.view.plays if p.id == vote.play), None)
        card = self.engine.cards.get(play.card) if play is not None and play.card else None
        title = card.title if card is not None else f"covert action #{vote.play}"
        proposer = seat_name(self.engine, play.actor) if play is not None and play.actor else "someone"
        prompt = card.consensus.prompt.strip() if card is not None and card.consensus and card.consensus.prompt else "Do you agree?"
        ballots = []
        for voter in vote.voters:
            if voter in vote.ballots:
                mark = "✓ yes" if vote.ballots[voter] else "✗ no"
            else:
                mark = "… your vote" if voter == self.seat else "… waiting"
            ballots.append(f"{seat_name(self.engine, voter)}: {mark}")
        with Vertical(id="vote-box", classes="dialog"):
            yield Static(f"{seat_name(self.engine, self.seat)}: your vote", classes="dialog-title", markup=False)
            yield Static(title, id="vote-card", markup=False)
            if card is not None:
                yield Static(card_summary(self.engine, card), id="vote-effects", markup=False)
            yield Static(f"Proposed by {proposer}.", id="vote-proposer", markup=False)
            yield Static(prompt, id="vote-prompt", markup=False)
            yield Static("Ballots: " + " · ".join(ballots), id="vote-ballots", markup=False)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Yes (y)", id="vote-yes", variant="success")
                yield Button("No (n)", id="vote-no", variant="error")
                yield Button("Later (esc)", id="vote-later")

    def on_mount(self) -> None:
        self.query_one("#vote-yes", Button).focus()

    @on(Button.Pressed, "#vote-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#vote-no")
    def _no(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#vote-later")
    def _later(self) -> None:
        self.dismiss(None)

    def action_vote(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_later(self) -> None:
        self.dismiss(None)
