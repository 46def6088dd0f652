"""`tabletop report SAVE [--format aar|odcr|json|md|html] [--as md|html] [--marking TEXT]
[--compare FORK]... [-o FILE [--force]]`: the after-action report.

``aar``: the After-Action Report / Improvement Plan (HSEEP layout); ``odcr``: every
observation as Observation / Discussion / Conclusion / Recommendation; ``json``: all of
it for analysts; ``md``/``html``: the full debrief record. ``--as html`` writes aar and
odcr as one self-contained HTML page with print CSS (A4). Every report states the save's
fingerprint and whether it verifies; ``--marking`` adds a handling line at the top and
bottom (of every printed page); ``--compare FORK`` puts a what-if fork's outcome beside
the original's.

Written to standard output, or to FILE, which must not exist yet (``--force`` replaces
it; a save is never overwritten, not even with ``--force``). A damaged save still gets
a report of its good part, with the damage sentence at the top (and on stderr). A file
that is missing or not a save, a save whose campaign no longer loads, a fork of another
campaign, a bad marking, or an output file that is taken: one sentence on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MAX_MARKING = 120


def _marking(text: str) -> str:
    """The handling line, on one line; raises ``ValueError`` with a sentence."""
    out = " ".join(text.split())
    if any(not ch.isprintable() for ch in out):
        raise ValueError("--marking must be printable text on one line")
    if len(out) > MAX_MARKING:
        raise ValueError(f"--marking is at most {MAX_MARKING} characters (this one has {len(out)})")
    return out


def forks_beside(save: Path) -> list[Path]:
    """The what-if forks of ``save`` in its folder (``<stem>.fork-*.jsonl`` naming it as parent)."""
    out = []
    stem = save.stem if save.suffix == ".jsonl" else save.name
    for p in sorted(save.parent.glob(f"{stem}.fork-*.jsonl")):
        try:
            with p.open("rb") as f:
                head = json.loads(f.readline(1 << 22))
            parent = head.get("parent") or {}
            if Path(str(parent.get("save", ""))).name == save.name:
                out.append(p)
        except (OSError, ValueError, AttributeError):
            continue
    return out


def run(args: argparse.Namespace) -> int:
    from tabletop.analysis.aar import AAR, Fork
    from tabletop.analysis.odcr import aar_data, build_odcr
    from tabletop.analysis.render import render_html, render_markdown
    from tabletop.analysis.report import report_text
    from tabletop.files import Refused, check_new, write_new
    from tabletop.journal import JournalError
    from tabletop.journal.replay import Replay

    def fail(text: str) -> int:
        print(f"tabletop report: {text}", file=sys.stderr)
        return 2

    fmt = args.format
    render_as = getattr(args, "render_as", None) or "md"
    compare = list(getattr(args, "compare", []) or [])
    try:
        marking = _marking(getattr(args, "marking", "") or "")
    except ValueError as e:
        return fail(f"{e}.")
    if fmt in ("md", "html", "json") and getattr(args, "render_as", None) not in (None, "md"):
        return fail(f"--as is for --format aar and odcr; --format {fmt} is already one form.")
    if compare and fmt in ("md", "html", "odcr"):
        return fail("--compare is for --format aar and json (the forks' outcomes beside the original's).")
    force = bool(getattr(args, "force", False))
    if args.output:  # say so before the work, not after
        try:
            check_new(args.output, force=force)
        except Refused as e:
            return fail(f"{e}.")
    try:
        replay = Replay.open(args.save)
    except JournalError as e:
        return fail(f"{args.save}: {e}")
    if replay.repair:
        print(f"tabletop report: {args.save}: {replay.repair}", file=sys.stderr)
    if replay.damage:
        print(f"tabletop report: {args.save}: {replay.damage}", file=sys.stderr)
    forks = []
    for path in compare:
        try:
            other = Replay.open(path)
        except JournalError as e:
            return fail(f"{path}: {e}")
        if other.header.campaign_sha256 != replay.header.campaign_sha256:
            return fail(f"{path} is not a fork of {args.save}: it plays another campaign (or another version of it).")
        parent = other.header.parent
        if not parent or Path(str(parent.get("save", ""))).name != Path(args.save).name:
            print(f"tabletop report: note: {path} does not name {Path(args.save).name} as its parent; "
                  "compared all the same", file=sys.stderr)
        forks.append(Fork(other, Path(path).name))
    if fmt in ("md", "html"):
        text = report_text(replay, fmt, marking=marking)
    else:
        compared = {Path(p).resolve() for p in compare}
        found = tuple(p.name for p in forks_beside(Path(args.save)) if p.resolve() not in compared)
        aar = AAR(replay, Path(args.save).name, forks=tuple(forks), found=found)
        if fmt == "json":
            text = json.dumps(aar_data(aar, marking), indent=2, ensure_ascii=False) + "\n"
        else:
            doc = aar.build(marking) if fmt == "aar" else build_odcr(aar, marking)
            text = render_html(doc) if render_as == "html" else render_markdown(doc)
    if args.output:
        out = Path(args.output)
        try:
            write_new(out, text, force=force)
        except Refused as e:
            return fail(f"{e}.")
        except OSError as e:
            return fail(f"cannot write {out}: {e.strerror or e}")
        print(f"tabletop report: wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
