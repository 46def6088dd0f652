"""A player's choices beyond playing a card: covert or open, attribution, free-form proposal.

Each is a ModalScreen that dismisses the command to send (or None); the game screen
sends it through the session and shows any refusal.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.campaign.model import Card
from tabletop.engine import commands as C
from tabletop.engine.queries import Options
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.text import seat_name
from tabletop.tui.widgets.effects import TrackDeltas


class CovertChoiceScreen(Dialog[bool | None]):
    """For optionally covert cards: True covertly, False openly, None cancel."""

    BINDINGS = [
        Binding("c", "choose(True)", "Covertly", tooltip="Play it face-down: the other side sees only that something happened."),
        Binding("o", "choose(False)", "Openly", tooltip="Play it face-up, with your name on it."),
        Binding("escape", "choose(None)", "Cancel", tooltip="Do not play the card."),
    ]

    def __init__(self, card: Card, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.card = card

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Play {self.card.title}", classes="dialog-title", markup=False)
            yield Static(
                "Covertly, face-down (the other side can try to attribute it), or openly?", markup=False
            )
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Covertly (c)", id="covert-yes", variant="primary")
                yield Button("Openly (o)", id="covert-no")
                yield Button("Cancel (esc)", id="covert-cancel")

    def on_mount(self) -> None:
        self.query_one("#covert-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"covert-yes": True, "covert-no": False}.get(event.button.id or ""))

    def action_choose(self, covert: bool | None) -> None:
        self.dismiss(covert)


class AttributeScreen(Dialog[C.Attribute | None]):
    """Pick a hidden play of the other side and the actor you accuse; shows the cost.

    The plays and the actors are those of the seat's ``options`` (what the engine would accept)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without accusing anyone.")]

    def __init__(self, engine: Engine, view: View, options: Options, cost: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.view = view
        self.options = options
        self.seat = options.seat
        self.cost = cost

    def compose(self) -> ComposeResult:
        e = self.engine
        have = self.view.actors[self.seat].resources
        plays = {p.id: p for p in self.view.plays}
        targets = [
            Option(f"▒ covert action #{pid} (round {plays[pid].round})", id=f"play-{pid}")
            for pid in self.options.attributable
        ]
        accused = []
        for a in self.options.accusable:
            name, side = seat_name(e, a), e.side_name(e.side_of[a])
            accused.append(Option(name if name == side else f"{name} ({side})", id=f"actor-{a}"))
        with Vertical(classes="dialog"):
            yield Static("Attribute a covert action", classes="dialog-title")
            yield Static(
                f"Costs {self.cost} resource{'s' if self.cost != 1 else ''} (you have {have}) and a roll against the "
                "card's attribution target. Name the right author and succeed: it is revealed. "
                "Name the wrong one: the accusation stands and may cost your side.",
                classes="dialog-text", markup=False,
            )
            yield Static("Which hidden play?", classes="dialog-label")
            yield OptionList(*targets, id="attr-play")
            yield Static("Who did it?", classes="dialog-label")
            yield OptionList(*accused, id="attr-actor")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button(f"Attribute (−{self.cost})", id="attr-go", variant="warning")
                yield Button("Cancel (esc)", id="attr-cancel")

    def on_mount(self) -> None:
        for ol in self.query(OptionList):
            if ol.option_count:
                ol.highlighted = 0
        self.query_one("#attr-play", OptionList).focus()

    @on(OptionList.OptionSelected, "#attr-play")
    def _next(self) -> None:
        self.query_one("#attr-actor", OptionList).focus()

    @on(OptionList.OptionSelected, "#attr-actor")
    def _selected(self) -> None:
        self.query_one("#attr-go", Button).focus()

    @on(Button.Pressed, "#attr-go")
    def _go(self) -> None:
        play = self.query_one("#attr-play", OptionList)
        actor = self.query_one("#attr-actor", OptionList)
        if play.highlighted is None or actor.highlighted is None:
            self.notify("Pick a hidden play and the actor you accuse.", severity="warning")
            return
        play_id = int(str(play.get_option_at_index(play.highlighted).id).removeprefix("play-"))
        accused = str(actor.get_option_at_index(actor.highlighted).id).removeprefix("actor-")
        self.dismiss(C.Attribute(self.seat, play_id, accused))

    @on(Button.Pressed, "#attr-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ProposeScreen(Dialog[C.Propose | None]):
    """A free-form action no card covers: what you do, and the track changes you intend."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without proposing.")]

    def __init__(self, engine: Engine, seat: str, draft: C.Propose | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.seat = seat
        self.draft = draft

    def compose(self) -> ComposeResult:
        tracks = dict(self.draft.effects.get("tracks", {})) if self.draft else {}
        with Vertical(classes="dialog"):
            yield Static(f"{seat_name(self.engine, self.seat)}: write a proposal", classes="dialog-title", markup=False)
            yield Static(
                "Describe an action no card covers. It uses your action; the facilitator accepts, amends or rejects it.",
                classes="dialog-text", markup=False,
            )
            yield Input(self.draft.text if self.draft else "", placeholder="What do you do?", id="propose-text")
            yield Static("Intended track changes (optional)", classes="dialog-label")
            yield TrackDeltas(self.engine, tracks, id="propose-deltas")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Propose", id="propose-go", variant="primary")
                yield Button("Cancel (esc)", id="propose-cancel")

    def on_mount(self) -> None:
        self.query_one("#propose-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#propose-go")
    def _go(self) -> None:
        text = self.query_one("#propose-text", Input).value
        deltas = self.query_one(TrackDeltas).deltas()
        self.dismiss(C.Propose(self.seat, text, {"tracks": deltas} if deltas else {}))

    @on(Button.Pressed, "#propose-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
