"""`tabletop report SAVE [--format md|html] [-o FILE [--force]]`: the after-action report.

Written to standard output, or to FILE, which must not exist yet (``--force`` replaces
it; a save is never overwritten, not even with ``--force``). A damaged save still gets
a report of its good part, with the damage sentence at the top (and on stderr). A file
that is missing or not a save, a save whose campaign no longer loads, or an output file
that is taken: one sentence on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from tabletop.analysis.report import report_text
    from tabletop.files import Refused, check_new, write_new
    from tabletop.journal import JournalError
    from tabletop.journal.replay import Replay

    force = bool(getattr(args, "force", False))
    if args.output:  # say so before the work, not after
        try:
            check_new(args.output, force=force)
        except Refused as e:
            print(f"tabletop report: {e}.", file=sys.stderr)
            return 2
    try:
        replay = Replay.open(args.save)
    except JournalError as e:
        print(f"tabletop report: {args.save}: {e}", file=sys.stderr)
        return 2
    if replay.repair:
        print(f"tabletop report: {args.save}: {replay.repair}", file=sys.stderr)
    if replay.damage:
        print(f"tabletop report: {args.save}: {replay.damage}", file=sys.stderr)
    text = report_text(replay, args.format)
    if args.output:
        out = Path(args.output)
        try:
            write_new(out, text, force=force)
        except Refused as e:
            print(f"tabletop report: {e}.", file=sys.stderr)
            return 2
        except OSError as e:
            print(f"tabletop report: cannot write {out}: {e.strerror or e}", file=sys.stderr)
            return 2
        print(f"tabletop report: wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
