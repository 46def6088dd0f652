"""`tabletop msel CAMPAIGN`: the injects as a spreadsheet (CSV), and edits merged back.

* ``tabletop msel CAMPAIGN -o FILE.csv`` writes the MSEL (standard output without ``-o``);
  an existing file is left alone unless ``--force``.
* ``tabletop msel CAMPAIGN --import FILE.csv [-o NEW.yaml]`` merges the rows into the
  campaign and writes the result to a NEW file (default ``<campaign>.merged.yaml``, beside
  the campaign; in the current folder for a bundled one): the campaign file itself is
  never changed, unless it is named with ``-o`` and ``--force``. Nothing is written if a
  row is wrong (``FILE.csv:ROW:COL: error: ...``) or the merged campaign does not validate.

Exit 0 done; 1 bad rows or a merged campaign with errors; 2 bad usage or an input that
cannot be used (no such campaign, an unreadable CSV, an output that would replace a file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop.commands.common import load_or_exit
from tabletop.files import Refused, check_new, write_new

if TYPE_CHECKING:
    from tabletop.campaign.validate import LoadedCampaign

NAME = "tabletop msel"


def _say(message: str) -> None:
    print(f"{NAME}: {message}", file=sys.stderr)


def _injects(n: int) -> str:
    return f"{n} inject{'s' if n != 1 else ''}"


def default_output(campaign_arg: str, campaign_path: Path) -> Path:
    """``<campaign>.merged.yaml``: beside a campaign given as a path, here for a bundled id."""
    folder = campaign_path.parent if Path(campaign_arg).exists() else Path(".")
    return folder / f"{campaign_path.stem}.merged.yaml"


def run(args: argparse.Namespace) -> int:
    loaded = load_or_exit(args.campaign, NAME)
    if loaded is None:
        return 2
    if args.import_csv is None:
        return _export(loaded, args)
    return _import(loaded, args)


def _export(loaded: LoadedCampaign, args: argparse.Namespace) -> int:
    from tabletop.campaign.msel import export_csv

    campaign = loaded.campaign
    text = export_csv(campaign)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        # With a byte-order mark, so that Excel reads accented names as UTF-8.
        write_new(args.output, "\ufeff" + text, force=args.force)
    except Refused as e:
        _say(f"{e}.")
        return 2
    except OSError as e:
        _say(f"cannot write {args.output}: {e.strerror or e}.")
        return 2
    n = len(campaign.injects)
    _say(f"wrote {n} inject{'s' if n != 1 else ''} to {args.output}; edit it and merge it back with "
         f"`tabletop msel {args.campaign} --import {args.output}`.")
    return 0


def _import(loaded: LoadedCampaign, args: argparse.Namespace) -> int:
    from tabletop.campaign.msel import read_rows
    from tabletop.campaign.msel_merge import MergeError, merge, mismatches
    from tabletop.campaign.problems import CampaignError
    from tabletop.campaign.validate import load_campaign_text

    campaign = loaded.campaign
    source_path = Path(loaded.path)
    csv_name = args.import_csv
    out = Path(args.output) if args.output else default_output(args.campaign, source_path)
    if out.suffix.lower() == ".csv":
        _say(f"{out} would be the merged campaign (YAML), not a CSV: name a .yaml file with -o.")
        return 2
    try:
        check_new(out, force=args.force)
    except Refused as e:
        _say(f"{e}.")
        return 2
    try:
        with open(csv_name, "rb") as f:
            raw = f.read(16 * 1024 * 1024)
    except OSError as e:
        _say(f"cannot read {csv_name}: {e.strerror or e}.")
        return 2
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        print(f"{csv_name}:1:1: error: the file is not UTF-8 (byte {e.start + 1}): save it as "
              f"'CSV UTF-8' from the spreadsheet", file=sys.stderr)
        _say("nothing was written.")
        return 1
    edits, problems = read_rows(campaign, text, csv_name)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        n = len(problems)
        _say(f"{n} error{'s' if n != 1 else ''} in {csv_name}; nothing was written.")
        return 1
    try:
        merged = merge(loaded.text, campaign, edits)
    except MergeError as e:
        _say(f"{e}; nothing was written.")
        return 2
    try:
        result = load_campaign_text(merged.text, str(out))
    except CampaignError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        _say(f"the merged campaign would not be valid (lines as in {out}, which was not written); "
             f"nothing was written.")
        return 1
    wrong = mismatches(campaign, result.campaign, edits)
    if wrong:  # pragma: no cover - a bug of ours; said plainly rather than written
        for line in wrong:
            _say(f"the merge went wrong: {line}")
        _say("nothing was written (please report this, with the CSV and the campaign).")
        return 1
    known = {p.message for p in loaded.warnings}
    for warning in result.warnings:
        if warning.message not in known:  # only what the edits brought
            print(warning, file=sys.stderr)
    try:
        write_new(out, merged.text, force=args.force)
    except Refused as e:
        _say(f"{e}.")
        return 2
    except OSError as e:
        _say(f"cannot write {out}: {e.strerror or e}.")
        return 2
    parts = []
    if merged.updated:
        parts.append(f"{_injects(len(merged.updated))} updated ({', '.join(merged.updated)})")
    if merged.added:
        parts.append(f"{_injects(len(merged.added)) if not parts else len(merged.added)} added "
                     f"({', '.join(merged.added)})")
    what = ", ".join(parts) if parts else "no inject changed"
    kept = f"; {len(merged.untouched)} not in the CSV left as they were" if merged.untouched else ""
    _say(f"{what}{kept}. The merged campaign is in {out} ({source_path} is left as it is).")
    return 0
