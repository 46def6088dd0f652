"""Reaching the host: open a websocket, say hello with a join code, take the welcome.

:func:`dial` is the transport's one step that the reconnecting session
(:class:`~tabletop.net.client.RemoteSession`) repeats, :func:`backoff` the delays between
its tries, and :class:`JoinError` what goes wrong, in one sentence for the user, with
the codes after which trying again cannot help (:data:`FATAL`). The mirror of the game
the welcome carries is the session's to build.
"""

from __future__ import annotations

import asyncio
import random
import ssl as _ssl
from collections.abc import Callable, Iterator

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from tabletop.net import protocol as P

#: Error codes after which reconnecting cannot help.
FATAL = {P.BAD_CODE, P.BAD_NAME, P.BAD_VERSION, P.REPLACED, P.EXPECTED_HELLO, "different_game", "bad_campaign"}


class JoinError(Exception):
    """Joining (or staying joined) failed; ``str()`` is one sentence for the user.

    ``code`` is the host's error code (``bad_code``, ``bad_version``…), ``unreachable``,
    or ``None`` for other failures.
    """

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code

    @property
    def fatal(self) -> bool:
        """Whether trying again cannot help."""
        return self.code in FATAL


def _why(e: BaseException, timeout: float) -> str:
    """Why a connection attempt failed, in a few words."""
    import socket

    if isinstance(e, ConnectionRefusedError):
        return "nothing is listening there (connection refused)"
    if isinstance(e, TimeoutError):
        return f"no answer within {timeout:g} seconds"
    if isinstance(e, socket.gaierror):
        return "no such host name"
    if isinstance(e, _ssl.SSLError):
        return f"the secure connection failed ({e.reason or e})"
    why = (getattr(e, "strerror", None) or str(e) or type(e).__name__).rstrip(".")
    return why[:1].lower() + why[1:]


def backoff(first: float = 0.1, cap: float = 1.0) -> Iterator[float]:
    """Delays between rejoin attempts: doubling from ``first`` up to ``cap``, jittered."""
    delay = first
    while True:
        yield delay * (0.75 + random.random() / 2)
        delay = min(cap, delay * 2)


async def dial(
    url: str, code: str, *, ssl: _ssl.SSLContext | None, open_timeout: float,
    ping_interval: float | None, ping_timeout: float | None, trace: Callable[[str | bytes], None] | None = None,
    name: str = "",
) -> tuple[ClientConnection, P.Welcome]:
    """Connect to the host at ``url`` and say hello with ``code`` (and ``name``, if any):
    the open connection and the host's welcome, or :class:`JoinError` (one sentence).
    ``trace`` is called with the welcome's frame."""
    try:
        ws = await connect(
            url, compression=None, max_size=P.MAX_HOST_MESSAGE, open_timeout=open_timeout,
            ping_interval=ping_interval, ping_timeout=ping_timeout, close_timeout=2,
            proxy=None, ssl=ssl, user_agent_header=None,
        )
    except InvalidURI:
        raise JoinError(
            f"{url} is not a websocket address (it should look like ws://host:port).", "bad_url"
        ) from None
    except InvalidStatus as e:
        raise JoinError(
            f"The host at {url} refused the connection (HTTP {e.response.status_code}).", "unreachable"
        ) from None
    except (OSError, TimeoutError, InvalidHandshake) as e:
        raise JoinError(f"Cannot reach the host at {url}: {_why(e, open_timeout)}.", "unreachable") from None
    try:
        hello = {"type": "hello", "protocol": P.PROTOCOL, "code": code}
        await ws.send(P.dump({**hello, "name": name} if name else hello))
        raw = await asyncio.wait_for(ws.recv(), open_timeout + 20)
        if trace is not None:
            trace(raw)
        msg = P.parse_host(raw)
    except (ConnectionClosed, TimeoutError, P.ProtocolError) as e:
        await ws.close()
        if isinstance(e, ConnectionClosed):
            why = "it closed the connection"
        elif isinstance(e, TimeoutError):
            why = f"no answer within {open_timeout + 20:g} seconds"
        else:
            why = "its answer was not a tabletop message"
        raise JoinError(f"The host at {url} did not answer the hello: {why}.") from None
    if isinstance(msg, P.Error):
        await ws.close()
        raise JoinError(msg.message, msg.code)
    if not isinstance(msg, P.Welcome):
        await ws.close()
        raise JoinError(f"The host at {url} answered the hello with {msg.type!r}, not a welcome.")
    return ws, msg
