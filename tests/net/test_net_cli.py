"""`tabletop host` and `tabletop join` as processes: a host killed and resumed, bad joins."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from net_helpers import LOCAL, ROOT, hosted, loaded, numbered_apart, until
from cli_process import run_tabletop
from tabletop.commands import host as host_command
from tabletop.engine.commands import EVALUATOR, FACILITATOR
from tabletop.engine.views import OBSERVER
from tabletop.journal import read_journal
from tabletop.net.client import JoinError, RemoteSession, play_as_bot
from tabletop.net.codes import new_codes
from tabletop.net.feed import SeatFeeds
from tabletop.net.host import Host
from tabletop.session import LocalSession, resolve_controllers

PY = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL, 0))
        return int(s.getsockname()[1])


async def _spawn(*args: str, cwd: Path = ROOT) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        PY, "-m", "tabletop", *args, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def _url_of(proc: asyncio.subprocess.Process) -> str:
    """Read the host's stdout until it says where it listens."""
    assert proc.stdout is not None
    async with asyncio.timeout(20):
        while True:
            line = (await proc.stdout.readline()).decode()
            assert line, "the host exited before listening"
            found = re.match(r"Listening on (ws://\S+)", line)
            if found:
                return found.group(1)


async def test_a_killed_host_resumes_from_its_journal_and_clients_finish_the_game(tmp_path: Path) -> None:
    save, codes_file = tmp_path / "game.jsonl", tmp_path / "codes.json"
    host = await _spawn("host", "tutorial", "--headless", "--bind", LOCAL, "--port", "0", "--seed", "21",
                        "--bot-delay", "0", "--save", str(save), "--codes-file", str(codes_file))
    watcher = None
    clients: list[RemoteSession] = []
    try:
        url = await _url_of(host)
        port = url.rsplit(":", 1)[1]
        codes = json.loads(codes_file.read_text())
        assert set(codes) == {"northmark", "veldia", "ostrand", OBSERVER, EVALUATOR, FACILITATOR}
        assert stat.S_IMODE(codes_file.stat().st_mode) == 0o600
        assert json.loads(Path(f"{save}.codes.json").read_text()) == codes
        # the observer is a real `tabletop join --bot` process; it must outlive the restart
        watcher = await _spawn("join", url, "--code", codes[OBSERVER], "--bot", cwd=tmp_path)  # its receipt goes there
        for seat in ("northmark", "veldia", "ostrand", FACILITATOR):
            clients.append(await RemoteSession.join(url, codes[seat], retry_for=30))
        try:
            await until(lambda: clients[0].observers == 1, timeout=20)  # the watcher is in
        except TimeoutError:
            watcher.kill()
            raise AssertionError((await watcher.communicate())[1].decode()) from None
        players = [asyncio.create_task(play_as_bot(c, delay=0.01)) for c in clients]
        await until(lambda: clients[0].state.seq > 25, timeout=20)
        host.send_signal(signal.SIGKILL)
        await asyncio.wait_for(host.wait(), 10)
        assert not clients[0].ended
        await until(lambda: not any(c.connected for c in clients), timeout=10)

        host = await _spawn("host", "--resume", str(save), "--headless", "--bind", LOCAL, "--port", port,
                            "--bot-delay", "0")
        assert await _url_of(host) == url
        await asyncio.wait_for(asyncio.gather(*players), 40)
        for c in clients:  # the bots are done: a headless host serves the hotwash while anyone is connected
            await c.close()
        assert await asyncio.wait_for(host.wait(), 20) == 0
        assert await asyncio.wait_for(watcher.wait(), 20) == 0, (await watcher.stderr.read()).decode()  # type: ignore[union-attr]
        read = read_journal(save)
        assert read.damage is None and read.entries[-1].event.TYPE == "game_ended"
        told = SeatFeeds(clients[0].engine, [c.seat for c in clients])  # what the host sent each seat
        told.add([e.event for e in read.entries])
        assert clients[-1].seat == FACILITATOR and told.count(FACILITATOR) == len(read.entries)
        assert all(c.state.seq == told.count(c.seat) for c in clients)
        assert json.loads(Path(f"{save}.codes.json").read_text()) == codes  # the same codes after the restart
    finally:
        for proc in (host, watcher):
            if proc is not None and proc.returncode is None:
                proc.kill()
                await proc.wait()
        for c in clients:
            await c.close()


def _join(*args: str) -> subprocess.CompletedProcess[str]:
    return run_tabletop("join", *args, cwd=ROOT, timeout=30)


def test_join_to_a_closed_port_exits_2_with_one_sentence() -> None:
    proc = _join(f"ws://{LOCAL}:{_free_port()}", "--code", "x")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith("tabletop join: Cannot reach the host") and lines[0].endswith(".")


def test_join_needs_a_websocket_url() -> None:
    proc = _join(f"http://{LOCAL}:1", "--code", "x")
    assert proc.returncode == 2 and "ws://" in proc.stderr and "Traceback" not in proc.stderr


async def test_join_with_a_wrong_code_exits_2_with_one_sentence(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        proc = await asyncio.create_subprocess_exec(
            PY, "-m", "tabletop", "join", h.url, "--code", "wrong", cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 2
        assert err.decode().strip() == "tabletop join: That join code is not valid for this exercise."


def test_host_refuses_bad_input_with_exit_2(tmp_path: Path) -> None:
    def host(*args: str) -> subprocess.CompletedProcess[str]:
        return run_tabletop("host", *args, cwd=ROOT, timeout=30, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})

    proc = host("tutorial", "--headless", "--bot", "nobody", "--save", str(tmp_path / "a.jsonl"))
    assert proc.returncode == 2 and "--bot nobody" in proc.stderr
    # play-test: the names the screen shows are taken too, in any case (ids still are)
    played = tmp_path / "names.jsonl"
    proc = host("tutorial", "--headless", "--bot", "Northmark", "--bot", "BLUE", "--bot-delay", "0", "--hotwash", "0",
                "--port", "0", "--bind", "127.0.0.1", "--seed", "3", "--save", str(played))
    assert proc.returncode == 0, proc.stderr
    seats = json.loads(played.read_text(encoding="utf-8").splitlines()[0])["seats"]
    assert set(seats.values()) == {"bot:heuristic"} and set(seats) == {"northmark", "veldia", "ostrand", "facilitator"}
    proc = host("--resume", str(tmp_path / "missing.jsonl"), "--headless")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = host("tutorial", "--headless", "--tls-cert", "x.pem", "--save", str(tmp_path / "b.jsonl"))
    assert proc.returncode == 2 and "--tls-key" in proc.stderr


def test_host_refuses_a_bad_name_before_the_save_is_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.cli import main

    save = str(tmp_path / "c.jsonl")
    assert main(["host", "tutorial", "--headless", "--name", "Veldia=Anna", "--name", "nobody=Eve",
                 "--save", save]) == 2
    assert capsys.readouterr().err == ("tabletop host: --name nobody=Eve: there is no seat 'nobody' (the seats: "
                                       "northmark, veldia, ostrand, facilitator, evaluator).\n")
    assert main(["host", "tutorial", "--headless", "--name", "veldia", "--save", save]) == 2
    assert "--name takes SEAT=NAME" in capsys.readouterr().err
    assert main(["host", "tutorial", "--headless", "--name", "veldia=\x1b[2J", "--save", save]) == 2
    assert "printable characters only" in capsys.readouterr().err
    assert not (tmp_path / "c.jsonl").exists()


def test_join_refuses_a_bad_name_before_it_connects(capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.cli import main

    assert main(["join", f"ws://{LOCAL}:1", "--code", "x", "--name", "M" * 61]) == 2
    assert capsys.readouterr().err == "tabletop join: --name: A name is at most 60 characters; this one has 61.\n"



async def test_wss_with_a_self_signed_certificate(tmp_path: Path) -> None:
    """`--tls-cert/--tls-key` serve wss://; a client that trusts the certificate joins."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    server_ssl = host_command._tls(argparse.Namespace(tls_cert=str(cert), tls_key=str(key)))
    lc = loaded("tutorial")
    session = LocalSession(lc.campaign, seed=5, controllers=resolve_controllers(lc.campaign, ["red", "blue"]))
    codes = new_codes(session.engine.actors)
    host = Host(session, codes, campaign_text=lc.text)  # every seat a host bot: it plays itself
    url = await host.start(LOCAL, 0, server_ssl)
    assert url.startswith("wss://127.0.0.1:")
    try:
        with pytest.raises(JoinError, match="Cannot reach the host"):  # a client that does not trust it
            await RemoteSession.join(url, codes[OBSERVER], ssl=ssl.create_default_context())
        watcher = await RemoteSession.join(url, codes[OBSERVER], ssl=ssl.create_default_context(cafile=str(cert)))
        await asyncio.wait_for(play_as_bot(watcher), 30)
        assert watcher.ended and numbered_apart(watcher.view()) == numbered_apart(session.view(OBSERVER))
        await watcher.close()
    finally:
        await host.close()
