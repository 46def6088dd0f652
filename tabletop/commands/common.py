"""Helpers shared by the subcommands: loading a campaign or saying why not."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop.campaign.problems import CampaignError

if TYPE_CHECKING:  # imported where they are used, so that starting a command stays quick
    from tabletop.campaign.validate import LoadedCampaign
    from tabletop.session import LocalSession


def load_or_exit(name: str | None, command: str = "tabletop") -> LoadedCampaign | None:
    """The :class:`LoadedCampaign` for a path or bundled id, or None after printing why not.

    Problems go to stderr as ``path:line:col: severity: message``, then one sentence
    prefixed with ``command``; the caller exits 2.
    """
    from tabletop.campaign.bundled import resolve_campaign
    from tabletop.campaign.validate import load_campaign

    try:
        path = resolve_campaign(name)
    except FileNotFoundError as e:
        print(f"{command}: {e}", file=sys.stderr)
        return None
    try:
        return load_campaign(path)
    except CampaignError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        errors = sum(1 for p in e.problems if p.is_error)
        print(f"{command}: {path} cannot be used ({errors} error{'s' if errors != 1 else ''}; "
              f"`tabletop validate {path}` lists them too).", file=sys.stderr)
        return None


def say_where_it_is(save: Path, ended: bool) -> None:
    """After the game screen closes: where the save is, how to carry on (if the game is
    not over: a facilitator who quit by mistake learns how to go on), how to debrief."""
    import shlex

    print(f"Game {'finished' if ended else 'saved'}: {save}")
    if not ended:
        print(f"To carry on: tabletop resume {shlex.quote(str(save))}")
    print(f"Debrief replay: tabletop replay {shlex.quote(str(save))}")


def debrief_if_asked(app: object, save: object) -> int | None:
    """If the game app was left for the debrief (``d`` on the end screen), open the replay
    of ``save`` and return its exit code; None otherwise."""
    if getattr(app, "return_value", None) != "replay" or save is None:
        return None
    import argparse

    from tabletop.commands import replay

    return int(replay.run(argparse.Namespace(save=str(save))) or 0)


def sidecars(save: Path) -> list[Path]:
    """The files kept beside a save: its join codes and its debrief notes."""
    from tabletop.journal.notes import notes_path
    from tabletop.net.codes import codes_path

    return [codes_path(save), notes_path(save)]


def free_save_path(folder: Path, campaign_id: str, today: dt.date | None = None) -> Path:
    """``folder/<date>-<campaign>.jsonl``, numbered (``-2``, ``-3``...) until neither that
    name nor a file kept beside it (:func:`sidecars`) exists: a new game never inherits
    another game's join codes or notes. The name never carries the seed: a save's name
    is seen by people who may not see inside it."""
    day = (today or dt.date.today()).isoformat()
    first = folder / f"{day}-{campaign_id}.jsonl"
    candidate, n = first, 2
    while candidate.exists() or any(p.exists() for p in sidecars(candidate)):
        candidate = first.with_name(f"{first.stem}-{n}{first.suffix}")
        n += 1
    return candidate


class StartError(Exception):
    """A new game cannot start; the message is one sentence for stderr."""


def start_session(
    loaded: LoadedCampaign, bots: list[str], seed: int | None, save_arg: str | None,
) -> tuple[LocalSession, Path]:
    """A new :class:`LocalSession` with a durable journal, and the save's path.

    The seed is 128 random bits when None; the save goes to ``<saves>/<date>-<campaign>.jsonl``
    (see :func:`tabletop.files.saves_dir`; numbered if that name or a file kept beside it is
    taken) unless ``save_arg`` names one, which must not exist (a save is never overwritten).
    Raises :class:`StartError` for an unknown ``--bot`` name or a save that cannot be made.
    """
    from tabletop.engine.randomness import new_seed
    from tabletop.files import saves_dir
    from tabletop.journal import JournalWriter
    from tabletop.session import LocalSession, SeatError, resolve_controllers

    campaign = loaded.campaign
    try:
        controllers = resolve_controllers(campaign, bots)
    except SeatError as e:
        raise StartError(str(e)) from None
    if seed is None:
        seed = new_seed()
    save = Path(save_arg) if save_arg else free_save_path(saves_dir(), campaign.id)
    header = LocalSession.new_header(campaign, loaded.text, str(loaded.path), seed, controllers)
    try:
        journal = JournalWriter(save, header, durable=True)
    except FileExistsError:
        raise StartError(f"{save} already exists; a save is never overwritten (choose another --save path).") from None
    except OSError as e:
        raise StartError(f"cannot write the save {save}: {e.strerror or e}") from None
    return LocalSession(campaign, seed=seed, controllers=controllers, journal=journal, clock=time.time), save
