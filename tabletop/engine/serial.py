"""Plain-data round trips for the engine's frozen dataclasses.

Commands and events are frozen dataclasses whose fields hold only str, int, bool,
None, tuples and string-keyed mappings of those. ``to_data`` turns one into a dict
with a ``type`` key (JSON-ready); ``from_data`` rebuilds it, turning lists back into
tuples, so ``from_data(to_data(x)) == x``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, Field, field, fields, is_dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_SCALARS = frozenset({str, int, bool, float})


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data (tuples become lists, mappings dicts)."""
    if value is None or type(value) in _SCALARS:  # the common case, without the slower checks below
        return value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _default(f: Field[Any]) -> Any:
    """The default value of dataclass field ``f``."""
    if f.default_factory is not MISSING:
        return f.default_factory()
    return f.default


def quiet(default: Any = None, *, factory: Any = None) -> Any:
    """A field added after records were written: left out of ``to_data`` while at its default."""
    if factory is not None:
        return field(default_factory=factory, metadata={"quiet": True})
    return field(default=default, metadata={"quiet": True})


def frozen(value: Any) -> Any:
    """``value`` with lists turned into tuples, recursively (mappings stay dicts)."""
    if value is None or type(value) in _SCALARS:  # the common case, without the slower checks below
        return value
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    if isinstance(value, Mapping):
        return {k: frozen(v) for k, v in value.items()}
    return value


def _name(name: str, limit: int = 40) -> str:
    """A name from outside, quoted and cut short (it may be anything, of any length)."""
    return repr(name if len(name) <= limit else name[:limit] + "…")


def _a(word: str) -> str:
    return "An" if word[:1] in ("a", "e", "i", "o", "u") else "A"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class Registry(Generic[T]):
    """Maps a ``type`` tag to its dataclass, for one family (commands or events) whose base class is ``T``."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.classes: dict[str, type[T]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}  # field names, looked up once per class
        self._optional: dict[type, frozenset[str]] = {}  # the fields with a default
        self._quiet: dict[type, tuple[tuple[str, Any], ...]] = {}  # fields left out while at their default

    def register(self, cls: type[T]) -> type[T]:
        tag = getattr(cls, "TYPE")
        if tag in self.classes:
            raise RuntimeError(f"duplicate {self.family} type {tag!r}")
        self.classes[tag] = cls
        self._fields[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        self._optional[cls] = frozenset(
            f.name for f in fields(cls)  # type: ignore[arg-type]
            if f.default is not MISSING or f.default_factory is not MISSING
        )
        self._quiet[cls] = tuple(
            (f.name, _default(f)) for f in fields(cls) if f.metadata.get("quiet")  # type: ignore[arg-type]
        )
        return cls

    def to_data(self, obj: Any) -> dict[str, Any]:
        """``obj`` as plain data. A *quiet* field (``quiet(default)``) is left out while it
        holds its default, so records written before the field existed keep their bytes."""
        data = {"type": obj.TYPE}
        for name in self._fields.get(type(obj)) or (f.name for f in fields(obj)):
            data[name] = plain(getattr(obj, name))
        for name, default in self._quiet.get(type(obj), ()):
            if data.get(name) == plain(default):
                del data[name]
        return data

    def from_data(self, data: Mapping[str, Any]) -> T:
        """Rebuild an object; raises ``ValueError`` saying what is wrong in a sentence for a
        person (never Python's own words, such as a constructor's ``TypeError``)."""
        family = self.family
        if not isinstance(data, Mapping):
            raise ValueError(f"{_a(family)} {family} must be an object with a type.")
        tag = data.get("type")
        if not isinstance(tag, str) or not tag:
            raise ValueError(f"{_a(family)} {family} needs a type (one of: {', '.join(sorted(self.classes))}).")
        cls = self.classes.get(tag)
        if cls is None:
            raise ValueError(f"There is no {family} {_name(tag)} (known: {', '.join(sorted(self.classes))}).")
        names = self._fields[cls]
        extra = sorted(map(str, set(data).difference(names, ("type",))))
        if extra:
            shown = ", ".join(_name(k) for k in extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
            raise ValueError(f"{_a(tag)} {tag} {family} has no field{'s' if len(extra) > 1 else ''} {shown}.")
        missing = [n for n in names if n not in data and n not in self._optional[cls]]
        if missing:
            raise ValueError(f"{_a(tag)} {tag} {family} needs the field{'s' if len(missing) > 1 else ''} {_and(missing)}.")
        try:
            return cls(**{k: frozen(v) for k, v in data.items() if k != "type"})
        except TypeError:
            raise ValueError(f"That {tag} {family} is not well formed.") from None
