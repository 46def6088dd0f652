"""The MSEL merge: edited rows written back into a campaign's YAML text.

:func:`merge` applies the :class:`~tabletop.campaign.msel.RowEdit` s that
:func:`~tabletop.campaign.msel.read_rows` checked, with ruamel.yaml's round-trip mode,
so comments, key order, quoting and layout everywhere else stay as they were, byte for
byte; :func:`mismatches` then checks the merged campaign holds exactly what the rows
asked for. Imported only by ``tabletop msel --import`` (ruamel.yaml is slow to load).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tabletop.campaign.model import Campaign, Inject
from tabletop.campaign.msel import _FOLD_OVER, _WRAP, COLUMNS, KEY_ORDER, RowEdit


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
