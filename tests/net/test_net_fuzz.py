"""Hypothesis throws random frames at a running host: every one gets a clean answer
(``error``, ``refused`` or ``ack``), and the host stays up for everyone else."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from hypothesis_profiles import examples
from net_helpers import hosted
from tabletop.engine.commands import COMMANDS, EVALUATOR, FACILITATOR
from tabletop.engine.views import OBSERVER
from tabletop.net import protocol as P
from tabletop.net.protocol import parse_host

SETTINGS = settings(
    max_examples=examples(120), deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["protocol", "code", "state_seq", "command", "id", "seat", "controller", "junk"]
typed_messages = st.builds(
    lambda t, fields, extra: {"type": t, **fields, **extra},
    st.sampled_from(["hello", "command", "control"]),
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5),
    st.dictionaries(st.text(max_size=8), json_values, max_size=2),
)


class Served:
    """A host running on its own event loop in a thread, so hypothesis can drive it synchronously."""

    def __init__(self, tmp_path: Path) -> None:
        self.ready = threading.Event()
        self.stop: asyncio.Event | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main(tmp_path)), daemon=True)
        self.thread.start()
        assert self.ready.wait(20), "the host did not start"

    async def _main(self, tmp_path: Path) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop = asyncio.Event()
        # no rate limit here: the fuzzer is fast on purpose, and its failed joins are many
        async with hosted(tmp_path, "tutorial", seed=2, bots=["red"], rate=1e9, burst=10**9, join_burst=10**9) as h:
            self.url, self.codes, self.session = h.url, h.codes, h.session
            self.ready.set()
            await self.stop.wait()

    def close(self) -> None:
        assert self.loop is not None and self.stop is not None
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(20)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    s = Served(tmp_path_factory.mktemp("fuzz"))
    yield s
    s.close()


@contextmanager
def _open(served: Served, seat: str) -> Iterator[ClientConnection]:
    with connect(served.url, compression=None, proxy=None, open_timeout=5) as ws:
        ws.send(json.dumps({"type": "hello", "protocol": P.PROTOCOL, "code": served.codes[seat]}))
        assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
        yield ws


def _answer(ws: ClientConnection) -> dict[str, Any]:
    """The host's answer to the frame just sent (events and seat updates skipped)."""
    for _ in range(1000):
        raw = ws.recv(timeout=5)
        parse_host(raw)  # everything the host sends is a valid message
        msg = json.loads(raw)
        if msg["type"] in ("error", "refused", "ack"):
            return msg  # type: ignore[no-any-return]
    raise AssertionError("no answer")


@pytest.fixture(scope="module")
def observer(served: Served) -> Iterator[ClientConnection]:
    with _open(served, OBSERVER) as ws:
        yield ws


@SETTINGS
@given(frame=st.one_of(json_values.map(json.dumps), typed_messages.map(json.dumps), st.text(max_size=50)))
def test_any_frame_after_hello_gets_a_clean_answer(served: Served, observer: ClientConnection, frame: str) -> None:
    observer.send(frame)
    msg = _answer(observer)
    assert msg["type"] in ("error", "refused")  # an observer can never have a command accepted
    assert msg.get("message", msg.get("reason", "")).endswith(".")


command_payloads = st.builds(
    lambda t, fields: {"type": t, "seat": "veldia", **fields},
    st.sampled_from(sorted(COMMANDS.classes)),
    st.dictionaries(st.sampled_from(["card", "covert", "play", "yes", "accused", "text", "effects", "proposal",
                                     "verdict", "rationale", "track", "delta", "reason", "inject", "trigger"]),
                    json_values, max_size=4),
)


@pytest.fixture(scope="module")
def player(served: Served) -> Iterator[ClientConnection]:
    with _open(served, "veldia") as ws:
        yield ws


@SETTINGS
@given(command=command_payloads)
def test_any_command_for_ones_own_seat_is_refused_or_acknowledged_cleanly(
    served: Served, player: ClientConnection, command: dict[str, Any]
) -> None:
    player.send(json.dumps({"type": "command", "state_seq": served.session.state.seq, "command": command}))
    msg = _answer(player)
    assert msg["type"] in ("refused", "ack", "error")
    if msg["type"] == "refused":
        assert msg["kind"] in ("malformed", "illegal", "stale") and msg["reason"]


evaluator_payloads = st.builds(
    lambda t, seat, fields: {"type": t, "seat": seat, **fields},
    st.sampled_from(["observe", "hotwash", "name_seat", "pass", "play", "vote"]),
    st.sampled_from([EVALUATOR, EVALUATOR, EVALUATOR, "veldia", FACILITATOR]),
    st.dictionaries(st.sampled_from(["text", "about", "objective", "rating", "kind", "author", "went_well",
                                     "improve", "lesson", "target", "name", "card"]),
                    st.one_of(json_values, st.text(max_size=1100)), max_size=5),
)


@pytest.fixture(scope="module")
def evaluator(served: Served) -> Iterator[ClientConnection]:
    with _open(served, EVALUATOR) as ws:
        yield ws


@SETTINGS
@given(command=evaluator_payloads)
def test_any_command_from_an_evaluator_is_refused_or_acknowledged_cleanly(
    served: Served, evaluator: ClientConnection, command: dict[str, Any]
) -> None:
    evaluator.send(json.dumps({"type": "command", "state_seq": served.session.state.seq, "command": command}))
    msg = _answer(evaluator)
    assert msg["type"] in ("refused", "ack", "error")
    if msg["type"] == "ack":  # only an observation can pass, and it is signed by the host
        last = served.session.entries[-1].event
        assert command["type"] == "observe" and last.TYPE == "observation_recorded" and last.author == "Evaluator"
    else:
        reason = msg.get("reason", msg.get("message", ""))
        assert reason.endswith(".") and "Traceback" not in reason and "__" not in reason


@settings(max_examples=examples(25), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(frame=st.one_of(json_values.map(json.dumps), typed_messages.map(json.dumps)))
def test_any_first_frame_gets_a_welcome_or_an_error_and_a_close(served: Served, frame: str) -> None:
    with connect(served.url, compression=None, proxy=None, open_timeout=5) as ws:
        ws.send(frame)
        msg = json.loads(ws.recv(timeout=5))
        if msg["type"] == "welcome":  # a fuzzed hello cannot guess a code; only ours get in
            raise AssertionError(frame)
        assert msg["type"] == "error"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_the_host_is_still_up_after_the_fuzzing(served: Served) -> None:
    with _open(served, FACILITATOR):
        pass
    assert served.thread.is_alive()
