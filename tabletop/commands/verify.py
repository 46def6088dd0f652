"""`tabletop verify SAVE`: check a save's checksums and hash chain, and that its events fold.

Prints ``SAVE: ok, N events, chain verified`` and exits 0, or one sentence naming the
first bad line and why (``checksum mismatch``, ``chain broken``, ``out of sequence``,
``torn line``, ``unreadable event``, ``incomplete command``), or why the events do not
fit the campaign stored in the save, and exits 1. A file that is missing or not a save
at all: a sentence on stderr, exit 2. The save is only read, never changed.
"""

from __future__ import annotations

import argparse
import sys


def verify(save: str) -> tuple[int, str]:
    """``(exit code, the sentence to print)`` for the save at ``save``. Never raises."""
    from tabletop.journal import HeaderDamaged, JournalError, read_journal
    from tabletop.journal.replay import Replay, load_campaign_of
    from tabletop.engine.rules import Engine

    try:
        read = read_journal(save)
    except HeaderDamaged as e:
        return 1, f"{save}: {e}"
    except JournalError as e:
        return 2, f"{save}: {e}"
    problems = []
    if read.problem is not None:
        problems.append(read.problem.detail)
    try:
        Replay(read, Engine(load_campaign_of(read)), every=1 << 30)
    except JournalError as e:
        problems.append(str(e))
    if problems:
        return 1, f"{save}: " + "; ".join(problems)
    n = len(read.entries)
    return 0, f"{save}: ok, {n} event{'s' if n != 1 else ''}, chain verified"


def run(args: argparse.Namespace) -> int:
    code, sentence = verify(args.save)
    print(sentence, file=sys.stderr if code == 2 else sys.stdout)
    return code
