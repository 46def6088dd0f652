"""The MSEL (master scenario events list): a campaign's injects as a spreadsheet, and back.

:func:`export_csv` turns the injects into CSV rows a facilitator edits in a spreadsheet;
:func:`read_rows` checks an edited CSV cell by cell, every problem located as
``FILE.csv:ROW:COL`` (ROW is the line of the file, the header being line 1; COL the
column's number, and each message starts with the column's name); :func:`merge` writes
the edits into the campaign's YAML text with ruamel.yaml's round-trip mode, so comments,
key order, quoting and layout everywhere else stay as they were, byte for byte.

The merge itself is :mod:`tabletop.campaign.msel_merge`. This module
is imported only by ``tabletop msel``: ruamel.yaml is loaded by nobody else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any, Final

from tabletop.campaign.model import Campaign, Inject
from tabletop.campaign.problems import Problem, Severity

#: The columns, in the order the export writes them.
COLUMNS: Final = ("id", "round", "date", "when", "library", "to", "title", "text", "expected", "objective")
#: How ``to`` names are joined in a cell.
TO_SEPARATOR: Final = "; "
#: Keys of an inject, in the order a new key is placed among those already there.
KEY_ORDER: Final = ("id", "title", "text", "round", "when", "library", "to", "effects", "expected", "objective", "source")

_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}
_LIMITS = {"title": 120, "objective": 200, "text": 20_000, "expected": 20_000, "when": 2000}
#: A string longer than this is written as a folded block (``>-``), wrapped at ``_WRAP``.
_FOLD_OVER = 80
_WRAP = 88


# =========================================================================== export


def round_date(campaign: Campaign, round_: int) -> dt.date:
    """The in-game date on which round ``round_`` starts."""
    cal = campaign.calendar
    return cal.start + dt.timedelta(days=cal.round_days * (round_ - 1))


def seat_names(campaign: Campaign) -> dict[str, str]:
    """Side and actor ids -> the names people read."""
    names = {s.id: s.name for s in campaign.sides}
    names.update({a.id: a.name for s in campaign.sides for a in s.actors})
    return names


def readable_names(campaign: Campaign) -> dict[str, str]:
    """Side and actor ids -> what the ``to`` column shows: the name, or the id when two
    seats share that name (a side and its only actor often do), so that a name read back
    always means one seat."""
    names = seat_names(campaign)
    count: dict[str, int] = {}
    for name in names.values():
        count[name.casefold()] = count.get(name.casefold(), 0) + 1
    return {i: (n if count[n.casefold()] == 1 else i) for i, n in names.items()}


def inject_row(campaign: Campaign, inject: Inject) -> dict[str, str]:
    """One inject as the cells of its row."""
    names = readable_names(campaign)
    return {
        "id": inject.id,
        "round": "" if inject.round is None else str(inject.round),
        "date": "" if inject.round is None else round_date(campaign, inject.round).isoformat(),
        "when": inject.when or "",
        "library": "yes" if inject.in_library else "no",
        "to": TO_SEPARATOR.join(names.get(t, t) for t in inject.to),
        "title": inject.title,
        "text": inject.text,
        "expected": inject.expected,
        "objective": inject.objective,
    }


def export_csv(campaign: Campaign) -> str:
    """The campaign's injects as CSV text (header first; ``\\r\\n`` line ends, as the csv module writes)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for inject in campaign.injects:
        writer.writerow(inject_row(campaign, inject))
    return out.getvalue()


# =========================================================================== reading an edited CSV


@dataclass
class RowEdit:
    """What one CSV row asks for: the inject ``id`` with the values of the columns present.

    ``values`` holds parsed cells: ``round`` int or None, ``when`` str or None,
    ``library`` bool or None (empty: leave as it is), ``to`` a list of ids, the texts as str.
    """

    id: str
    line: int
    new: bool
    values: dict[str, Any] = field(default_factory=dict)


def _seat_lookup(campaign: Campaign) -> tuple[set[str], dict[str, list[str]]]:
    ids = set(seat_names(campaign))
    by_name: dict[str, list[str]] = {}
    for seat_id, name in seat_names(campaign).items():
        by_name.setdefault(name.casefold(), []).append(seat_id)
    return ids, by_name


def read_rows(campaign: Campaign, text: str, path: str) -> tuple[list[RowEdit], list[Problem]]:
    """The edits an MSEL CSV asks for, and every problem in it (errors, located).

    ``text`` is the decoded file (a leading byte-order mark is dropped). Columns may be
    left out (those fields are left as they are) and come in any order; ``id`` is required.
    """
    problems: list[Problem] = []

    def error(line: int, col: int, message: str) -> None:
        problems.append(Problem(path, line, col, Severity.ERROR, message))

    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as e:
        error(1, 1, f"this is not a readable CSV file: {e}")
        return [], problems
    if header is None:
        error(1, 1, "the file is empty: it needs a header row naming the columns (at least `id`)")
        return [], problems
    columns: dict[str, int] = {}  # name -> 0-based index
    for i, raw in enumerate(header):
        name = raw.strip().lower()
        if not name:
            error(1, i + 1, "a column without a name: name it, or delete the column")
        elif name not in COLUMNS:
            error(1, i + 1, f"unknown column {raw.strip()!r} (the columns are: {', '.join(COLUMNS)})")
        elif name in columns:
            error(1, i + 1, f"column {name!r} appears twice (first as column {columns[name] + 1})")
        else:
            columns[name] = i
    if "id" not in columns:
        error(1, 1, "there is no `id` column: every row needs the id of its inject")
    if problems:
        return [], problems

    ids, by_name = _seat_lookup(campaign)
    names = seat_names(campaign)
    rounds = campaign.calendar.rounds
    edits: list[RowEdit] = []
    first_line: dict[str, int] = {}
    prev_end = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            error(reader.line_num, 1, f"this row cannot be read: {e}")
            break
        line, prev_end = prev_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank row
        for extra in range(len(header), len(cells)):
            if cells[extra].strip():
                error(line, extra + 1, "a cell beyond the last named column: name the column, or empty the cell")

        def cell(name: str) -> str:
            i = columns[name]
            return cells[i].replace("\r\n", "\n").replace("\r", "\n").strip() if i < len(cells) else ""

        def bad(name: str, message: str) -> None:
            error(line, columns[name] + 1, f"{name}: {message}")

        inject_id = cell("id")
        if not inject_id:
            bad("id", "empty: every row needs the id of its inject (a new id adds an inject)")
            continue
        if not _ID.match(inject_id) or len(inject_id) > 64:
            bad("id", f"{inject_id!r} is not an id (lower case letters, digits, '-' and '_', starting with a letter)")
            continue
        if inject_id in first_line:
            bad("id", f"{inject_id!r} is already on row {first_line[inject_id]}: one row per inject")
            continue
        first_line[inject_id] = line
        old = campaign.inject_by_id.get(inject_id)
        edit = RowEdit(inject_id, line, new=old is None)
        before = len(problems)

        for name in ("title", "text", "expected", "objective"):
            if name in columns:
                value = cell(name)
                if len(value) > _LIMITS[name]:
                    bad(name, f"too long ({len(value)} characters; at most {_LIMITS[name]})")
                edit.values[name] = value
        if old is None and not edit.values.get("title"):
            bad("title" if "title" in columns else "id",
                "empty: a new inject needs a title" if "title" in columns
                else "a new inject needs a title: add a `title` column")
        elif "title" in columns and not edit.values["title"]:
            bad("title", "empty: every inject needs a title")

        if "round" in columns:
            raw = cell("round")
            if not raw:
                edit.values["round"] = None
            elif not re.fullmatch(r"[+-]?\d+", raw):
                bad("round", f"{raw!r} is not a whole number (the round it fires at, 1 to {rounds}; empty for none)")
            elif int(raw) < 1:
                bad("round", f"{int(raw)} is not a round: rounds count from 1 (this campaign has {rounds})")
            else:
                edit.values["round"] = int(raw)
        if "date" in columns and cell("date"):
            _read_date(campaign, cell("date"), edit, old, "round" in columns and "round" not in edit.values,
                       lambda m: bad("date", m))

        if "when" in columns:
            condition = cell("when")
            if not condition:
                edit.values["when"] = None
            elif len(condition) > _LIMITS["when"]:
                bad("when", f"too long ({len(condition)} characters; at most {_LIMITS['when']})")
            else:
                from tabletop.campaign.conditions import ConditionError

                try:
                    campaign.condition(condition)
                except ConditionError as e:
                    bad("when", f"{condition!r}: {e.message}")
                else:
                    edit.values["when"] = condition

        if "library" in columns:
            raw = cell("library")
            if not raw:
                edit.values["library"] = None
            elif raw.lower() in _YES:
                edit.values["library"] = True
            elif raw.lower() in _NO:
                edit.values["library"] = False
            else:
                bad("library", f"{raw!r}: write yes or no (or leave it empty)")

        if "to" in columns:
            targets: list[str] = []
            for part in (p.strip() for p in cell("to").replace("\n", ";").split(";")):
                if not part:
                    continue
                if part in ids:
                    seat = part
                else:
                    found = by_name.get(part.casefold(), [])
                    if len(found) > 1:
                        bad("to", f"{part!r} is the name of more than one side or actor: write its id "
                                  f"({' or '.join(found)})")
                        continue
                    if not found:
                        known = ", ".join(f"{n} ({s})" for s, n in names.items())
                        bad("to", f"no side or actor is named {part!r} (they are: {known}; ids work too)")
                        continue
                    seat = found[0]
                if seat not in targets:
                    targets.append(seat)
            edit.values["to"] = targets

        if len(problems) == before:
            edits.append(edit)
    problems.sort(key=lambda p: (p.line, p.col))
    return edits, problems


def _delimiter(text: str) -> str:
    """``,``; or ``;`` or a tab when the header uses that instead (Excel saves CSV with ``;``
    where the decimal separator is a comma, as in most of Europe)."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return ";" if ";" in header else "\t" if "\t" in header else ","


def _dates(raw: str) -> set[dt.date]:
    """The dates a cell may mean: ISO (``2021-11-15``), or as a spreadsheet shows it
    (``15.11.2021``, ``15/11/2021``, ``11/15/2021``: both readings of a slashed date)."""
    try:
        return {dt.date.fromisoformat(raw)}
    except ValueError:
        pass
    found: set[dt.date] = set()
    m = re.fullmatch(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})", raw)
    if m:
        a, sep, b, year = int(m[1]), m[2], int(m[3]), int(m[4])
        orders = [(a, b)] if sep == "." else [(a, b), (b, a)]  # (day, month)
        for day, month in orders:
            try:
                found.add(dt.date(year, month, day))
            except ValueError:
                pass
    m = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", raw)
    if m:
        try:
            found.add(dt.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            pass
    return found


def _read_date(campaign: Campaign, raw: str, edit: RowEdit, old: Inject | None, round_unreadable: bool,
               bad: Any) -> None:
    """A ``date`` cell: the date of the row's round (nothing to do), or a new date that moves
    the inject to the round of that date when the round was left as it was."""
    if round_unreadable:
        return  # the round's own problem is reported
    dates = _dates(raw)
    if not dates:
        bad(f"{raw!r} is not a date (write it as YYYY-MM-DD, e.g. {campaign.calendar.start.isoformat()})")
        return
    old_round = old.round if old is not None else None
    round_ = edit.values.get("round", old_round)
    if round_ is not None and round_date(campaign, round_) in dates:
        return
    if old_round is not None and round_date(campaign, old_round) in dates:
        return  # the date as exported: the round was changed, the date follows it
    if len(dates) > 1:
        bad(f"{raw!r} could be {' or '.join(sorted(d.isoformat() for d in dates))}: write it as YYYY-MM-DD")
        return
    (date,) = dates
    if round_ != old_round:
        bad(f"{raw} is not the date of round {round_} ({round_date(campaign, round_).isoformat() if round_ else 'none'})"
            ": change the round or the date, not both (or empty the date)")
        return
    cal = campaign.calendar
    days = (date - cal.start).days
    last = round_date(campaign, cal.rounds) + dt.timedelta(days=cal.round_days - 1)
    if days < 0 or days // cal.round_days + 1 > cal.rounds:
        bad(f"{raw} is outside the exercise ({cal.start.isoformat()} to {last.isoformat()})")
        return
    edit.values["round"] = days // cal.round_days + 1


# =========================================================================== merging into the YAML

