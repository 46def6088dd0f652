"""`tabletop replay SAVE`: the debrief viewer.

Reads the save and the campaign stored in it, and opens the viewer on the last event.
Bad input (a missing file, not a save, a damaged header that cannot be rebuilt, a
campaign that no longer loads) gets one sentence on stderr and exit code 2. Damage is
not bad input: a damaged line, or an event that does not fit the game (a card the
campaign does not have...), has its sentence on stderr, and the viewer opens on the
good part before it and says so in a banner. A damaged line or header rebuilt in memory
is said the same way.

A "what if" fork leaves the viewer with the new game's session: it is played here, in
the game screen, and its save path is printed afterwards with the command to replay it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tabletop.tui.replay.app import ForkResult


def run(args: argparse.Namespace) -> int:
    """Open the viewer on ``args.save``; returns the exit code."""
    from tabletop.journal import JournalError
    from tabletop.journal.replay import Replay

    save = Path(args.save)
    try:
        replay = Replay.open(save)
    except JournalError as e:
        print(f"tabletop replay: {save}: {e}", file=sys.stderr)
        return 2
    except IsADirectoryError:
        print(f"tabletop replay: {save} is a folder, not a save", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"tabletop replay: cannot read {save}: {e.strerror or e}", file=sys.stderr)
        return 2
    if replay.repair:
        print(f"tabletop replay: {save}: {replay.repair}", file=sys.stderr)
    if replay.damage:
        print(f"tabletop replay: {save}: {replay.damage}", file=sys.stderr)

    from tabletop.tui.replay.app import ForkResult, build_replay_app

    app = build_replay_app(replay, save)
    result = app.run()
    if not isinstance(result, ForkResult):
        return int(app.return_code or 0)
    return play_fork(save, result)


def play_fork(save: Path, fork: ForkResult) -> int:
    """Play the "what if" game the viewer forked, then say where it is saved."""
    from tabletop.tui.app import build_app

    print(f"What if: {fork.path} starts from event {fork.at} of {save}.")
    session = fork.session
    try:
        app = build_app(session, save_path=fork.path)
        app.run()
    finally:
        session.close()
    print(f"What-if game saved: {fork.path}")
    print(f"Debrief replay: tabletop replay {fork.path}")
    return 0 if app.return_code in (None, 0) else int(app.return_code)
