"""A ballot on a consensus card, or an advisor's advice on it: the card, the question, who
proposed it, advice and ballots so far (with the reasons this seat may read), and an
optional one-line reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.widgets import Button, Input, Static

from tabletop.engine import commands as C
from tabletop.engine.grammar import in_sentence
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui import keygate
from tabletop.tui.private import Said
from tabletop.tui.screens.dialog import Dialog
from tabletop.tui.text import and_list, card_summary, seat_name

#: the longest reason the engine takes (it refuses longer ones)
REASON_MAX = C.MAX_RATIONALE
#: the reason box's placeholder, outside it and while writing in it
IDLE_PLACEHOLDER = "Reason, one line (optional): press r to write it"
WRITING_PLACEHOLDER = "Reason, one line — Enter when done (then y or n)"


def said_text(engine: Engine, said: Said, advice: bool) -> str:
    """``Veldia advises for — the note buys time`` / ``Ostrand: ✓ yes``."""
    if advice:
        mark = f"{seat_name(engine, said.actor)} advises {'for' if said.yes else 'against'}"
    else:
        mark = f"{seat_name(engine, said.actor)}: {'✓ yes' if said.yes else '✗ no'}"
    return mark + (f" — {said.rationale}" if said.rationale else "")


def advice_question(engine: Engine, view: View) -> str:
    """What an advisor is asked: ``Your advice to Ostrand on Diplomatic note to Northmark:
    for or against?``"""
    vote = view.vote
    assert vote is not None
    voters = and_list([seat_name(engine, v) for v in vote.voters])
    return f"Your advice to {voters} on {_vote_title(engine, view)}: for or against?"


def _vote_title(engine: Engine, view: View) -> str:
    """The title of the card put to the vote (``covert action #3`` if this seat may not know it)."""
    vote = view.vote
    assert vote is not None
    play = next((p for p in view.plays if p.id == vote.play), None)
    card = engine.cards.get(play.card) if play is not None and play.card else None
    return card.title if card is not None else f"covert action #{vote.play}"


def vote_lines(
    engine: Engine, view: View, seat: str, *, advising: bool = False, advice: Sequence[Said] = (),
    ballots: Mapping[str, Said] | None = None,
) -> list[tuple[str, str]]:
    """(part, text) of the ballot dialog, in order: its title, the card, its effects, who
    proposed it, the question, an advisor's role, the advice and the ballots so far (see
    :class:`VoteScreen` for ``advice`` and ``ballots``)."""
    e = engine
    vote = view.vote
    assert vote is not None
    said_ballots = dict(ballots or {})
    play = next((p for p in view.plays if p.id == vote.play), None)
    card = e.cards.get(play.card) if play is not None and play.card else None
    title = _vote_title(e, view)
    proposer = seat_name(e, play.actor) if play is not None and play.actor else "someone"
    prompt = card.consensus.prompt.strip() if card is not None and card.consensus and card.consensus.prompt else "Do you agree?"
    cast = []
    for voter in vote.voters:
        if voter in said_ballots:
            cast.append(said_text(e, said_ballots[voter], advice=False))
            continue
        if voter in vote.ballots:
            mark = "✓ yes" if vote.ballots[voter] else "✗ no"
        else:
            mark = "… your vote" if voter == seat else "… waiting"
        cast.append(f"{seat_name(e, voter)}: {mark}")
    heard = {s.actor for s in advice}
    given = [said_text(e, s, advice=True) for s in advice]
    for a in vote.advisors:
        if a in heard:
            continue
        if a in vote.advice:
            given.append(f"{seat_name(e, a)} advises {'for' if vote.advice[a] else 'against'}")
        elif a != seat:  # this seat's own advice is what the dialog asks for
            given.append(f"{seat_name(e, a)} has not advised yet")
    name = seat_name(e, seat)
    lines = [("vote-title", f"{name}: your advice" if advising else f"{name}: your vote"), ("vote-card", title)]
    if card is not None:
        lines.append(("vote-effects", card_summary(e, card)))
    lines += [("vote-proposer", f"Proposed by {in_sentence(proposer)}."), ("vote-prompt", prompt)]
    if advising:
        voters = and_list([seat_name(e, v) for v in vote.voters])
        role = f"You advise; {voters} decide{'s' if len(vote.voters) == 1 else ''}. Your advice is recorded for the debrief."
        lines.append(("vote-role", role))
        lines.append(("vote-ask", advice_question(e, view)))
    if given:
        lines.append(("vote-advice", " · ".join(given)))
    lines.append(("vote-ballots", "Ballots: " + " · ".join(cast)))
    return lines


class VoteScreen(Dialog[tuple[bool, str] | None]):
    """Dismisses (yes, reason), or None (decide later: press v on the board).

    ``advising``: the seat is an advisor asked for advice (for / against), not a voter.
    ``advice`` and ``ballots``: what was said so far, as this seat may read it (from its own
    stream, :class:`~tabletop.tui.private.PrivateFeeds`); a voter not in ``ballots`` is shown
    from the view. ``handed_over``: when the hand-off that called this voter closed
    (``handoff.clock``), if it just did; keys are ignored for a moment after it, so the
    second of two quick keys does not cast a ballot on a card its voter has not read.
    """

    BINDINGS = [
        # Before the focused button's own enter (which would cast at once), so that enter asks
        # first as y and n do, and the footer can say what it does where the focus is.
        Binding("enter", "press", "Yes", priority=True,
                tooltip="Do what the focused button says (a ballot is asked first); in the reason box: done writing."),
        Binding("y", "vote(True)", "Yes", tooltip="Vote yes (advise for): a card takes effect only if every voter agrees."),
        Binding("n", "vote(False)", "No", tooltip="Vote no (advise against): a no vote means the card has no effect."),
        Binding("r", "reason", "Reason", tooltip="Write a one-line reason (optional); enter or escape leaves the box, then y or n."),
        Binding("escape", "later", "Later", tooltip="In the reason box: leave it (the reason is kept). Else close and look at the board first (press v to come back)."),
    ]

    def __init__(
        self, engine: Engine, view: View, seat: str, handed_over: float | None = None, *,
        advising: bool = False, advice: Sequence[Said] = (), ballots: Mapping[str, Said] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.view = view
        self.seat = seat
        self.handed_over = handed_over
        self.advising = advising
        self.advice = list(advice)
        self.ballots = dict(ballots or {})
        if advising:  # the footer in the buttons' words
            self.relabel("vote(True)", "For")
            self.relabel("vote(False)", "Against")

    def on_key(self, event: events.Key) -> None:
        from tabletop.tui.screens.handoff import guarding

        if self.handed_over is not None and guarding(self.handed_over):
            keygate.drop(self.app, event)

    def compose(self) -> ComposeResult:
        lines = vote_lines(self.engine, self.view, self.seat, advising=self.advising, advice=self.advice,
                           ballots=self.ballots)
        with Vertical(id="vote-box", classes="dialog"):
            for name, text in lines:
                if name == "vote-title":
                    yield Static(text, classes="dialog-title", markup=False)
                else:
                    yield Static(text, id=name, markup=False)
            yield Input(placeholder=IDLE_PLACEHOLDER, max_length=REASON_MAX, id="vote-reason")
            with HorizontalGroup(classes="dialog-buttons"):
                if self.advising:
                    yield Button("For (y)", id="vote-yes", variant="success")
                    yield Button("Against (n)", id="vote-no", variant="error")
                else:
                    yield Button("Yes (y)", id="vote-yes", variant="success")
                    yield Button("No (n)", id="vote-no", variant="error")
                yield Button("Later (esc)", id="vote-later")

    def on_mount(self) -> None:
        self.query_one("#vote-yes", Button).focus()

    def _enter_words(self) -> str:
        """What enter does where the focus is, as the footer says it."""
        focused = self.focused
        if isinstance(focused, Input):
            return "Done"
        if isinstance(focused, Button):
            return str(focused.label).split(" (")[0]  # "Yes (y)" -> "Yes"
        return "Yes"

    def action_press(self) -> None:
        """Enter: what the focused button does, a ballot (or advice) asked first as with y
        and n (it cannot be taken back, and an enter meant for the screen before must not
        cast one); in the reason box, done writing. Dropped in the moment after a hand-off,
        as :meth:`on_key` drops the other keys (a priority binding runs before it)."""
        from tabletop.tui.screens.handoff import guarding

        if self.handed_over is not None and guarding(self.handed_over):
            keygate.dropped(self.app, "enter")
            return
        focused = self.focused
        if isinstance(focused, Input):
            self._reason_written()
        elif focused is self.query_one("#vote-no", Button):
            self.action_vote(False)
        elif focused is self.query_one("#vote-later", Button):
            self.dismiss(None)
        else:
            self.action_vote(True)

    def _reason(self) -> str:
        return " ".join(self.query_one("#vote-reason", Input).value.split())

    @on(Input.Submitted, "#vote-reason")
    def _reason_written(self) -> None:
        self.query_one("#vote-yes", Button).focus()  # the text stays; then y / n, or the buttons

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._placeholder()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._placeholder()

    def _placeholder(self) -> None:
        box = self.query_one("#vote-reason", Input)
        box.placeholder = WRITING_PLACEHOLDER if box.has_focus else IDLE_PLACEHOLDER
        self.relabel("press", self._enter_words())
        self.refresh_bindings()

    @on(Button.Pressed, "#vote-yes")
    def _yes(self) -> None:
        self.dismiss((True, self._reason()))

    @on(Button.Pressed, "#vote-no")
    def _no(self) -> None:
        self.dismiss((False, self._reason()))

    @on(Button.Pressed, "#vote-later")
    def _later(self) -> None:
        self.dismiss(None)

    def action_vote(self, yes: bool) -> None:
        """The y and n keys, and enter on Yes or No, ask first (a ballot cannot be taken
        back, and a letter typed for a reason outside its box, or an enter meant for the
        screen before, must not cast one); a click on a button casts at once."""
        from tabletop.tui.screens.confirm import ConfirmScreen

        e, view = self.engine, self.view
        title = _vote_title(e, view) if view.vote is not None else "this card"
        reason = self._reason()
        said = f"Your reason: {reason}" if reason else "No reason given (r writes one)."
        if self.advising and view.vote is not None:
            voters = and_list([seat_name(e, v) for v in view.vote.voters])
            question = f"Advise {voters} to agree to {title}?" if yes else f"Advise {voters} against {title}?"
            label = "Advise for" if yes else "Advise against"
        else:
            question, label = (f"Vote yes on {title}?", "Vote yes") if yes else (f"Vote no on {title}?", "Vote no")
        ask = ConfirmScreen(question, f"It cannot be taken back. {said}", label)

        def answered(sure: bool | None) -> None:
            if sure:
                self.dismiss((yes, self._reason()))

        self.app.push_screen(ask, answered)

    def action_reason(self) -> None:
        self.query_one("#vote-reason", Input).focus()

    def action_later(self) -> None:
        if self.query_one("#vote-reason", Input).has_focus:  # escape leaves the box, keeping the reason
            self._reason_written()
            return
        self.dismiss(None)
