"""The host's limits, as docs/protocol.md promises them (issue 9, defects found by hand):
join attempts throttled per address and logged, a flood closed with 1008, binary frames
refused, and refusals in words, never Python's."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from net_helpers import hosted, raw_client, recv, recv_type
from tabletop.engine.views import OBSERVER
from tabletop.net import protocol as P
from tabletop.net.client import JoinError, RemoteSession

PYTHON_WORDS = ("__init__", "positional", "argument", "TypeError", "KeyError")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def closed_with(ws: object) -> tuple[int, str]:
    """Read until the host closes ``ws``; the close code and reason it sent."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await recv(ws)  # type: ignore[arg-type]
    rcvd = closed.value.rcvd
    assert rcvd is not None, "closed without a close frame"
    return rcvd.code, rcvd.reason


async def hello(url: str, code: str) -> tuple[dict[str, Any], Any]:
    """Say hello with ``code`` on a new raw connection: the answer, and the connection."""
    ws = await raw_client(url)
    await ws.send(json.dumps({"type": "hello", "protocol": P.PROTOCOL, "code": code}))
    return await recv(ws), ws


async def joined(url: str, code: str) -> tuple[Any, dict[str, Any]]:
    msg, ws = await hello(url, code)
    assert msg["type"] == "welcome", msg
    return ws, msg


async def test_failed_joins_are_throttled_per_address_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    caplog.set_level(logging.WARNING, logger="tabletop.net.host")
    async with hosted(tmp_path, join_burst=3, join_rate=6.0, clock=clock) as h:
        ws, _ = await joined(h.url, h.codes[OBSERVER])  # a good join costs nothing
        await ws.close()
        for _ in range(3):
            msg, ws = await hello(h.url, "wrong-code")
            assert msg["code"] == "bad_code"
            assert await closed_with(ws) == (1008, "bad_code")
        msg, ws = await hello(h.url, h.codes[OBSERVER])  # now even a good code waits
        assert msg["code"] == "too_many_joins"
        assert "minute" in str(msg["message"]) and str(msg["message"]).endswith(".")
        assert await closed_with(ws) == (1008, "too_many_joins")
        with pytest.raises(JoinError) as err:
            await RemoteSession.join(h.url, h.codes[OBSERVER], retry_for=0)
        assert err.value.code == "too_many_joins" and not err.value.fatal  # a client may try again later

        refused = [r.getMessage() for r in caplog.records if r.name == "tabletop.net.host"]
        assert len(refused) == 5, refused
        assert all("127.0.0.1" in line for line in refused)
        assert sum("bad_code" in line for line in refused) == 3
        assert sum("too_many_joins" in line for line in refused) == 2

        clock.now += 10.0  # six a minute: one attempt back after ten seconds
        ws, welcome = await joined(h.url, h.codes[OBSERVER])
        assert welcome["seat"] == OBSERVER
        await ws.close()


async def test_a_silent_or_garbled_first_frame_counts_as_a_failed_join(tmp_path: Path) -> None:
    async with hosted(tmp_path, join_burst=2, join_rate=1e-9, hello_timeout=0.2) as h:
        silent = await raw_client(h.url)
        assert (await recv(silent))["code"] == "expected_hello"
        garbled = await raw_client(h.url)
        await garbled.send("{not json")
        assert (await recv(garbled))["code"] == "bad_message"
        msg, _ = await hello(h.url, h.codes[OBSERVER])
        assert msg["code"] == "too_many_joins"


async def test_flooding_is_closed_with_1008(tmp_path: Path) -> None:
    async with hosted(tmp_path, rate=5.0, burst=5) as h:
        ws, _ = await joined(h.url, h.codes[OBSERVER])
        got: list[dict[str, object]] = []
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(500):
                await ws.send('{"type":"ping"}')
            while True:
                got.append(await recv(ws))
        assert got[-1]["type"] == "error" and got[-1]["code"] == "rate_limited"  # the goodbye says why
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, "rate_limited")
        ws, _ = await joined(h.url, h.codes[OBSERVER])  # the seat is not barred: it may join again
        await ws.close()


async def test_a_binary_frame_is_refused_even_if_it_holds_a_good_message(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        ws, welcome = await joined(h.url, h.codes["veldia"])
        before = h.session.state.seq
        command = {"type": "command", "state_seq": welcome["seq"], "command": {"type": "pass", "seat": "veldia"}}
        await ws.send(json.dumps(command).encode())
        msg = await recv_type(ws, "error", "ack", "refused")
        assert msg["type"] == "error" and msg["code"] == "bad_message"
        assert "text" in str(msg["message"]) and str(msg["message"]).endswith(".")
        assert h.session.state.seq == before  # nothing happened
        await ws.send(json.dumps(command))  # the same as text: the connection carried on
        assert (await recv_type(ws, "ack", "refused"))["type"] in ("ack", "refused")
        await ws.close()
        binary = await raw_client(h.url)  # a binary hello is no hello
        await binary.send(json.dumps({"type": "hello", "protocol": P.PROTOCOL, "code": h.codes[OBSERVER]}).encode())
        msg = await recv(binary)
        assert msg["type"] == "error" and msg["code"] == "bad_message"
        assert await closed_with(binary) == (1008, "bad_message")


@pytest.mark.parametrize("command", [
    {"type": "pass"},
    {"type": "play", "seat": "veldia"},
    {"type": "vote", "seat": "veldia", "play": 1},
    {"type": "pass", "seat": "veldia", "extra": 1},
    {"type": "nuke", "seat": "veldia"},
    {},
])
async def test_a_malformed_command_is_refused_in_words(tmp_path: Path, command: dict[str, object]) -> None:
    async with hosted(tmp_path) as h:
        ws, welcome = await joined(h.url, h.codes["veldia"])
        await ws.send(json.dumps({"type": "command", "state_seq": welcome["seq"], "command": command, "id": 3}))
        msg = await recv_type(ws, "refused")
        reason = str(msg["reason"])
        assert msg["kind"] == "malformed" and msg["id"] == 3
        assert reason[0].isupper() and reason.endswith(".") and ".." not in reason, reason
        assert not any(word in reason for word in PYTHON_WORDS), reason
        await ws.close()
