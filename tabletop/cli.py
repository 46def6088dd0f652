"""The `tabletop` command line.

Parsing lives here; each subcommand's work lives in :mod:`tabletop.commands`, imported
only when that command runs (so headless commands start without loading Textual).
Exit codes: 0 success, 1 a problem was found (e.g. an invalid campaign), 2 bad usage
or an input that cannot be used.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tabletop import __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tabletop",
        description="A terminal tabletop exercise for hybrid-threat crises.",
        epilog="Run `tabletop` with no command to open the launcher.",
    )
    p.add_argument("--version", action="version", version=f"tabletop {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play a hot-seat game in the terminal")
    play.add_argument("campaign", nargs="?", help="campaign file or bundled id (default: belarus-border-2021)")
    play.add_argument("--seed", type=int, help="random seed (default: chosen at random and saved)")
    play.add_argument(
        "--bot", action="append", default=[], metavar="SIDE_OR_ACTOR",
        help="let a bot play this side or actor (repeatable)",
    )
    play.add_argument("--bot-delay", type=float, default=0.6, metavar="SECONDS", help="pause between bot moves")
    play.add_argument("--save", metavar="PATH", help="journal file (default: saves/<date>-<campaign>-<seed>.jsonl)")

    validate = sub.add_parser("validate", help="check campaign files; print path:line:col: problems")
    validate.add_argument("files", nargs="+", metavar="CAMPAIGN")

    sub.add_parser("schema", help="print the JSON Schema of the campaign format")

    phases = sub.add_parser("phases", help="draw a campaign's crisis state machine")
    phases.add_argument("campaign", nargs="?", help="campaign file or bundled id")
    phases.add_argument("--format", choices=["mermaid", "text"], default="text")

    sim = sub.add_parser("simulate", help="bots play many games; print outcome rates and card impact")
    sim.add_argument("campaign", nargs="?", help="campaign file or bundled id")
    sim.add_argument("--games", type=int, required=True, metavar="N")
    sim.add_argument("--seed", type=int, default=0, metavar="S")
    sim.add_argument("--jobs", type=int, default=1, metavar="J", help="worker processes")
    sim.add_argument("--bot", choices=["random", "heuristic"], default="heuristic", help="bot kind for every seat")
    sim.add_argument("--json", action="store_true", help="print the results as JSON")
    sim.add_argument("--save-dir", metavar="DIR", help="write one journal per game here")

    return p


#: subcommand -> module in tabletop.commands
_COMMANDS = {
    "play": "play",
    "validate": "validate",
    "schema": "schema",
    "phases": "phases",
    "simulate": "simulate",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "play"
        args.campaign, args.seed, args.bot, args.bot_delay, args.save = None, None, [], 0.6, None
    module = importlib.import_module(f"tabletop.commands.{_COMMANDS[args.command]}")
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
