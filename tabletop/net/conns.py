"""One connection to the host, and the limits on connections: what the host's game loop
(:mod:`tabletop.net.host`) hands its frames to, and what it asks before it listens.

:class:`Conn` is one client's connection: its seat, its outgoing queue, the task that
writes the queue out (so a slow reader never holds up the others) and its closing with
a code. :class:`TokenBucket` limits the messages a connection may send, and
:class:`FailedJoins` the failed joins an address may make. None of them knows the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from tabletop.net import protocol as P


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up; each message takes one."""

    __slots__ = ("rate", "burst", "tokens", "stamp", "clock")

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.stamp = clock()

    def peek(self) -> float:
        """The tokens there are now (taking none)."""
        return min(self.burst, self.tokens + (self.clock() - self.stamp) * self.rate)

    def take(self) -> bool:
        """Take a token; False if there is none (the message should be refused)."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass(eq=False)
class Conn:
    """One client's connection, for the seat its join code names."""

    ws: ServerConnection
    seat: str
    bucket: TokenBucket
    author: str = ""  # whom what it writes is signed by (its name, or the seat's default)
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    writer: asyncio.Task[None] | None = None
    closer: asyncio.Task[None] | None = None  # set when the host closes it (see close_with)
    dropped: int = 0  # messages refused in a row by the rate limit
    closed: bool = False

    def put(self, frame: str) -> None:
        if not self.closed:
            self.queue.put_nowait(frame)

    def start_writing(self) -> None:
        """Write the queue out, frame by frame, until a ``None`` (the end) or the socket closes."""
        self.writer = asyncio.create_task(self._write(), name=f"tabletop-host-writer-{self.seat}")

    async def _write(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                frame = await self.queue.get()
                if frame is None:
                    return
                await self.ws.send(frame)

    def close_with(self, code: str, message: str, close_code: int) -> asyncio.Task[None]:
        """Drop what is queued, say why (if it still reads), and close it with ``close_code``
        once that is written; the returned task does the closing (also kept as ``closer``)."""
        while not self.queue.empty():
            self.queue.get_nowait()
        self.put(P.error(code, message))
        self.closed = True
        self.queue.put_nowait(None)

        async def closer() -> None:
            with contextlib.suppress(Exception):
                if self.writer is not None:
                    await asyncio.wait_for(asyncio.shield(self.writer), 2)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(close_code, code), 3)
            if self.ws.transport is not None:
                self.ws.transport.abort()

        self.closer = asyncio.get_running_loop().create_task(closer())
        return self.closer


class FailedJoins:
    """Failed joins per client address: ``rate`` a minute, ``burst`` saved up; beyond
    them the address is refused for a while. ``clock``: what the limit measures time with."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, TokenBucket] = {}

    def wait(self, address: str) -> int | None:
        """Seconds until ``address`` may try to join again, or None if it may now."""
        bucket = self._buckets.get(address)
        if bucket is None or bucket.peek() >= 1.0:
            return None
        return max(1, math.ceil((1.0 - bucket.peek()) / bucket.rate)) if bucket.rate > 0 else 60

    def failed(self, address: str) -> None:
        """Count a failed join of ``address``."""
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= 4096:  # forget the addresses that are back to a full bucket
                for known in [a for a, b in self._buckets.items() if b.peek() >= b.burst]:
                    del self._buckets[known]
            bucket = self._buckets[address] = TokenBucket(self.rate / 60, self.burst, self.clock)
        bucket.take()


def address(ws: ServerConnection) -> str:
    """The client's address (the IP, without the port), for per-address limits and the log."""
    remote = ws.remote_address
    if isinstance(remote, tuple) and remote:
        return str(remote[0])
    return str(remote or "unknown")


def join_host(bind: str) -> str:
    """The host name to put in join URLs for a server bound to ``bind``.

    A wildcard bind (``0.0.0.0``, ``::``, empty) listens on every interface, but nobody
    can connect *to* it: participants are given this machine's name instead.
    """
    if bind in ("", "0.0.0.0", "::", "[::]"):
        return socket.gethostname() or "localhost"
    return f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind
