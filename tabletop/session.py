"""Sessions: the one interface the TUI talks to.

A session runs one game: it takes commands, turns them into events with the engine,
makes them durable in the journal *before* anyone is told, and tells its listeners.
:class:`Session` is what a screen may ask of it. :class:`LocalSession` runs the engine
in-process (hot-seat, bots, simulations); the network client
(:class:`tabletop.net.client.RemoteSession`) implements the same protocol, so screens
cannot tell them apart. A host's console session is a :class:`HostedSession`: a session
that can also list its seats and hand them to bots.

Randomness: the session owns the seed. The generator for the command that finds the
game at event ``seq`` is keyed by a MAC of the seed and ``seq`` (keyed BLAKE2b for new games)
(:mod:`tabletop.engine.randomness`), so a game is the same move for move from the same
campaign, seed and decisions, a fork at any step draws what the original would have
drawn, and no seat can work the seed out from what it sees. The seed never leaves the
session.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from tabletop.bots import Bot, make_bot
from tabletop.campaign.model import Campaign
from tabletop.engine import commands as C
from tabletop.engine.aims import aims_against
from tabletop.engine.events import Event
from tabletop.engine.queries import Options, Wait, options, unmet_triggers, waits
from tabletop.engine.randomness import CURRENT, LazyRandom, bot_seed, command_rng
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.engine.views import View, ViewCache, Viewpoint, redact, view_for
from tabletop.journal import Entry, Header, JournalRead, JournalWriter, campaign_digest
from tabletop.journal.clock import ClockReading, read_clock

HUMAN = "human"
Listener = Callable[[Sequence[Entry]], None]
#: (seat, seat name, status, join command): one row of a host's seats (see :class:`HostedSession`)
SeatRow = tuple[str, str, str, str]


class SeatError(ValueError):
    """A ``--bot`` name that is neither a side, an actor nor the facilitator, or that names
    more than one of them."""


class TransportError(Exception):
    """The game could not be reached: not a refusal (the rules said nothing), a connection problem.

    ``sent``: False if the command never left (nothing changed), True if it left and no
    answer came (it may or may not have counted). ``str()`` is a sentence for the player.
    """

    def __init__(self, message: str, *, sent: bool = False) -> None:
        super().__init__(message)
        self.sent = sent


def seats_named(campaign: Campaign, name: str, option: str = "--bot") -> list[str]:
    """The seats a command-line ``name`` stands for: a side (all its actors), an actor or
    the facilitator, by id or by the name the screen shows, in any case ("Northmark",
    "northmark", "red"). An exact id wins; a name that fits a side and an actor with other
    seats is refused. Raises :class:`SeatError` naming the choices (``option`` in front)."""
    sides = {s.id: [a.id for a in s.actors] for s in campaign.sides}
    actors = {a.id: [a.id] for s in campaign.sides for a in s.actors}
    by_id = sides | actors | {C.FACILITATOR: [C.FACILITATOR]}
    if name.strip() in by_id:
        return by_id[name.strip()]
    key = " ".join(name.split()).casefold()
    fits: dict[tuple[str, ...], str] = {}  # the seats -> how the name fits them ("the side Northmark (red)")
    for side in campaign.sides:
        if key in (side.id.casefold(), side.name.casefold()):
            fits.setdefault(tuple(sides[side.id]), f"the side {side.name} ({side.id})")
        for a in side.actors:
            if key in (a.id.casefold(), a.name.casefold()):
                fits.setdefault((a.id,), f"the actor {a.name} ({a.id})")
    if key == C.FACILITATOR:
        fits[(C.FACILITATOR,)] = C.FACILITATOR
    if len(fits) == 1:
        return list(next(iter(fits)))
    if fits:  # a side's name that is also another side's actor's, say: the id tells them apart
        raise SeatError(f"{option} {name}: that names {' and '.join(fits.values())}; give the id instead.")
    choices = ", ".join(f"{s.id} ({s.name})" for s in campaign.sides)
    people = ", ".join(f"{a.id} ({a.name})" for s in campaign.sides for a in s.actors)
    raise SeatError(f"{option} {name}: no such side or actor in {campaign.id} "
                    f"(the sides: {choices}; the actors: {people}; or {C.FACILITATOR}).")


def resolve_controllers(campaign: Campaign, bots: Iterable[str], kind: str = "heuristic") -> dict[str, str]:
    """Who controls each seat, from ``--bot`` names (sides, actors or ``facilitator``, by id
    or display name: :func:`seats_named`).

    Returns seat -> ``"human"`` or ``"bot:<kind>"`` for every actor and the facilitator.
    When every actor is a bot, the facilitator is one too (so an all-bot game never
    waits for a ruling). Raises :class:`SeatError` naming the valid choices.
    """
    controllers = {a: HUMAN for s in campaign.sides for a in (x.id for x in s.actors)}
    controllers[C.FACILITATOR] = HUMAN
    for name in bots:
        for seat in seats_named(campaign, name):
            controllers[seat] = f"bot:{kind}"
    if all(v != HUMAN for k, v in controllers.items() if k != C.FACILITATOR):
        controllers[C.FACILITATOR] = f"bot:{kind}"
    return controllers


class Session(Protocol):
    """What a screen needs from a game, local or remote.

    ``submit`` raises :class:`~tabletop.engine.errors.CommandError` when the rules refuse
    the command, and :class:`TransportError` when it could not reach the game.
    """

    @property
    def campaign(self) -> Campaign: ...
    @property
    def engine(self) -> Engine: ...
    @property
    def seat(self) -> str | None:
        """The one seat this session plays (a networked player's), or None when it runs
        every seat (a local game, a host)."""
        ...

    @property
    def fingerprint(self) -> str | None:
        """The save's chain head as last known here (a joined seat: as the host last
        named it), or None when there is none (an unsaved game)."""
        ...

    def view(self, seat: str) -> View: ...
    def awaiting(self) -> tuple[str, ...]: ...
    def add_listener(self, listener: Listener, seat: str | None = None, *, replay: bool = False) -> None: ...
    def remove_listener(self, listener: Listener) -> None: ...
    async def submit(self, command: C.Command) -> None: ...
    def why_not_play(self, seat: str, instance: str) -> str | None: ...
    def unmet_triggers(self, seat: str, card: str) -> dict[str, str]:
        """Why each phase change the card ``card`` may fire would not happen if ``seat``
        played it now, as far as ``seat`` can tell (:func:`tabletop.engine.queries.unmet_triggers`)."""
        ...

    def legal_commands(self, seat: str) -> list[C.Command]: ...
    def options(self, seat: str) -> Options:
        """What ``seat`` may do now, grouped as screens offer it (:mod:`tabletop.engine.queries`)."""
        ...

    def waits(self) -> tuple[Wait, ...]:
        """Who the game waits for, and for what (turn, ballot, ruling, resume)."""
        ...

    def aims_against(self, seat: str, card: str) -> tuple[str, ...]:
        """A sentence for each of ``seat``'s own aims that playing ``card`` (an id) works
        against (:func:`tabletop.engine.aims.aims_against`); never another seat's."""
        ...

    def is_bot(self, seat: str) -> bool: ...
    def bot_command(self) -> C.Command | None: ...
    def time_left(self, now: float) -> ClockReading | None:
        """The turn's and the round's time left at ``now`` (None: no clock to show)."""
        ...


def facilitator_needed(session: Session) -> bool:
    """Does the game wait for the facilitator alone, and is the facilitator a person?
    (The board's "ruling needed" key and the line console's prompt ask this.)"""
    return tuple(w.seat for w in session.waits()) == (C.FACILITATOR,) and not session.is_bot(C.FACILITATOR)


@runtime_checkable
class HostedSession(Session, Protocol):
    """The session a host's facilitator console runs on: a :class:`Session` that can also
    say who is at each seat and hand a seat to a host-run bot or back to its player.

    Screens offer the seats view only for such a session (``isinstance(s, HostedSession)``).
    """

    def host_seats(self) -> list[SeatRow]:
        """(seat, seat name, status, join command) for every seat and the observers;
        status is ``connected``, ``waiting`` or ``bot``."""
        ...

    def hand_seat(self, seat: str, controller: str) -> None:
        """Give an actor's seat to a host-run bot (``"bot"``) or back to its player
        (``"human"``). Raises ``ValueError`` for an unknown seat or controller."""
        ...


class LocalSession:
    """A game run in this process, journalled as it goes."""

    #: a local session runs every seat (see :attr:`Session.seat`)
    seat: str | None = None

    def __init__(
        self,
        campaign: Campaign,
        *,
        seed: int,
        controllers: Mapping[str, str],
        journal: JournalWriter | None = None,
        history: Sequence[Entry] = (),
        engine: Engine | None = None,
        rng: str = CURRENT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.campaign = campaign
        #: the wall clock each journaled line is stamped with (``Entry.at``): ``time.time``
        #: for a game people play, None for a simulated one (its saves stay byte-exact)
        self.clock = clock
        self.engine = engine if engine is not None and engine.campaign is campaign else Engine(campaign)
        self.seed = seed
        self.rng = rng  # how randomness is derived from the seed (the save's header says)
        self.controllers = dict(controllers)
        self.journal = journal
        self.entries: list[Entry] = list(history)
        self.state: GameState = self.engine.fold(e.event for e in self.entries)
        self._listeners: list[tuple[Listener, str | None]] = []
        self._views = ViewCache()
        self._bots: dict[str, Bot] = {}
        for seat, who in self.controllers.items():
            if who.startswith("bot:"):
                self._bots[seat] = self._new_bot(seat, who)
        if not self.entries:
            self._record(None, None, *self.engine.start_step(command_rng(seed, 0, rng)))

    # ---------------------------------------------------------------- factory helpers

    @staticmethod
    def new_header(campaign: Campaign, text: str, path: str, seed: int, controllers: Mapping[str, str],
                   parent: Mapping[str, object] | None = None, rng: str = CURRENT) -> Header:
        return Header(
            campaign_id=campaign.id,
            campaign_path=path,
            campaign_sha256=campaign_digest(text),
            campaign_text=text,
            seed=seed,
            seats=dict(controllers),
            created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            parent=parent,
            rng=rng,
        )

    @classmethod
    def resume(
        cls, campaign: Campaign, read: JournalRead, journal: JournalWriter | None,
        clock: Callable[[], float] | None = None,
    ) -> LocalSession:
        """A session that carries on the game in ``read`` (seats and bots restored)."""
        h = read.header
        return cls(
            campaign, seed=h.seed, controllers=h.seats, journal=journal, history=read.entries, rng=h.rng, clock=clock,
        )

    # ---------------------------------------------------------------- the interface

    @property
    def ended(self) -> bool:
        return self.state.ended

    @property
    def fingerprint(self) -> str | None:
        """The save's chain head (sha256 of its last line, which names every line before
        it), or None when the game is not saved. Receipts and ``tabletop verify`` use it."""
        return self.journal.head if self.journal is not None else None

    def view(self, seat: str) -> View:
        return view_for(self.engine, self.state, seat, self._views)

    def awaiting(self) -> tuple[str, ...]:
        return self.engine.awaiting(self.state)

    def is_bot(self, seat: str) -> bool:
        return seat in self._bots

    def human_seats(self) -> list[str]:
        return [s for s, who in self.controllers.items() if who == HUMAN and s != C.FACILITATOR]

    def add_listener(self, listener: Listener, seat: str | None = None, *, replay: bool = False) -> None:
        """Call ``listener`` with the new entries after each change (once they are on disk).

        With ``seat``, it gets them as that seat may see them (``views.redact``): events
        the seat may not see are left out, hidden values masked, commands dropped.
        With ``replay``, it first gets every entry so far. Raises ``ValueError`` for an
        unknown seat.
        """
        if seat is not None:
            Viewpoint.of(self.engine, seat)  # unknown seat: ValueError now, not later
        self._listeners.append((listener, seat))
        if replay and self.entries:
            states, state = [], self.engine.initial_state()
            for entry in self.entries:
                state = self.engine.apply(state, entry.event)
                states.append(state)
            listener(self._for_seat(self.entries, states, seat))

    def remove_listener(self, listener: Listener) -> None:
        self._listeners = [(fn, seat) for fn, seat in self._listeners if fn != listener]

    def _for_seat(self, entries: Sequence[Entry], states: Sequence[GameState], seat: str | None) -> Sequence[Entry]:
        if seat is None:
            return entries
        out = []
        for entry, state in zip(entries, states):
            event = redact(self.engine, entry.event, seat, state)
            if event is not None:
                out.append(dataclasses.replace(entry, event=event, command=None) if seat != C.FACILITATOR else entry)
        return out

    def why_not_play(self, seat: str, instance: str) -> str | None:
        """Why ``seat`` cannot play the card ``instance`` now (a sentence), or None if it can."""
        return self.engine.why_not_play(self.state, seat, instance)

    def unmet_triggers(self, seat: str, card: str) -> dict[str, str]:
        """Why each phase change ``card`` may fire would not happen if ``seat`` played it now
        (see :func:`tabletop.engine.queries.unmet_triggers`)."""
        return unmet_triggers(self.engine, self.view(seat), self.engine.cards[card])

    def legal_commands(self, seat: str) -> list[C.Command]:
        """What ``seat`` may send now (see ``Engine.legal_commands``)."""
        return self.engine.legal_commands(self.state, seat)

    def options(self, seat: str) -> Options:
        """What ``seat`` may do now (see :func:`tabletop.engine.queries.options`)."""
        return options(self.engine, self.state, seat)

    def waits(self) -> tuple[Wait, ...]:
        """Who the game waits for, and for what (see :func:`tabletop.engine.queries.waits`)."""
        return waits(self.engine, self.state)

    def aims_against(self, seat: str, card: str) -> tuple[str, ...]:
        """What playing ``card`` does against ``seat``'s own aims (see :func:`tabletop.engine.aims.aims_against`)."""
        return tuple(a.sentence() for a in aims_against(self.engine, seat, self.campaign.card_by_id[card], self.view(seat)))

    def time_left(self, now: float) -> ClockReading | None:
        return read_clock(self.engine, self.entries, self.state, now)

    def submit_now(self, command: C.Command) -> list[Entry]:
        """Decide, journal (durably), fold, notify. Raises ``CommandError`` if refused."""
        events, states, _ = self.engine.step(self.state, command, command_rng(self.seed, self.state.seq, self.rng))
        return self._record(command.seat, C.command_to_data(command), events, states)

    async def submit(self, command: C.Command) -> None:
        self.submit_now(command)

    def _record(
        self, seat: str | None, command: Mapping[str, object] | None, events: list[Event],
        states: list[GameState] | None = None,
    ) -> list[Entry]:
        if states is None:
            states = []
            state = self.state
            for ev in events:
                state = self.engine.apply(state, ev)
                states.append(state)
        at = round(self.clock(), 3) if self.clock is not None else None  # as the journal writes it
        entries = [Entry(st.seq, st.round, st.phase, seat, command, ev, at) for ev, st in zip(events, states)]
        state = states[-1] if states else self.state
        if self.journal is not None:
            self.journal.append(entries)  # on disk before anyone hears of it
        self.state = state
        self.entries.extend(entries)
        for listener, seat in list(self._listeners):
            listener(self._for_seat(entries, states, seat))
        return entries

    # ---------------------------------------------------------------- bots

    def _new_bot(self, seat: str, who: str) -> Bot:
        # lazily seeded: it is reseeded before every choice, and many choices draw nothing
        return make_bot(who[4:], self.engine, seat, LazyRandom(bot_seed(self.seed, seat, -1, self.rng)))

    def set_controller(self, seat: str, who: str) -> None:
        """Hand ``seat`` to ``"human"`` or to a bot (``"bot:<kind>"``), e.g. when its player drops out.

        Takes effect from the next move; the journal header keeps the seats the game began
        with. Raises ``ValueError`` for an unknown seat or controller.
        """
        if seat not in self.controllers:
            raise ValueError(f"unknown seat {seat!r}")
        if who == HUMAN:
            self._bots.pop(seat, None)
        elif who.startswith("bot:"):
            self._bots[seat] = self._new_bot(seat, who)
        else:
            raise ValueError(f"unknown controller {who!r} (human or bot:<kind>)")
        self.controllers[seat] = who

    def bot_command(self) -> C.Command | None:
        """The command the bot whose turn it is wants to send, or None if a human is awaited."""
        for seat in self.awaiting():
            bot = self._bots.get(seat)
            if bot is not None:
                legal = self.engine.legal_commands(self.state, seat)
                if legal:
                    # Seeded by the moment, not by the bot's past: a game resumed from its
                    # save (even after a crash) goes on as it would have without the break.
                    bot.rng.seed(bot_seed(self.seed, seat, self.state.seq, self.rng))
                    return bot.choose(self.view(seat), legal)
        return None

    def step_bot(self) -> bool:
        """Let one bot move. Returns False when a human (or nobody) is awaited."""
        cmd = self.bot_command()
        if cmd is None:
            return False
        self.submit_now(cmd)
        return True

    def run_bots(self, limit: int = 1_000_000) -> None:
        """Let bots move until a human is awaited or the game ends."""
        for _ in range(limit):
            if self.state.ended or not self.step_bot():
                return

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def fork(
    read: JournalRead,
    k: int,
    save_path: str | Path,
    *,
    campaign: Campaign | None = None,
    controllers: Mapping[str, str] | None = None,
    durable: bool = True,
    clock: Callable[[], float] | None = None,
) -> LocalSession:
    """A new session that starts from step ``k`` of the save in ``read``: a "what if".

    The new save at ``save_path`` has the parent's campaign and seed, its seats (or
    ``controllers``), and names its parent; it holds the parent's first ``k`` events
    (:func:`tabletop.journal.replay.write_fork`) and goes on as a normal session: the
    same decisions draw the same dice as in the parent. ``campaign``: the save's, when
    the caller has it loaded already.

    ``k`` must be a step where the game waited for a decision (see
    :attr:`JournalRead.decision_points` and :meth:`Replay.fork_point`); raises
    ``ValueError`` saying the nearest ones otherwise, and
    :class:`~tabletop.journal.JournalError` if the new save cannot be written (it is
    never overwritten) or the campaign stored in the save no longer loads. ``clock``:
    as for :class:`LocalSession` (the copied events keep their times).
    """
    from tabletop.journal.replay import check_fork_point, load_campaign_of, write_fork

    check_fork_point(read, k)
    if campaign is None:
        campaign = load_campaign_of(read)
    h = read.header
    seats = dict(controllers) if controllers is not None else dict(h.seats)
    header = LocalSession.new_header(campaign, h.campaign_text, h.campaign_path, h.seed, seats, rng=h.rng)
    writer = write_fork(read, k, save_path, header, durable=durable)
    return LocalSession(
        campaign, seed=h.seed, controllers=seats, journal=writer, history=read.entries[:k], rng=h.rng, clock=clock,
    )


def unused_path(path: Path) -> Path:
    """``path`` if nothing is there, else ``<stem>-2<suffix>``, ``<stem>-3<suffix>``... (saves are never overwritten)."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
