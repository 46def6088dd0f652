"""Wall-clock measures of a save: real start, end and duration, decision latency per seat, pauses.

Every journaled line carries ``Entry.at`` (seconds since the epoch, or None in a simulated
game). A seat's *decision latency* is the time from the moment the game began waiting for
it (the end of the command that made it one of the seats the engine awaits) to the moment
its command was journaled, less any time the facilitator had the game paused meanwhile.
Commands a seat sends while the game is not waiting for it (a facilitator's adjustment,
say) have no latency. A *pause* runs from a ``paused`` event to the next ``resumed`` (or
the end of the save).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from tabletop.engine import events as E
from tabletop.journal.replay import Replay


@dataclass(frozen=True, slots=True)
class Latency:
    """One decision's latency: seat ``seat`` sent the command whose events start at ``seq``."""

    seq: int
    round: int
    seat: str
    seconds: float


@dataclass(frozen=True, slots=True)
class SeatTiming:
    seat: str
    decisions: int  # commands with a latency
    median: float
    longest: float
    longest_seq: int  # the first event of its slowest command
    total: float


@dataclass(frozen=True, slots=True)
class Pause:
    seq: int  # the paused event
    round: int
    reason: str
    start: float
    end: float | None  # None: never resumed in the save
    resumed_seq: int | None

    @property
    def seconds(self) -> float | None:
        return None if self.end is None else self.end - self.start


@dataclass(frozen=True, slots=True)
class Timing:
    """The save's wall-clock measures (``timed`` False: no line carries a time)."""

    timed: bool
    start: float | None
    end: float | None
    untimed: int  # lines without a time (a save begun before times were recorded, say)
    pauses: tuple[Pause, ...]
    latencies: tuple[Latency, ...]
    seats: tuple[SeatTiming, ...]  # in the order seats first decided

    @property
    def duration(self) -> float | None:
        return None if self.start is None or self.end is None else self.end - self.start

    @property
    def paused(self) -> float:
        """Seconds spent paused (pauses still open count up to the end of the save)."""
        end = self.end or 0.0
        return sum((p.end if p.end is not None else end) - p.start for p in self.pauses)


def timing(replay: Replay) -> Timing:
    """The wall-clock measures of ``replay``'s save."""
    entries = replay.entries
    times = [e.at for e in entries if e.at is not None]
    if not times:
        return Timing(False, None, None, len(entries), (), (), ())
    pauses = _pauses(replay)
    spans = [(p.start, p.end if p.end is not None else max(times)) for p in pauses]

    def paused_between(a: float, b: float) -> float:
        return sum(max(0.0, min(b, hi) - max(a, lo)) for lo, hi in spans)

    engine = replay.engine
    state = engine.initial_state()
    since: dict[str, float] = {}  # seat -> when the game began waiting for it
    out: list[Latency] = []
    for first, last in replay.groups():
        head = entries[first - 1]
        seat = head.seat
        if seat is not None and head.at is not None and seat in since:
            wait = head.at - since[seat]
            out.append(Latency(first, head.round, seat, max(0.0, wait - paused_between(since[seat], head.at))))
        for k in range(first, last + 1):
            state = engine.apply(state, entries[k - 1].event)
        end = entries[last - 1].at
        waiting = set(engine.awaiting(state)) if not state.paused else set()
        since = {s: t for s, t in since.items() if s in waiting and s != seat}
        if end is not None:
            for s in waiting:
                since.setdefault(s, end)
    order: list[str] = []
    for lat in out:
        if lat.seat not in order:
            order.append(lat.seat)
    seats = []
    for s in order:
        mine = [lat for lat in out if lat.seat == s]
        slow = max(mine, key=lambda x: x.seconds)
        seats.append(SeatTiming(s, len(mine), statistics.median(x.seconds for x in mine), slow.seconds, slow.seq,
                                sum(x.seconds for x in mine)))
    return Timing(True, min(times), max(times), len(entries) - len(times), tuple(pauses), tuple(out), tuple(seats))


def _pauses(replay: Replay) -> list[Pause]:
    out: list[Pause] = []
    open_: tuple[int, int, str, float] | None = None
    for k, e in enumerate(replay.entries, 1):
        if type(e.event) is E.Paused and e.at is not None and open_ is None:
            open_ = (k, e.round, e.event.reason, e.at)
        elif type(e.event) is E.Resumed and open_ is not None and e.at is not None:
            out.append(Pause(*open_, end=e.at, resumed_seq=k))
            open_ = None
    if open_ is not None:
        out.append(Pause(*open_, end=None, resumed_seq=None))
    return out


# ====================================================================== words


def clock(at: float) -> str:
    """``2026-11-30 09:05 UTC``."""
    return dt.datetime.fromtimestamp(at, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def iso(at: float) -> str:
    """``2026-11-30T09:05:12+00:00`` (for JSON)."""
    return dt.datetime.fromtimestamp(at, dt.timezone.utc).isoformat(timespec="seconds")


def span(seconds: float) -> str:
    """A length of time in words: ``42 s``, ``3 min 5 s``, ``1 h 12 min``."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s} s" if s else f"{m} min"
    h, m = divmod(m, 60)
    return f"{h} h {m} min" if m else f"{h} h"


__all__ = ["Latency", "Pause", "SeatTiming", "Timing", "clock", "iso", "span", "timing"]
