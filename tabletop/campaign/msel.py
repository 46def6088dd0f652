"""The MSEL (master scenario events list): a campaign's injects as a spreadsheet, and back.

:func:`export_csv` turns the injects into CSV rows a facilitator edits in a spreadsheet;
:func:`read_rows` checks an edited CSV cell by cell, every problem located as
``FILE.csv:ROW:COL`` (ROW is the line of the file, the header being line 1; COL the
column's number, and each message starts with the column's name); :func:`merge` writes
the edits into the campaign's YAML text with ruamel.yaml's round-trip mode, so comments,
key order, quoting and layout everywhere else stay as they were, byte for byte.

This module is imported only by ``tabletop msel``: ruamel.yaml is loaded by nobody else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
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


@dataclass(frozen=True)
class Merged:
    """The merged campaign text, and what changed."""

    text: str
    updated: tuple[str, ...]
    added: tuple[str, ...]
    untouched: tuple[str, ...]  # injects of the campaign with no row in the CSV


def _yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line of someone else's
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: Any, data: Any) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


#: (mapping indent, sequence indent, dash offset) layouts tried, most usual first.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 5, 3), (4, 6, 2))


def _layout(doc: Any, source: str) -> tuple[int, int, int]:
    """The indentation that writes ``doc`` (loaded from ``source``) back as ``source`` is
    (else the one that changes fewest lines). Loading is the slow part: it is done once."""
    best: tuple[int, tuple[int, int, int]] | None = None
    lines = source.splitlines()
    for layout in _LAYOUTS:
        again = _dump(_yaml(layout), doc)
        if again == source:
            return layout
        changed = sum(a != b for a, b in zip(lines, again.splitlines())) + abs(len(lines) - len(again.splitlines()))
        if best is None or changed < best[0]:
            best = (changed, layout)
    assert best is not None
    return best[1]


def _styled(value: str, old: Any = None) -> Any:
    """A string as it reads best in YAML: several lines as a literal block, a long line as a
    folded one (wrapped), a short one plain (or quoted the way the old value was)."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if "\n" in value:
        return LiteralScalarString(value)
    if len(value) > _FOLD_OVER and value == " ".join(value.split()):
        folded = FoldedScalarString(value)
        folds, start = [], 0
        while len(value) - start > _WRAP:
            cut = value.rfind(" ", start, start + _WRAP)
            if cut <= start:
                break
            folds.append(cut)
            start = cut + 1
        folded.fold_pos = folds
        return folded
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    return value


def _flow_list(items: Sequence[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _put(mapping: Any, key: str, value: Any) -> None:
    """Set ``key``, in its place in :data:`KEY_ORDER` if it is new."""
    if key in mapping:
        mapping[key] = value
        return
    rank = KEY_ORDER.index(key)
    keys = list(mapping.keys())
    pos = 0
    for i, k in enumerate(keys):
        if k in KEY_ORDER and KEY_ORDER.index(k) < rank:
            pos = i + 1
    mapping.insert(pos, key, value)


def _drop(mapping: Any, key: str) -> None:
    """Remove ``key``, keeping a blank line or comment that followed its value."""
    if key not in mapping:
        return
    keys = list(mapping.keys())
    i = keys.index(key)
    trailing = mapping.ca.items.get(key)
    del mapping[key]
    if trailing and len(trailing) > 2 and trailing[2] is not None and i > 0:
        prev = keys[i - 1]
        if not isinstance(mapping[prev], (dict, list)) and not mapping.ca.items.get(prev):
            mapping.ca.items[prev] = [None, None, trailing[2], None]


def _apply(mapping: Any, old: Inject | None, values: Mapping[str, Any]) -> bool:
    """Write the changed cells of one row into ``mapping``; True if anything changed."""
    changed = False
    old_round = old.round if old else None
    old_when = old.when if old else None
    for key in ("title", "text", "expected", "objective"):
        if key not in values:
            continue
        before = getattr(old, key) if old else ""
        if values[key].strip() == before.strip():
            continue
        changed = True
        if values[key] or key == "title":
            _put(mapping, key, _styled(values[key], mapping.get(key)))
        else:
            _drop(mapping, key)
    if "round" in values and values["round"] != old_round:
        changed = True
        if values["round"] is None:
            _drop(mapping, "round")
        else:
            _put(mapping, "round", values["round"])
    if "when" in values and values["when"] != old_when:
        changed = True
        if values["when"] is None:
            _drop(mapping, "when")
        else:
            _put(mapping, "when", _styled(values["when"], mapping.get("when")))
    if "to" in values and list(values["to"]) != list(old.to if old else []):
        changed = True
        if values["to"]:
            _put(mapping, "to", _flow_list(values["to"]))
        else:
            _drop(mapping, "to")
    if values.get("library") is not None:
        wanted = values["library"]
        if "library" in mapping:
            if bool(mapping["library"]) != wanted:
                mapping["library"] = wanted
                changed = True
        else:
            new_round = mapping.get("round")
            new_when = mapping.get("when")
            default = new_round is None and new_when is None
            if wanted != default:
                _put(mapping, "library", wanted)
                changed = True
    return changed


def _new_mapping(edit: RowEdit) -> Any:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    mapping["id"] = edit.id
    _apply(mapping, None, edit.values)
    return mapping


class MergeError(Exception):
    """The campaign's YAML could not be read for merging (one sentence)."""


def merge(source: str, campaign: Campaign, edits: Iterable[RowEdit]) -> Merged:
    """``source`` (the campaign's YAML text) with ``edits`` written in: existing injects
    updated cell by cell, new ones appended to ``injects:``. Everything else is kept as it
    was written. The result is not validated here: load it before using it."""
    from ruamel.yaml.error import YAMLError

    try:
        doc = _yaml().load(source)
        layout = _layout(doc, source)
        y = _yaml(layout)
    except YAMLError as e:  # pragma: no cover - the campaign loaded, so ruamel reads it too
        raise MergeError(f"the campaign's YAML cannot be read for merging: {e}") from None
    edits = list(edits)
    seq = doc.get("injects")
    position = {m.get("id"): i for i, m in enumerate(seq or []) if isinstance(m, dict)}
    updated: list[str] = []
    new = [e for e in edits if e.new]
    for edit in edits:
        if edit.new:
            continue
        if _apply(seq[position[edit.id]], campaign.inject_by_id[edit.id], edit.values):
            updated.append(edit.id)
    in_csv = {e.id for e in edits}
    untouched = tuple(i.id for i in campaign.injects if i.id not in in_csv)
    if not new:
        return Merged(_dump(y, doc), tuple(updated), (), untouched)

    text = _dump(y, doc)
    lines = text.splitlines(keepends=True)
    dash = layout[2]
    where = _injects_block(lines, dash) if seq and not seq.fa.flow_style() else None
    if where is None:  # no list yet, an empty or a flow one: ruamel writes the whole list
        from ruamel.yaml.comments import CommentedSeq

        fresh = CommentedSeq([*(seq or []), *(_new_mapping(e) for e in new)])
        if "injects" in doc:
            doc["injects"] = fresh
        else:
            _put_top(doc, fresh)
        return Merged(_dump(y, doc), tuple(updated), tuple(e.id for e in new), untouched)

    # Appended after the last inject, before the blank lines and comments that end the
    # list (they introduce what follows it), in the list's own layout.
    start, end, gap = where
    insert_at = end
    while insert_at > start + 1 and _ends_list(lines[insert_at - 1], dash):
        insert_at -= 1
    items = _dump(y, {"injects": [_new_mapping(e) for e in new]}).splitlines(keepends=True)[1:]
    rendered: list[str] = []
    for ln in items:
        if ln.lstrip().startswith("- ") and len(ln) - len(ln.lstrip()) == dash and gap:
            rendered.append("\n")
        rendered.append(ln)
    if insert_at and not lines[insert_at - 1].endswith("\n"):
        lines[insert_at - 1] += "\n"
    merged = "".join(lines[:insert_at] + rendered + lines[insert_at:])
    return Merged(merged, tuple(updated), tuple(e.id for e in new), untouched)


def _ends_list(line: str, dash: int) -> bool:
    """A blank line, or a comment no deeper than the list's dashes (deeper, it is the last item's)."""
    stripped = line.lstrip()
    return not stripped or (stripped.startswith("#") and len(line) - len(stripped) <= dash)


def mismatches(before: Campaign, after: Campaign, edits: Iterable[RowEdit]) -> list[str]:
    """What the merged campaign ``after`` does not hold as ``edits`` asked (nothing, unless
    the merge went wrong): a last check before anything is written."""
    wrong: list[str] = []
    edits = list(edits)
    expected_ids = [i.id for i in before.injects] + [e.id for e in edits if e.new]
    if [i.id for i in after.injects] != expected_ids:
        return [f"the injects are {[i.id for i in after.injects]}, not {expected_ids}"]
    for edit in edits:
        inject = after.inject_by_id[edit.id]
        for key, value in edit.values.items():
            got = inject.in_library if key == "library" else getattr(inject, key)
            if key == "library" and value is None:
                continue
            same = got.strip() == value.strip() if isinstance(value, str) and isinstance(got, str) else got == value
            if not same:
                wrong.append(f"inject {edit.id!r}: {key} is {got!r}, not {value!r}")
    return wrong


def _injects_block(lines: Sequence[str], dash: int) -> tuple[int, int, bool] | None:
    """Where the block list under the top-level ``injects:`` is in ``lines``: the index of
    the ``injects:`` line, the index of the line of the next top-level key (or the end),
    and whether its items are separated by a blank line (looked at before the second)."""
    start = next((i for i, ln in enumerate(lines) if re.match(r"injects\s*:(\s|$)", ln)), None)
    if start is None:
        return None  # a key written another way ("injects":): ruamel writes the list
    end, items, gap = len(lines), 0, True
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        if ln[:1] not in ("", " ", "\t", "#", "-", "\n", "\r"):
            end = i
            break
        if ln.startswith(" " * dash + "- "):
            items += 1
            if items == 2:
                gap = not lines[i - 1].strip()
    return start, end, gap


def _put_top(doc: Any, value: Any) -> None:
    """Add ``injects:`` to the document: before ``end:`` or ``hidden:`` if there, else last."""
    keys = list(doc.keys())
    for follower in ("end", "hidden"):
        if follower in keys:
            doc.insert(keys.index(follower), "injects", value)
            return
    doc["injects"] = value


__all__ = [
    "COLUMNS",
    "MergeError",
    "Merged",
    "RowEdit",
    "export_csv",
    "inject_row",
    "merge",
    "mismatches",
    "read_rows",
    "readable_names",
    "round_date",
    "seat_names",
]
