"""Every acknowledged event survives SIGKILL, and the game resumes from what is on disk.

A player process (``crash_player.py``) plays an all-bot tutorial game with a durable
journal and prints each seq once ``JournalWriter.append`` has returned. We kill it with
SIGKILL at random moments, 30 times: each kill is aimed by the game's progress (once a
seeded seq is acknowledged, or at start-up), then lands after a seeded fraction of the
time a move takes, so it falls inside the game however loaded the machine is. After each
kill we check:

- every acknowledged seq is in the reloaded journal;
- the chain verifies: damage, if any, is only a torn last line (or the unfinished last
  command it belonged to);
- resuming (as ``tabletop resume`` does) carries the game on to its end, and the whole
  game is the one an uninterrupted run plays (bots are seeded by the moment).

To keep the run short, most kills hit a child forked from this test process (the same
script's ``play`` function, already imported); two kills hit the script started as a
real subprocess.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crash_player import play
from save_helpers import CAMPAIGNS, ROOT, bot_save
from tabletop.commands.resume import open_session
from tabletop.journal import HeaderDamaged, read_journal

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

CAMPAIGN = str(CAMPAIGNS / "tutorial.yaml")
SEED = 64
DELAY = 0.002  # between bot moves


def _read_until_killed(fd: int, pid: int, kill: tuple[int, float], on_ready: float = 10.0) -> list[str]:
    """Read the child's lines; SIGKILL it ``kill = (seq, delay)``: ``delay`` seconds after
    it acknowledges ``seq`` (or, for seq -1, after it says ``ready``)."""
    after, delay = kill
    buf = b""
    deadline = time.monotonic() + on_ready
    kill_at: float | None = None
    killed = False
    while True:
        now = time.monotonic()
        if kill_at is None and _reached(buf, after):
            kill_at = now + delay
        if kill_at is not None and now >= kill_at and not killed:
            os.kill(pid, signal.SIGKILL)
            killed = True
        if now > deadline and b"ready\n" not in buf:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError("the player never got ready")
        wait = 0.05 if kill_at is None or killed else max(0.0, kill_at - now)
        ready, _, _ = select.select([fd], [], [], wait)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break  # the child is gone (killed, or done) and the pipe is drained
            buf += chunk
        elif killed:
            continue
    # only whole lines were acknowledged: a line cut by the kill does not count
    return buf.decode().split("\n")[:-1]


def _reached(buf: bytes, after: int) -> bool:
    """Whether the lines read so far say ``ready`` (seq -1) or acknowledge ``after``."""
    lines = buf.decode().split("\n")[:-1]
    if "ready" not in lines:
        return False
    return after < 0 or any(x.isdigit() and int(x) >= after for x in lines)


def _forked_run(save: Path, kill: tuple[int, float]) -> list[str]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: play, never return into pytest
        try:
            os.close(r)
            play(str(save), CAMPAIGN, SEED, DELAY, os.fdopen(w, "w"))
        finally:
            os._exit(0)
    os.close(w)
    try:
        return _read_until_killed(r, pid, kill)
    finally:
        os.close(r)
        os.waitpid(pid, 0)


def _subprocess_run(save: Path, kill: tuple[int, float]) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "crash_player.py"), str(save), CAMPAIGN, str(SEED), str(DELAY)],
        stdout=subprocess.PIPE, cwd=ROOT,
    )
    assert proc.stdout is not None
    try:
        return _read_until_killed(proc.stdout.fileno(), proc.pid, kill, on_ready=60.0)
    finally:
        proc.stdout.close()
        proc.wait()


def _check(save: Path, lines: list[str], whole: list[object]) -> str:
    acked = [int(x) for x in lines if x.isdigit()]
    try:
        read = read_journal(save)
    except HeaderDamaged:  # killed while the header itself was being written: nothing was acknowledged
        assert not acked
        return "torn header"
    assert acked == sorted(acked)
    assert all(seq <= len(read.entries) for seq in acked), (acked[-1:], len(read.entries), read.damage)
    if read.problem is not None:
        assert read.problem.torn_tail_only, read.problem.detail
        assert read.good_bytes + read.problem.ignored == save.stat().st_size
    resumed = open_session(save)
    try:
        resumed.session.run_bots()
    finally:
        resumed.session.close()
    assert resumed.session.ended
    final = read_journal(resumed.path)
    assert final.damage is None
    assert [e.event for e in final.entries] == whole
    return "done" if "done" in lines else ("damaged" if read.damage else "killed")


def test_acknowledged_events_survive_sigkill_30_times(tmp_path: Path) -> None:
    whole = [e.event for e in bot_save(tmp_path / "reference.jsonl", seed=SEED).entries]
    # how far a whole game goes (to aim each kill inside one)
    lines = _forked_run(tmp_path / "timing.jsonl", kill=(10**9, 0.0))
    assert lines[-1] == "done"
    acks = [-1] + [int(x) for x in lines if x.isdigit()][:-1]  # -1: at start-up
    rng = random.Random(20240501)
    outcomes = []
    for i in range(30):
        save = tmp_path / f"crash-{i}.jsonl"
        kill = (rng.choice(acks), rng.uniform(0.0, 2 * DELAY))  # within a move or two
        run = _subprocess_run if i in (0, 17) else _forked_run
        lines = run(save, kill)
        if not save.exists() or save.stat().st_size == 0:
            outcomes.append("before the header")  # killed before the save was created: nothing acknowledged
            assert not [x for x in lines if x.isdigit()]
            continue
        outcomes.append(_check(save, lines, whole))
    # the kills really did land during the games, most of the time
    assert outcomes.count("done") < 15, outcomes
