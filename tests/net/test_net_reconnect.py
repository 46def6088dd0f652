"""Dropped clients rejoin with their code; the facilitator hands a missing seat to a bot and back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from net_helpers import hosted, numbered_apart, told, until
from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.net.client import RemoteSession, play_as_bot

PLAYER = "veldia"


async def test_a_client_dropped_mid_turn_rejoins_and_the_game_goes_on(tmp_path: Path) -> None:
    statuses: list[dict[str, str]] = []
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand", FACILITATOR],
                      on_status=lambda seats, observers: statuses.append(dict(seats))) as h:
        welcomes: list[int] = []

        def trace(raw: str | bytes) -> None:
            if json.loads(raw)["type"] == "welcome":
                welcomes.append(1)

        me = await RemoteSession.join(h.url, h.codes[PLAYER], retry_for=10, trace=trace)
        heard: list[int] = []
        me.add_listener(lambda entries: heard.extend(e.seq for e in entries))
        try:
            await until(lambda: me.legal_commands(PLAYER) != [])  # mid-turn: the game waits for this seat
            assert me._ws is not None and me._ws.transport is not None
            me._ws.transport.abort()  # the network drops, no goodbye
            await until(lambda: len(welcomes) == 2 and me.connected)
            assert any(s[PLAYER] == "waiting" for s in statuses)  # the host showed the seat missing
            assert h.host.seat_status()[PLAYER] == "connected"
            await asyncio.wait_for(play_as_bot(me), 30)
            assert h.session.ended and numbered_apart(me.view()) == numbered_apart(h.session.view(PLAYER))
            assert [e.seq for e in me.entries] == list(range(1, told(h, PLAYER) + 1))
            assert heard == sorted(set(heard)) and heard[-1] == told(h, PLAYER)  # nothing heard twice
        finally:
            await me.close()


async def test_a_new_client_with_the_same_code_gets_the_seat_and_the_whole_state(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand", FACILITATOR]) as h:
        first = await RemoteSession.join(h.url, h.codes[PLAYER])
        await until(lambda: first.legal_commands(PLAYER) != [])
        await first.submit(first.legal_commands(PLAYER)[0])
        await until(lambda: first.legal_commands(PLAYER) != [] or first.ended)
        await first.close()
        await until(lambda: h.host.missing() == [PLAYER])
        again = await RemoteSession.join(h.url, h.codes[PLAYER])
        try:
            assert again.seat == PLAYER and again.state == first.state
            assert numbered_apart(again.view()) == numbered_apart(h.session.view(PLAYER))
            await asyncio.wait_for(play_as_bot(again), 30)
            assert h.session.ended
        finally:
            await again.close()


async def test_the_facilitator_hands_a_missing_seat_to_a_bot_and_back(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand"]) as h:
        fac = await RemoteSession.join(h.url, h.codes[FACILITATOR])
        ruling = asyncio.create_task(play_as_bot(fac))  # a facilitator bot client makes the rulings
        try:
            await until(lambda: h.session.awaiting() == (PLAYER,))
            assert h.host.missing() == [PLAYER]
            await until(lambda: fac.seats.get(PLAYER) == "waiting")
            await fac.control(PLAYER, "bot")
            assert h.session.is_bot(PLAYER)
            await until(lambda: fac.is_bot(PLAYER) and fac.seats[PLAYER] == "bot")
            round_ = h.session.state.round
            await until(lambda: h.session.state.round > round_ or h.session.ended)  # the host's bot played on
            await fac.control(PLAYER, "human")
            await until(lambda: fac.controllers.get(PLAYER) == "human")
            me = await RemoteSession.join(h.url, h.codes[PLAYER])
            try:
                await asyncio.wait_for(play_as_bot(me), 30)
            finally:
                await me.close()
            await asyncio.wait_for(ruling, 10)
            notes = [e.event.text for e in h.session.entries if isinstance(e.event, E.Annotated)]
            assert notes[:2] == ["Seat control: Veldia is now played by a bot.",
                                 "Seat control: Veldia is now played by its player again."]
        finally:
            ruling.cancel()
            await fac.close()
