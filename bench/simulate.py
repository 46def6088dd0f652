"""Bot games per second on one core, and microseconds per event.

Run by hand: `.venv/bin/python bench/simulate.py [CAMPAIGN ...]`. Prints, per campaign:
steady-state heuristic-bot games per second of CPU time in this process (one core;
goal >= 500), mean CPU microseconds per event, and the wall time of `tabletop simulate --games 200 --jobs 1`
as a subprocess, start-up included (goal <= 4 s).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabletop.analysis.simulate import play_game  # noqa: E402
from tabletop.campaign.validate import load_campaign  # noqa: E402


def steady(path: Path, games: int = 300, bot: str = "heuristic") -> tuple[float, float]:
    loaded = load_campaign(path)
    c = loaded.campaign
    for i in range(20):  # warm up caches (compiled conditions, machine)
        play_game(c, loaded.text, str(path), 99, i, bot)
    events = 0
    start = time.process_time()  # CPU time of this process: "per core", robust to a busy machine
    for i in range(games):
        events += play_game(c, loaded.text, str(path), 1, i, bot).events
    took = time.process_time() - start
    return games / took, took / events * 1e6


def cli_wall(path: Path, games: int = 200) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tabletop", "simulate", str(path), "--games", str(games), "--jobs", "1", "--json"],
        check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
    )
    return time.perf_counter() - start


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "campaigns").glob("*.yaml"))
    print(f"{'campaign':28} {'games/s':>8} {'us/event':>9} {'200 games (cli)':>16}")
    for path in paths:
        rate, per_event = steady(path)
        wall = cli_wall(path)
        print(f"{path.stem:28} {rate:8.0f} {per_event:9.1f} {wall:15.2f}s")
    print("goals: >= 500 games/s per core; 200 games with --jobs 1 in <= 4 s")


if __name__ == "__main__":
    main()
