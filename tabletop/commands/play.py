"""`tabletop play [CAMPAIGN] [--seed N] [--bot SIDE_OR_ACTOR]... [--bot-delay S] [--save PATH]`.

Loads the campaign, opens the journal (never over an existing file), builds the session
and runs the TUI. Every event is on disk before the screen shows it. Exit codes: 0 after
a game (finished or quit; it is saved either way), 2 for input that cannot be used: a
broken campaign (each problem as ``path:line:col: error: ...`` on stderr), an unknown
``--bot`` name, a ``--save`` file that already exists.
"""

from __future__ import annotations

import argparse
import sys


def _fail(message: str) -> int:
    print(f"tabletop play: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Play one game in the terminal; returns the exit code."""
    from tabletop.commands.common import StartError, debrief_if_asked, load_or_exit, say_where_it_is, start_session

    loaded = load_or_exit(args.campaign, "tabletop play")
    if loaded is None:
        return 2
    if args.bot_delay is not None and args.bot_delay < 0:
        return _fail("--bot-delay must be 0 or more seconds.")
    try:
        session, save = start_session(loaded, args.bot, args.seed, args.save)
    except StartError as e:
        return _fail(str(e))

    from tabletop.tui.app import build_app

    app = build_app(session, bot_delay=args.bot_delay if args.bot_delay is not None else 0.6, save_path=save)
    try:
        app.run()
    finally:
        session.close()
    debriefed = debrief_if_asked(app, save)
    if debriefed is not None:
        return debriefed
    say_where_it_is(save, session.ended)
    return 0 if app.return_code in (None, 0) else int(app.return_code)
