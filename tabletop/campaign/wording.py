"""How a campaign problem names a place, a key or a value: ``card 'x' → contest``, ``'three'``.

Shared by the shape errors (:mod:`tabletop.campaign.shape`), the semantic checks
(:mod:`tabletop.campaign.semantics`) and the loader (:mod:`tabletop.campaign.validate`),
so that every message names things the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any, TypeAlias

__all__ = [
    "DataPath",
    "context_of",
    "describe_key",
    "describe_value",
    "field_and_context",
    "field_in",
    "inside",
    "key_text",
    "quote",
    "slugify",
    "suggest",
    "walk",
]

#: A place in the campaign's data: mapping keys and list indexes from the root.
DataPath: TypeAlias = tuple[Any, ...]

#: A list's key -> what one of its items is called.
_SINGULAR = {
    "sides": "side",
    "actors": "actor",
    "objectives": "objective",
    "tracks": "track",
    "thresholds": "threshold",
    "states": "phase",
    "transitions": "transition",
    "cards": "card",
    "injects": "inject",
    "end": "end condition",
    "modifiers": "modifier",
    "voters": "voter",
    "deck": "deck entry",
    "phases": "phase",
    "learning_objectives": "learning objective",
    "order": "step",
    "source": "source phase",
    "hidden": "hidden value",
    "evidence": "evidence",
    "advisors": "advisor",
    "known_by": "entry",
    "to": "addressee",
    "values": "value",
    "reveal_values": "hidden value",
}
#: The key that names an item of these lists, when it is not ``id``.
_NAMED_BY = {"transitions": "trigger", "evidence": "label"}


_NAMEISH = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _item_label(list_key: Any, index: int, item: Any) -> str:
    noun = _SINGULAR.get(list_key, "item") if isinstance(list_key, str) else "item"
    name_key = _NAMED_BY.get(list_key, "id") if isinstance(list_key, str) else "id"
    if isinstance(item, dict):
        name = item.get(name_key)
        if isinstance(name, str) and _NAMEISH.match(name):
            return f"{noun} '{name}'"
    return f"{noun} {index + 1}"


def key_text(key: Any) -> str:
    """A mapping key as written in YAML: ``title``, ``true``, ``null``, ``2021-11-08``."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, (dt.date, dt.datetime)):
        return key.isoformat()
    return str(key)


def describe_key(key: Any) -> str:
    """How a mapping key is named in a message: ``'titel'``, ``1.5``, ``null``…"""
    return quote(key) if isinstance(key, str) else key_text(key)


def context_of(data: Any, path: DataPath) -> str:
    """``card 'x' → contest → modifier 1`` for the object at ``path`` ('' at the top)."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(path):
        key = path[i]
        child = _child(node, key)
        nxt = path[i + 1] if i + 1 < len(path) else None
        if isinstance(child, list) and isinstance(nxt, int) and not isinstance(nxt, bool):
            parts.append(_item_label(key, nxt, _child(child, nxt)))
            node = _child(child, nxt)
            i += 2
            continue
        if key == "phases" and i == 0 and nxt in ("states", "transitions"):
            node = child
            i += 1
            continue
        if key == "rules" and i == 0:
            parts.append("rules")
        else:
            parts.append(key_text(key))
        node = child
        i += 1
    return " → ".join(parts)


def field_and_context(data: Any, path: DataPath) -> tuple[str, str]:
    """The last element of ``path`` as a field name, and the context of its container."""
    if not path:
        return "the campaign", ""
    last = path[-1]
    parent = path[:-1]
    if isinstance(last, int) and not isinstance(last, bool) and parent:
        lst = _child(walk(data, parent[:-1]), parent[-1]) if parent else None
        item = _child(lst, last)
        return _item_label(parent[-1], last, item), context_of(data, parent[:-1])
    return key_text(last), context_of(data, parent)


def walk(data: Any, path: DataPath) -> Any:
    """The value at ``path`` in ``data``, or None where the path leads nowhere."""
    node = data
    for key in path:
        node = _child(node, key)
    return node


def inside(context: str) -> str:
    """``in card 'x'``, or ``at the top level`` for the root."""
    return f"in {context}" if context else "at the top level"


def field_in(field: str, context: str) -> str:
    """``cost in card 'x'``, or the field alone at the top level."""
    return f"{field} in {context}" if context else field


def quote(text: str, limit: int = 40) -> str:
    """``text`` in quotes that it does not contain, cut to ``limit`` characters with an ellipsis."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if "'" not in text else f'"{text}"'


def describe_value(value: Any) -> str:
    """How a value read from YAML is named in a message: ``'three'``, ``a list``…"""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    return f"a {type(value).__name__}"


def suggest(word: Any, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or ''."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def slugify(text: str, sep: str) -> str:
    """``text`` as an id (lower case, runs of other characters as ``sep``), or '' if none fits."""
    slug = re.sub(r"[^a-z0-9]+", sep, text.strip().lower()).strip(sep)
    if slug and not slug[0].isalpha():
        slug = ""
    return slug[:64]
