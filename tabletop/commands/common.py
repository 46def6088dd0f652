"""Helpers shared by the subcommands: loading a campaign or saying why not."""

from __future__ import annotations

import sys

from tabletop.campaign.problems import CampaignError


def load_or_exit(name: str | None, command: str = "tabletop"):  # type: ignore[no-untyped-def]
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


def debrief_if_asked(app: object, save: object) -> int | None:
    """If the game app was left for the debrief (``d`` on the end screen), open the replay
    of ``save`` and return its exit code; None otherwise."""
    if getattr(app, "return_value", None) != "replay" or save is None:
        return None
    import argparse

    from tabletop.commands import replay

    return int(replay.run(argparse.Namespace(save=str(save))) or 0)
