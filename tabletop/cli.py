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

SEED_HELP = (
    "random seed, for a game you want to repeat exactly (default: 128 random bits, kept in the save). "
    "Anyone who knows or guesses the seed can work out every hand and every roll, so a chosen "
    "seed is for tests and demonstrations, not for a real exercise"
)

SAVE_HELP = (
    "journal file, a new one (default: SAVES/<date>-<campaign>.jsonl, where SAVES is ./saves if the "
    "current folder has one, else the user data folder, e.g. ~/.local/share/tabletop/saves)"
)


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
    play.add_argument("--seed", type=int, help=SEED_HELP)
    play.add_argument(
        "--bot", action="append", default=[], metavar="SIDE_OR_ACTOR",
        help="let a bot play this side or actor, by its id or the name the screen shows, in any case (repeatable)",
    )
    play.add_argument("--bot-delay", type=float, default=0.6, metavar="SECONDS", help="pause between bot moves")
    play.add_argument("--save", metavar="PATH", help=SAVE_HELP)

    resume = sub.add_parser("resume", help="carry on a saved session")
    resume.add_argument("save", metavar="SAVE", help="journal file (.jsonl)")
    resume.add_argument("--bot-delay", type=float, default=0.6, metavar="SECONDS", help="pause between bot moves")

    host = sub.add_parser("host", help="host a networked exercise: facilitator console and game server")
    host.add_argument("campaign", nargs="?", help="campaign file or bundled id (default: belarus-border-2021)")
    host.add_argument("--bind", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    host.add_argument("--port", type=int, default=8765, metavar="P", help="port (default 8765; 0 picks a free one)")
    host.add_argument("--seed", type=int, help=SEED_HELP)
    host.add_argument("--save", metavar="PATH", help=SAVE_HELP)
    host.add_argument("--codes-file", metavar="PATH",
                      help="also write the join codes here as JSON (seat -> code); a new file: see --force")
    host.add_argument("--force", action="store_true",
                      help="replace an existing --codes-file, or join codes left beside --save (a save is never replaced)")
    host.add_argument("--bot", action="append", default=[], metavar="SEAT",
                      help="a bot plays this side or actor (its id or the name the screen shows, in any case)")
    host.add_argument("--bot-delay", type=float, default=0.6, metavar="SECONDS", help="pause between bot moves")
    host.add_argument("--headless", action="store_true",
                      help="no console: run until the game ends (and the hotwash, see --hotwash), then exit 0")
    host.add_argument("--hotwash", type=float, default=300.0, metavar="SECONDS",
                      help="--headless: after the end, keep serving while anyone connected has not answered "
                           "the hotwash yet, for at most this long (default 300; 0: stop at once)")
    host.add_argument("--evaluators-see-all", action="store_true",
                      help="send the evaluators everything the facilitator sees (default: the public board "
                           "and the observations)")
    host.add_argument("--name", action="append", default=[], metavar="SEAT=NAME",
                      help="record in the save who sits at a seat (an actor's id or name, facilitator, or "
                           "evaluator), for the after-action report (repeatable)")
    host.add_argument("--resume", metavar="SAVE", help="continue the session in this journal")
    host.add_argument("--tls-cert", metavar="FILE", help="certificate for wss://")
    host.add_argument("--tls-key", metavar="FILE", help="private key for wss://")

    join = sub.add_parser("join", help="play one seat (or observe, or evaluate) of a hosted exercise")
    join.add_argument("url", metavar="URL", help="e.g. ws://127.0.0.1:8765")
    join.add_argument("--code", required=True, metavar="CODE", help="the join code the host printed for your seat")
    join.add_argument("--bot", action="store_true", help="let a bot play the seat, without a screen")
    join.add_argument("--name", default="", metavar="NAME",
                      help="your name (at most 60 characters), recorded in the save for the after-action "
                           "report (unless the host named your seat); an evaluator's or observer's observations "
                           "and hotwash answers are signed with it (evaluators: give it, so each has their own)")
    join.add_argument("--projector", action="store_true",
                      help="with the observer code: the public board for a room (phases, tracks, the round in review)")

    replay = sub.add_parser("replay", help="debrief viewer: step through a saved session")
    replay.add_argument("save", metavar="SAVE")

    report = sub.add_parser(
        "report", help="after-action report of a saved session (AAR/IP, ODCR, JSON, or the debrief record)",
        description="Report on a saved session. --format aar: the After-Action Report / Improvement Plan (HSEEP "
                    "layout: overview, objectives with evidence and P/S/M/U ratings, strengths, areas for "
                    "improvement with root causes, turning points and near-misses, decision times, hotwash, "
                    "improvement plan); odcr: every observation as Observation / Discussion / Conclusion / "
                    "Recommendation; json: all of it for analysts; md and html: the full debrief record. Every "
                    "report states the save's fingerprint and whether it verifies.",
    )
    report.add_argument("save", metavar="SAVE")
    report.add_argument("--format", choices=["aar", "odcr", "json", "md", "html"], default="md",
                        help="aar, odcr, json, or the debrief record as md or html (default md)")
    report.add_argument("--as", dest="render_as", choices=["md", "html"], default="md",
                        help="for aar and odcr: Markdown (default) or one self-contained HTML page that prints on A4")
    report.add_argument("--marking", default="", metavar="TEXT",
                        help='a handling line, e.g. "NATO UNCLASSIFIED", at the top and bottom of the report '
                             "(and of every printed page)")
    report.add_argument("--compare", action="append", default=[], metavar="FORK",
                        help="a what-if fork of SAVE whose outcome to put beside the original's (repeatable)")
    report.add_argument("-o", "--output", metavar="FILE",
                        help="write here instead of standard output (a new file: see --force)")
    report.add_argument("--force", action="store_true",
                        help="replace FILE if it exists (a save is never replaced)")

    verify = sub.add_parser(
        "verify", help="prove a save: its hash chain, every event re-derived from its command, any damage",
        description="Check a save's checksums and hash chain, re-derive every event from the recorded commands, "
                    "and report the first thing that is not as the game gave it. Without a receipt this proves the "
                    "save is consistent in itself; with one, that nothing up to the receipt's event was changed "
                    "since the receipt was given.",
    )
    verify.add_argument("save", metavar="SAVE")
    verify.add_argument(
        "--receipt", metavar="FILE|HASH",
        help="a seat's receipt file (written by `tabletop join`), or a fingerprint (64 hex digits, e.g. the one "
             "the host printed at the end): prove the save holds that event unchanged",
    )

    validate = sub.add_parser("validate", help="check campaign files; print path:line:col: problems")
    validate.add_argument("files", nargs="+", metavar="CAMPAIGN")

    sub.add_parser("schema", help="print the JSON Schema of the campaign format")

    phases = sub.add_parser("phases", help="draw a campaign's crisis state machine")
    phases.add_argument("campaign", nargs="?", help="campaign file or bundled id")
    phases.add_argument("--format", choices=["mermaid", "text"], default="text")

    msel = sub.add_parser(
        "msel", help="the injects as a spreadsheet (CSV), and edits merged back into a new campaign file",
        description="Export a campaign's injects as an MSEL (master scenario events list) CSV, or merge an "
                    "edited one back: rows matched by id update their inject cell by cell, new ids add injects, "
                    "and everything else in the YAML (comments, order, layout) stays as written. The campaign "
                    "file is left as it is: the merged campaign goes to a new file "
                    "(-o CAMPAIGN --force merges in place). See docs/msel.md.",
    )
    msel.add_argument("campaign", metavar="CAMPAIGN", help="campaign file or bundled id")
    msel.add_argument("-o", "--output", metavar="FILE",
                      help="export: the CSV to write (default: standard output); --import: the merged "
                           "campaign to write (default: <campaign>.merged.yaml beside the campaign, or in the "
                           "current folder for a bundled one); a new file: see --force")
    msel.add_argument("--import", dest="import_csv", metavar="FILE.csv",
                      help="merge this edited MSEL into the campaign, checked row by row and validated "
                           "before anything is written")
    msel.add_argument("--force", action="store_true", help="replace FILE if it exists (a save is never replaced)")

    sim = sub.add_parser(
        "simulate", help="bots play many games; print what a designer must look at",
        description="Bots play N games. Prints who won (with a 95% interval), how games ended and how close "
        "they came to each ending, how often each consensus card was tabled and failed, cards played in fewer "
        "than 3% or more than 95% of games (a card's design_note is printed instead of a warning), how often "
        "each learning objective's evidence resolved, then phases, objectives, tracks and card impact.",
    )
    sim.add_argument("campaign", nargs="?", help="campaign file or bundled id")
    sim.add_argument("--games", type=int, required=True, metavar="N")
    sim.add_argument("--seed", type=int, default=0, metavar="S")
    sim.add_argument("--jobs", type=int, default=1, metavar="J", help="worker processes (the results do not change)")
    sim.add_argument("--bot", "--bots", choices=["random", "heuristic"], default="heuristic",
                     help="bot kind for every seat (default: heuristic)")
    sim.add_argument("--compare", action="store_true",
                     help="also play the same games with random bots (every seat, then each side alone against "
                     "heuristic bots) and say whether random bots fare clearly worse on each side")
    sim.add_argument("--json", action="store_true", help="print the results as JSON")
    sim.add_argument("--save-dir", metavar="DIR",
                     help="write one journal per game here (new files: an earlier run's are never replaced)")

    return p


#: subcommand -> module in tabletop.commands
_COMMANDS = {
    "play": "play",
    "resume": "resume",
    "host": "host",
    "join": "join",
    "replay": "replay",
    "report": "report",
    "verify": "verify",
    "validate": "validate",
    "schema": "schema",
    "phases": "phases",
    "simulate": "simulate",
    "msel": "msel",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    name = "launcher" if args.command is None else _COMMANDS[args.command]
    module = importlib.import_module(f"tabletop.commands.{name}")
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
