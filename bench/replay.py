"""Save loading, replay seeking and durable appends, on a 10,000-event save.

Run by hand: `.venv/bin/python bench/replay.py [--events N] [--dir DIR]`.

The save: one long game of the default campaign (``belarus-border-2021``) stretched to
100 rounds of 3 plays per turn, with no end conditions and no terminal phase, every seat
a bot, and a facilitator who
adjusts escalation down (with a reason) whenever it reaches 8 and, between bot moves,
keeps the event count on schedule with its other tools (annotations, track adjustments
with reasons, pauses and resumes), so the game ends near N events; if it falls short,
annotations make up the rest. The mix of events is printed.

Prints (CPU time of this process, so a busy machine does not skew the ratios):

- load: ``read_journal`` + folding every event (``Replay``, snapshots included), as a
  ratio to ``json.loads`` of each line (goal <= 2x), with the parts;
- seek: worst and mean ``Replay.state_at`` over 200 random steps (goal worst <= 50 ms);
- durable append: ``JournalWriter.append`` with fsync per command (wall time, mean
  over 200 commands of the save; goal <= 1 ms), and without fsync for comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabletop.campaign.validate import load_campaign_text  # noqa: E402
from tabletop.engine import commands as C  # noqa: E402
from tabletop.engine.rules import Engine  # noqa: E402
from tabletop.journal import JournalWriter, read_journal  # noqa: E402
from tabletop.journal.replay import Replay  # noqa: E402
from tabletop.session import LocalSession, resolve_controllers  # noqa: E402


def long_campaign_text() -> str:
    text = (ROOT / "campaigns" / "belarus-border-2021.yaml").read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^(  rounds:) \d+$", r"\1 100", text)
    assert n == 1, "calendar.rounds not found"
    text, n = re.subn(r"(?m)^(  plays_per_turn:) \d+$", r"\1 3", text)
    assert n == 1, "rules.plays_per_turn not found"
    text, n = re.subn(r"(?m)^      terminal: true\n", "", text)  # play all 100 rounds
    assert n == 2, "the two terminal phases not found"
    head, sep, _ = text.partition("\nend:\n")
    assert sep, "end: section not found"
    return head + "\n"


def build_save(path: Path, events: int, seed: int = 5) -> Counter[str]:
    text = long_campaign_text()
    c = load_campaign_text(text, "bench/belarus-border-100-rounds.yaml").campaign
    seats = resolve_controllers(c, [s.id for s in c.sides])
    header = LocalSession.new_header(c, text, "bench/belarus-border-100-rounds.yaml", seed, seats)
    s = LocalSession(c, seed=seed, controllers=seats, journal=JournalWriter(path, header, durable=False))
    F = C.FACILITATOR
    rounds = c.calendar.rounds
    chores = [
        lambda i: C.Annotate(F, f"Debrief marker {i}: compare the allied statements here."),
        lambda i: C.AdjustTrack(F, "cohesion", -1 if s.state.tracks["cohesion"] > 0 else 1, "A leak embarrasses a capital."),
        lambda i: C.AdjustTrack(F, "pressure", 1 if s.state.tracks["pressure"] < 10 else -1, "A new sanctions package."),
        lambda i: C.Pause(F, "The white cell confers."),
        lambda i: C.Resume(F),
    ]
    i = 0
    while s.state.seq < events and not s.ended:
        if s.state.paused or s.state.seq < events * (s.state.round / rounds) * 0.97:
            s.submit_now(chores[i % len(chores)](i))  # keep the events on schedule for `rounds` rounds
            i += 1
            continue
        if s.state.tracks.get("escalation", 0) >= 8:
            s.submit_now(C.AdjustTrack(F, "escalation", -3, "Back-channel talks: both capitals step back."))
            continue
        if not s.step_bot():
            break
    n = 0
    while s.state.seq < events:
        n += 1
        s.submit_now(C.Annotate(F, f"Debrief marker {n}: the exercise is over."))
    s.close()
    return Counter(type(e.event).__name__ for e in s.entries)


def cpu(fn):  # type: ignore[no-untyped-def]
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def best(fn, repeat: int = 9) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    runs = [cpu(fn) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[-1][1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=None, help="where to write (default: a temporary folder here)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir or ROOT) as tmp:
        folder = Path(tmp)
        save = folder / "long.jsonl"
        t0 = time.perf_counter()
        mix = build_save(save, args.events)
        size = save.stat().st_size
        print(f"save: {sum(mix.values())} events, {size / 1e6:.1f} MB, built in {time.perf_counter() - t0:.1f} s")
        top = ", ".join(f"{k} {v}" for k, v in mix.most_common(8))
        print(f"  mix: {top}, ... ({len(mix)} kinds)")

        # ---- load
        def baseline() -> int:
            data = save.read_bytes()
            return len([json.loads(line) for line in data.split(b"\n") if line])

        read = read_journal(save)
        engine = Engine(load_campaign_text(read.header.campaign_text, "x").campaign)
        t_json, _ = best(baseline)
        t_read, read = best(lambda: read_journal(save))
        t_fold, _ = best(lambda: Replay(read, engine))
        t_load = t_read + t_fold
        t_camp, _ = best(lambda: Engine(load_campaign_text(read.header.campaign_text, "x").campaign), 3)
        print(f"load: {t_load * 1e3:.0f} ms = {t_load / t_json:.2f}x json.loads of the lines ({t_json * 1e3:.0f} ms)"
              f"   goal <= 2x")
        print(f"  read_journal {t_read * 1e3:.0f} ms ({t_read / t_json:.2f}x), fold + snapshots {t_fold * 1e3:.0f} ms"
              f" ({t_fold / t_json:.2f}x); campaign + engine (once per save) {t_camp * 1e3:.0f} ms")

        # ---- seek
        replay = Replay(read, engine)
        rng = random.Random(1)
        times = []
        for _ in range(200):
            k = rng.randint(0, len(replay))
            t, _ = cpu(lambda: replay.state_at(k))
            times.append(t)
        vt = []
        for _ in range(50):
            k = rng.randint(0, len(replay))
            t, _ = cpu(lambda: replay.view_at(k, "poland"))
            vt.append(t)
        print(f"seek: worst {max(times) * 1e3:.1f} ms, mean {statistics.mean(times) * 1e3:.2f} ms over 200 random"
              f" steps (snapshot every {replay.every})   goal worst <= 50 ms")
        print(f"  with the seat's view: worst {max(vt) * 1e3:.1f} ms, mean {statistics.mean(vt) * 1e3:.2f} ms")

        # ---- durable append
        groups = [read.entries[a:b] for a, b in zip(read.decision_points, read.decision_points[1:])][:200]
        sizes = [len(g) for g in groups]
        for durable in (True, False):
            w = JournalWriter(folder / f"append-{durable}.jsonl", read.header, durable=durable)
            walls = []
            for g in groups:
                start = time.perf_counter()
                w.append(g)
                walls.append(time.perf_counter() - start)
            w.close()
            label = "with fsync (fdatasync)" if durable else "without fsync"
            print(f"append {label}: mean {statistics.mean(walls) * 1e3:.2f} ms, median "
                  f"{statistics.median(walls) * 1e3:.2f} ms, worst {max(walls) * 1e3:.1f} ms per command"
                  f" ({statistics.mean(sizes):.1f} events each)" + ("   goal <= 1 ms" if durable else ""))
        # the disk's own floor: append one byte and fdatasync, 200 times
        import os

        fd = os.open(folder / "floor.bin", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        walls = []
        for _ in range(200):
            start = time.perf_counter()
            os.write(fd, b"x")
            getattr(os, "fdatasync", os.fsync)(fd)
            walls.append(time.perf_counter() - start)
        os.close(fd)
        print(f"  this disk's floor (1-byte append + fdatasync): mean {statistics.mean(walls) * 1e3:.2f} ms,"
              f" median {statistics.median(walls) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
