"""Bad clients: each is refused (or closed) while another client keeps playing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from net_helpers import Hosted, hosted, joined, numbered_apart, raw_client, recv, recv_type, told, until
from tabletop.engine import commands as C
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.errors import IllegalCommand
from tabletop.engine.views import OBSERVER
from tabletop.net import protocol as P
from tabletop.net.client import JoinError, RemoteSession, StaleCommand, play_as_bot

PLAYER = "veldia"  # the tutorial's blue actor: a remote bot plays it while others misbehave
EVERYONE_ELSE = ["red", "ostrand", FACILITATOR]


@asynccontextmanager
async def game_in_progress(tmp_path: Path, **options: object) -> AsyncIterator[tuple[Hosted, asyncio.Task[None]]]:
    """A tutorial game whose one remote seat is played by a bot client; the host's bots
    play the rest, a little slowly, so the game is still going while a test misbehaves."""
    async with hosted(tmp_path, "tutorial", seed=4, bots=EVERYONE_ELSE, bot_delay=0.002, **options) as h:
        player = await RemoteSession.join(h.url, h.codes[PLAYER])
        task = asyncio.create_task(play_as_bot(player))
        try:
            yield h, task
            await asyncio.wait_for(task, 30)  # the honest player finished the game
            assert h.session.ended and player.state.seq == told(h, PLAYER)
            assert numbered_apart(player.view()) == numbered_apart(h.session.view(PLAYER))
        finally:
            task.cancel()
            await player.close()


async def test_a_wrong_code_gets_an_error_and_is_closed(tmp_path: Path) -> None:
    async with game_in_progress(tmp_path) as (h, _):
        ws = await raw_client(h.url)
        await ws.send(json.dumps({"type": "hello", "protocol": P.PROTOCOL, "code": "not-a-code"}))
        msg = await recv(ws)
        assert msg == {"type": "error", "code": "bad_code", "message": "That join code is not valid for this exercise."}
        with pytest.raises(ConnectionClosed):
            await recv(ws)
        with pytest.raises(JoinError) as err:
            await RemoteSession.join(h.url, h.codes[PLAYER][:-1] + "!")
        assert err.value.code == "bad_code" and err.value.fatal


async def test_another_protocol_version_is_refused_with_a_sentence(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        ws = await raw_client(h.url)
        await ws.send(json.dumps({"type": "hello", "protocol": 99, "code": h.codes[OBSERVER]}))
        msg = await recv(ws)
        assert msg["code"] == "bad_version" and f"protocol {P.PROTOCOL}" in msg["message"]
        with pytest.raises(ConnectionClosed):
            await recv(ws)


async def test_the_first_message_must_be_a_timely_hello(tmp_path: Path) -> None:
    async with hosted(tmp_path, hello_timeout=0.3) as h:
        ws = await raw_client(h.url)
        await ws.send(json.dumps({"type": "command", "state_seq": 0, "command": {}}))
        assert (await recv(ws))["code"] == "expected_hello"
        silent = await raw_client(h.url)
        assert (await recv(silent, timeout=3))["code"] == "expected_hello"
        with pytest.raises(ConnectionClosed):
            await recv(silent)


async def test_impersonation_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    async with game_in_progress(tmp_path) as (h, _):
        ws, welcome = await joined(h.url, h.codes["ostrand"])  # ostrand's code, but speaking for northmark
        seq = h.session.state.seq
        await ws.send(json.dumps({"type": "command", "state_seq": told(h, "ostrand"),
                                  "command": {"type": "pass", "seat": "northmark"}, "id": 7}))
        msg = await recv_type(ws, "refused")
        assert msg["kind"] == "illegal" and msg["id"] == 7 and "northmark" in msg["reason"]
        await ws.send(json.dumps({"type": "command", "state_seq": told(h, "ostrand"),
                                  "command": {"type": "pause", "seat": FACILITATOR, "reason": "mine now"}}))
        assert (await recv_type(ws, "refused"))["kind"] == "illegal"
        assert not h.session.state.paused
        assert all(e.seat != "northmark" or e.seq <= seq for e in h.session.entries if e.command)
        await ws.close()


async def test_observers_cannot_act_and_only_the_facilitator_hands_seats_over(tmp_path: Path) -> None:
    async with game_in_progress(tmp_path) as (h, _):
        ws, welcome = await joined(h.url, h.codes[OBSERVER])
        assert welcome["seat"] == OBSERVER
        await ws.send(json.dumps({"type": "command", "state_seq": welcome["seq"],
                                  "command": {"type": "pass", "seat": OBSERVER}}))
        assert (await recv_type(ws, "refused"))["kind"] == "illegal"
        await ws.send(json.dumps({"type": "control", "seat": PLAYER, "controller": "bot"}))
        assert (await recv_type(ws, "error"))["code"] == "forbidden"
        assert not h.session.is_bot(PLAYER)
        await ws.close()


async def test_a_stale_command_is_refused_and_the_fresh_one_accepted(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=EVERYONE_ELSE) as h:
        me = await RemoteSession.join(h.url, h.codes[PLAYER])
        try:
            await until(lambda: me.legal_commands(PLAYER) != [])
            command = C.command_to_data(me.legal_commands(PLAYER)[-1])
            reply = await me._request({"type": "command", "state_seq": me.state.seq - 1, "command": command})
            assert reply.type == "refused" and reply.kind == "stale"
            reply = await me._request({"type": "command", "state_seq": me.state.seq, "command": command})
            assert reply.type == "ack" and me.state.seq >= reply.seq  # its events came before the ack
            assert any(e.seat == PLAYER and e.command == command for e in h.session.entries)  # on the record
            with pytest.raises(IllegalCommand):  # the same move again: not your turn any more
                await me.submit(C.command_from_data(command))
            await until(lambda: me.legal_commands(PLAYER) != [])  # the host's bots are done moving
            junk = {"type": "play", "seat": PLAYER, "card": "no-such-card"}
            reply = await me._request({"type": "command", "state_seq": me.state.seq, "command": junk})
            assert reply.type == "refused" and reply.kind == "malformed" and "no card" in reply.reason
        finally:
            await me.close()
    assert issubclass(StaleCommand, IllegalCommand)


async def test_malformed_messages_get_errors_and_the_connection_carries_on(tmp_path: Path) -> None:
    async with game_in_progress(tmp_path) as (h, _):
        ws, _ = await joined(h.url, h.codes["ostrand"])
        bad: list[str | bytes] = [
            "{not json",
            "[]",
            '"hello"',
            json.dumps({"type": "launch", "target": "moon"}),
            json.dumps({"type": "command", "state_seq": 0}),
            json.dumps({"type": "command", "state_seq": -1, "command": {}}),
            json.dumps({"type": "command", "state_seq": 0, "command": {}, "extra": 1}),
            json.dumps({"type": "hello", "protocol": P.PROTOCOL, "code": h.codes["ostrand"]}),
            b"\xff\xfe binary junk",
        ]
        for frame in bad:
            await ws.send(frame)
            msg = await recv_type(ws, "error")
            assert msg["code"] == "bad_message" and msg["message"].endswith("."), (frame, msg)
        for command in ({"type": "nuke", "seat": "ostrand"}, {"type": "play", "seat": "ostrand", "card": {"x": 1}},
                        {"type": "play", "seat": "ostrand", "card": "no-such-card"}, {"seat": "ostrand"}):
            await ws.send(json.dumps({"type": "command", "state_seq": told(h, "ostrand"), "command": command}))
            # malformed, or illegal: a host bot plays ostrand here (the stale test checks malformed)
            assert (await recv_type(ws, "refused"))["kind"] in ("malformed", "illegal", "stale"), command
        await ws.close()


async def test_an_oversized_message_closes_only_that_connection(tmp_path: Path) -> None:
    async with game_in_progress(tmp_path) as (h, _):
        ws, _ = await joined(h.url, h.codes[OBSERVER])
        await ws.send(json.dumps({"type": "command", "state_seq": 0, "command": {"pad": "x" * 100_000}}))
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await recv(ws)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big


async def test_flooding_gets_an_error_then_the_connection_is_closed(tmp_path: Path) -> None:
    async with game_in_progress(tmp_path) as (h, _):
        ws, _ = await joined(h.url, h.codes[OBSERVER])
        got: list[dict[str, object]] = []
        with pytest.raises(ConnectionClosed):
            for _ in range(2000):
                await ws.send('{"type":"ping"}')
            while True:
                got.append(await recv(ws))
        codes = [m.get("code") for m in got if m["type"] == "error"]
        assert "rate_limited" in codes
        assert codes.count("bad_message") <= 40  # the burst was answered, the rest was not


async def test_a_browser_origin_is_refused_unless_allowed(tmp_path: Path) -> None:
    async with hosted(tmp_path, origins=["https://ttx.example"]) as h:
        with pytest.raises(InvalidStatus) as err:
            await raw_client(h.url, origin="https://evil.example")
        assert err.value.response.status_code == 403
        ws, welcome = await joined(h.url, h.codes[OBSERVER], origin="https://ttx.example")
        assert welcome["seat"] == OBSERVER
        await ws.close()


async def test_a_second_connection_for_a_seat_replaces_the_first(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        first = await RemoteSession.join(h.url, h.codes[PLAYER])
        second = await RemoteSession.join(h.url, h.codes[PLAYER])
        try:
            await until(lambda: first.failed is not None)
            assert "code" in (first.failed or "")
            assert second.connected and h.host.seat_status()[PLAYER] == "connected"
            assert len(h.host.conns[PLAYER]) == 1
        finally:
            await first.close()
            await second.close()
