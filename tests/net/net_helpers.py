"""Helpers for the network tests: a real host on 127.0.0.1 (port 0), raw clients.

Every wait here is bounded: a test that goes wrong fails in seconds, never hangs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from tabletop.campaign.validate import LoadedCampaign, load_campaign
from tabletop.journal import JournalWriter
from tabletop.net import protocol as P
from tabletop.net.codes import new_codes
from tabletop.net.host import Host
from tabletop.session import LocalSession, resolve_controllers

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGNS = ROOT / "campaigns"
LOCAL = "127.0.0.1"


@cache
def loaded(name: str) -> LoadedCampaign:
    return load_campaign(CAMPAIGNS / f"{name}.yaml")


@dataclass
class Hosted:
    host: Host
    url: str
    codes: dict[str, str]
    session: LocalSession
    save: Path


@asynccontextmanager
async def hosted(
    tmp_path: Path, name: str = "tutorial", seed: int = 1, bots: Iterable[str] = (), **options: Any
) -> AsyncIterator[Hosted]:
    """A host serving a new game of campaign ``name`` on 127.0.0.1 (a free port)."""
    lc = loaded(name)
    controllers = resolve_controllers(lc.campaign, bots)
    save = tmp_path / f"{name}-{seed}.jsonl"
    header = LocalSession.new_header(lc.campaign, lc.text, str(lc.path), seed, controllers)
    session = LocalSession(lc.campaign, seed=seed, controllers=controllers, journal=JournalWriter(save, header))
    codes = new_codes(session.engine.actors)
    host = Host(session, codes, campaign_text=lc.text, **options)
    url = await host.start(LOCAL, 0)
    try:
        yield Hosted(host, url, codes, session, save)
    finally:
        await host.close()
        session.close()


async def raw_client(url: str, **options: Any) -> ClientConnection:
    return await connect(url, compression=None, proxy=None, open_timeout=5, max_size=None, **options)


async def recv(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))  # type: ignore[no-any-return]


async def recv_type(ws: ClientConnection, *types: str, timeout: float = 5.0) -> dict[str, Any]:
    """The next message of one of ``types``, skipping events and seat updates."""
    async with asyncio.timeout(timeout):
        while True:
            msg = await recv(ws, timeout)
            if msg["type"] in types:
                return msg


async def joined(url: str, code: str, **options: Any) -> tuple[ClientConnection, dict[str, Any]]:
    """A raw connection that has said hello; returns it and the welcome."""
    ws = await raw_client(url, **options)
    await ws.send(json.dumps({"type": "hello", "protocol": P.PROTOCOL, "code": code}))
    welcome = await recv(ws)
    assert welcome["type"] == "welcome", welcome
    return ws, welcome


async def until(predicate: Any, timeout: float = 10.0, step: float = 0.005) -> None:
    """Wait until ``predicate()`` holds; fail after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(step)


def told(h: Hosted, seat: str) -> int:
    """How many events the host has sent ``seat``: its ``seq``. Only the facilitator is
    sent every event; another seat is not sent those it may not see (tabletop.net.feed)."""
    return h.host.feeds.count(seat)


def numbered_apart(view: Any) -> Any:
    """``view`` without the event numbers in it (``seq``, and the ``seq`` of each phase
    change), which a remote seat counts in its own stream: to compare a remote seat's
    view with the host's view for that seat."""
    from dataclasses import replace

    return replace(view, seq=0, phase_history=tuple(replace(ch, seq=0) for ch in view.phase_history))
