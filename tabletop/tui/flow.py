"""The flow of a hot-seat game, without a screen: who gets the keyboard, and what comes next.

:class:`HotSeat` decides, after each change, what the game screen does next: show the
dice, the end, wait for a bot, hand the keyboard to the next human seat, ask for a
ballot, or just show a seat's board; :func:`dice_seconds` how long a roll stays up.
:func:`keys` says which of a seat's keys are open, from the seat's
:class:`~tabletop.engine.queries.Options` (never from the rules again). No Textual
here, so all three are tested as plain objects (tests/tui/test_hotseat.py).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tabletop.engine.queries import Options
from tabletop.engine.views import OBSERVER
from tabletop.session import Session, facilitator_needed
from tabletop.tui.private import PrivateFeeds

#: what the screen does after showing a board
Then = Literal["dice", "summary", "end", "over", "bot", "handoff", "brief", "vote", "advise", "nothing"]


@dataclass(frozen=True, slots=True)
class Step:
    """Show the board as ``show`` sees it, then do ``then`` (for ``seat``, when it names one)."""

    show: str
    then: Then = "nothing"
    seat: str | None = None


class HotSeat:
    """Who has the keyboard of a shared terminal, and what comes after each move.

    ``humans``: the actor seats played at this keyboard. ``idle_seat``: the seat shown
    while none of them is awaited (default: the only human, else the observer).
    ``handoffs``: whether the keyboard is handed over between seats (more than one human).
    ``dice``: whether rolls are shown. ``private``: each human seat's own stream; with it,
    a seat that takes the keyboard is first shown its brief (once) and the private injects
    addressed to it since it last had it (step ``brief``). ``summaries``: whether the
    table is shown each round in review when it ends (step ``summary``; :attr:`summarized`
    is the round to show). Dice and summaries are shown over the public board when the
    keyboard is handed over: no hand stays up behind them for the room to read.
    """

    def __init__(
        self, session: Session, humans: Sequence[str], *, idle_seat: str | None = None,
        handoffs: bool | None = None, dice: bool = True, private: PrivateFeeds | None = None,
        summaries: bool = True,
    ) -> None:
        self.session = session
        self.humans = list(humans)
        self.idle_seat = idle_seat
        self.handoffs = len(self.humans) > 1 if handoffs is None else handoffs
        self.dice = dice
        self.private = private
        #: the human seat that took the keyboard last
        self.keyboard: str | None = None
        self.end_shown = False
        self._vote_asked: tuple[int, str] | None = None
        self.summaries = summaries
        #: the last round shown in review (a resumed game does not review its past rounds)
        public = session.view(OBSERVER)
        self.summarized = public.round if public.outcome is not None else max(0, public.round - 1)

    def idle(self) -> str:
        """The seat to show while no seat of this keyboard is awaited."""
        if self.idle_seat is not None:
            return self.idle_seat
        return self.humans[0] if len(self.humans) == 1 else OBSERVER

    def next(self, shown: str, *, rolls: bool = False) -> Step:
        """What comes next, the board showing ``shown`` and ``rolls`` waiting to be shown."""
        s = self.session
        table = OBSERVER if self.handoffs else shown
        if rolls and self.dice:
            return Step(table, "dice")
        public = s.view(OBSERVER)
        done = public.round if public.outcome is not None else public.round - 1  # the last round over
        if self.summaries and done > self.summarized:
            self.summarized = done
            return Step(table if self.handoffs else self.idle(), "summary")
        if public.outcome is not None:
            if self.end_shown:
                return Step(self.idle(), "over")
            self.end_shown = True
            return Step(self.idle(), "end")
        waits = s.waits()
        if not self.handoffs and self._due(self.idle()):  # the one seat here: its news as they come
            return Step(self.idle(), "brief", self.idle())
        mine = [w for w in waits if w.seat in self.humans]
        # An advisor is heard before the vote can close: a bot voter waits for a human advisor.
        if any(s.is_bot(w.seat) for w in waits) and not any(w.need == "advice" for w in mine):
            return Step(self.idle(), "bot")
        if not mine:
            return Step(self.idle())
        wait = mine[0]
        if self.handoffs and wait.seat != self.keyboard:
            return Step(OBSERVER, "handoff", wait.seat)  # no hand stays mounted behind the hand-off
        self.keyboard = wait.seat
        if self._due(wait.seat):
            return Step(wait.seat, "brief", wait.seat)
        if wait.need in ("ballot", "advice"):
            opts = s.options(wait.seat)
            play = opts.ballot if wait.need == "ballot" else opts.advice
            if play is not None and self._vote_asked != (play, wait.seat):
                return Step(wait.seat, "vote" if wait.need == "ballot" else "advise", wait.seat)
        return Step(wait.seat)

    def peek(self, shown: str) -> Step:
        """What :meth:`next` would say now (no rolls waiting), without taking the step: a
        screen tells the table where its key leads (a hand-off, the end, the board)."""
        return copy.copy(self).next(shown)

    def _due(self, seat: str) -> bool:
        return self.private is not None and seat in self.humans and self.private.due(seat)

    def briefed(self, seat: str) -> None:
        """``seat`` was shown its brief and its private injects so far."""
        if self.private is not None:
            self.private.shown(seat)

    def took_keyboard(self, seat: str) -> None:
        """``seat``'s player closed the hand-off: the keyboard is theirs."""
        self.keyboard = seat

    def vote_asked(self, play: int, seat: str) -> None:
        """The ballot (or the request for advice) on ``play`` was put to ``seat`` (it is
        not asked again by itself)."""
        self._vote_asked = (play, seat)

    def handoff_task(self, seat: str) -> str:
        """What the hand-off screen tells ``seat`` it is handed the keyboard for."""
        need = next((w.need for w in self.session.waits() if w.seat == seat), "turn")
        return need if need in ("ballot", "advice") else "turn"

    def facilitator_needed(self) -> bool:
        """The game waits for a human facilitator (only)."""
        return facilitator_needed(self.session)


def dice_seconds(seconds: float | None, *, attended: bool, bot_delay: float) -> float | None:
    """How long a roll stays up on this keyboard's screen: None (until a key) or seconds
    (0: not shown; the log tells the roll).

    ``attended``: someone acts at this keyboard (a hot-seat table with a human actor, a
    joined player, an evaluator, the facilitator's console): then a roll, a bot's too,
    waits for a key, whatever ``seconds`` says, so a key pressed for it is never taken by
    the screen after it. Else (a game of bots alone, an observer's screen) it goes after
    ``seconds`` (None: it waits too), and no longer than three bot moves, which come
    every ``bot_delay`` seconds.
    """
    if attended or seconds is None:
        return None
    return min(seconds, 3 * max(0.0, bot_delay))


#: the seat's keys that depend on what it may do now
SEAT_KEYS = ("play", "pass_turn", "propose", "attribute", "vote", "advise")


def keys(opts: Options, *, bot: bool = False) -> dict[str, bool | None]:
    """Which of a seat's keys are open: True (open), None (shown but disabled) or False (hidden).

    ``bot``: a bot plays the seat, so its keys stay closed. ``attribute`` is shown but
    disabled on the seat's turn when no attribution is legal (nothing hidden, or the cost
    cannot be paid).
    """
    turn = opts.my_turn and not bot
    return {
        "play": turn,
        "pass_turn": turn,
        "propose": turn,
        "attribute": (True if opts.attributable else None) if turn else False,
        "vote": opts.ballot is not None and not bot,
        "advise": opts.advice is not None and not bot,
    }
