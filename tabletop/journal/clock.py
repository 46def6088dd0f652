"""The exercise's clock, read from the journal: how long the turn and the round have left.

Wall-clock time is metadata of the journal's lines (:attr:`Entry.at`), not game state:
the engine knows the time boxes (:func:`~tabletop.engine.decide.clock_of`), the journal
knows when each turn and round began and when the exercise was paused, and this reads
the two together at a moment ``now``. A pause stops the clock; the facilitator's extra
time is added to the turn's. A game without times (a simulation) has no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tabletop.engine import events as E
from tabletop.engine.index import clock_of
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.journal.format import Entry


@dataclass(frozen=True, slots=True)
class ClockReading:
    """Seconds left (negative: over time), None where there is no limit or nothing runs."""

    turn_left: float | None
    round_left: float | None
    #: whose turn the turn's time is
    actor: str | None
    paused: bool
    #: ``pass`` (the turn ends when its time is up) or ``wait`` (it only shows over time)
    on_timeout: str

    @property
    def turn_is_up(self) -> bool:
        """The turn's time is up and the clock runs: the turn should end (``on_timeout: pass``)."""
        return self.turn_left is not None and self.turn_left <= 0 and not self.paused and self.on_timeout == "pass"


def _running(entries: Sequence[Entry], start: int, now: float) -> float | None:
    """Seconds the clock ran from ``entries[start]`` to ``now``, pauses left out (None: no times)."""
    began = entries[start].at
    if began is None:
        return None
    paused_at: float | None = None
    stopped = 0.0
    for e in entries[start + 1:]:
        if isinstance(e.event, E.Paused) and e.at is not None:
            paused_at = e.at
        elif isinstance(e.event, E.Resumed) and e.at is not None and paused_at is not None:
            stopped += e.at - paused_at
            paused_at = None
    end = paused_at if paused_at is not None else now
    return max(0.0, end - began - stopped)


def read_clock(engine: Engine, entries: Sequence[Entry], state: GameState, now: float) -> ClockReading | None:
    """The clock at ``now`` (seconds since the epoch), or None when no time box is set, the
    game is over, or its lines carry no times."""
    turn_box, round_box = clock_of(engine, state)
    if not (turn_box or round_box) or state.ended or not entries or entries[-1].at is None:
        return None
    turn_start = round_start = None
    for i in range(len(entries) - 1, -1, -1):
        ev = entries[i].event
        if turn_start is None and isinstance(ev, E.TurnStarted) and ev.actor == state.turn:
            turn_start = i
        if isinstance(ev, E.RoundStarted):
            round_start = i
            break
    turn_left = round_left = None
    if turn_box and state.turn is not None and state.vote is None and turn_start is not None:
        ran = _running(entries, turn_start, now)
        turn_left = None if ran is None else turn_box + state.turn_extra - ran
    if round_box and round_start is not None:
        ran = _running(entries, round_start, now)
        round_left = None if ran is None else round_box - ran
    rules = engine.campaign.rules.clock
    return ClockReading(turn_left, round_left, state.turn, state.paused, rules.on_timeout if rules else "pass")
