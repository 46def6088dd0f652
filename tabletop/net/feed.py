"""What the host tells each seat: the events it may see, and nothing else, in a stream of
its own.

Each seat's stream holds the game's events redacted for it
(:func:`tabletop.engine.views.redact`), *leaving out* those it may not see at all: not
even a placeholder, so that nothing it receives says that something happened out of its
sight (a covert play sealed in another actor's turn, another side's draw). Its events
are numbered 1, 2, 3... in its own stream: ``seq``, ``from_seq`` and ``state_seq`` in
the protocol count the events *that seat* has been sent. The facilitator sees every
event, so its numbers are the journal's. A seat may be sent another seat's view
(``sees``: the evaluators get the facilitator's when the host allows it). An observation
names the event it is about by number: in a seat's stream, by that seat's number
(:meth:`SeatFeeds.journal_seq` turns a seat's number into the journal's).

Pure (no sockets, no clock): the host feeds it the journal's events; a test can feed it
two games and compare what each seat would have received, byte for byte.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.events import event_to_data
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.engine.views import redact
from tabletop.net import protocol as P


class SeatFeeds:
    """Every seat's stream so far (one JSON text per event), and the frames that carry it."""

    def __init__(self, engine: Engine, seats: Iterable[str], sees: Mapping[str, str] | None = None) -> None:
        self.engine = engine
        self.truth: GameState = engine.initial_state()  # the state after the last event fed
        self.history: dict[str, list[str]] = {seat: [] for seat in seats}
        #: whose view each seat is sent (its own unless ``sees`` says otherwise)
        self.sees = {seat: (sees or {}).get(seat, seat) for seat in self.history}
        #: the journal's number of each event in each seat's stream (none kept for a
        #: seat sent every event: its numbers are the journal's)
        self._numbers: dict[str, list[int]] = {s: [] for s, v in self.sees.items() if v != FACILITATOR}
        self._awaiting_told: dict[str, str | None] = {seat: None for seat in self.history}

    def add(self, events: Iterable[E.Event]) -> dict[str, list[str]]:
        """Take the game's next ``events``; return, per seat, the texts of those it may see."""
        fresh: dict[str, list[str]] = {seat: [] for seat in self.history}
        for event in events:
            self.truth = self.engine.apply(self.truth, event)
            whole = P.dump(event_to_data(event))
            for seat, texts in fresh.items():
                viewpoint = self.sees[seat]
                if viewpoint == FACILITATOR:
                    text = whole
                else:
                    seen = redact(self.engine, event, viewpoint, self.truth)
                    if isinstance(seen, E.Hidden):
                        continue  # not a gap, not a placeholder: nothing at all
                    if isinstance(seen, E.ObservationRecorded):  # its event, as this seat numbers it
                        seen = replace(seen, about=self._seat_number(seat, seen.about))
                    text = whole if seen is event else P.dump(event_to_data(seen))
                    self._numbers[seat].append(self.truth.seq)
                texts.append(text)
                self.history[seat].append(text)
        return fresh

    def _seat_number(self, seat: str, journal_seq: int) -> int:
        """The number in ``seat``'s stream of the last event it was sent at or before the
        journal's event ``journal_seq`` (0: none)."""
        return bisect_right(self._numbers[seat], journal_seq)

    def journal_seq(self, seat: str, n: int) -> int:
        """The journal's number of the ``n``-th event of ``seat``'s stream (1-based; 0 stays
        0). Raises ``IndexError`` if the seat has not been sent that many."""
        if n == 0:
            return 0
        if not 0 < n <= self.count(seat):
            raise IndexError(n)
        numbers = self._numbers.get(seat)
        return n if numbers is None else numbers[n - 1]

    def count(self, seat: str) -> int:
        """How many events ``seat`` has been sent: its ``seq``."""
        return len(self.history[seat])

    def frame(self, seat: str, fresh: Sequence[str], awaiting: Sequence[str], **extra: Any) -> str | None:
        """The ``events`` message that tells ``seat`` its ``fresh`` events (the last ones
        :meth:`add` gave it) and whom the game waits for; None when it has nothing new to
        learn, so a command it may not see sends it no message at all.

        ``extra`` fields go after ``awaiting``: the host adds ``head``, the save's chain
        head, for receipts (it hashes the whole save, header and seed included: it tells
        a seat nothing, but it differs between any two games, so a comparison of two
        games' frames leaves it out).
        """
        waits = json.dumps(list(awaiting))
        if not fresh and self._awaiting_told.get(seat) == waits:
            return None
        self._awaiting_told[seat] = waits
        first = self.count(seat) - len(fresh) + 1
        more = "".join(f",{json.dumps(k)}:{json.dumps(v)}" for k, v in extra.items())
        return f'{{"type":"events","from_seq":{first},"awaiting":{waits}{more},"events":[{",".join(fresh)}]}}'

    def told(self, seat: str, awaiting: Sequence[str]) -> None:
        """``seat`` has just been told ``awaiting`` another way (in a welcome)."""
        self._awaiting_told[seat] = json.dumps(list(awaiting))

    def welcome_events(self, seat: str) -> str:
        """``seat``'s whole stream as the inside of a JSON array."""
        return ",".join(self.history[seat])


__all__ = ["SeatFeeds"]
