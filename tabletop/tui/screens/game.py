"""The game screen: the board for the seat at the keyboard, and the flow of a hot-seat game.

The screen never holds game state. It asks the session for the view of the seat it
shows and renders it; it sends commands through the session; it hears what happened
from the session's listener (the public stream, for the log and the dice). Between
moves it does what :class:`~tabletop.tui.flow.HotSeat` says comes next on the shared
terminal: the dice, a hand-off to the next human seat, a ballot, a bot's move after a
pause, or the end screen; its keys are open as the seat's ``options`` say
(:func:`~tabletop.tui.flow.keys`).

Just past 500 lines: the dialogs a seat opens are in :mod:`~tabletop.tui.screens.seat_dialogs`
and the table's views in :mod:`~tabletop.tui.screens.table_views`; what stays is the board
and the hot-seat steps around it, which read each other's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from tabletop.engine import commands as C
from tabletop.engine.grammar import in_sentence
from tabletop.engine.narrate import actor_name
from tabletop.engine.queries import Options
from tabletop.engine.standing import objective_standing
from tabletop.engine.views import EVALUATOR, OBSERVER, View
from tabletop.journal import Entry
from tabletop.session import HostedSession, SeatRow, Session
from tabletop.tui import keygate
from tabletop.tui.chronicle import Chronicle, LogLine
from tabletop.tui.flow import SEAT_KEYS, HotSeat, keys
from tabletop.tui.flow import dice_seconds as flow_dice_seconds
from tabletop.tui.palette import GameCommands
from tabletop.tui.private import PrivateFeeds
from tabletop.tui.roles import nearest_ending
from tabletop.tui.screens.hotwash import HotwashDesk
from tabletop.tui.screens.observe import Notebook, event_choices
from tabletop.tui.screens.seat_dialogs import SeatDialogs
from tabletop.tui.screens.table_views import TableViews
from tabletop.tui.sending import send
from tabletop.tui.text import (
    accent_class,
    all_hands_text,
    handoff_words,
    hidden_hands_note,
    next_step_hint,
    nothing_playable_hint,
    seat_name,
    waiting_text,
)
from tabletop.tui.widgets.footer import GameFooter
from tabletop.tui.widgets.hand import (
    CardDetail,
    CardInfo,
    CardWidget,
    HandPanel,
    HandTitle,
)
from tabletop.tui.widgets.header import GameHeader
from tabletop.tui.widgets.ladder import PhaseLadder
from tabletop.tui.widgets.log import EventLog
from tabletop.tui.widgets.played import PlayedPanel
from tabletop.tui.widgets.quiet import set_accent, set_text
from tabletop.tui.widgets.tracks import TrackPanel

FAC = C.FACILITATOR


class GameScreen(TableViews, SeatDialogs):
    """The board. Keys act for the seat shown; ``f`` and ``p`` are for everyone."""

    HELP_TITLE = 'the board'
    #: what the board's marks mean, above its keys in the help
    HELP_NOTE = (
        "Tracks: ▲2 or ▼1 beside a value is how far the track has moved this round "
        "(7▲2: 7 now, 5 when the round began). Point at a track for its range and band."
    )

    COMMANDS = {GameCommands}

    BINDINGS = [
        Binding("enter", "play", "Play", tooltip="Play the focused card: asks first, with its cost, covert or open, and what happens."),
        Binding("x", "pass_turn", "Pass", tooltip="End your turn without playing a card."),
        Binding("a", "attribute", "Attribute", tooltip="Accuse an actor of a hidden covert play of the other side; costs resources and a roll."),
        Binding("w", "propose", "Write", tooltip="Write a free-form proposal (text and track changes) for the facilitator to rule on."),
        Binding("v", "vote", "Vote", tooltip="Cast your ballot on the open consensus card, or give your advice on it if you advise (advisors do not vote)."),
        Binding("v", "advise", "Advise", tooltip="Give your advice on the open consensus card (advisors do not vote)."),
        Binding("b", "brief", "My role", tooltip="Your role: your brief, what only you know, where your objectives stand, what can end the game, news for you alone."),
        Binding("f", "facilitator_needed", "Ruling needed", tooltip="The game waits for the facilitator: open the console."),
        Binding("f", "facilitator", "Facilitator", tooltip="Open the facilitator console: rulings, injects, track adjustments, notes, pause, advance."),
        Binding("p", "phases", "Phases", tooltip="Show the crisis phases, their transitions and the history of phase changes."),
        Binding("s", "round_summary", "Round in review", show=False, tooltip="The last round in review: plays, votes, dice and rulings, tracks, phase, injects."),
        Binding("l", "log", "Log", show=False, tooltip="The whole log, to scroll back through."),
        Binding("P", "projector", "Projector view", show=False, tooltip="The public board for the room: phases, tracks, the round in review; no hand."),
        Binding("pagedown", "detail(1)", "Card text down", show=False, tooltip="Read on in the card's text."),
        Binding("pageup", "detail(-1)", "Card text up", show=False, tooltip="Back up in the card's text."),
        Binding("e", "end_summary", "Outcome", tooltip="Show the end screen again (after the exercise is over)."),
        Binding("j", "seats", "Seats", tooltip="Hosted games: who is connected, and each seat's join command."),
        Binding("o", "observe", "Observe", tooltip="An evaluator records an observation: what happened, the event, "
                "a learning objective, a P/S/M/U rating (seen by the facilitator and the evaluators only)."),
        Binding("o", "observe_quietly", "Observe", show=False),  # the same, while a hand's keys fill the footer
    ]

    #: the view of the seat shown; bound to the header, ladder, tracks and played cards
    view: reactive[View | None] = reactive(None, always_update=True)

    class Changed(Message):
        """The session recorded new events (as the public may see them)."""

        def __init__(self, entries: Sequence[Entry]) -> None:
            super().__init__()
            self.entries = entries

    def __init__(
        self, session: Session, *, bot_delay: float, dice_seconds: float | None, save_path: Path | None,
        seats: Sequence[str] | None = None, idle_seat: str | None = None,
        drive_bots: bool = True, facilitator_here: bool = True, log_seat: str = OBSERVER, author: str = "",
        attended: bool | None = None, **kwargs: Any,
    ) -> None:
        """``seats``: the actor seats played at this keyboard (default: every human actor,
        hot-seat). ``idle_seat``: the seat shown while none of them is awaited.
        ``drive_bots``: this screen moves the session's bots (not when a host does).
        ``facilitator_here``: the facilitator's console is open to this keyboard.
        ``log_seat``: whose story the log tells (hot-seat: the public one, as the whole
        table reads the screen). ``author``: the name observations and an evaluator's
        hotwash are recorded under (the dialogs ask; this is the first answer).
        ``attended``: someone acts at this keyboard (default: a human actor is played
        here), so a roll waits for a key; ``dice_seconds`` is how long it stays up
        where nobody does (see :func:`~tabletop.tui.flow.dice_seconds`)."""
        super().__init__(**kwargs)
        self.session = session
        #: the same session when it is a host's (its seats can be shown and handed over), else None
        self.hosted: HostedSession | None = session if isinstance(session, HostedSession) else None
        self.engine = session.engine
        self.chronicle = Chronicle(self.engine)
        self.bot_delay = max(0.0, bot_delay)
        self.save_path = save_path
        if seats is None:
            seats = [a for a in self.engine.actors if not session.is_bot(a)]
        self.humans = list(seats)
        self.drive_bots = drive_bots
        self.facilitator_here = facilitator_here
        self.log_seat = log_seat
        #: someone acts at this keyboard: the dice wait for a key
        self.attended = bool(self.humans) if attended is None else attended
        #: how long a roll stays up here (None: until a key; 0: not shown)
        self.dice_seconds = flow_dice_seconds(dice_seconds, attended=self.attended, bot_delay=self.bot_delay)
        #: what each human seat here is told alone (its own stream)
        self.private = PrivateFeeds(session, self.humans)
        #: who has the keyboard, and what comes after each move
        self.flow = HotSeat(session, self.humans, idle_seat=idle_seat, dice=self.dice_seconds != 0, private=self.private)
        self.shown_seat = OBSERVER
        #: what the seat shown may do now (asked of the session each time a board is shown)
        self.options: Options | None = None
        self._bot_timer: Timer | None = None
        self._bot_pending = False
        self._fresh: list[LogLine] = []  # log lines heard but not written yet
        self._handed_at = 0  # log lines before the last hand-off
        self._handed_over: float | None = None  # when the last hand-off closed (handoff.clock)
        observer = self._observer_seat()
        #: who records observations at this keyboard (None: nobody here may)
        self.notebook = Notebook(session, observer, lambda: event_choices(self.chronicle.lines), author) if observer else None
        #: the seats that answer the hotwash at this keyboard
        self.hotwash = HotwashDesk(session, self._hotwash_seats(), author)

    def _observer_seat(self) -> str | None:
        """An evaluator's client and a hot-seat table observe as the evaluators; a
        facilitator's console as the facilitator; a player's or observer's client not at all."""
        seat = self.session.seat
        if seat == EVALUATOR or (seat is None and self.hosted is None):
            return EVALUATOR
        return FAC if seat == FAC or (seat is None and self.facilitator_here) else None

    def _hotwash_seats(self) -> list[str]:
        """A joined seat answers for itself; a hot-seat table for its human actors, the
        facilitator and an evaluator; a host's console for the facilitator."""
        seat = self.session.seat
        if seat is not None:
            return [seat]
        seats = [*self.humans, *([FAC] if self.facilitator_here else [])]
        return seats + ([EVALUATOR] if self.hosted is None else [])

    # ================================================================ layout

    def compose(self) -> ComposeResult:
        e = self.engine
        yield GameHeader(e, id="header").data_bind(GameScreen.view)
        yield PhaseLadder(e, id="ladder").data_bind(GameScreen.view)
        with Horizontal(id="board"):
            with Vertical(id="left"):
                yield TrackPanel(e, id="tracks", classes="pane").data_bind(GameScreen.view)
                yield PlayedPanel(e, id="played", classes="pane").data_bind(GameScreen.view)
            with Vertical(id="right"):
                yield HandTitle(id="hand-title")
                yield HandPanel(e, id="hand")
                yield CardDetail(e, id="detail", classes="pane")
        yield EventLog(id="log", classes="pane")
        with Horizontal(id="status-row"):
            yield Static("", id="status")
            yield Static("", id="clock")
        # narrow from the start on a narrow terminal: set_narrow then changes nothing at the first resize
        yield GameFooter(id="footer", narrow=self.app.size.width < 100)

    def on_mount(self) -> None:
        self.query_one("#log").border_title = "Log"
        self.query_one("#detail").border_title = "Card"
        if self.save_path is not None:
            note = f"Every move is saved to {self.save_path} as it is made; ctrl+q quits at any time."
            self.query_one(EventLog).add([LogLine(0, note, "note")])
        self.session.add_listener(self._heard, self.log_seat, replay=True)
        # The rolls of the game so far (a resumed or joined game's) were shown when they
        # were made: only the rolls made from now on pop up.
        self.chronicle.take_rolls()
        if self.hosted is not None:  # connections come and go between moves
            self.set_interval(1.0, self._refresh_status)
        self._time_up_sent = -1  # the seq a time-up was sent at (once per turn)
        self.set_interval(1.0, self._tick_clock)
        self._tick_clock()

    def on_unmount(self) -> None:
        self.session.remove_listener(self._heard)
        self.private.close()

    def on_key(self, event: events.Key) -> None:
        """Right after a hand-off closes, a key is the one that closed it, pressed twice: not used, and said."""
        if self._handed_over is None:
            return
        from tabletop.tui.screens import handoff

        if handoff.guarding(self._handed_over):
            keygate.drop(self.app, event)
        else:
            self._handed_over = None

    def on_resize(self) -> None:
        self.query_one(GameFooter).set_narrow(self.size.width < 100)
        self.call_after_refresh(self.query_one(TrackPanel).fit)  # once the panes have their new sizes

    # ================================================================ hearing the session

    def _heard(self, entries: Sequence[Entry]) -> None:
        # Read at once, so the rolls are queued before anything else decides what comes next.
        self._fresh.extend(self.chronicle.feed(entries))
        self.post_message(self.Changed(tuple(entries)))

    @on(Changed)
    async def _changed(self, message: Changed) -> None:
        lines, self._fresh = self._fresh, []
        if lines:
            self.query_one(EventLog).add(lines)
        await self.settle()

    async def on_screen_resume(self) -> None:
        await self.settle()

    # ================================================================ what comes next

    async def settle(self) -> None:
        """Show the board for the right seat, then the next step: dice, hand-off, ballot, bot or end."""
        if not self.is_active:
            return
        rolls = self.chronicle.take_rolls()
        step = self.flow.next(self.shown_seat, rolls=bool(rolls))
        if step.then in ("end", "over"):
            self._cancel_bot()
        await self.show_seat(step.show)
        if step.then == "dice":
            from tabletop.tui.screens.dice import DiceScreen

            self.app.push_screen(DiceScreen(rolls, self.dice_seconds))
        elif step.then == "summary":
            self.action_round_summary(self.flow.summarized, by_itself=True, onward=self._onward())
        elif step.then == "end":
            self.action_end_summary()
        elif step.then == "bot" and self.drive_bots:
            self._schedule_bot()
        elif step.then == "handoff" and step.seat is not None:
            self._hand_off(step.seat, self.session.view(OBSERVER))
        elif step.then == "brief" and step.seat is not None:
            self._show_brief(step.seat)
        elif step.then == "vote":
            self.action_vote()
        elif step.then == "advise":
            self.action_advise()

    def _onward(self) -> str:
        """Where the key that closes a screen over the board leads, as the flow says: the
        review at a round's start leads to a hand-off, not "back to the board"."""
        step = self.flow.peek(self.shown_seat)
        if step.then == "handoff" and step.seat is not None:
            return f"on to the hand-off to {in_sentence(actor_name(self.engine, step.seat))}"
        if step.then == "end":
            return "on to the end of the game"
        return "back to the board"

    def _hand_off(self, seat: str, public: View) -> None:
        from tabletop.tui.screens import handoff
        from tabletop.tui.screens.handoff import HandOffScreen

        e = self.engine
        side = e.side_of[seat]
        what, context = handoff_words(e, public, self.flow.handoff_task(seat))
        since = self.chronicle.lines[self._handed_at:]
        self._handed_at = len(self.chronicle.lines)
        recent = [line.text for line in since if line.kind not in ("draw", "turn")][-4:]

        def took_keyboard() -> None:
            self.flow.took_keyboard(seat)
            self._handed_over = handoff.clock()

        # A notification raised at the last seat's board (a refused card, say) would
        # stay up over the hand-off for the room, and the next player, to read.
        self.app.clear_notifications()
        back = "the hand-off"  # what the public views opened from it close to
        public_views = {"s": partial(self.action_round_summary, back=back), "l": partial(self.action_log, back),
                        "P": partial(self.action_projector, back)}
        self.app.push_screen(HandOffScreen(
            seat, seat_name(e, seat), e.side_name(side), accent_class(e, side), what, recent, context, took_keyboard,
            near=nearest_ending(e, public), views=public_views,
        ))

    def _schedule_bot(self) -> None:
        """One bot move after ``bot_delay`` seconds (after the next refresh if 0)."""
        if self._bot_pending:
            return
        self._bot_pending = True
        if self.bot_delay > 0:
            self._bot_timer = self.set_timer(self.bot_delay, self._bot_move, name="bot-move")
        else:
            self.call_after_refresh(self._bot_move)

    def _cancel_bot(self) -> None:
        self._bot_pending = False
        if self._bot_timer is not None:
            self._bot_timer.stop()
            self._bot_timer = None

    async def _bot_move(self) -> None:
        if not self._bot_pending:
            return  # cancelled
        self._bot_pending = False
        self._bot_timer = None
        if not self.is_active:
            return  # a dialog is open; the move comes when the board is back
        command = self.session.bot_command()
        if command is None:
            await self.settle()
            return
        await self.submit(command)

    # ================================================================ showing a seat

    async def show_seat(self, seat: str) -> None:
        """Render the board as ``seat`` sees it (``observer``: every hand hidden)."""
        self.shown_seat = seat
        s, e = self.session, self.engine
        view = s.view(seat)
        self.options = s.options(seat) if seat in e.side_of else None
        self.query_one(PlayedPanel).sealed = tuple(self.private.sealed(seat))  # its own, for its eyes
        self.view = view
        hand = self.query_one(HandPanel)
        title = self.query_one(HandTitle)
        set_accent(title, accent_class(e, e.side_of[seat]) if seat in e.side_of else None)
        if seat in e.side_of:
            actor = view.actors[seat]
            cards = tuple(
                CardInfo(i, e.instance_card[i], s.why_not_play(seat, i), s.unmet_triggers(seat, e.instance_card[i]))
                for i in (actor.hand or ())
            )
            left = view.plays_left if view.turn == seat and view.vote is None else None
            standing = objective_standing(e, view, seat)
            met = (sum(1 for x in standing if x.met), len(standing))
            title.show(seat_name(e, seat), actor.resources or 0, left, met)
            opts = self.options
            stuck = opts is not None and opts.my_turn and all(c.reason for c in cards) and not s.is_bot(seat)
            await hand.show(cards, "No cards in hand.", nothing_playable_hint(bool(opts.attributable)) if stuck and opts else "")
            focused = self.focused
            if isinstance(focused, CardWidget):
                self._show_card(focused)
            elif not cards:
                self.query_one(CardDetail).show(None)
        elif seat == FAC and view.outcome is None:  # the facilitator's console: every hand, as text
            title.say("Every hand (facilitator)")
            await hand.show((), all_hands_text(e, view))
            self.query_one(CardDetail).show(None, note=self._next_hint(view))
        else:
            title.say("Hands hidden")
            await hand.show((), hidden_hands_note(e, view, s.is_bot))
            self.query_one(CardDetail).show(None, note=self._next_hint(view))
        status = self.query_one("#status", Static)
        set_text(status, waiting_text(e, view, s.is_bot) + self._seats_text())
        status.set_class(self._facilitator_needed(), "-attention")
        self.refresh_bindings()

    def _next_hint(self, view: View) -> str:
        s = self.session
        return next_step_hint(
            view, s.is_bot, lambda: bool(s.options(FAC).contests), facilitator_here=self.facilitator_here,
            observes=self._observer_seat() == EVALUATOR,
        )

    @on(CardWidget.Focused)
    def _card_focused(self, message: CardWidget.Focused) -> None:
        self._show_card(message.card)

    def _show_card(self, card: CardWidget) -> None:
        """The detail pane shows ``card``, in the crisis phase now."""
        phase = self.view.phase if self.view is not None else None
        self.query_one(CardDetail).show(card.card, card.reason, phase=phase, kind=not card.tells_kind, unmet=card.unmet)

    # ================================================================ what applies now

    def _keys(self) -> dict[str, bool | None]:
        """Which of the shown seat's keys are open (see :func:`tabletop.tui.flow.keys`)."""
        if self.options is None:
            return dict.fromkeys(SEAT_KEYS, False)
        return keys(self.options, bot=self.session.is_bot(self.shown_seat))

    def _host_seats(self) -> list[SeatRow] | None:
        """(seat, name, status, join command) per seat when this screen is a host's console."""
        return self.hosted.host_seats() if self.hosted is not None else None

    def _seats_text(self) -> str:
        rows = self._host_seats()
        if not rows:
            return ""
        missing = [name for _, name, status, _ in rows if status == "waiting"]
        return f" · missing: {', '.join(missing)} (j: seats)" if missing else " · every seat is taken (j: seats)"

    async def _refresh_status(self) -> None:
        if self.is_active and self.view is not None:
            status = self.query_one("#status", Static)
            set_text(status, waiting_text(self.engine, self.view, self.session.is_bot) + self._seats_text())

    def action_seats(self) -> None:
        from tabletop.tui.screens.seats import SeatsScreen

        hosted = self.hosted
        if hosted is not None:
            self.app.push_screen(SeatsScreen(hosted.host_seats, hosted.hand_seat, frozenset(self.engine.actors)))

    def _facilitator_needed(self) -> bool:
        return self.facilitator_here and self.flow.facilitator_needed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SEAT_KEYS:
            return self._keys()[action]
        if action == "facilitator_needed":
            return self._facilitator_needed()
        if action == "facilitator":
            return self.facilitator_here and not self._facilitator_needed()
        if action == "seats":
            return self.hosted is not None
        if action == "brief":
            return self.shown_seat in self.private.received
        if action == "end_summary":
            return self.view is not None and self.view.outcome is not None
        if action in ("observe", "observe_quietly"):
            crowded = any(v is not False for v in self._keys().values())  # a hand's keys are up: o works, unlisted
            return (action == "observe_quietly") == crowded and self.notebook is not None and self.notebook.can_observe()
        return True

    # ================================================================ sending

    async def submit(self, command: C.Command) -> bool:
        """Send ``command``; a refusal becomes a notification and changes nothing."""
        return await send(self, self.session, command)

    # ================================================================ actions

    async def action_play(self) -> None:
        """Play the focused card, after a yes: the dialog says its cost and what happens."""
        focused = self.focused
        if not isinstance(focused, CardWidget):
            self.notify("Pick a card first: arrows or tab move among your cards.", severity="warning")
            return
        seat, card = self.shown_seat, focused.card
        ways = self.options.ways(focused.instance) if self.options is not None else ()
        if not ways:
            await self.submit(C.PlayCard(seat, focused.instance))  # refused: the engine says why
            return
        self._ask_to_play(seat, card, ways)

    def action_facilitator(self) -> None:
        from tabletop.tui.screens.facilitator import FacilitatorScreen

        # Hot-seat: the players share this screen, so the console covers its secrets.
        self.app.push_screen(FacilitatorScreen(
            self.session, covered=bool(self.humans),
            notebook=Notebook(self.session, FAC, lambda: event_choices(self.chronicle.lines)),
        ))

    def action_facilitator_needed(self) -> None:
        self.action_facilitator()

    def action_phases(self) -> None:
        from tabletop.tui.screens.phases import PhaseScreen

        self.app.push_screen(PhaseScreen(self.engine, self.session.view(OBSERVER), self.chronicle.narrator))

    def action_end_summary(self) -> None:
        # The end is the debrief: where the facilitator sits (hot-seat, the host) every
        # secret is out; a joined player sees the end as its seat was told it.
        view = self.session.view(FAC if self.facilitator_here else self.log_seat)
        if view.outcome is None:
            return
        from tabletop.tui.screens.end import EndScreen

        self.app.push_screen(
            EndScreen(self.engine, view.outcome, self.chronicle.narrator, list(self.chronicle.turning_points),
                      self.save_path, fingerprint=self.session.fingerprint, values=view.values,
                      hotwash=self.hotwash, notebook=self.notebook)
        )

    def action_observe(self) -> None:
        if self.notebook is not None:
            self.notebook.open(self)

    action_observe_quietly = action_observe
