"""Plain-data round trips for the engine's frozen dataclasses.

Commands and events are frozen dataclasses whose fields hold only str, int, bool,
None, tuples and string-keyed mappings of those. ``to_data`` turns one into a dict
with a ``type`` key (JSON-ready); ``from_data`` rebuilds it, turning lists back into
tuples, so ``from_data(to_data(x)) == x``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data (tuples become lists, mappings dicts)."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return value


_SCALARS = frozenset({str, int, bool, float})


def frozen(value: Any) -> Any:
    """``value`` with lists turned into tuples, recursively (mappings stay dicts)."""
    if value is None or type(value) in _SCALARS:  # the common case, without the slower checks below
        return value
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    if isinstance(value, Mapping):
        return {k: frozen(v) for k, v in value.items()}
    return value


class Registry:
    """Maps a ``type`` tag to its dataclass, for one family (commands or events)."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.classes: dict[str, type] = {}
        self._fields: dict[type, tuple[str, ...]] = {}  # field names, looked up once per class

    def register(self, cls: type[T]) -> type[T]:
        tag = getattr(cls, "TYPE")
        if tag in self.classes:
            raise RuntimeError(f"duplicate {self.family} type {tag!r}")
        self.classes[tag] = cls
        self._fields[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        return cls

    def to_data(self, obj: Any) -> dict[str, Any]:
        data = {"type": obj.TYPE}
        for name in self._fields.get(type(obj)) or (f.name for f in fields(obj)):
            data[name] = plain(getattr(obj, name))
        return data

    def from_data(self, data: Mapping[str, Any]) -> Any:
        """Rebuild an object; raises ``ValueError`` naming what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a {self.family} must be an object")
        tag = data.get("type")
        cls = self.classes.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise ValueError(f"unknown {self.family} type {tag!r}")
        names = self._fields[cls]
        extra = set(data).difference(names, ("type",))
        if extra:
            raise ValueError(f"unknown field(s) for {tag}: {', '.join(sorted(map(str, extra)))}")
        try:
            return cls(**{k: frozen(v) for k, v in data.items() if k != "type"})
        except TypeError as e:
            raise ValueError(f"bad {tag}: {e}") from None
