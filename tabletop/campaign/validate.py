"""Loading a campaign file and checking it: every problem, each with its line and column.

Three passes, each reporting through :class:`~tabletop.campaign.problems.Problem`:

1. :func:`~tabletop.campaign.yamlsource.load_yaml` turns the bytes into plain data and a
   source map (syntax errors, duplicate keys, refused tags and the like);
2. the pydantic model (:mod:`tabletop.campaign.model`) checks the *shape*; its errors are
   rewritten into plain sentences that name the card, track or actor concerned;
3. :func:`check_campaign` checks what needs the whole document: references between ids,
   conditions, bounds, the round order and the reachability of phases and cards.

:func:`load_campaign` and :func:`load_campaign_text` raise :class:`CampaignError` (and
nothing else, whatever the input) when any problem is an error; warnings never stop a
campaign from loading. :func:`validate_path` returns every problem for the CLI.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import types
import typing
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from tabletop.campaign.conditions import ConditionError
from tabletop.campaign.model import FIXED_STEPS, Campaign, Card, Contest, Effects, Modifier
from tabletop.campaign.problems import CampaignError, Problem, Severity
from tabletop.campaign.yamlsource import MAX_BYTES, SourceMap, load_yaml

__all__ = [
    "LoadedCampaign",
    "MAX_FILE_BYTES",
    "check_campaign",
    "load_campaign",
    "load_campaign_text",
    "validate_path",
    "validate_text",
]

#: Larger files are refused without reading further (the default campaign is ~60 kB).
MAX_FILE_BYTES = MAX_BYTES

Path_ = tuple[Any, ...]

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class LoadedCampaign:
    """A campaign that loaded: the model, where it came from, and any warnings."""

    campaign: Campaign
    path: str
    text: str
    sha256: str
    warnings: tuple[Problem, ...]


# =========================================================================== public API


def load_campaign(path: str | Path) -> LoadedCampaign:
    """Read, parse and check the campaign file at ``path``.

    Returns a :class:`LoadedCampaign` (with its warnings, if any). Raises
    :class:`CampaignError` listing every problem, warnings included, if the file cannot
    be read or any problem is an error; it raises nothing else.
    """
    name = str(path)
    raw, problem = _read(path, name)
    if problem is not None:
        raise CampaignError([problem])
    assert raw is not None
    return load_campaign_text(raw, name)


def load_campaign_text(text: str | bytes, path: str = "<campaign>") -> LoadedCampaign:
    """Parse and check a campaign given as text (or as the bytes of a file).

    ``path`` names the source in problems. Returns a :class:`LoadedCampaign`; raises
    :class:`CampaignError` listing every problem if any is an error, and nothing else.
    """
    campaign, decoded, problems = _analyse(text, path)
    if campaign is None or any(p.is_error for p in problems):
        if not any(p.is_error for p in problems):  # pragma: no cover - defensive
            problems.append(Problem(path, 1, 1, ERROR, "the campaign could not be loaded"))
        raise CampaignError(problems)
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return LoadedCampaign(
        campaign=campaign,
        path=path,
        text=decoded,
        sha256=hashlib.sha256(raw).hexdigest(),
        warnings=tuple(_sorted(problems)),
    )


def validate_path(path: str | Path) -> list[Problem]:
    """Every problem (errors and warnings) in the campaign file at ``path``, by position.

    An empty list means the file is a clean campaign. Never raises: a file that cannot
    be read is reported as a problem at 1:1.
    """
    name = str(path)
    raw, problem = _read(path, name)
    if problem is not None:
        return [problem]
    assert raw is not None
    return validate_text(raw, name)


def validate_text(text: str | bytes, path: str = "<campaign>") -> list[Problem]:
    """Every problem (errors and warnings) in a campaign given as text, by position.

    Never raises.
    """
    return _sorted(_analyse(text, path)[2])


# =========================================================================== reading


def _read(path: str | Path, name: str) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the problem that stopped us reading them."""

    def fail(message: str) -> tuple[None, Problem]:
        return None, Problem(name, 1, 1, ERROR, message)

    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return fail("no such file")
    except IsADirectoryError:
        return fail("this is a folder, not a campaign file")
    except PermissionError:
        return fail("permission denied: this file cannot be read")
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the name
        reason = getattr(e, "strerror", None) or str(e)
        return fail(f"cannot read this file: {reason}")
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return fail(f"the file is too big (more than {limit} MB): campaign files are limited to {limit} MB")
    return raw, None


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.col, not p.is_error, p.message))


# =========================================================================== the passes


def _analyse(source: str | bytes, path: str) -> tuple[Campaign | None, str, list[Problem]]:
    """Run every pass; returns the campaign (if the shape is right), the text, problems."""
    try:
        return _analyse_unguarded(source, path)
    except CampaignError as e:
        return None, "", list(e.problems)
    except RecursionError:
        return None, "", [Problem(path, 1, 1, ERROR, "the document is nested too deeply to be read")]
    except MemoryError:
        return None, "", [Problem(path, 1, 1, ERROR, "the document is too large to be read")]
    except Exception as e:  # noqa: BLE001 - last resort: a traceback must never reach the user
        return None, "", [
            Problem(
                path, 1, 1, ERROR,
                f"internal error while checking this file ({type(e).__name__}: {e}); please report it",
            )
        ]


def _analyse_unguarded(source: str | bytes, path: str) -> tuple[Campaign | None, str, list[Problem]]:
    loaded = load_yaml(source, path)
    problems = list(loaded.problems)
    text = _decode(source)
    data, smap = loaded.data, loaded.source_map

    if data is None:
        problems.append(
            Problem(path, 1, 1, ERROR, "the file is empty: a campaign is a mapping of keys such as id, title and sides")
        )
        return None, text, problems
    if not isinstance(data, dict):
        line, col = smap.locate(())
        problems.append(
            Problem(
                path, line, col, ERROR,
                f"a campaign must be a mapping of keys (title:, sides:, ...), not {_describe_value(data)}",
            )
        )
        return None, text, problems

    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as e:
        # A value the loader already complained about (a bad date...) is not reported twice.
        reported = {(p.line, p.col) for p in problems}
        shape = _ShapeErrors(path, data, smap).problems(e.errors(include_url=False))
        problems.extend(p for p in shape if (p.line, p.col) not in reported)
        return None, text, problems

    problems.extend(check_campaign(campaign, smap, path))
    return campaign, text, problems


def _decode(source: str | bytes) -> str:
    if isinstance(source, str):
        return source
    return source.decode("utf-8-sig", errors="replace")


# =========================================================================== naming things

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
}
#: The key that names an item of these lists, when it is not ``id``.
_NAMED_BY = {"transitions": "trigger"}


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


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, (dt.date, dt.datetime)):
        return key.isoformat()
    return str(key)


def _describe_key(key: Any) -> str:
    """How a mapping key is named in a message: ``'titel'``, ``1.5``, ``null``…"""
    return _quote(key) if isinstance(key, str) else _key_text(key)


def _context(data: Any, path: Path_) -> str:
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
            parts.append(_key_text(key))
        node = child
        i += 1
    return " → ".join(parts)


def _field_and_context(data: Any, path: Path_) -> tuple[str, str]:
    """The last element of ``path`` as a field name, and the context of its container."""
    if not path:
        return "the campaign", ""
    last = path[-1]
    parent = path[:-1]
    if isinstance(last, int) and not isinstance(last, bool) and parent:
        lst = _child(_walk(data, parent[:-1]), parent[-1]) if parent else None
        item = _child(lst, last)
        return _item_label(parent[-1], last, item), _context(data, parent[:-1])
    return _key_text(last), _context(data, parent)


def _walk(data: Any, path: Path_) -> Any:
    node = data
    for key in path:
        node = _child(node, key)
    return node


def _in(context: str) -> str:
    """``in card 'x'``, or ``at the top level`` for the root."""
    return f"in {context}" if context else "at the top level"


def _where(field: str, context: str) -> str:
    return f"{field} in {context}" if context else field


def _quote(text: str, limit: int = 40) -> str:
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if "'" not in text else f'"{text}"'


def _describe_value(value: Any) -> str:
    """How a value read from YAML is named in a message: ``'three'``, ``a list``…"""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _quote(value)
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


def _suggest(word: Any, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or ''."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _slug(text: str, sep: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", sep, text.strip().lower()).strip(sep)
    if slug and not slug[0].isalpha():
        slug = ""
    return slug[:64]


# =========================================================================== shape errors

_ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
_SOURCE_PATTERN = r"^(\*|[a-z][a-z0-9_-]*)$"
_DICE_PATTERN = r"^[1-9]d([2-9]|[1-9][0-9])$"

_ID_RULE = "an id uses lower case letters, digits, '-' and '_', and starts with a letter"
_NAME_RULE = (
    "track ids and triggers use lower case letters, digits and '_', and start with a letter "
    "(conditions name them)"
)

_KEY_ERRORS = {"extra_forbidden", "invalid_key"}
_INT_ERRORS = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_BOOL_ERRORS = {"bool_type", "bool_parsing"}
_MAPPING_ERRORS = {"dict_type", "model_type", "model_attributes_type", "mapping_type"}
_DATE_ERRORS = {
    "date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
    "date_past", "date_future",
}


def _model_fields_at(path: Path_) -> list[str]:
    """Field names of the model that validates the mapping at ``path`` (for did-you-mean)."""
    model: type[BaseModel] | None = Campaign
    for key in path:
        if model is None:
            return []
        if isinstance(key, int) and not isinstance(key, bool):
            continue
        info = model.model_fields.get(key) if isinstance(key, str) else None
        if info is None:
            return []
        model = _inner_model(info.annotation)
    return list(model.model_fields) if model is not None else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``list[X] | None`` and the like, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


@dataclass
class _Resolved:
    """A pydantic error ``loc`` mapped onto the data."""

    path: Path_  # through real keys and indexes
    leaf: Any  # a key named by the error but absent from the data (missing), else _ABSENT
    key_error: bool  # the error is about a mapping key, not a value
    union_at: int | None  # len(path) where the first union branch tag was skipped
    branch: str | None


_ABSENT = object()


def _find_key(node: dict[Any, Any], key: Any) -> Any:
    if type(key) is str and key in node:
        return key
    for k in node:
        if k == key and type(k) is type(key):
            return k
    for k in node:
        if k == key:
            return k
    if isinstance(key, str):  # pydantic names a None, float or date key by its str() or repr()
        for k in node:
            if not isinstance(k, str) and (str(k) == key or repr(k) == key):
                return k
    return _ABSENT


def _resolve(data: Any, loc: Sequence[Any]) -> _Resolved:
    path: list[Any] = []
    node = data
    union_at: int | None = None
    branch: str | None = None
    leaf: Any = _ABSENT
    key_error = False
    last = len(loc) - 1
    for i, el in enumerate(loc):
        if el == "[key]" and i == last:
            key_error = True
            break
        if isinstance(node, dict):
            k = _find_key(node, el)
            if k is not _ABSENT:
                path.append(k)
                node = node[k]
                continue
        elif isinstance(node, list) and isinstance(el, int) and not isinstance(el, bool) and 0 <= el < len(node):
            path.append(el)
            node = node[el]
            continue
        if i == last and isinstance(node, dict):
            leaf = el
            break
        if union_at is None and isinstance(el, str):
            union_at, branch = len(path), el
    return _Resolved(tuple(path), leaf, key_error, union_at, branch)


def _branch_matches(branch: str, value: Any) -> bool:
    b = branch.lower()
    if b.startswith("list"):
        return isinstance(value, list)
    if b.startswith("dict"):
        return isinstance(value, dict)
    if "str" in b:
        return isinstance(value, str)
    if "int" in b:
        return isinstance(value, int) and not isinstance(value, bool)
    if "bool" in b:
        return isinstance(value, bool)
    return False


def _branch_words(branch: str, field: str) -> str:
    b = branch.lower()
    if b.startswith("list"):
        return "a list of phase ids" if field == "source" else "a list"
    if field == "source" and "str" in b:
        return "a phase id (or '*')"
    if b.startswith("dict"):
        return "a mapping"
    if "str" in b:
        return "text"
    if "int" in b:
        return "a whole number"
    if "bool" in b:
        return "true or false"
    return branch


class _ShapeErrors:
    """Rewrites pydantic's errors as located, plain-language problems."""

    def __init__(self, path: str, data: Any, smap: SourceMap) -> None:
        self.path = path
        self.data = data
        self.smap = smap
        self.bool_traps: Mapping[Path_, str] = getattr(smap, "bool_traps", {}) or {}
        # "missing 'title'" is noise beside "unknown key 'titel' (did you mean 'title'?)"
        self._missing: dict[tuple[Path_, Any], Problem] = {}
        self._suggested: set[tuple[Path_, Any]] = set()

    def problems(self, errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
        out: list[Problem] = []
        unions: dict[Path_, dict[str, list[tuple[Mapping[str, Any], _Resolved]]]] = {}
        seen: set[tuple[int, int, str]] = set()
        for err in errors:
            res = _resolve(self.data, err.get("loc", ()))
            if res.union_at is not None and res.branch is not None:
                site = res.path[: res.union_at]
                unions.setdefault(site, {}).setdefault(res.branch, []).append((err, res))
                continue
            out.append(self._one(err, res))
        for site, branches in unions.items():
            value = _walk(self.data, site)
            chosen = next((b for b in branches if _branch_matches(b, value)), None)
            if chosen is not None:
                out.extend(self._one(err, res) for err, res in branches[chosen])
            else:
                out.append(self._union(site, list(branches), value))
        unique = []
        redundant = {id(self._missing[k]) for k in self._suggested if k in self._missing}
        for p in out:
            mark = (p.line, p.col, p.message)
            if mark not in seen and id(p) not in redundant:
                seen.add(mark)
                unique.append(p)
        return unique

    # ---- helpers

    def _at(self, path: Path_, message: str, key: bool = False) -> Problem:
        line, col = self.smap.locate_key(path) if key and path else self.smap.locate(path)
        return Problem(self.path, line, col, ERROR, message)

    def _trap(self, path: Path_, value: Any) -> str | None:
        """The YAML 1.1 boolean explanation, if ``value`` at ``path`` is one of those."""
        if not isinstance(value, bool):
            return None
        raw = self.bool_traps.get(path)
        if raw is None:
            return None
        word = "true" if value else "false"
        return f'`{raw}` is read as the boolean {word} by YAML; write "{raw}" in quotes if you mean the text'

    def _union(self, site: Path_, branches: list[str], value: Any) -> Problem:
        field, context = _field_and_context(self.data, site)
        trap = self._trap(site, value) if any("str" in b.lower() for b in branches) else None
        if trap:
            return self._at(site, f"{_where(field, context)}: {trap}")
        words = " or ".join(dict.fromkeys(_branch_words(b, field) for b in branches))
        return self._at(site, f"{_where(field, context)} must be {words}, got {_describe_value(value)}")

    # ---- one error

    def _one(self, err: Mapping[str, Any], res: _Resolved) -> Problem:
        kind = str(err.get("type", ""))
        ctx = err.get("ctx") or {}
        value = err.get("input")
        path = res.path

        if kind == "missing" or (res.leaf is not _ABSENT and kind not in _KEY_ERRORS):
            key = res.leaf if res.leaf is not _ABSENT else (path[-1] if path else "?")
            container = path if res.leaf is not _ABSENT else path[:-1]
            problem = self._at(container, f"missing required key '{_key_text(key)}' {_in(_context(self.data, container))}")
            self._missing[(container, key)] = problem
            return problem

        if kind in _KEY_ERRORS or res.key_error:
            return self._key_problem(kind, err, res)

        field, context = _field_and_context(self.data, path)
        where = _where(field, context)
        trap = self._trap(path, value)
        if trap and (kind == "string_type" or kind == "literal_error"):
            return self._at(path, f"{where}: {trap}")
        return self._at(path, self._sentence(kind, ctx, value, where, field, str(err.get("msg", ""))))

    def _key_problem(self, kind: str, err: Mapping[str, Any], res: _Resolved) -> Problem:
        path = res.path
        key = path[-1] if path else res.leaf
        if res.leaf is not _ABSENT:
            key = res.leaf
        container = path[:-1] if path else ()
        context = _in(_context(self.data, container))
        trap = self.bool_traps.get(path) if isinstance(key, bool) else None
        if trap is not None:
            word = "true" if key else "false"
            return self._at(
                path,
                f"the key `{trap}` {context} is read as the boolean {word} by YAML; "
                f'write "{trap}" in quotes if you mean the text',
                key=True,
            )
        if kind == "extra_forbidden":
            fields = _model_fields_at(container)
            close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6) if isinstance(key, str) else []
            if close:
                self._suggested.add((container, close[0]))
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return self._at(path, f"unknown key '{_key_text(key)}' {context}{hint}", key=True)
        if kind == "invalid_key" or kind == "string_type":
            return self._at(
                path,
                f"the key {_describe_key(key)} {context} must be text; write it in quotes if you mean the text",
                key=True,
            )
        if kind == "string_pattern_mismatch":
            pattern = str((err.get("ctx") or {}).get("pattern", ""))
            rule = _NAME_RULE if pattern == _NAME_PATTERN else _ID_RULE
            sep = "_" if pattern == _NAME_PATTERN else "-"
            slug = _slug(str(key), sep)
            hint = f"; try '{slug}'" if slug and slug != key else ""
            return self._at(
                path, f"the key {_describe_key(key)} {context} is not a valid id: {rule}{hint}", key=True
            )
        if kind == "string_too_long":
            return self._at(path, f"the key {context} is too long", key=True)
        return self._at(path, f"the key {_describe_key(key)} {context}: {err.get('msg', 'is not valid')}", key=True)

    def _sentence(
        self, kind: str, ctx: Mapping[str, Any], value: Any, where: str, field: str, msg: str
    ) -> str:
        got = _describe_value(value)
        if value is None and kind in (
            "string_type", *_INT_ERRORS, *_BOOL_ERRORS, "list_type", *_MAPPING_ERRORS, *_DATE_ERRORS,
            "literal_error",
        ):
            return f"{where} has no value; write one after the colon (or remove the key)"
        if kind in _INT_ERRORS:
            return f"{where} must be a whole number, got {got}"
        if kind in _BOOL_ERRORS:
            return f"{where} must be true or false, got {got}"
        if kind == "string_type":
            hint = ""
            if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
                hint = "; write it in quotes if you mean the text"
            return f"{where} must be text, got {got}{hint}"
        if kind == "list_type":
            hint = f"; write [{value}] for a list of one" if isinstance(value, str) and value else ""
            return f"{where} must be a list, got {got}{hint}"
        if kind in _MAPPING_ERRORS:
            return f"{where} must be a mapping (key: value lines), got {got}"
        if kind in _DATE_ERRORS:
            return f"{where} must be a date written like 2021-11-08, got {got}"
        if kind == "string_pattern_mismatch":
            return self._pattern(str(ctx.get("pattern", "")), value, where, field)
        if kind == "string_too_short":
            return f"{where} must not be empty"
        if kind == "string_too_long":
            return f"{where} is too long: at most {ctx.get('max_length')} characters, got {len(value) if isinstance(value, str) else '?'}"
        if kind == "too_short":
            n = ctx.get("min_length")
            return f"{where} must have at least {n} {'entry' if n == 1 else 'entries'}, got {ctx.get('actual_length', 0)}"
        if kind == "too_long":
            return f"{where} must have at most {ctx.get('max_length')} entries, got {ctx.get('actual_length')}"
        if kind == "greater_than_equal":
            return f"{where} must be at least {ctx.get('ge')}, got {got}"
        if kind == "greater_than":
            return f"{where} must be more than {ctx.get('gt')}, got {got}"
        if kind == "less_than_equal":
            return f"{where} must be at most {ctx.get('le')}, got {got}"
        if kind == "less_than":
            return f"{where} must be less than {ctx.get('lt')}, got {got}"
        if kind == "literal_error":
            expected = str(ctx.get("expected", ""))
            choices = re.findall(r"'([^']*)'", expected)
            if field == "format" and not choices:
                return f"{where} must be {expected} (the campaign format this version of tabletop reads), got {got}"
            return f"{where} must be one of {expected}, got {got}{_suggest(value, choices)}"
        if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
            return f"{where}: {ctx['error']}"
        if kind in ("float_type", "float_parsing"):
            return f"{where} must be a number, got {got}"
        return f"{where}: {msg[:1].lower() + msg[1:] if msg else 'is not valid'}"

    def _pattern(self, pattern: str, value: Any, where: str, field: str) -> str:
        got = _describe_value(value)
        text = value if isinstance(value, str) else ""
        if pattern == _DICE_PATTERN:
            return f"{where} must be written like 2d6 (how many dice, 'd', how many sides), got {got}"
        if pattern == _NAME_PATTERN:
            slug = _slug(text, "_")
            hint = f"; try '{slug}'" if slug and slug != text else ""
            return f"{where} is not a valid name: {got} ({_NAME_RULE}{hint})"
        if pattern in (_ID_PATTERN, _SOURCE_PATTERN):
            slug = _slug(text, "-")
            hint = f"; try '{slug}'" if slug and slug != text else ""
            what = "a phase id or '*'" if pattern == _SOURCE_PATTERN else "a valid id"
            return f"{where} is not {what}: {got} ({_ID_RULE}{hint})"
        return f"{where} does not have the expected form ({pattern}), got {got}"


# =========================================================================== semantic checks


#: Trigger names the state machine (the ``transitions`` library) cannot take: its model's
#: attribute. ``tabletop.phases`` raises on them.
_RESERVED_TRIGGERS = frozenset({"state"})


class _Checker:
    """The checks that need the whole, well-shaped campaign."""

    def __init__(self, campaign: Campaign, smap: SourceMap, path: str) -> None:
        self.c = campaign
        self.smap = smap
        self.path = path
        self.problems: list[Problem] = []
        # Ids in document order, without repeats; dicts for O(1) membership.
        self.card_ids = dict.fromkeys(card.id for card in campaign.cards)
        self.side_ids = dict.fromkeys(s.id for s in campaign.sides)
        self.actor_ids = dict.fromkeys(a.id for s in campaign.sides for a in s.actors)
        self.track_ids = dict.fromkeys(t.id for t in campaign.tracks)
        self.phase_ids = dict.fromkeys(p.id for p in campaign.phases.states)
        self.triggers = dict.fromkeys(t.trigger for t in campaign.phases.transitions)
        # First definition wins, as the duplicate-id errors say.
        self.side_of_actor: dict[str, str] = {}
        for side in campaign.sides:
            for actor in side.actors:
                self.side_of_actor.setdefault(actor.id, side.id)
        self.card_by_id: dict[str, Card] = {}
        for card in campaign.cards:
            self.card_by_id.setdefault(card.id, card)
        self.card_actors = {card.actor for card in campaign.cards if card.actor is not None}
        self._condition_cache: dict[str, ConditionError | None] = {}

    # ---- reporting

    def error(self, path: Path_, message: str, key: bool = False) -> None:
        self._add(path, message, ERROR, key)

    def warn(self, path: Path_, message: str, key: bool = False) -> None:
        self._add(path, message, WARNING, key)

    def _add(self, path: Path_, message: str, severity: Severity, key: bool) -> None:
        line, col = self.smap.locate_key(path) if key else self.smap.locate(path)
        self.problems.append(Problem(self.path, line, col, severity, message))

    def line_of(self, path: Path_) -> int:
        return self.smap.locate(path)[0]

    def ref(self, path: Path_, kind: str, value: str, known: Collection[str], where: str, key: bool = False) -> bool:
        """Report ``value`` at ``path`` unless it is in ``known``; True if known."""
        if value in known:
            return True
        self.error(path, f"unknown {kind} '{value}' in {where}{_suggest(value, known)}", key=key)
        return False

    # ---- the checks, in document order

    def run(self) -> list[Problem]:
        self.duplicates()
        self.calendar()
        self.rules()
        self.sides()
        self.tracks()
        self.phases()
        self.cards()
        self.covert_signatures()
        self.injects()
        self.end()
        return self.problems

    def duplicates(self) -> None:
        c = self.c

        def check(kind: str, items: Iterable[tuple[str, Path_]], scope: str = "") -> None:
            first: dict[str, Path_] = {}
            for ident, path in items:
                if ident in first:
                    line = self.line_of(first[ident] + ("id",))
                    self.error(path + ("id",), f"duplicate {kind} id '{ident}'{scope} (first defined on line {line})")
                else:
                    first[ident] = path

        check("side", ((s.id, ("sides", i)) for i, s in enumerate(c.sides)))
        check(
            "actor",
            ((a.id, ("sides", i, "actors", j)) for i, s in enumerate(c.sides) for j, a in enumerate(s.actors)),
        )
        for i, s in enumerate(c.sides):
            check(
                "objective",
                ((o.id, ("sides", i, "objectives", j)) for j, o in enumerate(s.objectives)),
                f" in side '{s.id}'",
            )
        check("track", ((t.id, ("tracks", i)) for i, t in enumerate(c.tracks)))
        check("phase", ((p.id, ("phases", "states", i)) for i, p in enumerate(c.phases.states)))
        check("card", ((card.id, ("cards", i)) for i, card in enumerate(c.cards)))
        check("inject", ((inj.id, ("injects", i)) for i, inj in enumerate(c.injects)))
        check("end condition", ((e.id, ("end", i)) for i, e in enumerate(c.end)))

    def calendar(self) -> None:
        cal = self.c.calendar
        try:
            cal.start + dt.timedelta(days=(cal.rounds - 1) * cal.round_days)
        except OverflowError:
            self.error(("calendar", "rounds"), "the calendar runs past the year 9999; start earlier or play fewer rounds")

    def rules(self) -> None:
        rules = self.c.rules
        self.effects(rules.misattribution, ("rules", "misattribution"), "rules → misattribution")
        if rules.order is None:
            return
        seen: dict[str, int] = {}
        allowed = [*FIXED_STEPS, *self.side_ids]
        for i, step in enumerate(rules.order):
            path = ("rules", "order", i)
            if step not in allowed:
                self.error(
                    path,
                    f"unknown step '{step}' in rules → order{_suggest(step, allowed)}; the steps are "
                    f"{', '.join(FIXED_STEPS)} and the side ids ({', '.join(self.side_ids)})",
                )
                continue
            if step in self.side_ids and step in seen:
                self.error(path, f"side '{step}' has two turns in rules → order; list each side once")
            seen.setdefault(step, i)
        for side in self.side_ids:
            if side not in seen:
                self.error(("rules", "order"), f"side '{side}' never gets a turn: add '{side}' to rules → order")
        consequences = {
            "adjudication": "contests resolve as soon as their card does",
            "phase_check": "automatic phase transitions never fire",
            "upkeep": "actors never gain income or draw cards, and end conditions are never checked",
        }
        for step, why in consequences.items():
            if step not in seen:
                self.warn(("rules", "order"), f"rules → order has no '{step}' step: {why}")
        if "injects" not in seen and any(inj.round is not None or inj.when is not None for inj in self.c.injects):
            self.warn(("rules", "order"), "rules → order has no 'injects' step: injects due by round or condition never fire")

    def sides(self) -> None:
        for i, side in enumerate(self.c.sides):
            if not side.objectives:
                self.warn(("sides", i), f"side '{side.id}' has no objectives, so the debrief cannot say how it did")
            for j, obj in enumerate(side.objectives):
                self.condition(("sides", i, "objectives", j, "when"), obj.when)
            for j, actor in enumerate(side.actors):
                self.deck(i, j)

    def deck(self, i: int, j: int) -> None:
        actor = self.c.sides[i].actors[j]
        where = f"side '{self.c.sides[i].id}' → actor '{actor.id}'"
        path = ("sides", i, "actors", j)
        if actor.deck is None:
            if actor.id not in self.card_actors:
                self.warn(
                    path,
                    f"actor '{actor.id}' starts with an empty deck: no card names it as `actor` and it has no `deck`",
                )
            return
        if not actor.deck:
            self.warn(path + ("deck",), f"actor '{actor.id}' starts with an empty deck")
        side = self.c.sides[i].id
        by_id = self.card_by_id
        for k, card_id in enumerate(actor.deck):
            at = path + ("deck", k)
            if not self.ref(at, "card", card_id, self.card_ids, f"the deck of {where}"):
                continue
            card = by_id[card_id]
            if card.side != side:
                self.error(at, f"card '{card_id}' belongs to side '{card.side}', so it cannot be in the deck of {where}")
            elif card.actor is not None and card.actor != actor.id:
                self.error(
                    at,
                    f"card '{card_id}' may be played only by actor '{card.actor}', so it cannot be in the deck of {where}",
                )

    def tracks(self) -> None:
        for i, track in enumerate(self.c.tracks):
            path = ("tracks", i)
            if track.min >= track.max:
                self.error(path + ("max",), f"track '{track.id}': max ({track.max}) must be greater than min ({track.min})")
                continue
            if not track.min <= track.start <= track.max:
                self.error(
                    path + ("start",),
                    f"track '{track.id}': start ({track.start}) must be between min ({track.min}) and max ({track.max})",
                )
            for k, th in enumerate(track.thresholds):
                if not track.min <= th.at <= track.max:
                    self.error(
                        path + ("thresholds", k, "at"),
                        f"track '{track.id}': threshold at {th.at} is outside the track ({track.min} to {track.max})",
                    )
            if track.favours is not None:
                self.ref(path + ("favours",), "side", track.favours, self.side_ids, f"track '{track.id}'")

    # ---- phases

    def phases(self) -> None:
        ph = self.c.phases
        known = self.phase_ids
        terminal = {p.id for p in ph.states if p.terminal}
        self.ref(("phases", "initial"), "phase", ph.initial, known, "phases → initial")
        if ph.initial in terminal:
            self.warn(("phases", "initial"), f"the initial phase '{ph.initial}' is terminal, so the exercise ends at once")
        fired_by = self._triggers_fired()
        for i, t in enumerate(ph.transitions):
            path = ("phases", "transitions", i)
            where = f"transition '{t.trigger}'"
            if t.trigger in _RESERVED_TRIGGERS:
                self.error(path + ("trigger",), f"the trigger name '{t.trigger}' is reserved by the crisis state machine; choose another")
            if isinstance(t.source, str):
                if t.source != "*":
                    self.ref(path + ("source",), "phase", t.source, known, where)
            else:
                for k, s in enumerate(t.source):
                    self.ref(path + ("source", k), "phase", s, known, where)
            self.ref(path + ("dest",), "phase", t.dest, known, where)
            for k, s in enumerate(t.sources):
                if s in terminal:
                    at = path + ("source",) if isinstance(t.source, str) else path + ("source", k)
                    self.warn(at, f"{where} leaves terminal phase '{s}', which ends the exercise, so it never fires from there")
            if t.when is not None:
                self.condition(path + ("when",), t.when)
            elif t.trigger not in fired_by:
                self.warn(
                    path,
                    f"{where} has no condition and no card or inject fires it (effects: {{trigger: {t.trigger}}}), so it never fires",
                )
        unreachable = self.unreachable
        for i, p in enumerate(ph.states):
            if p.id in unreachable:
                self.warn(("phases", "states", i), f"phase '{p.id}' can never be reached from the initial phase '{ph.initial}'")

    def _triggers_fired(self) -> set[str]:
        fired: set[str] = set()
        for effects, _, _ in self._all_effects():
            if effects.trigger:
                fired.add(effects.trigger)
        return fired

    @cached_property
    def unreachable(self) -> set[str]:
        """Phase ids no chain of transitions leads to from the initial phase."""
        ph = self.c.phases
        if ph.initial not in self.phase_ids:  # reported as an error; do not pile warnings on it
            return set()
        terminal = {p.id for p in ph.states if p.terminal}
        reached = {ph.initial}
        changed = True
        while changed:
            changed = False
            live = reached - terminal
            for t in ph.transitions:
                if t.dest in reached:
                    continue
                if any((s == "*" and live) or s in live for s in t.sources):
                    reached.add(t.dest)
                    changed = True
        return set(self.phase_ids) - reached

    # ---- cards

    def cards(self) -> None:
        default_deck = {a.id for s in self.c.sides for a in s.actors if a.deck is None}
        in_a_deck = {card.id for card in self.c.cards if card.actor in default_deck}
        for side in self.c.sides:
            for actor in side.actors:
                if actor.deck is not None:
                    in_a_deck.update(actor.deck)
        unreachable = self.unreachable
        terminal = {p.id for p in self.c.phases.states if p.terminal}
        for i, card in enumerate(self.c.cards):
            path = ("cards", i)
            where = f"card '{card.id}'"
            side_ok = self.ref(path + ("side",), "side", card.side, self.side_ids, where)
            actor_ok = True
            if card.actor is not None:
                actor_ok = self.ref(path + ("actor",), "actor", card.actor, self.actor_ids, where)
                if actor_ok and side_ok and self.side_of_actor.get(card.actor) != card.side:
                    self.error(
                        path + ("actor",),
                        f"actor '{card.actor}' of {where} is on side '{self.side_of_actor.get(card.actor)}', not '{card.side}'",
                    )
                    actor_ok = False
            phases_ok = True
            if card.phases is not None:
                for k, ph in enumerate(card.phases):
                    if not self.ref(path + ("phases", k), "phase", ph, self.phase_ids, where):
                        phases_ok = False
                    elif ph in terminal and len(card.phases) > 1:
                        self.warn(path + ("phases", k), f"phase '{ph}' in {where} is terminal: no card is played once it is reached")
            if card.requires is not None:
                self.condition(path + ("requires",), card.requires)
            self.effects(card.effects, path + ("effects",), where)
            if card.contest is not None:
                self.contest(card.contest, path + ("contest",), where)
            if card.consensus is not None:
                for k, voter in enumerate(card.consensus.voters):
                    self.ref(path + ("consensus", "voters", k), "actor", voter, self.actor_ids, f"{where} → consensus")
            if card.covert is not None and card.consensus is not None:
                self.error(
                    path + ("consensus",),
                    f"{where} is covert and needs a consensus vote: a vote is public, so it would show who "
                    "played the card (its author votes first); make it covert or put it to a vote, not both",
                    key=True,
                )
            if card.covert is not None:
                cov = card.covert
                cpath = path + ("covert",)
                self.modifiers(cov.attribution.modifiers, cpath + ("attribution", "modifiers"), f"{where} → covert")
                self.dice_target(cov.attribution.dice, cov.attribution.target, cov.attribution.modifiers,
                                 cpath + ("attribution", "target"), f"the attribution roll of {where}")
                self.effects(cov.on_attributed, cpath + ("on_attributed",), f"{where} → covert")
            # can it ever be played?
            if not (side_ok and actor_ok and phases_ok):
                continue
            if card.id not in in_a_deck:
                hint = "give it an `actor` or list it in an actor's `deck`"
                self.warn(path + ("id",), f"{where} is in no actor's deck, so it can never be played ({hint})")
            elif card.phases is not None and all(p in unreachable or p in terminal for p in card.phases):
                self.warn(
                    path + ("phases",),
                    f"{where} can never be played: its phases are never reached or end the exercise",
                )

    def covert_signatures(self) -> None:
        """Warn where a covert card's public effects alone tell it from its side's other
        covert cards: the other sides then know which card it was as soon as it takes
        effect (and, if only one actor holds it, who played it)."""
        holders: dict[str, set[str]] = {}
        for side in self.c.sides:
            for actor in side.actors:
                deck = actor.deck if actor.deck is not None else [c.id for c in self.c.cards if c.actor == actor.id]
                for card_id in deck:
                    holders.setdefault(card_id, set()).add(actor.id)
        by_side: dict[str, list[tuple[int, Card]]] = {}
        for i, card in enumerate(self.c.cards):
            if card.covert is not None and card.id in holders and self.card_by_id.get(card.id) is card:
                by_side.setdefault(card.side, []).append((i, card))
        for side_id, cards in by_side.items():
            if len(cards) < 2:
                continue  # a lone covert card is told by its being played at all, not by its effects
            seen: dict[tuple[Any, ...], int] = {}
            for _, card in cards:
                sig = _public_signature(card, self.side_of_actor)
                seen[sig] = seen.get(sig, 0) + 1
            actors = [a.id for s in self.c.sides if s.id == side_id for a in s.actors]
            for i, card in cards:
                sig = _public_signature(card, self.side_of_actor)
                if seen[sig] > 1:
                    continue
                who = ""
                held = sorted(holders[card.id])
                if len(actors) > 1 and len(held) == 1:
                    who = f", and so that '{held[0]}' played it (no other actor holds it)"
                self.warn(
                    ("cards", i, "covert"),
                    f"covert card '{card.id}' is the only covert card of side '{side_id}' with its public effects "
                    f"({_describe_signature(sig)}): other sides will know it was this card as soon as it takes "
                    f"effect{who}; give another covert card of the side the same public effects",
                    key=True,
                )

    def contest(self, contest: Contest, path: Path_, where: str) -> None:
        if contest.by == "dice":
            if contest.target is None:
                self.error(path, f"{where}: a dice contest needs a `target` (the total to reach)")
            else:
                self.dice_target(contest.dice, contest.target, contest.modifiers, path + ("target",), f"the contest of {where}")
        self.modifiers(contest.modifiers, path + ("modifiers",), f"{where} → contest")
        self.effects(contest.success, path + ("success",), f"{where} → contest → success")
        self.effects(contest.failure, path + ("failure",), f"{where} → contest → failure")

    def dice_target(self, dice: str, target: int, modifiers: Sequence[Modifier], path: Path_, what: str) -> None:
        count, _, sides = dice.partition("d")
        try:
            n, s = int(count), int(sides)
        except ValueError:  # pragma: no cover - the model's pattern guarantees the form
            return
        best = n * s + sum(m.add for m in modifiers if m.add > 0)
        worst = n + sum(m.add for m in modifiers if m.add < 0)
        if target > best:
            self.warn(path, f"{what} can never succeed: {dice} with its modifiers makes at most {best}, the target is {target}")
        elif target <= worst:
            self.warn(path, f"{what} always succeeds: {dice} with its modifiers makes at least {worst}, the target is {target}")

    def modifiers(self, modifiers: Sequence[Modifier], path: Path_, where: str) -> None:
        for k, mod in enumerate(modifiers):
            if mod.when is not None:
                self.condition(path + (k, "when"), mod.when)
            if mod.if_played is not None:
                self.ref(path + (k, "if_played"), "card", mod.if_played, self.card_ids, f"{where} → modifier {k + 1}")

    def effects(self, effects: Effects, path: Path_, where: str) -> None:
        for track in effects.tracks:
            self.ref(path + ("tracks", track), "track", track, self.track_ids, where, key=True)
        for actor in effects.resources_of:
            self.ref(path + ("resources_of", actor), "actor", actor, self.actor_ids, where, key=True)
        for actor in effects.discard:
            self.ref(path + ("discard", actor), "actor", actor, self.actor_ids, where, key=True)
        if effects.trigger is not None and effects.trigger not in self.triggers:
            self.error(
                path + ("trigger",),
                f"unknown trigger '{effects.trigger}' in {where}: no transition has it{_suggest(effects.trigger, self.triggers)}",
            )

    def _all_effects(self) -> Iterator[tuple[Effects, Path_, str]]:
        yield self.c.rules.misattribution, ("rules", "misattribution"), "rules"
        for i, card in enumerate(self.c.cards):
            yield card.effects, ("cards", i, "effects"), card.id
            if card.contest is not None:
                yield card.contest.success, ("cards", i, "contest", "success"), card.id
                yield card.contest.failure, ("cards", i, "contest", "failure"), card.id
            if card.covert is not None:
                yield card.covert.on_attributed, ("cards", i, "covert", "on_attributed"), card.id
        for i, inj in enumerate(self.c.injects):
            yield inj.effects, ("injects", i, "effects"), inj.id

    # ---- injects and the end

    def injects(self) -> None:
        rounds = self.c.calendar.rounds
        for i, inj in enumerate(self.c.injects):
            path = ("injects", i)
            where = f"inject '{inj.id}'"
            if inj.round is not None and inj.round > rounds:
                self.warn(path + ("round",), f"{where} is due in round {inj.round}, but the exercise has only {rounds} rounds")
            if inj.when is not None:
                self.condition(path + ("when",), inj.when)
            if inj.round is None and inj.when is None and inj.library is False:
                self.warn(path + ("library",), f"{where} has no round, no condition and is not in the library, so it never fires")
            self.effects(inj.effects, path + ("effects",), where)

    def end(self) -> None:
        for i, cond in enumerate(self.c.end):
            self.condition(("end", i, "when"), cond.when)

    # ---- conditions

    def condition(self, path: Path_, text: str) -> None:
        """Compile ``text``; an error points at the offending token inside the string."""
        if text in self._condition_cache:
            err = self._condition_cache[text]
        else:
            try:
                self.c.condition(text)  # compiled once, and cached on the campaign for the engine
                err = None
            except ConditionError as e:
                err = e
            self._condition_cache[text] = err
        if err is None:
            return
        offset = getattr(err, "offset", 0) or 0
        try:
            line, col = self.smap.locate_in_scalar(path, offset)
        except Exception:  # noqa: BLE001 - a bad offset must not hide the message
            line, col = self.smap.locate(path)
        message = getattr(err, "message", None) or str(err)
        self.problems.append(Problem(self.path, line, col, ERROR, f"in condition {_quote(text, 60)}: {message}"))


def _public_signature(card: Card, side_of_actor: Mapping[str, str]) -> tuple[Any, ...]:
    """What the other sides see of a covert card when it takes effect, before it is revealed.

    Track changes, the phase trigger, reveals, and changes to another side's resources
    and hand are public (to that side, at least); the author's own resources and draws,
    the cost and the dice of its contest are not. Whether it has a contest, who decides
    it and the effects of each outcome are public too.
    """

    def theirs(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted((a, n) for a, n in items if side_of_actor.get(a) != card.side))

    def public(fx: Effects) -> tuple[Any, ...]:
        return (
            tuple(sorted(fx.tracks.items())), fx.trigger, fx.reveal,
            theirs(fx.resources_of.items()), theirs(fx.discard.items()),
        )

    contest = None
    if card.contest is not None:
        contest = (card.contest.by, public(card.contest.success), public(card.contest.failure))
    return (public(card.effects), contest)


def _describe_signature(sig: tuple[Any, ...]) -> str:
    def fx(part: tuple[Any, ...]) -> list[str]:
        tracks, trigger, reveal, resources_of, discard = part
        out = [", ".join(f"{t} {d:+d}" for t, d in tracks)] if tracks else []
        out += [f"trigger {trigger}"] if trigger else []
        out += [f"reveal {reveal}"] if reveal else []
        out += [f"resources of {a} {n:+d}" for a, n in resources_of]
        out += [f"{a} discards {n}" for a, n in discard]
        return out

    effects, contest = sig
    words = fx(effects)
    if contest is not None:
        by, success, failure = contest
        words.append(
            f"a {by} contest (success: {'; '.join(fx(success)) or 'nothing'}; failure: {'; '.join(fx(failure)) or 'nothing'})"
        )
    return "; ".join(words) or "none at all"


def check_campaign(campaign: Campaign, source_map: SourceMap, path: str = "<campaign>") -> list[Problem]:
    """The checks that need the whole campaign: references, conditions, bounds, reachability.

    ``campaign`` must have passed the model's validation and ``source_map`` must map the
    data it was built from. Returns the problems found (errors and warnings, unsorted).
    """
    return _Checker(campaign, source_map, path).run()
