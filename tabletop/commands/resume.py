"""`tabletop resume SAVE [--bot-delay S]`: carry on a saved session where it stopped.

Seats and bots are restored from the save's header, the campaign from the text stored
in it (never from the file on disk, which may have changed). An undamaged save is
appended to in place. A damaged one is never rewritten: the damage sentence goes to
stderr and the game continues in a new file, ``<stem>.resumed.jsonl`` (numbered if
taken), holding the good part. A finished game opens on its end screen.

Bad input (missing file, not a save, unreadable header, a campaign that no longer
loads) gets one sentence on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tabletop.journal import JournalRead
    from tabletop.session import LocalSession


def resumed_path(save: Path) -> Path:
    """``game.jsonl`` -> ``game.resumed.jsonl`` (``game.resumed-2.jsonl``... if taken)."""
    from tabletop.session import unused_path

    stem = save.stem if save.suffix == ".jsonl" else save.name
    return unused_path(save.with_name(f"{stem}.resumed.jsonl"))


def copy_good_part(read: JournalRead, target: Path) -> None:
    """Write the header and the good events of a damaged save to the new file ``target``.

    The events are chained anew from the same header, command by command, so the new
    file is exactly the good part of the old one (and is verified as it is written).
    """
    from tabletop.journal import JournalError, JournalWriter

    try:
        writer = JournalWriter(target, read.header)
    except OSError as e:
        raise JournalError(f"cannot create {target} to continue the game in: {e.strerror or e}") from None
    try:
        points = read.decision_points
        writer.append_groups(read.entries[a:b] for a, b in zip(points, points[1:]))
    finally:
        writer.close()


@dataclass
class Resumed:
    """A session carrying on a save: where it journals, and the damage found, if any."""

    session: LocalSession
    path: Path  # the file the game continues in (the save itself, or a new .resumed file)
    damage: str | None  # "save damaged after event N: M bytes ignored"


def open_session(save: Path) -> Resumed:
    """The session that carries on ``save``. Raises ``JournalError`` (a sentence) if it cannot."""
    from tabletop.engine.rules import Engine
    from tabletop.journal import JournalWriter, read_journal
    from tabletop.journal.replay import Replay, load_campaign_of
    from tabletop.session import LocalSession

    read = read_journal(save)
    campaign = load_campaign_of(read)
    Replay(read, Engine(campaign), every=1 << 30)  # the events must fold with the stored campaign
    damage = read.damage
    target = save
    if damage:
        target = resumed_path(save)
        copy_good_part(read, target)
        read = read_journal(target)
    writer = JournalWriter.append_to(target, read)
    try:
        session = LocalSession.resume(campaign, read, writer)
    except BaseException:
        writer.close()
        raise
    return Resumed(session, target, damage)


def run(args: argparse.Namespace) -> int:
    from tabletop.journal import JournalError

    save = Path(args.save)
    try:
        resumed = open_session(save)
    except JournalError as e:
        print(f"tabletop resume: {save}: {e}", file=sys.stderr)
        return 2
    if resumed.damage:
        print(f"tabletop resume: {save}: {resumed.damage}", file=sys.stderr)
        print(f"tabletop resume: {save} is left as it is; the game continues in {resumed.path}", file=sys.stderr)
    session = resumed.session
    try:
        try:
            from tabletop.tui.app import build_app
        except ModuleNotFoundError as e:
            if not (e.name or "").startswith("tabletop.tui"):
                raise
            print("tabletop resume: the game screen is not available in this installation", file=sys.stderr)
            return 2
        app = build_app(session, seat_mode="hotseat", bot_delay=args.bot_delay, save_path=resumed.path)
        app.run()
    finally:
        session.close()
    from tabletop.commands.common import debrief_if_asked

    debriefed = debrief_if_asked(app, resumed.path)
    if debriefed is not None:
        return debriefed
    return int(getattr(app, "return_code", None) or 0)
