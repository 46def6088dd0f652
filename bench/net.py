"""Latency and size of the network game: 32 clients on loopback play whole games.

Run by hand: `.venv/bin/python bench/net.py [CAMPAIGN] [--clients N] [--games G] [--seed S]`.

Each game: a `tabletop host --headless` runs in its own process (durable journal, an
fsync per command); this process runs every client — a remote bot per actor, a
facilitator bot, and observers up to N clients. For every accepted command it measures
the time from the client's send to the moment the *last* client holds the command's
first event, pooled over G games, and prints p50 / p99 / max (goal: p99 <= 50 ms), the
bytes per event a client receives, and the size of a welcome with the whole history
(what a late joiner or a reconnecting client gets).

All N clients share this one process (and its one core): the figures include the time
this process takes to read and fold every client's copy of each event in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabletop.engine.views import OBSERVER  # noqa: E402
from tabletop.net.client import RemoteSession, play_as_bot  # noqa: E402

LOCAL = "127.0.0.1"


class Clock:
    """When each client first held each seq, and when each command was sent."""

    def __init__(self) -> None:
        self.arrived: dict[int, dict[int, float]] = {}  # client -> seq -> time
        self.sent: list[tuple[float, int]] = []  # (time, the seq its first event gets)
        self.bytes = 0
        self.events = 0

    def tracer(self, client: int):  # type: ignore[no-untyped-def]
        seen = self.arrived.setdefault(client, {})

        def trace(raw: str | bytes) -> None:
            now = time.perf_counter()
            if raw[:17] != '{"type":"events",':
                return
            msg = json.loads(raw)
            self.bytes += len(raw)
            self.events += len(msg["events"])
            for seq in range(msg["from_seq"], msg["from_seq"] + len(msg["events"])):
                seen.setdefault(seq, now)

        return trace


async def timed_bot(session: RemoteSession, clock: Clock) -> None:
    """``play_as_bot``, recording when each command leaves and which seq its first event gets."""
    submit = session.submit

    async def recorded(command):  # type: ignore[no-untyped-def]
        t0, first = time.perf_counter(), session.state.seq + 1
        await submit(command)  # raises if refused: only accepted commands are timed
        clock.sent.append((t0, first))

    session.submit = recorded  # type: ignore[method-assign]
    await play_as_bot(session)


async def welcome_size(save: Path, codes: dict[str, str]) -> int:
    """The bytes of the welcome an observer gets after the game (the whole history)."""
    from tabletop.campaign.validate import load_campaign_text
    from tabletop.journal import read_journal
    from tabletop.net.host import Host
    from tabletop.session import LocalSession

    read = read_journal(save)
    session = LocalSession.resume(load_campaign_text(read.header.campaign_text).campaign, read, None)
    host = Host(session, codes, campaign_text=read.header.campaign_text)
    url = await host.start(LOCAL, 0)
    sizes: list[int] = []
    late = await RemoteSession.join(url, codes[OBSERVER], trace=lambda raw: sizes.append(len(raw)))
    await late.close()
    await host.close()
    return sizes[0]


async def one_game(campaign: str, seed: int, n_clients: int) -> tuple[Clock, list[float], int, int, float]:
    """Host a game in a subprocess, play it with ``n_clients`` clients here.

    Returns the clock, the sorted latencies (s), the events, the welcome size and the wall time.
    """
    folder = Path(tempfile.mkdtemp(prefix="tabletop-bench-net-"))
    codes_file = folder / "codes.json"
    host = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tabletop", "host", campaign, "--headless", "--bind", LOCAL, "--port", "0",
        "--seed", str(seed), "--bot-delay", "0", "--save", str(folder / "game.jsonl"),
        "--codes-file", str(codes_file), cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )
    assert host.stdout is not None
    url = ""
    while not url:
        line = (await host.stdout.readline()).decode()
        if not line:
            raise SystemExit("the host did not start")
        found = re.match(r"Listening on (\S+)", line)
        url = found.group(1) if found else ""
    drain = asyncio.create_task(host.stdout.read())  # keep its pipe empty
    codes = json.loads(codes_file.read_text())
    seats = [s for s in codes if s != OBSERVER]
    seats += [OBSERVER] * max(0, n_clients - len(seats))
    clock = Clock()
    clients = [await RemoteSession.join(url, codes[seat], trace=clock.tracer(i)) for i, seat in enumerate(seats)]
    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(timed_bot(c, clock) for c in clients)), 600)
    took = time.perf_counter() - start
    for c in clients:
        await c.close()
    await asyncio.wait_for(host.wait(), 30)
    drain.cancel()
    latencies = sorted(
        max(arrived[first] for arrived in clock.arrived.values()) - t0
        for t0, first in clock.sent
        if all(first in arrived for arrived in clock.arrived.values())
    )
    return clock, latencies, clients[0].state.seq, await welcome_size(folder / "game.jsonl", codes), took


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("campaign", nargs="?", default="belarus-border-2021")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--games", type=int, default=3, help="games to pool (seeds S, S+1, ...)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    ms: list[float] = []
    received = events_received = events = welcome = 0
    took = 0.0
    for i in range(args.games):
        clock, latencies, n, size, t = await one_game(args.campaign, args.seed + i, args.clients)
        ms += [x * 1000 for x in latencies]
        received += clock.bytes
        events_received += clock.events
        events += n
        welcome = max(welcome, size)
        took += t
    ms.sort()
    p = statistics.quantiles(ms, n=100, method="inclusive")
    print(f"{args.campaign}: {args.games} games, {args.clients} clients each "
          f"(every actor and the facilitator a remote bot, the rest observers): "
          f"{len(ms)} commands, {events} events, {took:.2f} s of play")
    print(f"submission -> every client holds the event: p50 {p[49]:.1f} ms, p99 {p[98]:.1f} ms, max {ms[-1]:.1f} ms "
          f"(goal p99 <= 50 ms: {'met' if p[98] <= 50 else 'MISSED'})")
    print(f"bytes per event a client receives: {received / events_received:.0f} (events frames, framing included); "
          f"largest welcome (whole history, a late joiner): {welcome / 1024:.1f} KiB")

if __name__ == "__main__":
    asyncio.run(main())
