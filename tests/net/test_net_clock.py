"""A networked seat sees the exercise's clock: the host tells it with the events it sends,
and the seat counts down from there (a pause stops it)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tabletop.campaign.validate import load_campaign
from tabletop.engine import commands as C
from tabletop.engine.views import OBSERVER
from tabletop.journal import JournalWriter
from tabletop.net.client import RemoteSession
from tabletop.net.codes import new_codes
from tabletop.net.host import Host
from tabletop.session import LocalSession, resolve_controllers

ROOT = Path(__file__).resolve().parents[2]
F = C.FACILITATOR


async def _until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_a_joined_seat_sees_the_clock_count_down_and_stop_when_paused(tmp_path: Path) -> None:
    lc = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    controllers = resolve_controllers(lc.campaign, [])
    header = LocalSession.new_header(lc.campaign, lc.text, str(lc.path), 4, controllers)
    session = LocalSession(lc.campaign, seed=4, controllers=controllers, clock=time.time,
                           journal=JournalWriter(tmp_path / "g.jsonl", header))
    codes = new_codes(session.engine.actors)
    host = Host(session, codes, campaign_text=lc.text)
    url = await host.start("127.0.0.1", 0)
    me = await RemoteSession.join(url, codes["veldia"])
    room = await RemoteSession.join(url, codes[OBSERVER])
    try:
        assert me.time_left(time.time()) is None  # no time box yet
        session.submit_now(C.SetClock(F, 300, 1800))
        await _until(lambda: me.time_left(time.time()) is not None and room.time_left(time.time()) is not None)
        now = time.time()
        reading = me.time_left(now)
        assert reading is not None and reading.actor == "northmark" and 290 < (reading.turn_left or 0) <= 300
        later = me.time_left(now + 60)
        assert later is not None and abs((reading.turn_left or 0) - 60 - (later.turn_left or 0)) < 0.01
        session.submit_now(C.Pause(F, "tea"))
        await _until(lambda: bool(me.time_left(time.time()) and me.time_left(time.time()).paused))  # type: ignore[union-attr]
        frozen = me.time_left(time.time() + 600)
        assert frozen is not None and frozen.paused and 280 < (frozen.turn_left or 0) <= 300  # a pause stops it
    finally:
        await me.close()
        await room.close()
        await host.close()


async def test_the_host_ends_a_turn_whose_time_is_up_with_no_console(tmp_path: Path) -> None:
    lc = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    controllers = resolve_controllers(lc.campaign, [])
    header = LocalSession.new_header(lc.campaign, lc.text, str(lc.path), 4, controllers)
    session = LocalSession(lc.campaign, seed=4, controllers=controllers, clock=time.time,
                           journal=JournalWriter(tmp_path / "g.jsonl", header))
    host = Host(session, new_codes(session.engine.actors), campaign_text=lc.text)
    await host.start("127.0.0.1", 0)
    try:
        session.submit_now(C.SetClock(F, 1, 0))  # one second a turn
        await _until(lambda: session.state.turn != "northmark", timeout=8)
        assert any(type(e.event).__name__ == "TimeRanOut" for e in session.entries)
    finally:
        await host.close()
