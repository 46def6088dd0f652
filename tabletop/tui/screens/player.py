"""A player's dialogs: playing a card (asked first: its cost, covert or open, what
happens, which of the seat's own aims it works against, a reason if the card asks one),
attribution, free-form proposal.

Each is a ModalScreen that dismisses the command to send (or None); the game screen
sends it through the session and shows any refusal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.campaign.model import Card
from tabletop.engine import commands as C
from tabletop.engine.grammar import in_sentence
from tabletop.engine.narrate import and_list
from tabletop.engine.queries import Options
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.screens.vote import REASON_MAX
from tabletop.tui.text import card_effect_lines, effects_parts, plural, seat_name
from tabletop.tui.widgets.effects import TrackDeltas


def covert_words(engine: Engine, card: Card) -> str:
    """What a covert play of ``card`` does and what the other sides learn of it, as the
    engine's views tell them (:mod:`tabletop.engine.views`): that a covert card was played
    (in the step of the side whose turn it is, which all see), and its effects on the
    tracks; not the card, nor its author (the play is "a covert action", by "someone")."""
    return ("it is resolved at the end of your side's step; the other sides see that a covert card was played "
            "in your side's step, and its effects on the tracks, but not which card it is or who played it")


def contest_words(engine: Engine, card: Card) -> str:
    """When and by whom ``card``'s contest is decided, as the engine's round runs it:
    ``at adjudication the dice decide how it ends`` (``""`` for a card without one)."""
    if card.contest is None:
        return ""
    dice = card.contest.by == "dice"
    if engine.has_adjudication:
        return f"at adjudication {'the dice decide' if dice else 'the facilitator rules'} how it ends"
    return "the dice decide at once how it ends" if dice else "the facilitator rules how it ends before play goes on"


def play_outcome(engine: Engine, card: Card, covert: bool) -> str:
    """What playing ``card`` (face-down if ``covert``) does and when, in words, for the
    dialog that asks first: when its effects apply (at once, once the vote passes, or as
    the sealed play resolves at the end of the side's step), then its contest's turn."""
    contest = contest_words(engine, card)
    then = f"; then {contest}" if contest else ""
    if covert:
        return f"Covertly: {covert_words(engine, card)}{then}."
    if card.consensus is not None:
        names = [in_sentence(seat_name(engine, a)) for a in dict.fromkeys(card.consensus.voters)]
        agree = f"{names[0]} agrees" if len(names) == 1 else f"{and_list(names)} {'both' if len(names) == 2 else 'all'} agree"
        return f"Openly, to a vote: it takes effect only if {agree}{then}."
    how = "Openly: everyone sees it, with your name on it"
    if not contest:
        return f"{how}; it takes effect at once."
    if effects_parts(engine, card.effects) or card.effects.trigger:
        return f"{how}; its effects apply at once, and {contest}."
    return f"{how}; {contest}."


def covert_of(card: Card, way: C.PlayCard) -> bool:
    """Whether the legal play ``way`` of ``card`` is face-down (a card that is always covert
    is played with no choice, so its command leaves the flag out)."""
    return way.covert if way.covert is not None else card.covert is not None


class PlayScreen(Dialog[C.PlayCard | None]):
    """Asks before a card is played (a play cannot be taken back): the card, its cost, what
    it does (its effects and contest, in the detail pane's words) and when, covert or
    open. Dismisses the play to send, or None (escape: nothing is played).

    ``against``: a sentence for each of the seat's own aims the card works against (the
    session's :meth:`~tabletop.session.Session.aims_against`), shown under its effects.

    ``ways``: the card's legal plays; two for a card that may be covert (face-down or
    open), between which ``c``/``o`` or the arrows choose. A card the campaign marks
    ``rationale: ask`` has a box for the player's one-line reason (optional: enter on an
    empty line plays it without one)."""

    BINDINGS = [
        Binding("escape", "cancel", "Back", tooltip="Do not play the card: back to the board."),
        Binding("c", "way(True)", "Covertly", tooltip="Play it face-down: the other sides see its effects on the tracks, not which card it is or which of your side's actors played it."),
        Binding("o", "way(False)", "Openly", tooltip="Play it face-up, with your name on it."),
        Binding("up,down", "other_way", "Covertly / openly", show=False),
    ]

    def __init__(
        self, engine: Engine, card: Card, ways: Sequence[C.PlayCard], resources: int, phase: str | None = None,
        unmet: Mapping[str, str] | None = None, against: Sequence[str] = (), **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.phase = phase  # the crisis phase now: a phase change the card may fire says if it cannot from here
        self.unmet = unmet or {}  # the session's why each phase change it may fire would not happen now
        self.card = card
        self.ways = {covert_of(card, w): w for w in ways}
        self.covert = True if True in self.ways else covert_of(card, ways[0])  # face-down first, as the card suggests
        self.resources = resources
        self.against = tuple(against)  # a line for each of the seat's own aims the card works against

    def compose(self) -> ComposeResult:
        card, have = self.card, self.resources
        cost = f"Costs {plural(card.cost, 'resource')}: you have {have}, {have - card.cost} left after." if card.cost else "Costs nothing."
        with Vertical(classes="dialog", id="play-box"):
            yield Static(f"Play {card.title}?", classes="dialog-title", markup=False)
            yield Static(f"{cost} It cannot be taken back.", classes="dialog-text", id="play-cost", markup=False)
            does = card_effect_lines(self.engine, card, self.phase, self.unmet)
            if does:
                yield Static("\n".join(does), classes="dialog-text", id="play-effects", markup=False)
            if self.against:
                yield Static("\n".join(self.against), classes="dialog-text", id="play-against", markup=False)
            if len(self.ways) > 1:
                yield Static("How? (c or o, or the arrows)", classes="dialog-label")
            for covert in sorted(self.ways, reverse=True):
                yield Static(play_outcome(self.engine, card, covert), classes="play-way dialog-text",
                             id="play-covert" if covert else "play-open", markup=False)
            if card.rationale == "ask":
                yield Static("Why? One line, kept for the debrief (optional).", classes="dialog-label")
                yield Input(placeholder="Your reason", max_length=REASON_MAX, id="play-reason")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Play (enter)", id="play-go", variant="primary")
                yield Button("Back (esc)", id="play-cancel")

    def on_mount(self) -> None:
        self._show_way()
        if self.card.rationale == "ask":
            self.query_one("#play-reason", Input).focus()
        else:
            self.query_one("#play-go", Button).focus()

    def _show_way(self) -> None:
        two = len(self.ways) > 1
        for way in self.query(".play-way").results(Static):
            covert = way.id == "play-covert"
            chosen = covert == self.covert
            way.set_class(two and chosen, "-chosen")
            way.set_class(two and not chosen, "-other")
            if two:
                way.update(f"{'▶' if chosen else ' '} {play_outcome(self.engine, self.card, covert)}")
        label = ("Play covertly" if self.covert else "Play openly") if two else "Play"
        self.query_one("#play-go", Button).label = f"{label} (enter)"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("way", "other_way"):
            return len(self.ways) > 1
        return True

    def action_way(self, covert: bool) -> None:
        self.covert = covert
        self._show_way()

    def action_other_way(self) -> None:
        self.action_way(not self.covert)

    @on(Input.Submitted, "#play-reason")
    @on(Button.Pressed, "#play-go")
    def _play(self) -> None:
        way = self.ways[self.covert]
        if self.card.rationale == "ask":
            way = replace(way, rationale=" ".join(self.query_one("#play-reason", Input).value.split()))
        self.dismiss(way)

    @on(Button.Pressed, "#play-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AttributeScreen(Dialog[C.Attribute | None]):
    """Pick a hidden play of the other side and the actor you accuse; shows the cost.

    The plays and the actors are those of the seat's ``options`` (what the engine would accept).
    The form reads top down, and the keys follow it: the focus starts on the first list
    with a choice to make (a list of one is chosen already), enter takes the highlighted
    entry and moves on to the next choice, then to Attribute, whose enter sends it; tab
    goes the same way. The footer says what enter does where the focus is, and the list
    being chosen in is marked (``▶`` before its question) as well as coloured."""

    BINDINGS = [
        # Before the list's or button's own enter, so the footer can say what it does here.
        Binding("enter", "press", "Next", priority=True,
                tooltip="In a list: take the highlighted entry and go on to the next choice. On a button: press it."),
        Binding("escape", "cancel", "Cancel", tooltip="Close without accusing anyone."),
    ]
    #: each list, the question above it
    QUESTIONS: ClassVar[dict[str, str]] = {"attr-play": "Which hidden play?", "attr-actor": "Who did it?"}

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
            accused.append(Option(name if name == side else f"{name}, of {in_sentence(side)}", id=f"actor-{a}"))
        with Vertical(classes="dialog", id="attr-box"):
            yield Static("Attribute a covert action", classes="dialog-title")
            yield Static(
                f"Costs {self.cost} resource{'s' if self.cost != 1 else ''} (you have {have}) and a roll of the card's "
                "attribution dice: it succeeds at or above the card's target. Name the right author and succeed: it is revealed. "
                "Name the wrong one: the accusation stands and may cost your side.",
                classes="dialog-text", markup=False,
            )
            for list_id, question, entries in (("attr-play", self.QUESTIONS["attr-play"], targets),
                                               ("attr-actor", self.QUESTIONS["attr-actor"], accused)):
                yield Static(f"  {question}", classes="dialog-label", id=f"{list_id}-label", markup=False)
                yield OptionList(*entries, id=list_id)
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button(f"Attribute (costs {self.cost})" if self.cost else "Attribute", id="attr-go", variant="warning")
                yield Button("Cancel (esc)", id="attr-cancel")

    def on_mount(self) -> None:
        for ol in self.query(OptionList):
            if ol.option_count:
                ol.highlighted = 0
        self._next_choice(after=None)

    def _next_choice(self, after: OptionList | None) -> None:
        """Focus the first list after ``after`` (from the top for None) with a choice to
        make (more than one entry), else Attribute."""
        lists = list(self.query(OptionList))
        start = 0 if after is None else lists.index(after) + 1
        target = next((ol for ol in lists[start:] if ol.option_count > 1), None)
        self.set_focus(target if target is not None else self.query_one("#attr-go", Button))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._next_choice(after=event.option_list)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        focused = self.focused
        for list_id, question in self.QUESTIONS.items():
            here = focused is not None and focused.id == list_id
            label = self.query_one(f"#{list_id}-label", Static)
            label.update(f"{'▶' if here else ' '} {question}")
            label.set_class(here, "-current")
        if isinstance(focused, OptionList):
            words = "Next"
        elif isinstance(focused, Button):
            words = str(focused.label).split(" (")[0]  # "Attribute (costs 1)" -> "Attribute"
        else:
            words = "Next"
        self.relabel("press", words)
        self.refresh_bindings()

    def action_press(self) -> None:
        """Enter: in a list, take its highlighted entry and move on (as its own enter
        does); on a button, press it."""
        focused = self.focused
        if isinstance(focused, OptionList):
            focused.action_select()
        elif isinstance(focused, Button):
            focused.press()

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
