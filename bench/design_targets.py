"""The design targets of the default campaign (issue 12, item 4), measured and judged.

Run by hand: `.venv/bin/python bench/design_targets.py [CAMPAIGN] [--games 1000] [--jobs 2]`.
Plays the games `tabletop simulate CAMPAIGN --games N` plays (heuristic bots, the same
seeds), then the same games with random bots (every seat, then each side alone against
heuristic ones), and prints every target with its measured figure and PASS or FAIL:

* each side wins 25-60% of games; draws at most 30%;
* armed conflict ends 3-15% of games, and no side wins it;
* Article 4 is tabled in 30-80% of games, and at least 15% of its votes fail;
* no card is played in fewer than 3% or more than 95% of games unless its design_note says why;
* every learning objective's evidence resolves in at least 90% of games;
* random bots fare clearly worse than heuristic ones on each side (95% intervals apart).

What is "armed conflict" and "Article 4" comes from the campaign: terminal phases named
like a war (`--war PHASE` to choose), consensus cards named like Article 4 (`--art4 CARD`,
repeatable). Not a timed test: it takes minutes. Exit code 1 if any target fails.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabletop.analysis.simstats import compare, wilson  # noqa: E402
from tabletop.analysis.simulate import GameResult, run_games, summarize  # noqa: E402
from tabletop.campaign.bundled import resolve_campaign  # noqa: E402
from tabletop.campaign.model import Campaign  # noqa: E402
from tabletop.campaign.validate import load_campaign  # noqa: E402

WAR = re.compile(r"\b(war|armed[- ]conflict|conflict)\b", re.IGNORECASE)
ART4 = re.compile(r"\bart(icle)?[ .-]*4\b", re.IGNORECASE)


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def span(ci: list[float] | tuple[float, float]) -> str:
    return f"{100 * ci[0]:.1f}-{100 * ci[1]:.1f}%"


class Targets:
    """Collects each target's line; ``failed`` counts the FAILs."""

    def __init__(self) -> None:
        self.failed = 0

    def check(self, ok: bool, target: str, measured: str) -> None:
        self.failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {target:<72} {measured}")


def war_phases(c: Campaign, chosen: list[str]) -> list[str]:
    if chosen:
        return chosen
    return [p.id for p in c.phases.states if p.terminal and (WAR.search(p.id) or WAR.search(p.name))]


def art4_cards(c: Campaign, chosen: list[str]) -> list[str]:
    if chosen:
        return chosen
    return [k.id for k in c.cards if k.consensus is not None and (ART4.search(k.id) or ART4.search(k.title))]


def outcomes(t: Targets, c: Campaign, s: dict[str, Any]) -> None:
    for side in c.sides:
        share = s["verdicts"][side.id]
        t.check(0.25 <= share <= 0.60, f"{side.name} ({side.id}) wins 25-60% of games",
                f"{pct(share)} (95% interval {span(s['verdicts_ci'][side.id])})")
    t.check(s["verdicts"]["draw"] <= 0.30, "draws at most 30% of games", pct(s["verdicts"]["draw"]))


def war(t: Targets, c: Campaign, s: dict[str, Any], phases: list[str]) -> None:
    if not phases:
        t.check(False, "armed conflict ends 3-15% of games", "no terminal phase named like a war (use --war)")
        return
    names = " or ".join(c.phase_by_id[p].name for p in phases)
    share = sum(s["endings"].get(f"terminal_phase:{p}", 0.0) for p in phases)
    t.check(0.03 <= share <= 0.15, f"{names} ends 3-15% of games", pct(share))
    results: dict[str, float] = {}
    for p in phases:
        for v, r in s["ending_verdicts"].get(f"terminal_phase:{p}", {}).items():
            games_there = s["endings"].get(f"terminal_phase:{p}", 0.0)
            results[v] = results.get(v, 0.0) + r * games_there / share
    words = {"none": "every side lost", "draw": "a draw"}
    shown = ", ".join(
        f"{c.side_by_id[v].name + ' won' if v in c.side_by_id else words.get(v, v)} in {pct(r)} of them"
        for v, r in sorted(results.items(), key=lambda kv: -kv[1])
    )
    t.check(not any(v in c.side_by_id for v in results), f"no side wins {names}",
            shown or "it never happened: nothing to judge")
    for key, row in s["near_misses"].items():
        if key.removeprefix("terminal_phase:") in phases:
            print(f"      {'':<72} came within one step without reaching it: {pct(row['within_one_step'])}")


def art4(t: Targets, c: Campaign, rs: list[GameResult], cards: list[str]) -> None:
    if not cards:
        t.check(False, "Article 4 tabled in 30-80% of games", "no consensus card named like Article 4 (use --art4)")
        return
    titles = " or ".join(dict.fromkeys(c.card_by_id[k].title for k in cards))
    n = len(rs)
    tabled = sum(1 for r in rs if any(k in r.votes for k in cards))
    votes = sum(r.votes[k][0] for r in rs for k in cards if k in r.votes)
    failed = sum(r.votes[k][2] for r in rs for k in cards if k in r.votes)
    t.check(0.30 <= tabled / n <= 0.80, f"{titles}: tabled in 30-80% of games",
            f"{pct(tabled / n)} (95% interval {span(wilson(tabled, n))})")
    share = failed / votes if votes else 0.0
    t.check(votes > 0 and share >= 0.15, f"{titles}: at least 15% of its votes fail",
            f"{failed} of {votes} votes failed ({pct(share)})" if votes else "never put to the vote")


def cards(t: Targets, c: Campaign, s: dict[str, Any]) -> None:
    flagged = {k: row for k, row in s["card_flags"].items() if row["flag"] is not None}
    bare = {k: row for k, row in flagged.items() if not row["design_note"]}
    noted = len(flagged) - len(bare)
    shown = ", ".join(f"{c.card_by_id[k].title} {pct(row['played_at_all_in'])}" for k, row in bare.items())
    t.check(not bare, "no card in <3% or >95% of games unless its design_note says why",
            (f"{len(bare)} without a note: {shown}" if bare else "none without a note")
            + (f" ({noted} with a design note)" if noted else ""))


def learning(t: Targets, s: dict[str, Any]) -> None:
    rows = s["learning_evidence"]
    if not rows:
        t.check(False, "every learning objective's evidence resolves in >= 90% of games", "no learning objectives")
    for i, row in enumerate(rows, 1):
        label = f"learning objective {row['id'] or i}: evidence resolves in >= 90%"
        if row["resolved_in"] is None:
            t.check(False, label, "no evidence listed")
            continue
        items = ", ".join(f"{item['label']} {pct(item['observed_in'])}" for item in row["items"])
        t.check(row["resolved_in"] >= 0.90, label, f"{pct(row['resolved_in'])} ({items})")


def bots(t: Targets, c: Campaign, comparison: dict[str, dict[str, Any]]) -> None:
    for side in c.sides:
        row = comparison[side.id]
        t.check(row["clearly_worse"], f"{side.name} ({side.id}) wins clearly less with random bots",
                f"heuristic {pct(row['heuristic'])} ({span(row['heuristic_ci'])}), random {pct(row['random'])} "
                f"({span(row['random_ci'])}); every seat random: {pct(row['all_random'])}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("campaign", nargs="?", default="belarus-border-2021")
    p.add_argument("--games", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--war", action="append", default=[], metavar="PHASE", help="the terminal phase that is a war")
    p.add_argument("--art4", action="append", default=[], metavar="CARD", help="a consensus card that is Article 4")
    args = p.parse_args(argv)
    here = ROOT / "campaigns" / f"{args.campaign}.yaml"  # this checkout's, not an installed copy's
    loaded = load_campaign(here if here.is_file() else resolve_campaign(args.campaign))
    c = loaded.campaign

    def play(lineup: str | dict[str, str]) -> list[GameResult]:
        return list(run_games(c, loaded.text, loaded.path, games=args.games, seed=args.seed, jobs=args.jobs, bot=lineup))

    heuristic_games = play("heuristic")
    heuristic = summarize(c, heuristic_games, seed=args.seed, bot="heuristic")
    random_all = summarize(c, play("random"), seed=args.seed, bot="random")
    side_random = {s.id: summarize(c, play({s.id: "random"}), seed=args.seed, bot=f"{s.id} random") for s in c.sides}

    print(f"Design targets for {c.id} (version {c.version}, {loaded.path}): {args.games} games, seed {args.seed}, "
          f"heuristic bots unless said")
    t = Targets()
    outcomes(t, c, heuristic)
    war(t, c, heuristic, war_phases(c, args.war))
    art4(t, c, heuristic_games, art4_cards(c, args.art4))
    cards(t, c, heuristic)
    learning(t, heuristic)
    bots(t, c, compare(c, heuristic, random_all, side_random))
    print(f"{t.failed} target{'s' if t.failed != 1 else ''} failed" if t.failed else "every target holds")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
