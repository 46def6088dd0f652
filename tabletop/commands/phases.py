"""`tabletop phases`: draw a campaign's crisis state machine."""

from __future__ import annotations

import argparse

from tabletop.commands.common import load_or_exit


def run(args: argparse.Namespace) -> int:
    from tabletop.phases.diagram import mermaid, text

    loaded = load_or_exit(args.campaign)
    if loaded is None:
        return 2
    render = mermaid if args.format == "mermaid" else text
    print(render(loaded.campaign), end="")
    return 0
