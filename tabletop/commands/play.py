"""`tabletop play [CAMPAIGN] [--seed N] [--bot SIDE_OR_ACTOR]... [--bot-delay S] [--save PATH]`.

Loads the campaign, opens the journal (never over an existing file), builds the session
and runs the TUI. Every event is on disk before the screen shows it. Exit codes: 0 after
a game (finished or quit; it is saved either way), 2 for input that cannot be used: a
broken campaign (each problem as ``path:line:col: error: ...`` on stderr), an unknown
``--bot`` name, a ``--save`` file that already exists.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path


def _fail(message: str) -> int:
    print(f"tabletop play: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Play one game in the terminal; returns the exit code."""
    from tabletop.commands.common import debrief_if_asked, load_or_exit
    from tabletop.session import LocalSession, SeatError, default_save_path, resolve_controllers

    loaded = load_or_exit(args.campaign, "tabletop play")
    if loaded is None:
        return 2
    campaign = loaded.campaign
    if args.bot_delay is not None and args.bot_delay < 0:
        return _fail("--bot-delay must be 0 or more seconds.")
    try:
        controllers = resolve_controllers(campaign, args.bot)
    except SeatError as e:
        return _fail(str(e))
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**6)
    if args.save:
        save = Path(args.save)
        if save.exists():
            return _fail(f"{save} already exists; a save is never overwritten (choose another --save path).")
    else:
        save = default_save_path(Path("saves"), campaign.id, seed)

    from tabletop.journal import JournalWriter

    header = LocalSession.new_header(campaign, loaded.text, str(loaded.path), seed, controllers)
    try:
        journal = JournalWriter(save, header, durable=True)
    except FileExistsError:
        return _fail(f"{save} already exists; a save is never overwritten (choose another --save path).")
    except OSError as e:
        return _fail(f"cannot write the save {save}: {e.strerror or e}")
    session = LocalSession(campaign, seed=seed, controllers=controllers, journal=journal)

    from tabletop.tui.app import build_app

    app = build_app(session, bot_delay=args.bot_delay if args.bot_delay is not None else 0.6, save_path=save)
    try:
        app.run()
    finally:
        session.close()
    debriefed = debrief_if_asked(app, save)
    if debriefed is not None:
        return debriefed
    state = "finished" if session.ended else "saved"
    print(f"Game {state}: {save}")
    print(f"Debrief replay: tabletop replay {save}")
    return 0 if app.return_code in (None, 0) else int(app.return_code)
