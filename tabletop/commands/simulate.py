"""`tabletop simulate`: bots play N games; print outcome rates, phases, tracks, card impact.

``--save-dir DIR`` journals every game as a new file, ``DIR/<campaign>-<seed>-<game>.jsonl``;
if any of them exists already (an earlier run with the same campaign and seed), nothing
is played: one sentence on stderr, exit 2. A save is never overwritten.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from tabletop.commands.common import load_or_exit

if TYPE_CHECKING:
    from tabletop.campaign.model import Campaign
    from tabletop.campaign.validate import LoadedCampaign


def run(args: argparse.Namespace) -> int:
    if args.games < 1:
        print("tabletop simulate: --games must be at least 1", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("tabletop simulate: --jobs must be at least 1", file=sys.stderr)
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
    from tabletop.analysis.simulate import run_games, summarize

    campaign = loaded.campaign
    results = run_games(
        campaign, loaded.text, loaded.path, games=args.games, seed=args.seed, jobs=args.jobs,
        bot=args.bot, save_dir=args.save_dir,
    )
    if sys.stdout.isatty() and not args.json:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        collected = []
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            transient=True,
        ) as progress:
            task = progress.add_task(f"Simulating {campaign.id}", total=args.games)
            for r in results:
                collected.append(r)
                progress.advance(task)
        results = iter(collected)
    summary = summarize(campaign, results, seed=args.seed, bot=args.bot)
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
    else:
        _print_text(summary, campaign)
    return 0


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def _print_text(summary: dict[str, Any], campaign: Campaign) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    names = {s.id: s.name for s in campaign.sides}
    console.print(
        f"[bold]{campaign.title}[/]: {summary['games']} games, seed {summary['seed']}, "
        f"{summary['bot']} bots; {summary['mean_rounds']} rounds and {summary['mean_events']} events on average"
    )

    t = Table(title="Who won", title_justify="left")
    t.add_column("result")
    t.add_column("rate", justify="right")
    words = {"draw": "a draw", "none": "every side lost"}
    for k, v in summary["verdicts"].items():
        t.add_row(f"{names[k]} won" if k in names else words.get(k, k), _pct(v))
    console.print(t)

    t = Table(title="How games ended", title_justify="left")
    t.add_column("ending")
    t.add_column("rate", justify="right")
    phase_names = {p.id: p.name for p in campaign.phases.states}
    end_titles = {e.id: e.title for e in campaign.end}
    for k, v in summary["endings"].items():
        reason, _, detail = k.partition(":")
        label = {
            "terminal_phase": f"reached {phase_names.get(detail, detail)}",
            "end_condition": end_titles.get(detail, detail),
        }.get(reason, "last round played")
        t.add_row(label, _pct(v))
    console.print(t)

    t = Table(title="Phases", title_justify="left")
    t.add_column("phase")
    t.add_column("reached", justify="right")
    t.add_column("final", justify="right")
    for p in campaign.phases.states:
        t.add_row(p.name, _pct(summary["phases_reached"][p.id]), _pct(summary["final_phase"][p.id]))
    console.print(t)

    t = Table(title="Objectives met", title_justify="left")
    t.add_column("side")
    t.add_column("objective")
    t.add_column("rate", justify="right")
    for side in campaign.sides:
        for o in side.objectives:
            t.add_row(side.name, o.title, _pct(summary["objectives_met"][side.id][o.id]))
    console.print(t)

    t = Table(title="Mean final tracks", title_justify="left")
    t.add_column("track")
    t.add_column("mean", justify="right")
    t.add_column("range", justify="right")
    for tr in campaign.tracks:
        t.add_row(tr.name, f"{summary['mean_final_tracks'][tr.id]:.2f}", f"{tr.min}..{tr.max}")
    console.print(t)

    t = Table(title="Card impact (own side's win rate when played minus when not)", title_justify="left")
    t.add_column("card")
    t.add_column("side")
    t.add_column("played in", justify="right")
    t.add_column("impact", justify="right")
    rows = sorted(
        summary["card_impact"].items(), key=lambda kv: -(kv[1]["impact"] if kv[1]["impact"] is not None else -9)
    )
    for card_id, row in rows:
        impact = row["impact"]
        shown = "—" if impact is None else f"{100 * impact:+.1f} pts"
        t.add_row(campaign.card_by_id[card_id].title, names.get(row["side"], row["side"]), _pct(row["played_in"]), shown)
    console.print(t)
