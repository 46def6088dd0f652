"""`tabletop simulate`: bots play N games; print what a designer must look at.

Who won (with a 95% interval), how games ended and how close they came to each ending,
consensus votes, cards never or always played (or their ``design_note``), learning
evidence, then phases, objectives, tracks and card impact (:mod:`tabletop.commands.simulate_text`).
``--compare`` also plays the same games with random bots: every seat, then each side alone
against heuristic bots.

``--save-dir DIR`` journals every game as a new file, ``DIR/<campaign>-<seed>-<game>.jsonl``;
if any of them exists already (an earlier run with the same campaign and seed), nothing
is played: one sentence on stderr, exit 2. A save is never overwritten.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from tabletop.commands.common import load_or_exit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tabletop.analysis.simulate import GameResult, Lineup
    from tabletop.campaign.validate import LoadedCampaign


def run(args: argparse.Namespace) -> int:
    if args.games < 1:
        print("tabletop simulate: --games must be at least 1", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("tabletop simulate: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.compare and args.save_dir is not None:
        print("tabletop simulate: --compare plays every game several times, so it cannot save them: "
              "leave out --save-dir (or --compare).", file=sys.stderr)
        return 2
    loaded = load_or_exit(args.campaign)
    if loaded is None:
        return 2
    campaign = loaded.campaign
    if args.save_dir is not None:
        problem = _save_dir_problem(args.save_dir, campaign.id, args.seed, args.games)
        if problem:
            print(f"tabletop simulate: {problem}", file=sys.stderr)
            return 2
    try:
        return _simulate(args, loaded)
    except FileExistsError as e:  # a journal that appeared while the games were played
        print(f"tabletop simulate: {e.filename} already exists; a save is never overwritten.", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"tabletop simulate: cannot write the journals in {args.save_dir}: {e.strerror or e}", file=sys.stderr)
        return 2


def _save_dir_problem(save_dir: str, campaign_id: str, seed: int, games: int) -> str | None:
    """Why ``save_dir`` cannot take this run's journals (one sentence), or None."""
    from pathlib import Path

    from tabletop.analysis.simulate import journal_path

    folder = Path(save_dir)
    if folder.exists() and not folder.is_dir():
        return f"--save-dir {save_dir} is a file, not a folder."
    if not folder.is_dir():
        return None
    taken = [p for p in (journal_path(folder, campaign_id, seed, i) for i in range(games)) if p.exists()]
    if not taken:
        return None
    more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
    return (f"{taken[0]}{more} already exist{'s' if not more else ''} (an earlier run with seed {seed}); "
            f"a save is never overwritten: choose another --save-dir or --seed.")


def _simulate(args: argparse.Namespace, loaded: LoadedCampaign) -> int:
    from tabletop.analysis.simstats import compare
    from tabletop.analysis.simulate import lineup_label, run_games, summarize

    campaign = loaded.campaign
    lineups: list[Lineup] = [args.bot]
    if args.compare:
        lineups = ["heuristic", "random", *({s.id: "random"} for s in campaign.sides)]
    runs = [
        run_games(campaign, loaded.text, loaded.path, games=args.games, seed=args.seed, jobs=args.jobs,
                  bot=lineup, save_dir=args.save_dir)
        for lineup in lineups
    ]
    results = _collect(runs, args.games, f"Simulating {campaign.id}") if sys.stdout.isatty() and not args.json \
        else [list(r) for r in runs]
    summaries = [summarize(campaign, rs, seed=args.seed, bot=lineup_label(campaign, lineup))
                 for rs, lineup in zip(results, lineups)]
    from tabletop.commands.simulate_text import print_comparison, print_summary

    if not args.compare:
        if args.json:
            print(json.dumps(summaries[0], indent=2, sort_keys=True))
        else:
            print_summary(summaries[0], campaign)
        return 0
    heuristic, random_all, *mixed = summaries
    side_random = {s.id: m for s, m in zip(campaign.sides, mixed)}
    comparison = compare(campaign, heuristic, random_all, side_random)
    if args.json:
        data = {"heuristic": heuristic, "random": random_all, "side_random": side_random, "comparison": comparison}
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print_summary(heuristic, campaign)
        print_comparison(comparison, random_all, campaign, args.games)
    return 0


def _collect(runs: list[Iterator[GameResult]], games: int, title: str) -> list[list[GameResult]]:
    """Every run's results, with a progress bar (on a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    collected: list[list[GameResult]] = []
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(title, total=games * len(runs))
        for run in runs:
            collected.append([])
            for r in run:
                collected[-1].append(r)
                progress.advance(task)
    return collected
