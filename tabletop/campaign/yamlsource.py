"""Read a campaign YAML file into plain Python data, remembering where every value came from.

Facilitators write campaigns by hand, so every problem must point at ``path:line:col``
and no input, however broken, may end in a traceback. :func:`load_yaml` is the only
entry point; it raises nothing but :class:`~tabletop.campaign.problems.CampaignError`.

How it works
    The file is read with PyYAML's event parser (the libyaml-based ``CSafeLoader``
    when available, else the pure-Python ``SafeLoader``) and the data is built from
    the event stream in one iterative pass. That pass

    * builds the values ``yaml.safe_load`` would (same implicit resolution of ints,
      floats, bools, nulls and timestamps; ``<<`` merge keys; anchors and aliases),
      except that a duplicated key keeps its *first* value and is reported, a value
      that cannot be built (``2021-13-45``) stays a string and is reported, and in
      ``<<: [*a, *b]`` the first mapping wins, as the merge-key spec says (PyYAML
      6.0.4 lets the last one win for most keys: yaml/pyyaml#953);
    * never recurses, so nesting depth is checked while reading (no composer
      recursion in C or Python can crash or overflow);
    * counts the values aliases expand to, to refuse "billion laughs" alias bombs;
    * refuses every tag that is not a plain-data tag (``!!python/...``, ``!foo``,
      ``!!binary``, ``!!set``, ...);
    * keeps, for the :class:`SourceMap`, the parser events themselves (no node
      objects, no positions worked out in advance); positions are only computed
      when :meth:`SourceMap.locate` and friends are called.

    On a 1 MB, 2,000-card file this is faster than a bare
    ``yaml.load(text, Loader=yaml.CSafeLoader)``, which resolves every scalar through
    Python-level regular expressions; here repeated plain scalars are looked up in a
    cache instead.

Lines and columns are 1-based and count characters (a UTF-8 BOM is not a column).

Why one module of some 700 lines: the builder is one state machine over the parser's
event stream (values, aliases and their budget, merge keys, tags, duplicate keys, depth),
and the :class:`SourceMap` reads the events it kept; splitting either would pass their
shared state around. Positions inside a scalar are in :mod:`~tabletop.campaign.yamlpositions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from tabletop.campaign.problems import CampaignError, Problem, Severity
from tabletop.campaign.yamlerrors import plain_syntax_error
from tabletop.campaign.yamlpositions import BREAK_RE, map_offset

__all__ = ["ALIAS_BUDGET", "ALIAS_FACTOR", "MAX_BYTES", "MAX_DEPTH", "LoadedYaml", "SourceMap", "load_yaml"]

#: Files larger than this many bytes (of UTF-8, for ``str`` input) are refused unread.
MAX_BYTES: Final = 5 * 1024 * 1024
#: Lists and mappings may be nested this deep, no deeper.
MAX_DEPTH: Final = 64
#: Expanding aliases may add this many values, plus ALIAS_FACTOR per value written out in
#: the file; beyond that the file is taken for an alias bomb ("billion laughs").
ALIAS_BUDGET: Final = 100_000
ALIAS_FACTOR: Final = 10

#: The parser: libyaml's when PyYAML was built with it.
_Loader: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

_Y: Final = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _Y + "str",
    _Y + "int",
    _Y + "float",
    _Y + "bool",
    _Y + "null",
    _Y + "timestamp",
)
_MERGE_TAG: Final = _Y + "merge"
_VALUE_TAG: Final = _Y + "value"
_SEQ_TAG: Final = _Y + "seq"
_MAP_TAG: Final = _Y + "map"
#: Standard YAML tags that are data but that campaigns do not use.
_UNSUPPORTED_TAGS: Final = frozenset(_Y + t for t in ("binary", "set", "omap", "pairs", "yaml"))
#: Bools spelled like bools; anything else YAML 1.1 reads as a bool (``no``, ``on``, ``Y``...) is a trap.
_LITERAL_BOOLS: Final = frozenset({"true", "false", "True", "False", "TRUE", "FALSE"})

_TOO_DEEP: Final = f"lists and mappings are nested too deeply (more than {MAX_DEPTH} levels)"
_TAG_WORDS: Final = {_INT: "integer", _FLOAT: "number", _BOOL: "true/false value", _TIMESTAMP: "date"}
_SC: Final = SafeConstructor()
_IMPLICIT: Final = {
    first: [(tag, regexp.match) for tag, regexp in resolvers]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path = tuple[Any, ...]


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_MISS: Final = _Sentinel("<miss>")
_NOKEY: Final = _Sentinel("<no key yet>")  # a mapping waiting for its next key
_MERGEKEY: Final = _Sentinel("<<")  # the pending key is a merge key
_BADKEY: Final = _Sentinel("<bad key>")  # the pending key was refused; drop its value
_KEYPOS: Final = _Sentinel("<in a key>")  # path element of a collection used as a key
_OPEN: Final = _Sentinel("<open anchor>")  # an anchored collection still being read


class _AliasRef:
    """Source-map entry of a value written as ``*alias``: where it is, and what it points to."""

    __slots__ = ("event", "target")

    def __init__(self, event: AliasEvent, target: Any) -> None:
        self.event = event
        self.target = target


# Source-map entries ("refs") are, without wrapping: a ScalarEvent for a scalar; a tuple
# (start event, children) for a collection, children being {key: (key ref, value ref)}
# for a mapping and [value ref, ...] for a sequence; an _AliasRef for an alias.


def _deref(ref: Any) -> Any:
    while ref.__class__ is _AliasRef:
        ref = ref.target
    return ref


def _mark_of(ref: Any) -> Any:
    if ref.__class__ is tuple:
        return ref[0].start_mark
    if ref.__class__ is _AliasRef:
        return ref.event.start_mark
    return ref.start_mark


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of character ``index`` of ``text``, counting YAML line breaks."""
    line, start = 1, 0
    for m in BREAK_RE.finditer(text, 0, max(0, index)):
        line += 1
        start = m.end()
    return line, index - start + 1


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_Y) :] if tag.startswith(_Y) else tag


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "a string"
    return "a date"


class SourceMap:
    """Where each value of a loaded file was written.

    Paths are tuples of mapping keys (as constructed: ``"cost"``, ``True`` for ``on:``)
    and list indices, from the root. Positions are 1-based ``(line, col)``.
    """

    def __init__(self, root: Any, text: str, bool_traps: dict[Path, str]) -> None:
        self._root = root
        self._text = text
        #: path -> source text, for every plain scalar YAML 1.1 read as a bool although it is not
        #: spelled true/false (``yes``, ``no``, ``on``, ``off``, ``y``, ``n``...). For a mapping key
        #: read as a bool, the path is the parent path plus the bool; that is also the path of
        #: its value, so for ``on: no`` the entry is the key's (``"on"``).
        self.bool_traps: dict[Path, str] = bool_traps

    def _walk(self, path: Path) -> tuple[Any, Any, bool]:
        """Follow ``path``: (ref of the deepest value reached, its key ref or None, whole path found)."""
        ref, key_ref = self._root, None
        for elem in path:
            node = _deref(ref)
            if node.__class__ is not tuple:
                return ref, key_ref, False
            children = node[1]
            if children.__class__ is dict:
                try:
                    entry = children.get(elem)
                except TypeError:  # an unhashable path element
                    entry = None
                if entry is None:
                    return ref, key_ref, False
                key_ref, ref = entry
            else:
                if elem.__class__ is not int or not 0 <= elem < len(children):
                    return ref, key_ref, False
                key_ref, ref = None, children[elem]
        return ref, key_ref, True

    def locate(self, path: Path) -> tuple[int, int]:
        """Return (line, col) of the value at ``path``.

        If the path does not exist, the position of its nearest existing ancestor; the
        empty path is the root value (the start of the document's content). Never raises.
        """
        ref, _, _ = self._walk(path)
        return _pos(_mark_of(ref))

    def locate_key(self, path: Path) -> tuple[int, int]:
        """Return (line, col) of the mapping key whose value is at ``path``.

        Meant for "unknown key" messages. Falls back to :meth:`locate` when the path does
        not exist or does not end in a mapping key.
        """
        ref, key_ref, found = self._walk(path)
        if found and key_ref is not None:
            return _pos(_mark_of(key_ref))
        return _pos(_mark_of(ref))

    def locate_in_scalar(self, path: Path, offset: int) -> tuple[int, int]:
        """Return (line, col) of character ``offset`` (0-based) of the string scalar at ``path``.

        Exact for plain and quoted scalars, single- or multi-line (escapes and ``''`` are
        accounted for), and for literal (``|``) and folded (``>``) block scalars. An offset
        past the end gives the position just after the last character. Falls back to the
        scalar's start when the mapping cannot be worked out, and to :meth:`locate` when
        the value at ``path`` is not a scalar.
        """
        ref, _, found = self._walk(path)
        event = _deref(ref) if found else None
        if event is None or event.__class__ is not ScalarEvent:
            return _pos(_mark_of(ref))
        start = _pos(event.start_mark)
        where = map_offset(self._text, event, max(offset, 0))
        return where if where is not None else start

    def keys(self, path: Path) -> list[Any]:
        """Return the keys of the mapping at ``path`` in file order (merged keys included), or []."""
        ref, _, found = self._walk(path)
        node = _deref(ref)
        if not found or node.__class__ is not tuple or node[1].__class__ is not dict:
            return []
        return list(node[1])

    def raw(self, path: Path) -> str | None:
        """Return the source text of the scalar at ``path`` as parsed (before typing), or None."""
        ref, _, found = self._walk(path)
        event = _deref(ref)
        return event.value if found and event.__class__ is ScalarEvent else None


@dataclass
class LoadedYaml:
    """The result of :func:`load_yaml`."""

    #: Plain Python data: dict / list / str / int / float / bool / None / date / datetime.
    data: Any
    source_map: SourceMap
    #: Non-fatal problems found while loading (duplicate keys, ...); may be empty.
    problems: list[Problem] = field(default_factory=list)


def load_yaml(source: bytes | str, path: str) -> LoadedYaml:
    """Parse a campaign file into plain data, with a :class:`SourceMap` of every value.

    ``source`` is the file's bytes (must be UTF-8; a BOM is fine) or its text; ``path``
    is only used in problem reports. The top level must be a mapping.

    Returns a :class:`LoadedYaml`; its ``problems`` hold non-fatal errors (a duplicated key
    keeps its first value, an invalid date stays a string, ...).

    Raises :class:`CampaignError`, and nothing else whatever the input, when the file
    cannot be turned into data: too big, not UTF-8, empty, a YAML syntax error, more than
    one document, a top level that is not a mapping, nesting deeper than ``MAX_DEPTH``,
    an alias bomb or recursive alias, or a tag that is not plain data.
    """
    try:
        return _load(source, path)
    except CampaignError:
        raise
    except Exception as exc:  # the last net: MemoryError, RecursionError, bugs
        raise CampaignError(
            [Problem(str(path), 1, 1, Severity.ERROR, f"could not read the file: {type(exc).__name__}: {exc}")]
        ) from None


def _fail(path: str, line: int, col: int, message: str) -> CampaignError:
    return CampaignError([Problem(path, line, col, Severity.ERROR, message)])


def _load(source: bytes | str, path: str) -> LoadedYaml:
    path = str(path)
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        if len(raw) > MAX_BYTES:
            raise _fail(path, 1, 1, _too_big(len(raw)))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise _fail(path, 1, 1, "not UTF-8 text: this looks like UTF-16; save the file as UTF-8") from None
            prefix = raw[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
            line, col = _line_col(prefix, len(prefix))
            bad = raw[exc.start]
            raise _fail(
                path, line, col, f"not UTF-8 text: invalid byte 0x{bad:02x} at line {line}, column {col}"
            ) from None
    elif isinstance(source, str):
        text = source
        if len(text) > MAX_BYTES or (
            len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES
        ):
            raise _fail(path, 1, 1, _too_big(len(text.encode("utf-8", "surrogatepass"))))
    else:
        raise _fail(path, 1, 1, f"cannot read YAML from a {type(source).__name__}")
    return _Builder(text.removeprefix("\ufeff"), path).run(_Loader)


def _too_big(size: int) -> str:
    return (
        f"the file is too big ({size / 1048576:.1f} MB): campaign files are limited to "
        f"{MAX_BYTES // 1048576} MB"
    )


class _Builder:
    """Turns one parser's event stream into data; one instance per file."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.problems: list[Problem] = []
        self.bool_traps: dict[Path, str] = {}
        self.cache: dict[str, Any] = {}  # plain scalar text -> constructed (immutable) value
        self.anchor_events: dict[str, Any] = {}  # anchor name -> event that defined it last
        self.offsets_in_bytes = True

    # -- reporting ------------------------------------------------------------------

    def problem(self, mark: Any, message: str) -> None:
        line, col = _pos(mark)
        self.problems.append(Problem(self.path, line, col, Severity.ERROR, message))

    def fatal(self, mark: Any, message: str) -> CampaignError:
        line, col = _pos(mark) if mark is not None else (1, 1)
        return CampaignError([*self.problems, Problem(self.path, line, col, Severity.ERROR, message)])

    def yaml_error(self, exc: yaml.YAMLError) -> CampaignError:
        """A PyYAML error as a located problem, in plain words (:mod:`~tabletop.campaign.yamlerrors`)."""
        if isinstance(exc, yaml.reader.ReaderError):
            index = exc.position
            if self.offsets_in_bytes:  # libyaml counts bytes, the pure-Python reader characters
                index = len(self.text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "ignore"))
            line, col = _line_col(self.text, index)
            char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
            reason = str(exc.reason).replace("special characters", "control characters")
            return CampaignError(
                [*self.problems, Problem(self.path, line, col, Severity.ERROR, f"{reason} (found U+{char:04X})")]
            )
        if isinstance(exc, yaml.MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            if exc.context_mark is not None and exc.context in ("while scanning an alias", "while scanning an anchor"):
                mark = exc.context_mark  # the bare * or &, not the character after it
            problem = exc.problem or exc.context or "invalid YAML"
            if "nesting depth" in problem:  # libyaml's own limit (1000), met while scanning ahead
                return self.fatal(mark, _TOO_DEEP)
            opened = _pos(exc.context_mark) if exc.context and exc.problem and exc.context_mark is not None else None
            found = self.text[mark.index] if mark is not None and 0 <= mark.index < len(self.text) else ""
            sentence = plain_syntax_error(exc.problem or "", exc.context or "", opened, found)
            return self.fatal(mark, f"YAML syntax error: {sentence}")
        return self.fatal(None, f"invalid YAML: {exc}")

    # -- scalars --------------------------------------------------------------------

    def plain(self, event: ScalarEvent) -> Any:
        """Construct an untagged plain scalar the way ``safe_load`` would; cache the result."""
        raw = event.value
        tag = _STR
        for candidate, match in _IMPLICIT.get(raw[:1], ()):
            if match(raw):
                tag = candidate
                break
        value = self.typed(event, tag, raw)
        if value is not _MISS:
            self.cache[raw] = value
            return value
        return raw

    def typed(self, event: ScalarEvent, tag: str, raw: str) -> Any:
        """Construct ``raw`` as ``tag``; on failure record a problem and return _MISS."""
        if tag == _STR or tag == _MERGE_TAG or tag == _VALUE_TAG:
            return raw
        if tag == _NULL:
            return None
        what = _TAG_WORDS.get(tag)
        if what is None:
            raise self.fatal(event.start_mark, _tag_refusal(tag))
        detail = ""
        try:
            value = _construct(tag, raw)
        except ValueError as exc:  # the form is right but not the value: 2021-13-45, too many digits
            value, detail = _MISS, f": {exc}"
        if value is not _MISS:
            return value
        if len(raw) > 60:
            message = f"this {len(raw)}-character value is not a valid {what}"
        else:
            message = f"'{raw}' is not a valid {what}{detail if tag == _TIMESTAMP else ''}"
        self.problem(event.start_mark, message)
        return _MISS

    def tagged(self, event: ScalarEvent) -> Any:
        """Construct a scalar that has a tag (``!!int 3``, ``! x``...)."""
        tag = event.tag
        raw = event.value
        if tag == "!":
            return self.plain(event) if event.implicit[0] else raw
        value = self.typed(event, tag, raw)
        return raw if value is _MISS else value

    # -- the walk -------------------------------------------------------------------

    def run(self, loader_class: Any) -> LoadedYaml:
        """Read the whole stream with a new ``loader_class`` parser; raise CampaignError on failure."""
        event: Any = None
        self.offsets_in_bytes = not issubclass(loader_class, yaml.reader.Reader)
        try:
            loader = loader_class(self.text)
        except UnicodeEncodeError as exc:  # a lone surrogate in str input
            line, col = _line_col(self.text, exc.start)
            char = ord(self.text[exc.start])
            raise _fail(self.path, line, col, f"not UTF-8 text: character U+{char:04X} cannot be encoded") from None
        except yaml.YAMLError as exc:  # the pure-Python reader checks characters up front
            raise self.yaml_error(exc) from None
        try:
            get = loader.get_event
            get()  # StreamStart
            event = get()
            if event.__class__ is StreamEndEvent:
                raise self.fatal(None, "the file is empty")
            event = get()
            self.check_root(event)
            root, root_ref = self.walk(get, event)
            event = get()  # DocumentEnd
            event = get()
            if event.__class__ is DocumentStartEvent:
                raise self.fatal(
                    event.start_mark,
                    "a second YAML document starts here: a campaign file holds exactly one (remove the extra '---')",
                )
        except CampaignError:
            raise
        except yaml.YAMLError as exc:
            raise self.yaml_error(exc) from None
        except RecursionError:
            raise self.fatal(getattr(event, "start_mark", None), "the file is nested too deeply") from None
        except MemoryError:
            raise self.fatal(getattr(event, "start_mark", None), "the file is too big to read") from None
        finally:
            loader.dispose()
        return LoadedYaml(root, SourceMap(root_ref, self.text, self.bool_traps), self.problems)

    def check_root(self, event: Any) -> None:
        """Refuse a document whose top level is not a mapping."""
        cls = event.__class__
        if cls is MappingStartEvent:
            return
        if cls is SequenceStartEvent:
            what = "a list"
        elif cls is ScalarEvent:
            if event.tag is None and event.implicit[0] and event.value == "":
                raise self.fatal(None, "the file is empty")
            what = _describe(self.plain(event) if event.tag is None and event.implicit[0] else event.value)
        else:
            what = "an alias"
        raise self.fatal(
            event.start_mark, f"a campaign must be a mapping of keys (title:, sides:, ...), not {what}"
        )

    def anchor(self, anchors: dict[str, Any], event: Any, entry: Any) -> None:
        """Register ``&name`` (``entry`` is _OPEN for a collection still being read)."""
        name = event.anchor
        first = self.anchor_events.get(name)
        if first is not None and first is not event:
            line, _ = _pos(first.start_mark)
            self.problem(event.start_mark, f"anchor &{name} is defined twice (first at line {line})")
        self.anchor_events[name] = event
        anchors[name] = entry

    @staticmethod
    def is_merge(ref: Any) -> bool:
        """Whether a key equal to '<<' is a merge key (plain or tagged !!merge, not quoted)."""
        return ref.__class__ is ScalarEvent and (
            (ref.tag is None and ref.implicit[0]) or ref.tag == _MERGE_TAG
        )

    def duplicate(self, key_ref: Any, first_ref: Any) -> None:
        line, _ = _pos(_mark_of(first_ref))
        self.problem(
            _mark_of(key_ref), f"duplicate key '{_key_text(key_ref)}' (first defined at line {line})"
        )

    def merge(self, cur: dict[Any, Any], kids: dict[Any, Any], merges: list[tuple[Any, Any]]) -> None:
        """Apply ``<<`` merge keys to a finished mapping, like ``safe_load``.

        The mapping's own keys win; among merged mappings the first listed wins.
        """
        sources: list[tuple[dict[Any, Any], dict[Any, Any]]] = []
        for value, ref in merges:
            node = _deref(ref)
            if value.__class__ is dict:
                sources.append((value, node[1]))
            elif value.__class__ is list and all(item.__class__ is dict for item in value):
                sources.extend((item, _deref(item_ref)[1]) for item, item_ref in zip(value, node[1]))
            else:
                self.problem(
                    _mark_of(ref), "the value of '<<' (a merge key) must be a mapping or a list of mappings"
                )
        if not sources:
            return
        own = list(cur.items())
        own_kids = dict(kids)
        cur.clear()
        kids.clear()
        for src, src_kids in sources:
            for k, v in src.items():
                if k not in cur:
                    cur[k] = v
                    kids[k] = src_kids[k]
        for k, v in own:
            cur[k] = v
            kids[k] = own_kids[k]

    def walk(self, get: Any, event: Any) -> tuple[Any, Any]:
        """Build the document's root value from its first event; return (value, source-map ref).

        One loop with an explicit stack: no recursion whatever the nesting. The current
        collection's state lives in locals; ``stack`` holds the enclosing ones.
        """
        cache_get = self.cache.get
        plain = self.plain
        traps = self.bool_traps
        anchors: dict[str, Any] = {}
        stack: list[tuple[Any, ...]] = []
        path: list[Any] = []  # how each open collection is reached from its parent
        cur: Any = []  # holder of the root value
        kids: Any = []
        is_map = False
        key: Any = _NOKEY
        key_ref: Any = None
        merges: list[tuple[Any, Any]] | None = None
        literal = 0  # values written out in the file
        expanded = 0  # values added by expanding aliases
        while True:
            cls = event.__class__
            if cls is ScalarEvent:
                literal += 1
                if event.tag is None:
                    if event.implicit[0]:
                        raw = event.value
                        value = cache_get(raw, _MISS)
                        if value is _MISS:
                            value = plain(event)
                        if value.__class__ is bool and raw not in _LITERAL_BOOLS:
                            if not is_map:
                                traps[(*path[1:], len(cur))] = raw
                            elif key is _NOKEY:
                                traps[(*path[1:], value)] = raw
                            elif key is not _BADKEY:  # a key trap (``on: no``) keeps its entry
                                traps.setdefault((*path[1:], "<<" if key is _MERGEKEY else key), raw)
                    else:
                        value = event.value
                else:
                    value = self.tagged(event)
                ref = event
                if event.anchor is not None:
                    self.anchor(anchors, event, (value, ref, 1))
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                literal += 1
                if len(stack) >= MAX_DEPTH:
                    raise self.fatal(event.start_mark, _TOO_DEEP)
                is_mapping = cls is MappingStartEvent
                tag = event.tag
                if tag is not None and tag != "!" and tag != (_MAP_TAG if is_mapping else _SEQ_TAG):
                    raise self.fatal(event.start_mark, _tag_refusal(tag, "a mapping" if is_mapping else "a list"))
                if event.anchor is not None:
                    self.anchor(anchors, event, _OPEN)
                if is_map:
                    path.append(_KEYPOS if key is _NOKEY else ("<<" if key is _MERGEKEY else key))
                else:
                    path.append(len(cur))
                new: Any = {} if is_mapping else []
                new_kids: Any = {} if is_mapping else []
                stack.append(
                    (cur, kids, is_map, key, key_ref, merges, (event, new_kids), literal + expanded - 1)
                )
                cur, kids, is_map, key, key_ref, merges = new, new_kids, is_mapping, _NOKEY, None, None
                event = get()
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                value = cur
                if merges:
                    self.merge(cur, kids, merges)
                cur, kids, is_map, key, key_ref, merges, ref, start = stack.pop()
                path.pop()
                name = ref[0].anchor
                if name is not None and self.anchor_events.get(name) is ref[0]:
                    anchors[name] = (value, ref, literal + expanded - start)
                if not stack:
                    return value, ref
            elif cls is AliasEvent:
                entry = anchors.get(event.anchor)
                if entry is None:
                    raise self.fatal(
                        event.start_mark,
                        f"alias *{event.anchor} is not defined (define &{event.anchor} before using it)",
                    )
                if entry is _OPEN:
                    raise self.fatal(
                        event.start_mark,
                        f"alias *{event.anchor} is used inside its own anchor &{event.anchor} "
                        "(a recursive structure)",
                    )
                value, target, size = entry
                expanded += size
                if expanded > ALIAS_BUDGET + ALIAS_FACTOR * literal:
                    raise self.fatal(
                        event.start_mark, "too many values after expanding aliases (is this an alias bomb?)"
                    )
                ref = _AliasRef(event, target)
            else:
                raise self.fatal(getattr(event, "start_mark", None), "unexpected end of the YAML document")
            # Put (value, ref) into the current collection.
            if is_map:
                if key is _NOKEY:
                    if value.__class__ is dict or value.__class__ is list:
                        self.problem(_mark_of(ref), "a mapping key must be a single value, not a list or mapping")
                        key = _BADKEY
                    elif value == "<<" and self.is_merge(ref):
                        key = _MERGEKEY
                    else:
                        key = value
                    key_ref = ref
                else:
                    if key is _MERGEKEY:
                        if merges is None:
                            merges = []
                        merges.append((value, ref))
                    elif key is _BADKEY:
                        pass
                    elif key in cur:
                        self.duplicate(key_ref, kids[key][0])
                    else:
                        cur[key] = value
                        kids[key] = (key_ref, ref)
                    key = _NOKEY
            else:
                cur.append(value)
                kids.append(ref)
            event = get()


def _key_text(ref: Any) -> str:
    if ref.__class__ is _AliasRef:
        return "*" + str(ref.event.anchor)
    if ref.__class__ is ScalarEvent:
        return str(ref.value)[:80]
    return "..."


def _tag_refusal(tag: str, kind: str = "a single value") -> str:
    shown = _show_tag(tag)
    if tag in _UNSUPPORTED_TAGS:
        return f"tag {shown} is not supported in campaign files: write plain lists, mappings and values"
    if tag in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _SEQ_TAG, _MAP_TAG, _MERGE_TAG, _VALUE_TAG):
        return f"tag {shown} cannot be used on {kind}"
    return f"tag {shown} is not allowed: campaign files are data, not code"


def _construct(tag: str, raw: str) -> Any:
    """``raw`` as a value of ``tag`` (int, float, bool or timestamp), or _MISS if it has not the form.

    Built by PyYAML's own constructors, as ``safe_load`` would, once the text is known to
    have a form they read: given any other, they fail by indexing an empty string or
    reading a failed match. Raises ``ValueError`` where the form is right but the value
    is not (a 13th month, an integer of more digits than Python converts).
    """
    if tag == _BOOL:
        return _SC.bool_values.get(raw.lower(), _MISS)
    if tag == _TIMESTAMP:
        if _SC.timestamp_regexp.match(raw) is None:
            return _MISS
        return _SC.construct_yaml_timestamp(ScalarNode(tag, raw))
    if tag == _INT and raw.isdigit() and (raw[0] != "0" or len(raw) == 1):
        return int(raw)
    unsigned = raw.replace("_", "")
    if unsigned[:1] in ("+", "-"):
        unsigned = unsigned[1:]
    if not unsigned:
        return _MISS
    if tag == _INT:
        return _SC.construct_yaml_int(ScalarNode(tag, raw))
    return _SC.construct_yaml_float(ScalarNode(tag, raw))
