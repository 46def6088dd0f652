"""`tabletop report SAVE [--format md|html] [-o FILE]`: the after-action report.

Written to standard output, or to FILE. A damaged save still gets a report of its good
part, with the damage sentence at the top (and on stderr). A file that is missing or
not a save, or whose campaign no longer loads: one sentence on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from tabletop.analysis.report import report_text
    from tabletop.journal import JournalError
    from tabletop.journal.replay import Replay

    try:
        replay = Replay.open(args.save)
    except JournalError as e:
        print(f"tabletop report: {args.save}: {e}", file=sys.stderr)
        return 2
    if replay.damage:
        print(f"tabletop report: {args.save}: {replay.damage}", file=sys.stderr)
    text = report_text(replay, args.format)
    if args.output:
        out = Path(args.output)
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as e:
            print(f"tabletop report: cannot write {out}: {e.strerror or e}", file=sys.stderr)
            return 2
        print(f"tabletop report: wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
