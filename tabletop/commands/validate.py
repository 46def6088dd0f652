"""`tabletop validate CAMPAIGN…`: every problem as ``path:line:col: severity: message``.

Problems go to stdout, one per line, so editors and CI can parse them; a summary goes
to stderr. Exit 1 if any file has an error (warnings alone exit 0).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tabletop.campaign.bundled import resolve_campaign
from tabletop.campaign.problems import Problem, Severity
from tabletop.campaign.validate import validate_path


def problems_for(name: str) -> list[Problem]:
    """Every problem in the campaign ``name`` (a path or a bundled id). Never raises."""
    try:
        path = resolve_campaign(name)
    except FileNotFoundError:
        return [Problem(name, 1, 1, Severity.ERROR, "no such file")]
    except (OSError, ValueError) as e:
        return [Problem(name, 1, 1, Severity.ERROR, f"cannot read this file: {e}")]
    # A path is shown as typed; a bundled id as the file it names.
    return validate_path(name if path == Path(name) else path)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(errors: int, warnings: int, files_with_problems: int, files: int) -> str:
    """``2 errors, 1 warning in 1 of 3 files`` or ``3 files ok``."""
    if not errors and not warnings:
        return f"{_plural(files, 'file')} ok"
    counts = ", ".join(
        part for part in (
            _plural(errors, "error") if errors else "",
            _plural(warnings, "warning") if warnings else "",
        ) if part
    )
    return f"{counts} in {files_with_problems} of {_plural(files, 'file')}"


def run(args: argparse.Namespace) -> int:
    """Check each of ``args.files``; returns 1 if any has an error, else 0."""
    errors = warnings = with_problems = 0
    for name in args.files:
        problems = problems_for(name)
        for problem in problems:
            print(problem)
        n_err = sum(1 for p in problems if p.is_error)
        errors += n_err
        warnings += len(problems) - n_err
        with_problems += bool(problems)
    sys.stdout.flush()
    print(summary(errors, warnings, with_problems, len(args.files)), file=sys.stderr)
    return 1 if errors else 0
