"""`tabletop resume SAVE [--bot-delay S]`: carry on a saved session where it stopped.

Seats and bots are restored from the save's header, the campaign from the text stored
in it (never from the file on disk, which may have changed). An undamaged save is
appended to in place. A damaged one is never rewritten: the game continues in
``<stem>.resumed.jsonl`` beside it, which starts as a copy of the good part. Resuming
the damaged save again continues that same file (it is the game's continuation), and
if the continuation is damaged too, its own ``.resumed.jsonl`` carries on, and so on:
a chain, never a second copy. What was damaged and where play continues is said on
the game screen (a notification) and on stderr. A finished game opens on its end
screen.

Bad input (missing file, not a save, unreadable header, a campaign that no longer
loads, a ``.resumed.jsonl`` beside it that is not its continuation) gets one sentence
on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tabletop.journal import JournalRead
    from tabletop.session import LocalSession


def resumed_path(save: Path) -> Path:
    """``game.jsonl`` -> ``game.resumed.jsonl``: where the game of a damaged save continues."""
    stem = save.stem if save.suffix == ".jsonl" else save.name
    return save.with_name(f"{stem}.resumed.jsonl")


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
    path: Path  # the file the game continues in (the save itself, or its .resumed continuation)
    damage: str | None  # the save's own damage: "save damaged after event N: M bytes ignored"
    #: what to tell the people at the screen (None for an undamaged save): what was
    #: damaged, and the file and event play continues from
    notice: str | None = None
    #: the files followed, the save first and ``path`` last
    chain: list[Path] = field(default_factory=list)


#: The header fields that make a game the same game (not, say, the format it was written in).
_GAME = ("campaign_id", "campaign_sha256", "campaign_text", "seed", "seats", "created", "parent", "rng")


def _continues(cont: JournalRead, read: JournalRead) -> bool:
    """Is ``cont`` the continuation of the damaged ``read`` (same game, the same events first)?"""
    n = min(len(cont.entries), len(read.entries))
    same_game = all(getattr(cont.header, k, None) == getattr(read.header, k, None) for k in _GAME)
    return same_game and cont.entries[:n] == read.entries[:n]


def _damage_words(read: JournalRead) -> str:
    """``was damaged after event N (M bytes ignored)``."""
    p = read.problem
    if p is None:  # pragma: no cover - a damaged read always says where
        return f"is damaged ({read.damage})"
    return f"was damaged after event {p.after} ({p.ignored} byte{'s' if p.ignored != 1 else ''} ignored)"


def open_session(save: Path) -> Resumed:
    """The session that carries on ``save``. Raises ``JournalError`` (a sentence) if it cannot.

    A damaged save continues in :func:`resumed_path` of it: a new copy of its good part
    the first time, that same file every time after (followed as a chain if it is
    damaged too). A file there that is not the continuation is never touched: that is
    an error naming it.
    """
    from tabletop.engine.rules import Engine
    from tabletop.journal import JournalError, JournalWriter, NotASave, read_journal
    from tabletop.journal.replay import Replay, load_campaign_of
    from tabletop.session import LocalSession

    read = read_journal(save)
    campaign = load_campaign_of(read)
    # an event that does not fit the game (a card the campaign lacks...) is damage there, as a bad line is
    read = Replay(read, Engine(campaign), every=1 << 30).read
    damaged: list[tuple[Path, JournalRead]] = []  # the files of the chain found damaged, in order
    chain = [save]
    path, existed = save, True
    while read.damage:
        damaged.append((path, read))
        nxt = resumed_path(path)
        existed = nxt.exists() or nxt.is_symlink()
        if not existed:
            copy_good_part(read, nxt)
            path, read = nxt, read_journal(nxt)
            chain.append(path)
            break
        try:
            cont = read_journal(nxt)
        except NotASave:
            raise JournalError(
                f"{read.damage}, and {nxt}, where its game would continue, is not a save; "
                f"move {nxt} away to resume {path.name}"
            ) from None
        except JournalError as e:
            raise JournalError(
                f"{read.damage}, and its game continues in {nxt}, which cannot be read ({e}); "
                f"move {nxt} away to resume {path.name} from its damage again"
            ) from None
        if not _continues(cont, read):
            raise JournalError(
                f"{read.damage}, and {nxt}, where its game would continue, holds another game; "
                f"move {nxt} away to resume {path.name}"
            )
        if len(cont.entries) < len(read.entries):
            raise JournalError(
                f"{read.damage}, and its continuation {nxt} holds fewer events ({len(cont.entries)}) than "
                f"its good part ({len(read.entries)}); move {nxt} away to resume {path.name} from its damage again"
            )
        path, read = nxt, cont
        chain.append(path)
    notice = None
    if damaged:
        if existed:  # the continuation's own events must fold too
            Replay(read, Engine(campaign), every=1 << 30)
        first, *more = damaged
        also = "".join(f"; so was its continuation {p.name}, {_damage_words(r).removeprefix('was ')}" for p, r in more)
        before = ", where it was carried on before" if existed else ""
        notice = (f"{first[0].name} {_damage_words(first[1])} and is left as it is{also}: "
                  f"play continues from event {len(read.entries)} in {path}{before}.")
    if read.repair:  # a damaged line or header rebuilt in memory, proved by the chain: play goes on in place
        said = f"{path.name}: {read.repair}."
        notice = f"{notice} {said}" if notice else said
    writer = JournalWriter.append_to(path, read)
    try:
        session = LocalSession.resume(campaign, read, writer, clock=time.time)
    except BaseException:
        writer.close()
        raise
    return Resumed(session, path, damaged[0][1].damage if damaged else None, notice, chain)


def run(args: argparse.Namespace) -> int:
    from tabletop.journal import JournalError

    save = Path(args.save)
    try:
        resumed = open_session(save)
    except JournalError as e:
        print(f"tabletop resume: {save}: {e}", file=sys.stderr)
        return 2
    if resumed.notice:  # on the game screen too
        if resumed.damage:
            print(f"tabletop resume: {save}: {resumed.damage}", file=sys.stderr)
        print(f"tabletop resume: {resumed.notice}", file=sys.stderr)
    session = resumed.session
    try:
        try:
            from tabletop.tui.app import build_app
        except ModuleNotFoundError as e:
            if not (e.name or "").startswith("tabletop.tui"):
                raise
            print("tabletop resume: the game screen is not available in this installation", file=sys.stderr)
            return 2
        app = build_app(session, seat_mode="hotseat", bot_delay=args.bot_delay, save_path=resumed.path,
                        notice=resumed.notice)
        app.run()
    finally:
        session.close()
    from tabletop.commands.common import debrief_if_asked, say_where_it_is

    debriefed = debrief_if_asked(app, resumed.path)
    if debriefed is not None:
        return debriefed
    say_where_it_is(resumed.path, session.ended)
    return int(getattr(app, "return_code", None) or 0)
