"""The game server: a :class:`~tabletop.session.LocalSession` behind a websocket.

Longer than most modules (about 620 lines): the connections, the broadcast, the bots
and the clock share one loop and its state; what could stand alone already does
(:mod:`~tabletop.net.feed`, :mod:`~tabletop.net.protocol`, :mod:`~tabletop.net.conns`,
:mod:`~tabletop.net.codes`, :mod:`~tabletop.net.evaluation`).

The host is the only authority. It runs the session (and its journal), drives the bots
of the seats it was given, and tells every connection what its seat may see, as events
redacted for that seat (:mod:`tabletop.net.feed`: only the events it may see, in a
stream of its own). A connection acts only for the seat its join code names; the
observer code gives the public picture, the facilitator code everything, the evaluator
code the public picture and the observations (or everything, if the host allows it).
Several connections may share the observer and the evaluator codes; each says its name
in its hello, and what it writes (observations, hotwash answers) is signed with it.

Everything happens on one asyncio loop: the session is synchronous, so a command is
decided, journalled (durably) and broadcast before the next message is looked at.
Each connection has its own outgoing queue and writer task, so a slow reader never holds
up the others (one that falls too far behind is dropped and can rejoin).

The host is its game loop: life cycle, seats, events out, what clients ask, bots, and
the handshake that gives a connection its seat, all reading and changing the same few
fields (connections, feeds, the session). The pieces that stand alone live beside it:
one connection and the limits on connections (:mod:`~tabletop.net.conns`), the wire
format (:mod:`~tabletop.net.protocol`), each seat's stream (:mod:`~tabletop.net.feed`),
the join codes (:mod:`~tabletop.net.codes`), what a seat may write beside its moves
(:mod:`~tabletop.net.evaluation`).

It runs past 500 lines because the handshake, the seats and the commands all read and
change the same connections and feeds; what stands alone is in the modules above.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import ssl as _ssl
import time
from collections.abc import Callable, Mapping, Sequence

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from tabletop import __version__
from tabletop.campaign.redact import campaign_text_for
from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError, MalformedCommand
from tabletop.engine.narrate import actor_name
from tabletop.engine.views import EVALUATOR, OBSERVER
from tabletop.journal import Entry
from tabletop.net import protocol as P
from tabletop.net.conns import Conn, FailedJoins, TokenBucket, address, join_host
from tabletop.net.evaluation import NOT_STALE, SHARED, Refusal, author_for, clean_name, vet
from tabletop.net.feed import SeatFeeds
from tabletop.session import HUMAN, LocalSession

log = logging.getLogger("tabletop.net.host")

StatusCallback = Callable[[dict[str, str], int], None]


_BINARY = "Messages are JSON in text frames; a binary frame is refused."


class Host:
    """Serves ``session`` to the seats whose join codes are in ``codes`` (seat -> code).

    ``campaign_text`` is the campaign's YAML, which every client needs to run the rules.

    ``bot_delay``: seconds before each move of a host-run bot. ``drive_bots``: whether
    the host moves its bots itself (False when a console app does it). ``origins``:
    browser origins allowed besides none at all (terminal clients send none).
    ``on_status`` is called with the seat status and the observer count whenever either
    changes. ``join_rate``/``join_burst``: failed joins allowed per client address (a
    minute, and saved up); beyond them the address is refused for a while. ``clock``:
    what the limits measure time with. ``evaluators_see_all``: the evaluators are sent
    the facilitator's view (everything) instead of the public one. ``write_rate`` /
    ``write_burst``: the observations and hotwash answers all the connections of a shared
    seat may write together (a second, and saved up).
    """

    def __init__(
        self,
        session: LocalSession,
        codes: Mapping[str, str],
        *,
        campaign_text: str,
        bot_delay: float = 0.0,
        drive_bots: bool = True,
        origins: Sequence[str] = (),
        rate: float = P.RATE,
        burst: int = P.BURST,
        max_message: int = P.MAX_CLIENT_MESSAGE,
        ping_interval: float | None = 20.0,
        ping_timeout: float | None = 20.0,
        hello_timeout: float = 10.0,
        max_backlog: int = 5_000,
        bot_kind: str = "heuristic",
        console: bool = False,
        on_status: StatusCallback | None = None,
        join_rate: float = P.JOIN_RATE,
        join_burst: int = P.JOIN_BURST,
        clock: Callable[[], float] = time.monotonic,
        evaluators_see_all: bool = False,
        write_rate: float = P.WRITE_RATE,
        write_burst: int = P.WRITE_BURST,
    ) -> None:
        self.session = session
        self.engine = session.engine
        self.campaign_text = campaign_text
        self.codes = dict(codes)
        self.seats = [*self.engine.actors, OBSERVER, EVALUATOR, C.FACILITATOR]
        unknown = set(self.codes) - set(self.seats)
        if unknown or not set(self.seats) <= set(self.codes):
            raise ValueError(f"join codes must name exactly the seats {self.seats}")
        self.bot_delay = bot_delay
        self.drive_bots = drive_bots
        self.origins = list(origins)
        self.rate, self.burst = rate, burst
        self.max_message = max_message
        self.ping_interval, self.ping_timeout = ping_interval, ping_timeout
        self.hello_timeout = hello_timeout
        self.max_backlog = max_backlog
        self.bot_kind = bot_kind
        self.console = console
        self.on_status = on_status
        self.join_rate, self.join_burst = join_rate, join_burst  # failed joins: a minute, saved up
        self.clock = clock
        self._failed_joins = FailedJoins(join_rate, join_burst, clock)  # per client address
        self.write_rate = write_rate
        # what each shared seat's connections write together (however many share the code)
        self._writes = {seat: TokenBucket(write_rate, write_burst, clock) for seat in SHARED}
        self.conns: dict[str, list[Conn]] = {s: [] for s in self.seats}
        self._joined: set[str] = set()  # seats that have had a connection
        self._peak = dict.fromkeys(SHARED, 0)  # the most connections a shared seat has had
        self.evaluators_see_all = evaluators_see_all
        self.url = ""
        self.port = 0
        self._server: Server | None = None
        self._bot_task: asyncio.Task[None] | None = None
        self._clock_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()  # closing connections
        self._changed = asyncio.Event()
        self._ended = asyncio.Event()
        # What each seat has been told: the events it may see, redacted for it, in a
        # stream of its own (no placeholder for what it may not see: see tabletop.net.feed).
        self.feeds = SeatFeeds(
            self.engine, self.seats, {EVALUATOR: C.FACILITATOR} if evaluators_see_all else None
        )
        self.feeds.add([e.event for e in session.entries])
        if session.ended:
            self._ended.set()
        session.add_listener(self._on_entries)

    # ================================================================ life cycle

    async def start(self, bind: str = "127.0.0.1", port: int = 0, ssl: _ssl.SSLContext | None = None) -> str:
        """Listen on ``bind:port`` (0: any free port); returns the URL clients join."""
        self._server = await serve(
            self._handle, bind, port,
            origins=[None, *(Origin(o) for o in self.origins)],
            compression=None,
            max_size=self.max_message,
            max_queue=32,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_timeout,
            close_timeout=2,
            ssl=ssl,
            server_header=None,
        )
        sock = next(iter(self._server.sockets))
        self.port = sock.getsockname()[1]
        self.url = f"{'wss' if ssl else 'ws'}://{join_host(bind)}:{self.port}"
        if self.drive_bots:
            self._bot_task = asyncio.create_task(self._drive_bots(), name="tabletop-host-bots")
        self._clock_task = asyncio.create_task(self._keep_time(), name="tabletop-host-clock")
        self._changed.set()
        return self.url

    async def wait_ended(self) -> None:
        """Return once the exercise has ended."""
        await self._ended.wait()

    async def farewell(self, grace: float = 5.0, at_least: float = 0.0) -> None:
        """After the end: give clients that dropped out up to ``grace`` s to come back and
        hear how it ended (and wait ``at_least`` s in any case: a restarted host does not
        know who was away), then let every queue empty."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while loop.time() < start + grace and (self._away() or loop.time() < start + at_least):
            await asyncio.sleep(0.05)
        await self.drain(2.0)

    def _away(self) -> bool:
        """Whether a seat that was connected during the game has no connection now."""
        gone = [s for s in self._joined if s not in SHARED and not self.conns[s] and not self.session.is_bot(s)]
        return bool(gone) or any(len(self.conns[s]) < self._peak[s] for s in SHARED)

    async def linger(self, timeout: float) -> None:
        """After the end: keep serving while anyone connected has not answered the hotwash
        yet, up to ``timeout`` s; then let every queue empty."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline and self.hotwash_due():
            await asyncio.sleep(0.05)
        await self.drain(2.0)

    def hotwash_due(self) -> list[Conn]:
        """The connections whose seat (as their author) may still answer the hotwash."""
        from tabletop.engine.legal import hotwash_answered

        state = self.session.state
        return [c for cs in self.conns.values() for c in cs
                if not c.closed and not hotwash_answered(state, c.seat, c.author)]

    async def drain(self, timeout: float = 2.0) -> None:
        """Wait (up to ``timeout`` s) until every connection's queue has been written out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(c.queue.empty() for cs in self.conns.values() for c in cs):
                return
            await asyncio.sleep(0.01)

    async def close(self) -> None:
        """Say goodbye to every connection and stop listening."""
        if self._clock_task is not None:
            self._clock_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._clock_task
        if self._bot_task is not None:
            self._bot_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._bot_task
        self.session.remove_listener(self._on_entries)
        for conn in [c for cs in self.conns.values() for c in cs]:
            self._kick(conn, P.HOST_CLOSING, "The host has closed the exercise.", close_code=1001)
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    # ================================================================ seats

    def seat_status(self) -> dict[str, str]:
        """``connected``, ``waiting`` (nobody there: missing) or ``bot``, for every playing seat."""
        out: dict[str, str] = {}
        for seat in (*self.engine.actors, C.FACILITATOR):
            if self.session.is_bot(seat):
                out[seat] = "bot"
            elif self.conns[seat] or (seat == C.FACILITATOR and self.console):
                out[seat] = "connected"
            else:
                out[seat] = "waiting"
        return out

    def missing(self) -> list[str]:
        """The seats the game needs a human at and nobody is connected to."""
        return [s for s, v in self.seat_status().items() if v == "waiting"]

    def controllers(self) -> dict[str, str]:
        return {s: ("bot" if self.session.is_bot(s) else "human") for s in (*self.engine.actors, C.FACILITATOR)}

    def set_control(self, seat: str, controller: str) -> None:
        """Hand ``seat`` to a host-run bot (``"bot"``) or back to its player (``"human"``).

        The change is recorded in the journal as a facilitator note (an ``annotated``
        event, which only the facilitator and the debrief see). Raises ``ValueError`` for
        an unknown seat or controller.
        """
        if seat not in self.controllers():
            raise ValueError(f"There is no seat {seat!r} to hand over.")
        if controller not in ("bot", "human"):
            raise ValueError(f"A seat goes to a bot or a human, not {controller!r}.")
        if self.controllers()[seat] == controller:
            return
        self.session.set_controller(seat, f"bot:{self.bot_kind}" if controller == "bot" else HUMAN)
        who = "a bot" if controller == "bot" else "its player again"
        note = f"Seat control: {self.seat_name(seat)} is now played by {who}."
        try:
            self.session.submit_now(C.Annotate(C.FACILITATOR, note))
        except CommandError:  # pragma: no cover - a note is always allowed
            log.warning("could not record: %s", note)
        self._status_changed()
        self._changed.set()

    def seat_name(self, seat: str) -> str:
        """The actor's name for an actor seat; ``observer`` and ``facilitator`` as they are."""
        return actor_name(self.engine, seat)

    @property
    def evaluators(self) -> int:
        """How many evaluators are connected."""
        return len(self.conns[EVALUATOR])

    def name_seat(self, target: str, name: str, *, unless_named: bool = False) -> bool:
        """Record in the journal that ``name`` sits at ``target`` (an actor, the facilitator,
        or one of the evaluators), unless it says so already (or, ``unless_named``, the
        seat has a name already); True if it was recorded. Raises ``CommandError`` (with
        the sentence) for a name or seat the rules refuse, ``OSError`` if the journal
        cannot be written."""
        from tabletop.engine import events as E

        names = [e.event.name for e in self.session.entries
                 if isinstance(e.event, E.SeatNamed) and e.event.target == target]
        if target == EVALUATOR:  # several evaluators: each name once
            known = name in names
        else:  # one person at a time: the latest name counts
            known = bool(names) and (unless_named or names[-1] == name)
        if known:
            return False
        self.session.submit_now(C.NameSeat(C.FACILITATOR, target, name))
        return True

    def _evaluator_names(self) -> set[str]:
        from tabletop.engine import events as E

        return {e.event.name for e in self.session.entries
                if isinstance(e.event, E.SeatNamed) and e.event.target == EVALUATOR}

    def _status_changed(self) -> None:
        status = self.seat_status()
        observers = len(self.conns[OBSERVER])
        frame = P.dump({"type": "seats", "seats": status, "controllers": self.controllers(), "observers": observers,
                        "evaluators": self.evaluators})
        for conns in self.conns.values():
            for conn in conns:
                conn.put(frame)
        if self.on_status is not None:
            try:
                self.on_status(status, observers)
            except Exception:  # pragma: no cover - a console problem must not stop the game
                log.exception("seat status callback failed")

    # ================================================================ events out

    def _on_entries(self, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        fresh = self.feeds.add([e.event for e in entries])
        awaiting = list(self.session.awaiting())
        head = self.session.fingerprint  # the entries are on disk: this is what a receipt holds
        reading = self.session.time_left(time.time())
        # the clock is public: every seat is told it, with the events it is sent
        clock = {"clock": {k: getattr(reading, k) for k in P.ClockTold.model_fields}} if reading else {}
        for seat, conns in self.conns.items():
            # a seat that may see none of these events (a covert play sealed in another
            # side's turn) is sent nothing at all, not even that something happened
            frame = self.feeds.frame(seat, fresh[seat], awaiting, head=head, **clock)
            if frame is None or not conns:
                continue
            for conn in list(conns):  # a kick below removes it from the list
                conn.put(frame)
                if conn.queue.qsize() > self.max_backlog:
                    self._kick(conn, P.TOO_SLOW, "You fell too far behind the game; join again to catch up.")
        if self.session.ended:
            self._ended.set()
        self._changed.set()

    def _welcome(self, seat: str, name: str) -> str:
        awaiting = list(self.session.awaiting())
        self.feeds.told(seat, awaiting)
        sees = self.feeds.sees[seat]
        head = P.dump({
            "type": "welcome", "protocol": P.PROTOCOL, "seat": seat,
            "campaign_text": campaign_text_for(self.session.campaign, self.campaign_text, sees),
            "seq": self.feeds.count(seat),
            "awaiting": awaiting, "controllers": self.controllers(),
            "seats": self.seat_status(), "observers": len(self.conns[OBSERVER]), "host_version": __version__,
            "head": self.session.fingerprint,
            "sees": None if sees == seat else sees, "name": name, "evaluators": self.evaluators,
        })
        return f'{head[:-1]},"events":[{self.feeds.welcome_events(seat)}]}}'

    # ================================================================ connections

    async def _handle(self, ws: ServerConnection) -> None:
        conn: Conn | None = None
        try:
            try:
                raw = await asyncio.wait_for(ws.recv(), self.hello_timeout)
            except TimeoutError:
                raw = None
            wait = self._failed_joins.wait(address(ws))
            if wait is not None:  # whatever it says: guesses from here are not even looked at
                await self._refuse_handshake(
                    ws, P.TOO_MANY_JOINS,
                    f"Too many failed join attempts from your address (at most {self.join_burst}, then "
                    f"{self.join_rate:g} a minute); try again in {wait} seconds.",
                    counts=False,
                )
                return
            if raw is None:
                await self._refuse_handshake(ws, P.EXPECTED_HELLO, f"Say hello within {self.hello_timeout:g} seconds.")
                return
            if not isinstance(raw, str):
                await self._refuse_handshake(ws, P.BAD_MESSAGE, _BINARY)
                return
            try:
                msg = P.parse_client(raw)
            except P.ProtocolError as e:
                await self._refuse_handshake(ws, P.BAD_MESSAGE, str(e))
                return
            if not isinstance(msg, P.Hello):
                await self._refuse_handshake(ws, P.EXPECTED_HELLO, "The first message must be a hello with your join code.")
                return
            if msg.protocol != P.PROTOCOL:
                await self._refuse_handshake(
                    ws, P.BAD_VERSION,
                    f"The host speaks protocol {P.PROTOCOL} (tabletop {__version__}) and this client speaks "
                    f"protocol {msg.protocol}; use the same tabletop version as the host.",
                )
                return
            seat = self._seat_for(msg.code)
            if seat is None:
                await self._refuse_handshake(ws, P.BAD_CODE, "That join code is not valid for this exercise.")
                return
            try:
                name = clean_name(msg.name)
            except ValueError as e:  # the code was right: not a guess
                await self._refuse_handshake(ws, P.BAD_NAME, str(e), counts=False)
                return
            conn = self._join(ws, seat, name)
            await self._read(conn)
        except ConnectionClosed:
            pass
        finally:
            if conn is not None:
                self._leave(conn)
                if conn.writer is not None:
                    conn.queue.put_nowait(None)
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.writer, 2)
                if conn.closer is not None:  # closing it with its code (1008…): returning first would say 1000
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(asyncio.shield(conn.closer), 6)

    async def _refuse_handshake(self, ws: ServerConnection, code: str, message: str, *, counts: bool = True) -> None:
        """Refuse a join: say why, log it, close (1008). ``counts``: a failed join of its address."""
        where = address(ws)
        log.warning("join refused from %s: %s (%s)", where, code, message)
        if counts:
            self._failed_joins.failed(where)
        with contextlib.suppress(ConnectionClosed):
            await ws.send(P.error(code, message))
            await ws.close(1008, code)

    def _seat_for(self, code: str) -> str | None:
        found = None
        given = code.encode("utf-8", "surrogatepass")
        for seat, known in self.codes.items():
            if hmac.compare_digest(given, known.encode("utf-8")):
                found = seat
        return found

    def _join(self, ws: ServerConnection, seat: str, name: str = "") -> Conn:
        conn = Conn(ws, seat, TokenBucket(self.rate, self.burst, self.clock), author=author_for(seat, name))
        if seat not in SHARED:  # one connection per playing seat: the newest wins
            for old in list(self.conns[seat]):
                self._kick(old, P.REPLACED, "Someone joined with your seat's code, so this connection was closed.")
        # the debrief lists who evaluated, and who sat where (the host's --name first)
        evaluator = seat == EVALUATOR and len(self._evaluator_names()) < P.MAX_EVALUATOR_NAMES
        if evaluator or (name and seat not in SHARED):
            try:
                self.name_seat(seat, conn.author or name, unless_named=seat != EVALUATOR)
            except (CommandError, OSError) as e:  # pragma: no cover - a clean name is always allowed
                log.warning("could not record the name %r of %s: %s", name, seat, e)
        self.conns[seat].append(conn)
        self._joined.add(seat)
        if seat in SHARED:
            self._peak[seat] = max(self._peak[seat], len(self.conns[seat]))
        conn.put(self._welcome(seat, conn.author))  # first in its queue: every later event follows it
        conn.start_writing()
        log.info("%s joined%s", seat, f" ({conn.author})" if name else "")
        self._status_changed()
        return conn

    def _leave(self, conn: Conn) -> None:
        if conn in self.conns[conn.seat]:
            self.conns[conn.seat].remove(conn)
            if self.session.ended:  # it left knowing the end: not one to wait for
                if conn.seat in SHARED:
                    self._peak[conn.seat] -= 1
                if not self.conns[conn.seat]:
                    self._joined.discard(conn.seat)
            log.info("%s left", conn.seat)
            self._status_changed()
        conn.closed = True

    def _kick(self, conn: Conn, code: str, message: str, *, close_code: int = 1008) -> None:
        """Tell ``conn`` why (if it still reads) and close it; its seat is free at once."""
        if conn.closed:
            return
        task = conn.close_with(code, message, close_code)
        self._leave(conn)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(self, conn: Conn) -> None:
        async for raw in conn.ws:
            if conn.closed:
                return
            if not conn.bucket.take():
                conn.dropped += 1
                if conn.dropped == 1:
                    conn.put(P.error(P.RATE_LIMITED, f"Too many messages: at most {self.rate:g} a second; "
                                                     "this one was ignored."))
                elif conn.dropped > self.burst:
                    self._kick(conn, P.RATE_LIMITED, "Too many messages for too long; the connection was closed.")
                    return
                continue
            conn.dropped = 0
            if not isinstance(raw, str):
                conn.put(P.error(P.BAD_MESSAGE, _BINARY))
                continue
            try:
                msg = P.parse_client(raw)
            except P.ProtocolError as e:
                conn.put(P.error(P.BAD_MESSAGE, str(e)))
                continue
            if isinstance(msg, P.CommandMessage):
                self._command(conn, msg)
            elif isinstance(msg, P.Control):
                self._control(conn, msg)
            else:
                conn.put(P.error(P.BAD_MESSAGE, "You have already said hello on this connection."))

    # ================================================================ what clients ask

    def _refuse(self, conn: Conn, kind: str, reason: str, ref: int | None) -> None:
        conn.put(P.dump({"type": "refused", "reason": reason, "kind": kind, "id": ref}))

    def _command(self, conn: Conn, msg: P.CommandMessage) -> None:
        ref = msg.id
        try:
            command = C.command_from_data(msg.command)
        except MalformedCommand as e:  # a sentence that names what is wrong
            return self._refuse(conn, "malformed", str(e), ref)
        if command.seat != conn.seat:
            return self._refuse(
                conn, "illegal", f"You hold the seat {conn.seat}; you cannot act for {command.seat!r}.", ref
            )
        seen = self.feeds.count(conn.seat)  # the seat's own count: it never learns the journal's
        try:
            command = vet(command, seat=conn.seat, author=conn.author, feeds=self.feeds,
                          state_seq=min(msg.state_seq, seen))
        except Refusal as e:
            return self._refuse(conn, e.kind, e.reason, ref)
        if conn.seat in SHARED and not self._writes[conn.seat].take():
            who = "evaluators" if conn.seat == EVALUATOR else "observers"
            return self._refuse(conn, "illegal", f"The {who} are writing faster than the host records (at most "
                                f"{self.write_rate:g} a second together); send it again in a moment.", ref)
        if self.session.is_bot(conn.seat) and not isinstance(command, NOT_STALE):
            return self._refuse(conn, "illegal", "A bot plays your seat now; ask the facilitator to hand it back.", ref)
        if msg.state_seq != seen and not (isinstance(command, NOT_STALE) and msg.state_seq < seen):
            return self._refuse(
                conn, "stale",
                f"The game moved on (it is at event {seen}, your command was made at "
                f"{msg.state_seq}); look again and retry.", ref,
            )
        try:
            self.session.submit_now(command)  # journalled durably, then broadcast (to this client too)
        except MalformedCommand as e:
            return self._refuse(conn, "malformed", str(e), ref)
        except CommandError as e:
            return self._refuse(conn, "illegal", str(e), ref)
        except OSError as e:
            log.error("journal write failed: %s", e)
            return self._refuse(
                conn, "illegal", f"The host could not save the move, so nothing changed ({e.strerror or e}).", ref
            )
        except Exception:  # a bug must cost one command, not the exercise
            log.exception("command %r failed", msg.command)
            return self._refuse(conn, "malformed", "The host could not process that command.", ref)
        conn.put(P.dump({"type": "ack", "seq": self.feeds.count(conn.seat), "id": ref, "head": self.session.fingerprint}))

    def _control(self, conn: Conn, msg: P.Control) -> None:
        if conn.seat != C.FACILITATOR:
            conn.put(P.error(P.FORBIDDEN, "Only the facilitator can hand seats to bots."))
            return
        try:
            self.set_control(msg.seat, msg.controller)
        except ValueError as e:
            self._refuse(conn, "malformed", str(e), msg.id)
            return
        conn.put(P.dump({"type": "ack", "seq": self.session.state.seq, "id": msg.id, "head": self.session.fingerprint}))

    # ================================================================ the clock

    async def _keep_time(self) -> None:
        """End a turn whose time is up (``on_timeout: pass``), as the facilitator's screen
        would: the host keeps the clock even with no console (``--headless``)."""
        while not self.session.ended:
            await asyncio.sleep(1.0)
            reading = self.session.time_left(time.time())
            if reading is not None and reading.turn_is_up:
                try:
                    self.session.submit_now(C.TimeUp(C.FACILITATOR))
                except CommandError as e:  # the turn ended meanwhile: nothing to do
                    log.info("time-up not needed: %s", e)
                except OSError as e:
                    log.error("journal write failed: %s", e)

    # ================================================================ bots

    async def _drive_bots(self) -> None:
        """Move the host's bots whenever the game waits for one, ``bot_delay`` apart."""
        while True:
            await self._changed.wait()
            self._changed.clear()
            while not self.session.ended:
                command = self.session.bot_command()
                if command is None:
                    break
                seq = self.session.state.seq
                await asyncio.sleep(self.bot_delay)
                if self.session.state.seq != seq:
                    continue  # the game moved on meanwhile: think again
                try:
                    self.session.submit_now(command)
                except CommandError as e:  # pragma: no cover - bots choose among legal commands
                    log.error("bot command refused: %s", e)
                    break
                except OSError as e:
                    log.error("journal write failed: %s", e)
                    await asyncio.sleep(1.0)
