"""Benchmark: how fast ``tabletop play`` paints, and how fast a key shows on screen.

    .venv/bin/python bench/startup.py [--runs N] [--keys N]

1. Start-up. Each run launches a fresh ``python -c`` that builds the app exactly as
   ``tabletop play`` does (tutorial campaign, durable journal in a temporary folder,
   ``build_app``) and runs it headless; the first refresh after the app is ready prints
   a line. The parent times from spawning the process to reading that line. The same is
   measured for a minimal Textual app (Header, Static, DataTable, Footer). Best of N
   each; the ratio is the figure (goal: at most 1.3x).
2. Key to render. In one ``run_test`` at 100x30, on the board with Northmark's hand,
   each key (down: focus the next card) is sent the way the terminal driver sends it;
   the time runs until the refresh after the focus moved has happened
   (``call_after_refresh``). Median and worst of N keys (goal: median at most 20 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "campaigns" / "tutorial.yaml"

_PAINTED = """
async def _auto(pilot):
    app = pilot.app
    def painted():
        print("painted", flush=True)
        app.exit()
    app.call_after_refresh(painted)
"""

TABLETOP = f"""
import sys, tempfile
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from tabletop.campaign.validate import load_campaign
from tabletop.journal import JournalWriter
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import build_app
loaded = load_campaign({str(TUTORIAL)!r})
c = loaded.campaign
controllers = resolve_controllers(c, [])
save = Path(tempfile.mkdtemp()) / "game.jsonl"
journal = JournalWriter(save, LocalSession.new_header(c, loaded.text, str(loaded.path), 3, controllers))
session = LocalSession(c, seed=3, controllers=controllers, journal=journal)
app = build_app(session, save_path=save)
{_PAINTED}
app.run(headless=True, size=(100, 30), auto_pilot=_auto)
"""

MINIMAL = f"""
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("a", "b")
        table.add_row("1", "2")

app = Minimal()
{_PAINTED}
app.run(headless=True, size=(100, 30), auto_pilot=_auto)
"""


BREAKDOWN = f"""
import sys, tempfile, time
t0 = time.perf_counter()
sys.path.insert(0, {str(ROOT)!r})
import textual.app, textual.widgets
t1 = time.perf_counter()
from tabletop.campaign.validate import load_campaign
from tabletop.journal import JournalWriter
from tabletop.session import LocalSession, resolve_controllers
t2 = time.perf_counter()
from tabletop.tui.app import build_app
t3 = time.perf_counter()
from pathlib import Path
loaded = load_campaign({str(TUTORIAL)!r})
c = loaded.campaign
controllers = resolve_controllers(c, [])
save = Path(tempfile.mkdtemp()) / "game.jsonl"
journal = JournalWriter(save, LocalSession.new_header(c, loaded.text, str(loaded.path), 3, controllers))
session = LocalSession(c, seed=3, controllers=controllers, journal=journal)
app = build_app(session, save_path=save)
t4 = time.perf_counter()
async def _auto(pilot):
    def painted():
        t5 = time.perf_counter()
        ms = lambda a, b: f"{{(b - a) * 1000:.0f}}"
        print(ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t4, t5), flush=True)
        pilot.app.exit()
    pilot.app.call_after_refresh(painted)
app.run(headless=True, size=(100, 30), auto_pilot=_auto)
"""


def breakdown() -> list[int]:
    """Milliseconds inside the process: import textual, import the game (pydantic, campaign
    model, engine, journal), import the TUI, load + session + build, run to first paint."""
    proc = subprocess.run([sys.executable, "-c", BREAKDOWN], capture_output=True, text=True, timeout=60,
                          cwd=tempfile.gettempdir())
    return [int(x) for x in proc.stdout.split()]


def time_to_paint(code: str) -> float:
    """Seconds from spawning ``python -c code`` to its ``painted`` line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tempfile.gettempdir()
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = proc.communicate(timeout=60)
    if line.strip() != "painted":
        raise RuntimeError(f"the app did not paint:\n{err}")
    return elapsed


async def key_latencies(keys: int) -> list[float]:
    """Seconds from each key sent to the refresh that shows its effect."""
    sys.path.insert(0, str(ROOT))
    from textual import events

    from tabletop.campaign.validate import load_campaign
    from tabletop.session import LocalSession, resolve_controllers
    from tabletop.tui.app import build_app

    c = load_campaign(TUTORIAL).campaign
    session = LocalSession(c, seed=3, controllers=resolve_controllers(c, []))
    app = build_app(session, save_path=None)
    out = []
    from tabletop.tui.screens.handoff import KEY_GUARD, OPEN_GUARD

    async def shown(*names: str) -> str:
        """Wait until one of the screens ``names`` is on top and painted (a key typed
        before then is not its key: tabletop/tui/keygate.py)."""
        for _ in range(500):
            name = type(app.screen).__name__
            gate = getattr(app, "key_gate", None)
            if name in names and (gate is None or gate.ready):
                return name
            await pilot.pause(0.01)
        raise AssertionError(f"expected {names}, the app shows {type(app.screen).__name__}")

    async with app.run_test(size=(100, 30)) as pilot:
        await shown("BriefingScreen")
        await pilot.press("enter")  # the briefing
        await shown("HandOffScreen")
        await pilot.pause(OPEN_GUARD + 0.1)  # the hand-off lets no key through at first
        await pilot.press("space")  # the hand-off to Northmark
        if await shown("BriefScreen", "GameScreen") == "BriefScreen":  # a format-2 seat reads its brief first
            await pilot.pause(KEY_GUARD + 0.1)  # so does the brief
            await pilot.press("enter")
            await shown("GameScreen")
        await pilot.pause(KEY_GUARD + 0.1)  # and the board, just after a hand-off
        loop = asyncio.get_running_loop()
        for _ in range(keys):
            before = app.screen.focused
            done = loop.create_future()
            start = time.perf_counter()
            key = events.Key("down", None)
            key.set_sender(app)
            app._driver.send_message(key)  # type: ignore[union-attr]  # as the terminal driver does
            while app.screen.focused is before:
                await asyncio.sleep(0)
            app.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))
            end = await done
            out.append(end - start)
            await pilot.pause(0.02)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each app (best is kept)")
    parser.add_argument("--keys", type=int, default=30, help="keys for the latency measure")
    args = parser.parse_args()

    ours = [time_to_paint(TABLETOP) for _ in range(args.runs)]
    base = [time_to_paint(MINIMAL) for _ in range(args.runs)]
    best_ours, best_base = min(ours), min(base)
    print(f"start-up to first paint, best of {args.runs}:")
    print(f"  tabletop play (tutorial) {best_ours * 1000:7.1f} ms   (all: {', '.join(f'{t * 1000:.0f}' for t in ours)})")
    print(f"  minimal Textual app      {best_base * 1000:7.1f} ms   (all: {', '.join(f'{t * 1000:.0f}' for t in base)})")
    print(f"  ratio                    {best_ours / best_base:7.2f}x  (goal <= 1.30x)")
    parts = min((breakdown() for _ in range(3)), key=sum)
    names = ("import textual", "import game (pydantic, campaign, engine)", "import tui", "load+session+build", "run to paint")
    print("  inside tabletop's process (ms): " + ", ".join(f"{n} {v}" for n, v in zip(names, parts)))

    lat = asyncio.run(key_latencies(args.keys))
    print(f"key to render, {len(lat)} keys (focus the next card):")
    print(f"  median {statistics.median(lat) * 1000:6.1f} ms   p90 {sorted(lat)[int(0.9 * (len(lat) - 1))] * 1000:6.1f} ms"
          f"   worst {max(lat) * 1000:6.1f} ms   (goal: median <= 20 ms)")


if __name__ == "__main__":
    main()
