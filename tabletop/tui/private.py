"""What each seat at this keyboard is told alone: its brief, private injects, and reasons.

The shared screen tells the public story (the ``observer``'s stream). A seat also hears its
own stream, as the session redacts it for that seat: :class:`PrivateFeeds` listens to it for
each human seat and keeps what the screens show that seat only once it has the keyboard:
the private injects addressed to it (not yet shown, and all so far), the covert plays it
made that wait for its side's step to end, and the advice and ballots on a vote with the
reasons this seat may read (another side's arrive blank).
No Textual here, so it is tested as a plain object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tabletop.engine import events as E
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.journal import Entry
from tabletop.session import Session


@dataclass(frozen=True, slots=True)
class Said:
    """A voter's ballot or an advisor's advice on a vote, with its reason if this seat may read it."""

    actor: str
    yes: bool
    rationale: str


def has_private(engine: Engine, view: View, seat: str) -> bool:
    """Whether ``seat`` has anything of its own to read: a brief, its side's or its own
    objectives that are secret or its own, or hidden values it knows."""
    if seat not in engine.side_of:
        return False
    actor = engine.campaign.actor_by_id[seat]
    side = engine.campaign.side_by_id[engine.side_of[seat]]
    return bool(actor.brief.strip() or actor.objectives or any(o.secret for o in side.objectives) or view.values)


class PrivateFeeds:
    """Each human seat's own stream: private injects it has not been shown yet, and what was
    said on each vote. ``close()`` stops listening."""

    def __init__(self, session: Session, seats: Sequence[str]) -> None:
        self.session = session
        self.seats = [s for s in seats if s in session.engine.side_of]
        self.received: dict[str, list[E.InjectFired]] = {s: [] for s in self.seats}
        self._shown: dict[str, int] = dict.fromkeys(self.seats, 0)
        self._briefed: set[str] = set()
        #: (seat, play) -> [(advice or ballot, what was said)]
        self._said: dict[tuple[str, int], dict[tuple[str, str], Said]] = {}
        #: the covert plays each seat made that wait, face-down, for its side's step to end
        self._sealed: dict[str, list[E.CovertSealed]] = {s: [] for s in self.seats}
        self._listeners: list[Callable[[Sequence[Entry]], None]] = []
        for seat in self.seats:
            listener = self._listener(seat)
            self._listeners.append(listener)
            session.add_listener(listener, seat, replay=True)

    def _listener(self, seat: str) -> Callable[[Sequence[Entry]], None]:
        def heard(entries: Sequence[Entry]) -> None:
            for entry in entries:
                ev = entry.event
                if isinstance(ev, E.InjectFired) and ev.to:
                    self.received[seat].append(ev)
                elif isinstance(ev, E.CovertSealed) and ev.actor == seat:
                    self._sealed[seat].append(ev)
                elif isinstance(ev, E.CardPlayed) and ev.actor == seat:  # a sealed play resolves
                    self._sealed[seat] = [x for x in self._sealed[seat] if x.instance != ev.instance]
                elif isinstance(ev, E.RoundStarted | E.GameEnded):
                    self._sealed[seat] = []
                elif isinstance(ev, E.AdviceGiven | E.BallotCast):
                    kind = "advice" if isinstance(ev, E.AdviceGiven) else "ballot"
                    said = self._said.setdefault((seat, ev.play), {})
                    said[(kind, ev.actor)] = Said(ev.actor, ev.yes, ev.rationale)

        return heard

    def close(self) -> None:
        for listener in self._listeners:
            self.session.remove_listener(listener)
        self._listeners = []

    # ---------------------------------------------------------------- private injects and the brief

    def unseen(self, seat: str) -> list[E.InjectFired]:
        """The private injects addressed to ``seat`` that it has not been shown yet."""
        return self.received.get(seat, [])[self._shown.get(seat, 0):]

    def due(self, seat: str) -> bool:
        """Whether ``seat`` has something to be shown when it takes the keyboard: its brief
        (the first time) or private injects not shown yet."""
        if seat not in self.received:
            return False
        if self.unseen(seat):
            return True
        return seat not in self._briefed and has_private(self.session.engine, self.session.view(seat), seat)

    def first_time(self, seat: str) -> bool:
        """Whether ``seat`` has not been shown its brief yet."""
        return seat not in self._briefed

    def shown(self, seat: str) -> None:
        """``seat`` was shown its brief and every private inject so far."""
        self._briefed.add(seat)
        self._shown[seat] = len(self.received.get(seat, []))

    # ---------------------------------------------------------------- covert plays

    def sealed(self, seat: str) -> list[str]:
        """The cards ``seat`` itself played covertly that have not resolved yet (they do
        when its side's step ends): for its own board, no other seat's."""
        return [ev.card for ev in self._sealed.get(seat, [])]

    # ---------------------------------------------------------------- votes

    def advice(self, seat: str, play: int) -> list[Said]:
        """The advice given on ``play`` so far, as ``seat`` may read it."""
        return [s for (kind, _), s in self._said.get((seat, play), {}).items() if kind == "advice"]

    def ballots(self, seat: str, play: int) -> dict[str, Said]:
        """The ballots cast on ``play`` so far, as ``seat`` may read them, by voter."""
        return {a: s for (kind, a), s in self._said.get((seat, play), {}).items() if kind == "ballot"}
