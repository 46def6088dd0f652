"""Benchmark: load + validate a campaign, as a ratio to a bare ``yaml.load`` (CSafeLoader).

    .venv/bin/python bench/validate.py [--runs N] [--cards N] [--profile]

Measures, best of N runs each in the same process:

* the default campaign (``campaigns/belarus-border-2021.yaml``; the tutorial or the test
  fixture if it is absent);
* a generated campaign with ``--cards`` cards (default 2,000), made from the same file by
  cloning its cards under new ids and adding the clones to the owners' decks.

Goal: ``load_campaign_text`` within 3x the bare ``yaml.load`` of the same text.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabletop.campaign.validate import load_campaign_text  # noqa: E402

CANDIDATES = [ROOT / "campaigns" / "belarus-border-2021.yaml", ROOT / "campaigns" / "tutorial.yaml"]


def default_text() -> tuple[str, str]:
    """The default campaign's text and name (falls back to the tests' fixture)."""
    for path in CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8"), path.name
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import MINIMAL_CAMPAIGN  # type: ignore[import-not-found]

    return MINIMAL_CAMPAIGN, "tests/conftest.py:MINIMAL_CAMPAIGN"


def generated_text(base: str, cards: int) -> str:
    """``base`` grown to ``cards`` cards: clones with new ids, added to their owners' decks."""
    data = yaml.load(base, Loader=yaml.CSafeLoader)
    originals = list(data["cards"])
    out = list(originals)
    decks: dict[str, list[str]] = {}
    n = 0
    while len(out) < cards:
        for card in originals:
            if len(out) >= cards:
                break
            n += 1
            clone = dict(card)
            clone["id"] = f"{card['id']}-copy-{n}"
            clone["title"] = f"{card['title']} ({n})"
            out.append(clone)
            if card.get("actor") is None:  # reaches play through an explicit deck
                owner = next(
                    (a for s in data["sides"] for a in s["actors"] if card["id"] in (a.get("deck") or [])),
                    None,
                )
                if owner is not None:
                    decks.setdefault(owner["id"], []).append(clone["id"])
    for side in data["sides"]:
        for actor in side["actors"]:
            if actor["id"] in decks:
                actor["deck"] = list(actor.get("deck") or []) + decks[actor["id"]]
    data["cards"] = out
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def best(fn: Callable[[], Any], runs: int) -> float:
    """Best wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(label: str, text: str, runs: int, profile: bool) -> float:
    bare = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), runs)
    loaded = load_campaign_text(text, label)  # raises if the text is not a valid campaign
    full = best(lambda: load_campaign_text(text, label), runs)
    ratio = full / bare
    print(
        f"{label:<40} {len(text) / 1024:8.1f} kB {len(loaded.campaign.cards):6d} cards  "
        f"yaml.load {bare * 1000:8.2f} ms  load_campaign_text {full * 1000:8.2f} ms  ratio {ratio:5.2f}x"
    )
    if profile:
        prof = cProfile.Profile()
        prof.runcall(load_campaign_text, text, label)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one load of each")
    args = parser.parse_args(argv)
    text, name = default_text()
    ratios = [
        measure(name, text, args.runs, args.profile),
        measure(f"generated ({args.cards} cards)", generated_text(text, args.cards), max(3, args.runs // 2), args.profile),
    ]
    goal = 3.0
    verdict = "ok" if max(ratios) <= goal else "over the goal"
    print(f"goal <= {goal:.0f}x: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
