"""What the host tells each seat: the events it may see, and nothing else, in a stream of
its own.

Each seat's stream holds the game's events redacted for it
(:func:`tabletop.engine.views.redact`), *leaving out* those it may not see at all: not
even a placeholder, so that nothing it receives says that something happened out of its
sight (a covert play sealed in another actor's turn, another side's draw). Its events
are numbered 1, 2, 3... in its own stream: ``seq``, ``from_seq`` and ``state_seq`` in
the protocol count the events *that seat* has been sent. The facilitator sees every
event, so its numbers are the journal's.

Pure (no sockets, no clock): the host feeds it the journal's events; a test can feed it
two games and compare what each seat would have received, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
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

    def __init__(self, engine: Engine, seats: Iterable[str]) -> None:
        self.engine = engine
        self.truth: GameState = engine.initial_state()  # the state after the last event fed
        self.history: dict[str, list[str]] = {seat: [] for seat in seats}
        self._awaiting_told: dict[str, str | None] = {seat: None for seat in self.history}

    def add(self, events: Iterable[E.Event]) -> dict[str, list[str]]:
        """Take the game's next ``events``; return, per seat, the texts of those it may see."""
        fresh: dict[str, list[str]] = {seat: [] for seat in self.history}
        for event in events:
            self.truth = self.engine.apply(self.truth, event)
            whole = P.dump(event_to_data(event))
            for seat, texts in fresh.items():
                if seat == FACILITATOR:
                    text = whole
                else:
                    seen = redact(self.engine, event, seat, self.truth)
                    if isinstance(seen, E.Hidden):
                        continue  # not a gap, not a placeholder: nothing at all
                    text = whole if seen is event else P.dump(event_to_data(seen))
                texts.append(text)
                self.history[seat].append(text)
        return fresh

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
