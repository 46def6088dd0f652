"""`tabletop verify SAVE [--receipt FILE|HASH]`: prove what a save holds.

Checks, in order: every line's checksum and the hash chain (reading; a damaged line
whose command re-derives it, proved by the next line's ``prev``, is repaired in memory
and reported); that every event fits the game (no card, play or actor the campaign
does not have); and that every event is exactly what its recorded command gives when
the engine decides it again from the header's seed (:mod:`tabletop.journal.proof`).

Prints ``SAVE: ok, N events, chain verified, every event re-derived from its command;``
and whether the game ended (a save cut after a whole command looks like a game that
has not ended: only a receipt proves nothing is missing), then the save's fingerprint
(its chain head), and exits 0. Otherwise one line per problem, each a located
sentence (``SAVE: event 57 (line 58) differs from what its command gives: ...``), and
exit 1. ``--receipt``: a seat's receipt file or a fingerprint the host printed; the
save must hold that event unchanged, or exit 1. A file that is missing or not a save
at all: a sentence on stderr, exit 2. The save is only read, never changed.
"""

from __future__ import annotations

import argparse
import sys


def _lines(runs: list[tuple[int, int, int, int]]) -> str:
    def one(a: int, b: int, sa: int, sb: int) -> str:
        return f"line {a} (event {sa})" if a == b else f"lines {a}-{b} (events {sa}-{sb})"

    parts = [one(*r) for r in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def verify(save: str, receipt: str | None = None) -> tuple[int, str]:
    """``(exit code, the text to print)`` for the save at ``save``. Never raises."""
    from tabletop.engine.narrate import Narrator
    from tabletop.engine.rules import Engine
    from tabletop.journal import REDERIVE_SINCE, HeaderDamaged, JournalError, read_journal
    from tabletop.journal.fit import fold
    from tabletop.journal.proof import rederive
    from tabletop.journal.receipts import ReceiptError, check_receipt, load_receipt
    from tabletop.journal.replay import load_campaign_of

    given = None
    if receipt is not None:
        try:
            given = load_receipt(receipt)
        except ReceiptError as e:
            return 2, f"{save}: {e}"
    try:
        read = read_journal(save)
    except HeaderDamaged as e:
        return 1, f"{save}: {e}"
    except JournalError as e:
        return 2, f"{save}: {e}"
    problems = list(read.repairs)
    if read.problem is not None:
        detail = read.problem.detail
        if read.beyond:
            one = len(read.beyond) == 1 and read.beyond[0][0] == read.beyond[0][1]
            detail += (f"; beyond it, {_lines(read.beyond)} {'is' if one else 'are'} intact (checksums good, "
                       f"each naming the line before it) but not loaded: nothing proves what the damaged line held")
        problems.append(detail)
    checked = read
    final = None
    try:
        engine = Engine(load_campaign_of(read))
    except JournalError as e:
        problems.append(str(e))
    else:
        checked, final, _ = fold(read, engine)
        if checked.problem is not read.problem and checked.problem is not None:
            problems.append(checked.problem.detail)
        if read.header.game_version >= REDERIVE_SINCE:
            difference = rederive(checked, engine)
            if difference is not None:
                problems.append(difference.sentence)
    receipt_line = None
    if given is not None:
        ok, receipt_line = check_receipt(checked, given)
        if not ok:
            problems.append(receipt_line)
            receipt_line = None
    if problems:
        return 1, "\n".join(f"{save}: {p}" for p in problems)
    n = len(checked.entries)
    assert final is not None
    head = f"{save}: ok, {n} event{'s' if n != 1 else ''}, chain verified, "
    if checked.header.game_version >= REDERIVE_SINCE:
        head += "every event re-derived from its command; "
    else:
        head += (f"every event fits the game (not re-derived: the game began under format "
                 f"{checked.header.game_version}, whose rules this tabletop no longer plays); ")
    if final.outcome is not None:
        why = Narrator(engine).end_reason(final.outcome.reason, final.outcome.detail)
        head += f"the game ended in round {final.round}: {why}"
    else:
        head += (f"the game has not ended (it stops in round {final.round}): a save cut after a whole command "
                 f"looks the same, so only a receipt or the host's final fingerprint proves nothing is missing")
    out = [head, f"fingerprint: {checked.fingerprint} (the chain head, after event {n})"]
    if receipt_line is not None:
        out.append(f"receipt: {receipt_line}")
    return 0, "\n".join(out)


def run(args: argparse.Namespace) -> int:
    code, text = verify(args.save, getattr(args, "receipt", None))
    print(text, file=sys.stderr if code == 2 else sys.stdout)
    return code
