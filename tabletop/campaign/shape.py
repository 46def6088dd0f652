"""The shape of a campaign: pydantic's errors rewritten as located, plain-language problems.

The model (:mod:`tabletop.campaign.model`) says which keys, types and values a campaign
may have. When the data does not fit, pydantic reports each error with a ``loc`` through
the model; :func:`shape_problems` maps it back onto the data and the source file and says
what is wrong in the words of a campaign author: the card, track or actor concerned, the
value that was found, and a guess at the key that was meant (``did you mean 'title'?``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel

from tabletop.campaign.model import Campaign
from tabletop.campaign.problems import Problem, Severity
from tabletop.campaign.wording import (
    DataPath,
    context_of,
    describe_key,
    describe_value,
    field_and_context,
    field_in,
    inside,
    key_text,
    slugify,
    suggest,
    walk,
)
from tabletop.campaign.yamlsource import SourceMap

__all__ = ["shape_problems"]

ERROR = Severity.ERROR


def shape_problems(path: str, data: Any, smap: SourceMap, errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Pydantic's ``errors`` (``ValidationError.errors()``) for ``data`` as problems located by ``smap``.

    ``path`` names the file in the problems. One problem per distinct message and place;
    a union's errors are reported for the branch the value was meant for, or as one
    "must be X or Y" problem.
    """
    return _ShapeErrors(path, data, smap).problems(errors)


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
#: A true/false found where one of these was expected gets a hint (``covert: no``).
_NOT_BOOL_ERRORS = {"list_type", "float_type", "float_parsing", *_INT_ERRORS, *_MAPPING_ERRORS}
_DATE_ERRORS = {
    "date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
    "date_past", "date_future",
}


def _model_fields_at(path: DataPath) -> list[str]:
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

    path: DataPath  # through real keys and indexes
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
        self.bool_traps: Mapping[DataPath, str] = smap.bool_traps
        # "missing 'title'" is noise beside "unknown key 'titel' (did you mean 'title'?)"
        self._missing: dict[tuple[DataPath, Any], Problem] = {}
        self._suggested: set[tuple[DataPath, Any]] = set()

    def problems(self, errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
        out: list[Problem] = []
        unions: dict[DataPath, dict[str, list[tuple[Mapping[str, Any], _Resolved]]]] = {}
        seen: set[tuple[int, int, str]] = set()
        for err in errors:
            res = _resolve(self.data, err.get("loc", ()))
            if res.union_at is not None and res.branch is not None:
                site = res.path[: res.union_at]
                unions.setdefault(site, {}).setdefault(res.branch, []).append((err, res))
                continue
            out.append(self._one(err, res))
        for site, branches in unions.items():
            value = walk(self.data, site)
            if isinstance(value, list) and len([b for b in branches if _branch_matches(b, value)]) > 1:
                out.append(self._mixed_list(site, value))
                continue
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

    def _at(self, path: DataPath, message: str, key: bool = False) -> Problem:
        line, col = self.smap.locate_key(path) if key and path else self.smap.locate(path)
        return Problem(self.path, line, col, ERROR, message)

    def _trap(self, path: DataPath, value: Any) -> str | None:
        """The YAML 1.1 boolean explanation, if ``value`` at ``path`` is one of those."""
        if not isinstance(value, bool):
            return None
        raw = self.bool_traps.get(path)
        if raw is None:
            return None
        word = "true" if value else "false"
        return f'`{raw}` is read as the boolean {word} by YAML; write "{raw}" in quotes if you mean the text'

    def _mixed_list(self, site: DataPath, value: list[Any]) -> Problem:
        """A list that is neither all numbers nor all texts (``values: [calm, 3]``)."""
        field, context = field_and_context(self.data, site)
        for k, item in enumerate(value):
            if isinstance(item, bool) and (*site, k) in self.bool_traps:
                raw = self.bool_traps[(*site, k)]
                return self._at(
                    (*site, k),
                    f"{field_in(field, context)}: `{raw}` is read as the boolean {str(item).lower()} by YAML; "
                    f'write "{raw}" in quotes if you mean the text',
                )
        return self._at(
            site,
            f"{field_in(field, context)} must be all whole numbers or all texts, not a mix; "
            "write a number in quotes to make it a text",
        )

    def _union(self, site: DataPath, branches: list[str], value: Any) -> Problem:
        field, context = field_and_context(self.data, site)
        trap = self._trap(site, value) if any("str" in b.lower() for b in branches) else None
        if trap:
            return self._at(site, f"{field_in(field, context)}: {trap}")
        words = " or ".join(dict.fromkeys(_branch_words(b, field) for b in branches))
        got = self._bool_hint(site, value, field) if isinstance(value, bool) else None
        got = got or self._typed(site, value) or describe_value(value)
        return self._at(site, f"{field_in(field, context)} must be {words}, got {got}")

    # ---- one error

    def _one(self, err: Mapping[str, Any], res: _Resolved) -> Problem:
        kind = str(err.get("type", ""))
        ctx = err.get("ctx") or {}
        value = err.get("input")
        path = res.path

        if kind == "missing" and res.leaf is _ABSENT and isinstance(walk(self.data, path), list):
            # a pair (``range: [6, 9]``) given fewer entries: pydantic calls the absent one missing
            field, context = field_and_context(self.data, path)
            return self._at(path, f"{field_in(field, context)} must have exactly 2 entries, e.g. [6, 9]")
        if kind == "missing" or (res.leaf is not _ABSENT and kind not in _KEY_ERRORS):
            key = res.leaf if res.leaf is not _ABSENT else (path[-1] if path else "?")
            container = path if res.leaf is not _ABSENT else path[:-1]
            problem = self._at(container, f"missing required key '{key_text(key)}' {inside(context_of(self.data, container))}")
            self._missing[(container, key)] = problem
            return problem

        if kind in _KEY_ERRORS or res.key_error:
            return self._key_problem(kind, err, res)

        field, context = field_and_context(self.data, path)
        where = field_in(field, context)
        trap = self._trap(path, value)
        if trap and (kind == "string_type" or kind == "literal_error"):
            return self._at(path, f"{where}: {trap}")
        sentence = self._sentence(kind, ctx, value, where, field, str(err.get("msg", "")), self._typed(path, value))
        if path[:1] == ("hidden",):  # a hidden value's id is a TrackId: name it as what it is
            sentence = sentence.replace("cannot be a track id", "cannot be a hidden value id")
        if isinstance(value, bool) and kind in _NOT_BOOL_ERRORS:
            sentence = f"{sentence.rsplit(', got ', 1)[0]}, got {self._bool_hint(path, value, field)}"
        return self._at(path, sentence)

    def _typed(self, path: DataPath, value: Any) -> str | None:
        """A number as it is written in the file (``1.10``, not ``1.1``), if it is a plain number there."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.smap.raw(path)
        return None

    def _bool_hint(self, path: DataPath, value: bool, field: str) -> str:
        """`no`: what YAML made of a true/false where another kind of value belongs, and what to write."""
        raw = self.bool_traps.get(path) or ("true" if value else "false")
        word = "true" if value else "false"
        reads = f"YAML reads {raw} as {word}; " if raw != word else ""
        if field == "covert":
            fix = "to make the card not covert, remove the key" if not value else "write `covert: {}` for a covert card"
        elif not value:
            fix = "to leave it out, remove the key"
        else:
            fix = "write the value it needs"
        return f"`{raw}`: {reads}{fix}"

    def _key_problem(self, kind: str, err: Mapping[str, Any], res: _Resolved) -> Problem:
        path = res.path
        key = path[-1] if path else res.leaf
        if res.leaf is not _ABSENT:
            key = res.leaf
        container = path[:-1] if path else ()
        context = inside(context_of(self.data, container))
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
            return self._at(path, f"unknown key '{key_text(key)}' {context}{hint}", key=True)
        if kind == "invalid_key" or kind == "string_type":
            return self._at(
                path,
                f"the key {describe_key(key)} {context} must be text; write it in quotes if you mean the text",
                key=True,
            )
        if kind == "string_pattern_mismatch":
            pattern = str((err.get("ctx") or {}).get("pattern", ""))
            rule = _NAME_RULE if pattern == _NAME_PATTERN else _ID_RULE
            sep = "_" if pattern == _NAME_PATTERN else "-"
            slug = slugify(str(key), sep)
            hint = f"; try '{slug}'" if slug and slug != key else ""
            return self._at(
                path, f"the key {describe_key(key)} {context} is not a valid id: {rule}{hint}", key=True
            )
        if kind == "string_too_long":
            return self._at(path, f"the key {context} is too long", key=True)
        return self._at(path, f"the key {describe_key(key)} {context}: {err.get('msg', 'is not valid')}", key=True)

    def _sentence(
        self, kind: str, ctx: Mapping[str, Any], value: Any, where: str, field: str, msg: str, typed: str | None = None
    ) -> str:
        got = typed or describe_value(value)
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
        if kind == "tuple_type":
            return f"{where} must be a list of 2 whole numbers, e.g. [6, 9], got {got}"
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
            return f"{where} must be one of {expected}, got {got}{suggest(value, choices)}"
        if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
            return f"{where}: {ctx['error']}"
        if kind in ("float_type", "float_parsing"):
            return f"{where} must be a number, got {got}"
        return f"{where}: {msg[:1].lower() + msg[1:] if msg else 'is not valid'}"

    def _pattern(self, pattern: str, value: Any, where: str, field: str) -> str:
        got = describe_value(value)
        text = value if isinstance(value, str) else ""
        if pattern == _DICE_PATTERN:
            return f"{where} must be written like 2d6 (how many dice, 'd', how many sides), got {got}"
        if pattern == _NAME_PATTERN:
            slug = slugify(text, "_")
            hint = f"; try '{slug}'" if slug and slug != text else ""
            return f"{where} is not a valid name: {got} ({_NAME_RULE}{hint})"
        if pattern in (_ID_PATTERN, _SOURCE_PATTERN):
            slug = slugify(text, "-")
            hint = f"; try '{slug}'" if slug and slug != text else ""
            what = "a phase id or '*'" if pattern == _SOURCE_PATTERN else "a valid id"
            return f"{where} is not {what}: {got} ({_ID_RULE}{hint})"
        return f"{where} does not have the expected form ({pattern}), got {got}"
