"""`tabletop` with no command: the launcher, then whatever was chosen in it."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from tabletop.tui.launcher import build_launcher

    choice = build_launcher().run()
    if choice is None:
        return 0
    if choice.action == "play":
        from tabletop.commands import play

        return play.run(argparse.Namespace(
            campaign=choice.path, seed=choice.seed, bot=list(choice.bots), bot_delay=0.6, save=None,
        ))
    if choice.action == "resume":
        from tabletop.commands import resume

        return resume.run(argparse.Namespace(save=choice.path, bot_delay=0.6))
    from tabletop.commands import replay

    return replay.run(argparse.Namespace(save=choice.path))
