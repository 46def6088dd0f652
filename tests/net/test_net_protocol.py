"""The message models, the rate limit, join codes on disk, the console, and the docs."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from net_helpers import ROOT, hosted
from tabletop.net import protocol as P
from tabletop.net.codes import CodesError, codes_path, new_codes, read_codes, write_codes
from tabletop.net.console import LineConsole
from tabletop.net.host import TokenBucket

DOC = ROOT / "docs" / "protocol.md"


def test_every_example_in_the_protocol_doc_is_a_valid_message() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 10
    types = set()
    for block in blocks:
        data = json.loads(block)
        msg: Any
        try:
            msg = P.parse_client(block)
        except P.ProtocolError:
            msg = P.parse_host(block)
        types.add(msg.type)
        assert msg.model_dump(mode="json", exclude_unset=True) == data
    assert types == {"hello", "welcome", "error", "events", "seats", "command", "refused", "ack", "control"}


@pytest.mark.parametrize("frame, problem", [
    ("{", "not valid JSON"),
    ("[]", "a JSON object"),
    ('{"type": "ping"}', "no known `type`"),
    ('{"type": "hello", "protocol": 1}', "code"),
    ('{"type": "hello", "protocol": "1", "code": "x"}', "protocol"),
    ('{"type": "hello", "protocol": 1, "code": "x", "seat": "poland"}', "seat"),
    ('{"type": "command", "state_seq": -1, "command": {}}', "state_seq"),
    ('{"type": "control", "seat": "poland", "controller": "robot"}', "controller"),
])
def test_bad_client_messages_are_refused_with_one_sentence(frame: str, problem: str) -> None:
    with pytest.raises(P.ProtocolError) as err:
        P.parse_client(frame)
    assert problem in str(err.value) and str(err.value).endswith(".")


def test_the_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(20, 40, clock=lambda: now[0])
    assert sum(bucket.take() for _ in range(100)) == 40
    now[0] += 0.5
    assert sum(bucket.take() for _ in range(100)) == 10
    now[0] += 100
    assert sum(bucket.take() for _ in range(100)) == 40


def test_codes_are_unguessable_and_kept_for_the_owner_only(tmp_path: Path) -> None:
    codes = new_codes(["poland", "latvia"])
    assert list(codes) == ["poland", "latvia", "observer", "evaluator", "facilitator"]
    assert len(set(codes.values())) == 5 and all(len(c) == 16 for c in codes.values())
    path = codes_path(tmp_path / "game.jsonl")
    assert path.name == "game.jsonl.codes.json"
    write_codes(path, codes)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_codes(path, ["poland", "latvia"]) == codes
    with pytest.raises(CodesError, match="no code for: lithuania"):
        read_codes(path, ["poland", "lithuania"])
    # a codes file from before the evaluators: they get a code, the others keep theirs
    path.write_text(json.dumps({k: v for k, v in codes.items() if k != "evaluator"}))
    older = read_codes(path, ["poland", "latvia"])
    assert list(older) == list(codes) and older["evaluator"] not in codes.values()
    assert {k: v for k, v in older.items() if k != "evaluator"} == {k: v for k, v in codes.items() if k != "evaluator"}
    path.write_text("[1]")
    with pytest.raises(CodesError, match="seat -> code"):
        read_codes(path, ["poland"])


async def test_the_line_console_rules_hands_seats_over_and_reports_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand"], console=True) as h:
        console = LineConsole(h.host)
        assert "bot SEAT" in (console.do("help") or "")
        assert (console.do("status") or "").startswith("Seats: Northmark bot · Veldia waiting")
        assert console.do("fly away") == "Unknown command 'fly'; type help."
        assert (console.do("yes") or "").startswith("Not done: nothing waits")
        console.do("pause Coffee break.")
        assert h.session.state.paused
        console.do("resume")
        console.do("bot veldia")
        assert h.session.is_bot("veldia")
        assert (console.do("bot nobody") or "").startswith("Not done: There is no seat")
        console.do("note Well played.")
        assert h.session.entries[-1].event.TYPE == "annotated"
        console.do("observe Veldia waited for Ostrand.")
        assert h.session.entries[-1].event.TYPE == "observation_recorded"
        assert h.session.entries[-1].event.author == "Facilitator"
        assert console.do("observe") == "Not done: Please write the observation."
        assert console.do("name Veldia Anna Nowak") is None and h.session.entries[-1].event.name == "Anna Nowak"
        assert console.do("name veldia Anna Nowak") == "Already recorded: Anna Nowak at Veldia."
        assert console.do("name nobody X") == ("Not done: there is no seat 'nobody' (the seats: northmark, veldia, "
                                               "ostrand, facilitator, evaluator)")
        assert console.do("name evaluator \x07\x1b") == "Not done: Please write the name."


def test_the_headless_network_modules_do_not_load_the_tui() -> None:
    code = ("import tabletop.net.host, tabletop.net.client, tabletop.net.console, tabletop.commands.host, "
            "tabletop.commands.join, sys; print([m for m in ('textual', 'rich') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_join_codes_never_start_with_a_dash() -> None:
    """A code is a command-line argument: `--code -abc` would be read as an option."""
    from tabletop.net.codes import new_codes

    codes = [c for _ in range(300) for c in new_codes(["a", "b", "c"]).values()]
    assert all(not c.startswith("-") and len(c) == 16 for c in codes)
    assert len(set(codes)) == len(codes)


def test_join_urls_name_a_host_participants_can_reach() -> None:
    """A wildcard bind listens everywhere but cannot be connected to: URLs use the machine's name."""
    import socket

    from tabletop.net.host import join_host

    assert join_host("127.0.0.1") == "127.0.0.1"
    assert join_host("::1") == "[::1]"
    assert join_host("0.0.0.0") == join_host("::") == (socket.gethostname() or "localhost")
