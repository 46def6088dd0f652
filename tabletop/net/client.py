"""The network client: :class:`RemoteSession`, a session whose game runs on a host.

Longer than most modules (about 560 lines): it is the whole surface a screen asks of a
session, mirrored, plus reconnecting; dialling is :mod:`~tabletop.net.dial`.

It offers what :class:`~tabletop.session.LocalSession` offers a screen (``campaign``,
``engine``, ``state``, ``view``, ``awaiting``, listeners, ``submit``…), so the TUI
cannot tell them apart. The state is a *mirror*: the fold of the events the host sent
this seat, already redacted for it, so it holds nothing the seat may not see (no other
hand, no hidden covert card, no seed).

When the connection drops, the session reconnects with the same code, backing off, for
``retry_for`` seconds (after the end too, for the hotwash, unless the host closed); the
host's welcome then carries the whole history again and the listeners hear only what
they had not heard yet.

Reaching the host (connect, hello, welcome, and why that failed) is
:mod:`~tabletop.net.dial`, the one step that reconnecting repeats; this module keeps the
mirror and what depends on it: listeners, requests and their acknowledgements, the frames
that move the mirror on, and when to dial again. A bot at a remote seat
(:func:`play_as_bot`) plays through it. It runs a little past 500 lines because those
parts all read and move the one mirror; split, each would reach into the others' state.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import secrets
import time
import ssl as _ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from tabletop.campaign.model import Campaign
from tabletop.engine import commands as C
from tabletop.engine.aims import aims_against
from tabletop.engine.errors import IllegalCommand, MalformedCommand
from tabletop.engine.events import event_from_data
from tabletop.engine.queries import Options, Wait, options, unmet_triggers, waits
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.engine.views import EVALUATOR, OBSERVER, View, Viewpoint, redact, view_for
from tabletop.journal import Entry
from tabletop.journal.clock import ClockReading
from tabletop.net import protocol as P
from tabletop.net.dial import FATAL, JoinError, backoff, dial
from tabletop.session import HUMAN, TransportError

log = logging.getLogger("tabletop.net.client")

Listener = Callable[[Sequence[Entry]], None]
StatusListener = Callable[[dict[str, str], int], None]
#: called with (seq, head) whenever the host names a newer chain head (see :attr:`RemoteSession.receipt`)
ReceiptListener = Callable[[int, str], None]

__all__ = [
    "ConnectionLost", "JoinError", "RemoteSession", "StaleCommand", "play_as_bot",
]  # JoinError is re-exported: joining and staying joined fail alike


class StaleCommand(IllegalCommand):
    """The game moved on between the view the command was made from and its arrival."""


class ConnectionLost(TransportError):
    """The connection to the host is down: the command was not sent (``sent`` False), or it was
    and the connection dropped before the host answered (``sent`` True: it may have counted)."""


#: What a player is told, for a command not sent and for one whose answer never came.
NOT_SENT = "Connection lost — reconnecting… Your command was not sent; try again once the board is back."
UNCONFIRMED = ("Connection lost — reconnecting… Your command may or may not have counted: "
               "the board shows which once it is back.")


def _controllers(wire: Mapping[str, str]) -> dict[str, str]:
    """The host's ``human``/``bot`` per seat, spelled as a local session spells it."""
    return {seat: HUMAN if who == HUMAN else "bot:host" for seat, who in wire.items()}


class RemoteSession:
    """One seat of a game hosted elsewhere. Build it with :meth:`join`."""

    seed = None  # the seed never leaves the host

    def __init__(
        self, url: str, code: str, *, retry_for: float = 60.0, ssl: _ssl.SSLContext | None = None,
        open_timeout: float = 10.0, ping_interval: float | None = 20.0, ping_timeout: float | None = 20.0,
        trace: Callable[[str | bytes], None] | None = None, name: str = "",
    ) -> None:
        self.url, self.code = url, code
        self.name = name  # said in the hello: the author of this seat's observations and hotwash
        self.trace = trace  # called with every frame the host sends (tests record them)
        self.retry_for = retry_for
        self.ssl = ssl
        self.open_timeout = open_timeout
        self.ping_interval, self.ping_timeout = ping_interval, ping_timeout
        self.seat = ""
        #: whose view the host sends this seat: its own, or the facilitator's (evaluators
        #: whom the host lets see everything)
        self.sees = ""
        #: the name the host writes this seat's observations and hotwash answers under
        self.author = ""
        self.evaluators = 0
        self.campaign_text = ""
        self.campaign: Campaign
        self.engine: Engine
        self.state: GameState
        self.entries: list[Entry] = []
        self.controllers: dict[str, str] = {}  # seat -> "human" | "bot:host", as a local session has them
        self.seats: dict[str, str] = {}
        self.observers = 0
        self.host_version = ""
        self.connected = False
        self.failed: str | None = None  # why the session gave up, once it has
        self.last_error: tuple[str, str] | None = None  # (code, message) of the host's last error
        self._awaiting: tuple[str, ...] = ()
        #: the host's clock as last told, and when (time.time); None: no clock
        self._clock: tuple[ClockReading, float] | None = None
        self._ws: ClientConnection | None = None
        self._listeners: list[tuple[Listener, str | None]] = []
        self._status_listeners: list[StatusListener] = []
        self._receipt_listeners: list[ReceiptListener] = []
        #: (seq, head): the save's chain head when this seat had been sent ``seq`` events,
        #: the last the host named (with events it had on disk): what this seat's receipt
        #: holds. ``seq`` counts this seat's events, which are the save's for the facilitator
        #: only (another seat is not sent what it may not see, nor how much of it there is)
        self.receipt: tuple[int, str] | None = None
        self._pending: dict[int, asyncio.Future[P.Ack | P.Refused]] = {}
        self._ids = itertools.count(1)
        self._pump: asyncio.Task[None] | None = None
        self._closing = False
        self._version = 0
        self._wake = asyncio.Event()

    # ================================================================ joining

    @classmethod
    async def join(cls, url: str, code: str, **options: Any) -> RemoteSession:
        """Connect, say hello and build the mirror; raises :class:`JoinError` (one sentence)."""
        self = cls(url, code, **options)
        await self._connect()
        self._pump = asyncio.create_task(self._run(), name=f"tabletop-client-{self.seat}")
        return self

    async def _connect(self) -> None:
        """Handshake and take the welcome; raises :class:`JoinError`."""
        ws, welcome = await dial(
            self.url, self.code, ssl=self.ssl, open_timeout=self.open_timeout,
            ping_interval=self.ping_interval, ping_timeout=self.ping_timeout, trace=self.trace, name=self.name,
        )
        try:
            self._adopt(ws, welcome)
        except BaseException:
            await ws.close()
            raise

    def _adopt(self, ws: ClientConnection, w: P.Welcome) -> None:
        """Take the welcome's seat, campaign and history; tell listeners what is new to them."""
        if not self.campaign_text:
            from tabletop.campaign.problems import CampaignError
            from tabletop.campaign.validate import load_campaign_text

            try:
                loaded = load_campaign_text(w.campaign_text, "<host campaign>")
            except CampaignError:
                raise JoinError("The host's campaign could not be loaded by this tabletop version.", "bad_campaign") from None
            self.campaign_text = w.campaign_text
            self.campaign = loaded.campaign
            self.engine = Engine(self.campaign)
            self.seat = w.seat
            self.sees = w.sees or w.seat
            self.state = self.engine.initial_state()
        elif w.campaign_text != self.campaign_text or w.seat != self.seat or (w.sees or w.seat) != self.sees:
            raise JoinError("The host is now running a different exercise.", "different_game")
        try:
            events = [event_from_data(d) for d in w.events]
        except ValueError as e:
            raise JoinError(f"The host sent an event this tabletop cannot read: {e}") from None
        heard = len(self.entries)
        state, entries, states = self.engine.initial_state(), [], []
        for ev in events:
            state = self.engine.apply(state, ev)
            entries.append(Entry(state.seq, state.round, state.phase, None, None, ev))
            states.append(state)
        if entries[:heard] != self.entries:
            log.warning("the host's history differs from what this client heard; starting over from it")
            heard = 0
        self.state, self.entries = state, entries
        self._received(w.seq, w.head)
        self._awaiting = tuple(w.awaiting)
        self.controllers, self.seats, self.observers = _controllers(w.controllers), dict(w.seats), w.observers
        self.evaluators, self.author = w.evaluators, w.name
        self.host_version = w.host_version
        self.last_error = None  # what the host said on an earlier connection is over
        self._ws = ws
        self.connected = True
        self._announce(entries[heard:], states[heard:])
        self._status()

    # ================================================================ the session interface

    @property
    def ended(self) -> bool:
        return self.state.ended

    @property
    def fingerprint(self) -> str | None:
        """The host's save's chain head, as last named to this seat (None if never)."""
        return self.receipt[1] if self.receipt else None

    def add_receipt_listener(self, listener: ReceiptListener) -> None:
        """Call ``listener(seq, head)`` whenever the host names a newer chain head."""
        self._receipt_listeners.append(listener)
        if self.receipt is not None:
            listener(*self.receipt)

    def _received(self, seq: int, head: str | None) -> None:
        if head is None or (self.receipt is not None and seq < self.receipt[0]):
            return
        if self.receipt == (seq, head):
            return
        self.receipt = (seq, head)
        for fn in list(self._receipt_listeners):
            try:
                fn(seq, head)
            except Exception:  # pragma: no cover - a listener's bug must not stop the game
                log.exception("receipt listener failed")

    def view(self, seat: str | None = None) -> View:
        """What ``seat`` (default: this session's seat) sees, as far as this seat knows
        (this seat sees what the host sends it: an evaluator may be sent everything)."""
        seat = seat or self.seat
        v = view_for(self.engine, self.state, self.sees if seat == self.seat else seat)
        return replace(v, seat=seat, awaiting=self._awaiting)  # the host knows what the game waits for

    def awaiting(self) -> tuple[str, ...]:
        return self._awaiting

    def is_bot(self, seat: str) -> bool:
        return self.controllers.get(seat, HUMAN) != HUMAN

    def human_seats(self) -> list[str]:
        return [s for s, who in self.controllers.items() if who == HUMAN and s != C.FACILITATOR]

    def why_not_play(self, seat: str, instance: str) -> str | None:
        return self.engine.why_not_play(self.state, seat, instance)

    def unmet_triggers(self, seat: str, card: str) -> dict[str, str]:
        """As far as the mirror tells (its view of ``seat``: what this seat was sent)."""
        return unmet_triggers(self.engine, self.view(seat), self.engine.cards[card])

    def legal_commands(self, seat: str) -> list[C.Command]:
        """What ``seat`` may send now, as far as the mirror tells (nothing while a host bot plays it)."""
        if self.is_bot(seat):
            return []
        return self.engine.legal_commands(self.state, seat)

    def options(self, seat: str) -> Options:
        """What ``seat`` may do now, from the mirror and the host's word on who is awaited
        (while a host bot plays it: no move, but its player may still answer the hotwash)."""
        found = options(self.engine, self.state, seat, self._awaiting)
        return Options(seat, evaluation=found.evaluation) if self.is_bot(seat) else found

    def waits(self) -> tuple[Wait, ...]:
        return waits(self.engine, self.state, self._awaiting)

    def aims_against(self, seat: str, card: str) -> tuple[str, ...]:
        """Read here, from the campaign the host sent this seat (its own aims whole): nothing is sent."""
        return tuple(a.sentence() for a in aims_against(self.engine, seat, self.campaign.card_by_id[card], self.view(seat)))

    def bot_command(self) -> C.Command | None:
        """Always None: the host moves its own bots."""
        return None

    def time_left(self, now: float) -> ClockReading | None:
        """The host's clock as it last told it, counted down since (None: no clock)."""
        if self._clock is None:
            return None
        reading, told_at = self._clock
        if reading.paused or self.state.ended:
            return None if self.state.ended else reading
        ran = max(0.0, now - told_at)
        return replace(
            reading,
            turn_left=None if reading.turn_left is None else reading.turn_left - ran,
            round_left=None if reading.round_left is None else reading.round_left - ran,
        )

    def step_bot(self) -> bool:
        return False

    def add_listener(self, listener: Listener, seat: str | None = None, *, replay: bool = False) -> None:
        """Call ``listener`` with new entries (already redacted for this seat; commands never sent).

        With ``seat`` (one that knows less, such as ``observer``), entries are redacted
        further for it. With ``replay``, it first hears every entry so far.
        """
        if seat is not None:
            Viewpoint.of(self.engine, seat)
        self._listeners.append((listener, seat))
        if replay and self.entries:
            states, state = [], self.engine.initial_state()
            if seat is not None and seat != self.seat:
                for entry in self.entries:
                    state = self.engine.apply(state, entry.event)
                    states.append(state)
            listener(self._for_seat(self.entries, states, seat))

    def remove_listener(self, listener: Listener) -> None:
        self._listeners = [(fn, s) for fn, s in self._listeners if fn != listener]

    def add_status_listener(self, listener: StatusListener) -> None:
        """Call ``listener(seats, observers)`` whenever the host's seat status changes."""
        self._status_listeners.append(listener)

    async def submit(self, command: C.Command) -> None:
        """Send ``command``; returns once the host has journalled it and this mirror has its events.

        Raises :class:`~tabletop.engine.errors.MalformedCommand` or ``IllegalCommand``
        (:class:`StaleCommand` if the game moved on first) with the host's sentence, or
        :class:`ConnectionLost` (a :class:`~tabletop.session.TransportError`, not a
        refusal) if the connection is down or dropped before the answer.
        """
        reply = await self._request({
            "type": "command", "state_seq": self.state.seq, "command": C.command_to_data(command),
        })
        if isinstance(reply, P.Refused):
            raise {"malformed": MalformedCommand, "stale": StaleCommand}.get(reply.kind, IllegalCommand)(reply.reason)

    async def control(self, seat: str, controller: str) -> None:
        """Facilitator only: hand ``seat`` to a host-run bot (``"bot"``) or back (``"human"``)."""
        reply = await self._request({"type": "control", "seat": seat, "controller": controller})
        if isinstance(reply, P.Refused):
            raise IllegalCommand(reply.reason)

    async def _request(self, message: dict[str, Any]) -> P.Ack | P.Refused:
        ws = self._ws
        if ws is None or not self.connected:
            raise self._lost(sent=False)
        ref = next(self._ids)
        fut: asyncio.Future[P.Ack | P.Refused] = asyncio.get_running_loop().create_future()
        self._pending[ref] = fut
        try:
            try:
                await ws.send(P.dump({**message, "id": ref}))
            except ConnectionClosed:
                raise self._lost(sent=False) from None
            return await fut
        finally:
            self._pending.pop(ref, None)

    def _lost(self, *, sent: bool) -> ConnectionLost:
        """The error for a command that met a connection that is down (``sent``: in flight)."""
        if self.failed:  # no more reconnecting
            end = "It may or may not have counted." if sent else "Your command was not sent."
            return ConnectionLost(f"{self.failed.rstrip('.')}. {end}", sent=sent)
        return ConnectionLost(UNCONFIRMED if sent else NOT_SENT, sent=sent)

    async def wait_changed(self, version: int, timeout: float | None = None) -> int:
        """Wait until anything changes after ``version`` (see :attr:`version`); returns the new one."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while self._version == version and not self.failed:
                    self._wake.clear()
                    await self._wake.wait()
        return self._version

    @property
    def version(self) -> int:
        """Goes up whenever events arrive, seats change or the connection comes or goes."""
        return self._version

    async def close(self) -> None:
        self._closing = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pump

    # ================================================================ receiving

    @property
    def _host_closed(self) -> bool:
        """Whether the connection ended with the host saying it closes (not a dropped network:
        after the end, a seat that dropped out rejoins to answer the hotwash)."""
        return self.last_error is not None and self.last_error[0] == P.HOST_CLOSING

    def _touch(self) -> None:
        self._version += 1
        self._wake.set()

    def _for_seat(self, entries: Sequence[Entry], states: Sequence[GameState], seat: str | None) -> Sequence[Entry]:
        """``entries`` (this seat's; ``states``: the mirror after each) as ``seat`` may see them.

        Never more than this seat sees: another seat's view can only hide more.
        """
        if seat is None or seat == self.seat:
            return entries
        return [replace(e, event=redact(self.engine, e.event, seat, st)) for e, st in zip(entries, states)]

    def _announce(self, entries: Sequence[Entry], states: Sequence[GameState]) -> None:
        self._touch()
        if not entries:
            return
        for listener, seat in list(self._listeners):
            try:
                listener(self._for_seat(entries, states, seat))
            except Exception:  # pragma: no cover - a listener's bug must not stop the game
                log.exception("listener failed")

    def _status(self) -> None:
        self._touch()
        for fn in list(self._status_listeners):
            fn(dict(self.seats), self.observers)

    def _frame(self, raw: str | bytes) -> bool:
        """Handle one frame from the host; False if the connection should be dropped and rejoined."""
        try:
            msg = P.parse_host(raw)
        except P.ProtocolError as e:
            log.warning("bad message from the host: %s", e)
            return False
        if isinstance(msg, P.Events):
            if msg.from_seq != self.state.seq + 1:
                log.warning("missed events (have %d, got %d): rejoining", self.state.seq, msg.from_seq)
                return False
            try:
                events = [event_from_data(d) for d in msg.events]
            except ValueError as e:
                log.warning("unreadable event from the host: %s", e)
                return False
            state, fresh, states = self.state, [], []
            for ev in events:
                state = self.engine.apply(state, ev)
                fresh.append(Entry(state.seq, state.round, state.phase, None, None, ev))
                states.append(state)
            self.state = state
            self.entries.extend(fresh)
            self._received(state.seq, msg.head)
            self._awaiting = tuple(msg.awaiting)
            c = msg.clock
            self._clock = None if c is None else (
                ClockReading(c.turn_left, c.round_left, c.actor, c.paused, c.on_timeout), time.time()
            )
            self._announce(fresh, states)
        elif isinstance(msg, P.Ack | P.Refused):
            if isinstance(msg, P.Ack):
                self._received(msg.seq, msg.head)
            fut = self._pending.get(msg.id) if msg.id is not None else None
            if fut is not None and not fut.done():
                fut.set_result(msg)
        elif isinstance(msg, P.Seats):
            self.seats, self.controllers, self.observers = dict(msg.seats), _controllers(msg.controllers), msg.observers
            self.evaluators = msg.evaluators
            self._status()
        elif isinstance(msg, P.Error):
            self.last_error = (msg.code, msg.message)
            log.info("host: %s", msg.message)
            if msg.code in FATAL:
                self.failed = msg.message
        else:  # a second welcome
            return False
        return True

    async def _run(self) -> None:
        """Read frames; when the connection drops, rejoin (backing off) unless told not to."""
        while not self._closing:
            ws = self._ws
            assert ws is not None
            with contextlib.suppress(ConnectionClosed):
                async for raw in ws:
                    if self.trace is not None:
                        self.trace(raw)
                    if not self._frame(raw):
                        break
            with contextlib.suppress(Exception):
                await ws.close()
            self.connected = False
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(self._lost(sent=True))
            self._touch()
            if self._closing or self.failed:
                return
            if self.ended and self._host_closed:  # over, and the host has stopped serving: nothing to rejoin
                return
            if not await self._rejoin():
                return

    async def _rejoin(self) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry_for
        for delay in backoff():
            if self._closing:
                return False
            if loop.time() + delay > deadline:
                break
            await asyncio.sleep(delay)
            try:
                await self._connect()
                log.info("rejoined as %s", self.seat)
                return True
            except JoinError as e:
                if e.fatal:
                    self.failed = str(e)
                    self._touch()
                    return False
                log.info("rejoin failed: %s", e)
        self.failed = f"Lost the connection to the host at {self.url} and could not rejoin within {self.retry_for:g} s."
        self._touch()
        return False


# ============================================================================ a bot at a remote seat


async def play_as_bot(session: RemoteSession, *, kind: str = "heuristic", delay: float = 0.0) -> None:
    """Let a bot play ``session``'s seat until the game ends (observers and evaluators just watch).

    Raises :class:`JoinError` if the session gives up on the host.
    """
    from tabletop.bots import make_bot

    seat = session.seat
    # Seeded from the operating system: a generator named after the seat would let the
    # other seats foresee this bot's every choice (its commands are journalled by the host).
    rng = random.Random(secrets.randbits(128))
    bot = make_bot(kind, session.engine, seat, rng) if seat not in (OBSERVER, EVALUATOR) else None
    refusals = 0
    while not session.ended:
        if session.failed:
            raise JoinError(session.failed)
        version = session.version
        awaited = bot is not None and session.connected and seat in session.awaiting()
        legal = session.legal_commands(seat) if awaited else []
        if legal:
            command = bot.choose(session.view(seat), legal) if refusals < 3 else _fallback(legal)  # type: ignore[union-attr]
            if delay:
                await asyncio.sleep(delay)
                if session.version != version:
                    continue  # the game moved on while we waited
            try:
                await session.submit(command)
                refusals = 0
                continue
            except StaleCommand:
                continue  # the newer events are already folded in: think again
            except ConnectionLost:
                pass
            except IllegalCommand as e:
                refusals += 1
                log.warning("bot command refused: %s", e)
        await session.wait_changed(version, timeout=1.0)
    if session.failed and not session.ended:
        raise JoinError(session.failed)


def _fallback(legal: Sequence[C.Command]) -> C.Command:
    """A command that cannot hurt: pass, or move the game on."""
    for cls in (C.Pass, C.Advance):
        for cmd in legal:
            if isinstance(cmd, cls):
                return cmd
    return legal[-1]
