"""Tests for :mod:`tabletop.campaign.yamlsource`: data, positions, and refusing bad input politely."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import time
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
import tabletop.campaign.yamlsource as ys
from tabletop.campaign.problems import CampaignError, Problem
from tabletop.campaign.yamlsource import MAX_BYTES, LoadedYaml, load_yaml

PATH = "c.yaml"


def load(source: str | bytes) -> LoadedYaml:
    return load_yaml(source if isinstance(source, bytes) else textwrap.dedent(source), PATH)


def fails(source: str | bytes) -> Problem:
    """Load ``source``, expecting a CampaignError; return its first problem."""
    with pytest.raises(CampaignError) as info:
        load(source)
    assert info.value.problems, "a CampaignError must carry problems"
    return info.value.problems[0]


def where(problem: Problem) -> tuple[int, int, str]:
    return problem.line, problem.col, problem.message


@pytest.fixture(params=["c", "python"])
def either_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and again with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(ys, "_Loader", yaml.SafeLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


# -- 1. the data is what safe_load builds --------------------------------------------------


def test_uses_libyaml_when_present() -> None:
    if yaml.__with_libyaml__:
        assert ys._Loader is yaml.CSafeLoader


SAMPLE = """\
title: Baltic crisis
format: 1
ratio: 2.5
hexa: 0x1F
octal: 017
sexa: 1:30
neg: -3
inf: .inf
none: ~
empty:
yes_is_bool: yes
date: 2024-03-01
stamp: 2024-03-01 10:20:30
quoted: "12"
folded: >
  one
  two
sides:
  - {id: red, tags: [a, b]}
  - id: blue
"""


def test_data_matches_safe_load(either_loader: str) -> None:
    loaded = load(SAMPLE)
    assert loaded.data == yaml.safe_load(SAMPLE)
    assert loaded.problems == []
    assert loaded.data["date"] == dt.date(2024, 3, 1)
    assert loaded.data["stamp"] == dt.datetime(2024, 3, 1, 10, 20, 30)
    assert loaded.data["sexa"] == 90 and loaded.data["hexa"] == 31 and loaded.data["octal"] == 15


# -- 3. duplicate keys ---------------------------------------------------------------------


def test_duplicate_key_is_a_problem_and_keeps_the_first_value(either_loader: str) -> None:
    loaded = load(
        """\
        cards:
          - id: a
            cost: 1
            title: A
            cost: 2
        """
    )
    assert loaded.data["cards"][0]["cost"] == 1
    [problem] = loaded.problems
    assert problem.is_error
    assert where(problem) == (5, 5, "duplicate key 'cost' (first defined at line 3)")
    assert str(problem) == "c.yaml:5:5: error: duplicate key 'cost' (first defined at line 3)"


# -- 4. anchors, aliases, merge keys, bombs --------------------------------------------------


def test_merge_keys_like_safe_load(either_loader: str) -> None:
    text = """\
    base: &base {cost: 1, kind: action, side: red}
    other: &other {cost: 5, draw: 2}
    one:
      <<: *base
      cost: 3
    two:
      <<: [*other, *base]
    three: *base
    """
    loaded = load(text)
    expected = yaml.safe_load(textwrap.dedent(text))
    # The merge spec: "keys in mapping nodes earlier in the sequence override keys specified in
    # later mapping nodes". PyYAML 6.0.4 lets the last win for keys longer than one character
    # (yaml/pyyaml#953, a regression); we keep to the spec, as PyYAML <= 6.0.3 did.
    expected["two"]["cost"] = 5
    assert loaded.data == expected
    assert loaded.data["one"] == {"cost": 3, "kind": "action", "side": "red"}
    assert loaded.data["two"] == {"cost": 5, "draw": 2, "kind": "action", "side": "red"}
    sm = loaded.source_map
    assert sm.locate(("one", "cost")) == (5, 9)
    assert sm.locate(("one", "kind")) == (1, 29)  # merged keys point at their definition
    assert sm.locate_key(("two", "draw")) == (2, 25)
    assert sm.locate(("three",)) == (8, 8)  # the alias itself
    assert sm.locate(("three", "side")) == (1, 43)  # inside what it points to


def test_merge_of_a_scalar_is_a_problem(either_loader: str) -> None:
    loaded = load("a: &a 3\nb:\n  <<: *a\n  x: 1\n")
    assert loaded.data["b"] == {"x": 1}
    assert [where(p) for p in loaded.problems] == [
        (3, 7, "the value of '<<' (a merge key) must be a mapping or a list of mappings")
    ]


def test_quoted_merge_key_is_a_plain_key(either_loader: str) -> None:
    assert load("'<<': 1\n").data == {"<<": 1}


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)


def test_alias_bomb_is_refused_quickly(either_loader: str) -> None:
    start = time.monotonic()
    problem = fails(BOMB)
    assert time.monotonic() - start < 5
    assert problem.message == "too many values after expanding aliases (is this an alias bomb?)"
    assert (problem.line, problem.col) == (6, 8)


def test_modest_alias_reuse_is_fine(either_loader: str) -> None:
    text = "defaults: &d {cost: 1, kind: action}\ncards:\n" + "".join(
        f"  - {{<<: *d, id: c{i}}}\n" for i in range(3000)
    )
    assert len(load(text).data["cards"]) == 3000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &a [x, *a]\n", (1, 11, "alias *a is used inside its own anchor &a (a recursive structure)")),
        ("a: &a {b: {c: *a}}\n", (1, 15, "alias *a is used inside its own anchor &a (a recursive structure)")),
        ("a: 1\nb: *nope\n", (2, 4, "alias *nope is not defined (define &nope before using it)")),
    ],
)
def test_bad_aliases(either_loader: str, text: str, expected: tuple[int, int, str]) -> None:
    assert where(fails(text)) == expected


def test_anchor_defined_twice_is_a_problem(either_loader: str) -> None:
    loaded = load("a: &x 1\nb: &x 2\nc: *x\n")
    assert loaded.data == {"a": 1, "b": 2, "c": 2}
    assert [where(p) for p in loaded.problems] == [(2, 4, "anchor &x is defined twice (first at line 1)")]


# -- 5. deep nesting -----------------------------------------------------------------------

DEEP_SCRIPT = r"""
import json, sys, time
from tabletop.campaign.yamlsource import load_yaml, CampaignError
inputs = {
    "flow lists": "a: " + "[" * 100_000,
    "flow mappings": "a: " + "{a: " * 50_000,
    "compact lists": "a:\n" + "- " * 100_000 + "x\n",
    "indented mappings": "".join(" " * i + "k:\n" for i in range(2_000)),
    "closed flow lists": "a: " + "[" * 5_000 + "]" * 5_000 + "\n",
}
out = {}
for name, text in inputs.items():
    start = time.monotonic()
    try:
        load_yaml(text, "deep.yaml")
        out[name] = ["loaded", 0, 0, time.monotonic() - start]
    except CampaignError as exc:
        p = exc.problems[0]
        out[name] = [p.message, p.line, p.col, time.monotonic() - start]
print(json.dumps(out))
"""


def test_deep_nesting_is_refused_quickly_without_crashing() -> None:
    # In a subprocess: a C-level stack overflow would kill it, not the test run.
    done = subprocess.run(
        [sys.executable, "-c", DEEP_SCRIPT], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    too_deep = "lists and mappings are nested too deeply (more than 64 levels)"
    for name, (message, _line, _col, seconds) in results.items():
        assert message == too_deep, name
        assert seconds < 5, name
    # The top-level mapping is level 1: the 65th level is refused where it opens.
    assert results["flow mappings"][1:3] == [1, 4 + 4 * 63]
    assert results["compact lists"][1:3] == [2, 1 + 2 * 63]
    assert results["indented mappings"][1:3] == [65, 65]


def test_nesting_up_to_the_limit_is_fine(either_loader: str) -> None:
    depth = ys.MAX_DEPTH - 1  # plus the top-level mapping
    data = load("a: " + "[" * depth + "x" + "]" * depth + "\n").data
    for _ in range(depth + 1):
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == "x"


# -- 6. tags -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: x\nrun: !!python/object/apply:os.system [echo hi]\n",
            (2, 6, "tag !!python/object/apply:os.system is not allowed: campaign files are data, not code"),
        ),
        (
            "a: !!python/name:os.system ''\n",
            (1, 4, "tag !!python/name:os.system is not allowed: campaign files are data, not code"),
        ),
        (
            "a: !<tag:yaml.org,2002:python/object:x> {}\n",
            (1, 4, "tag !!python/object:x is not allowed: campaign files are data, not code"),
        ),
        ("a:\n  - !card x\n", (2, 5, "tag !card is not allowed: campaign files are data, not code")),
        (
            "a: !!binary aGk=\n",
            (1, 4, "tag !!binary is not supported in campaign files: write plain lists, mappings and values"),
        ),
        (
            "a: !!set {x, y}\n",
            (1, 4, "tag !!set is not supported in campaign files: write plain lists, mappings and values"),
        ),
        (
            "a: !!omap [x: 1]\n",
            (1, 4, "tag !!omap is not supported in campaign files: write plain lists, mappings and values"),
        ),
        ("a: !!seq {x: 1}\n", (1, 4, "tag !!seq cannot be used on a mapping")),
    ],
)
def test_tags_that_are_not_plain_data_are_refused(either_loader: str, text: str, expected: Any) -> None:
    assert where(fails(text)) == expected


def test_standard_tags_are_fine(either_loader: str) -> None:
    loaded = load("a: !!str 12\nb: !!int '12'\nc: !!float 1\nd: !!map {x: !!null ''}\ne: !!seq [! 3]\n")
    assert loaded.data == {"a": "12", "b": 12, "c": 1.0, "d": {"x": None}, "e": [3]}


# -- 7. files that are not a campaign at all -----------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"", (1, 1, "the file is empty")),
        (b"# only\n\n   # comments\n", (1, 1, "the file is empty")),
        (b"---\n", (1, 1, "the file is empty")),
        (b"- a\n- b\n", (1, 1, "a campaign must be a mapping of keys (title:, sides:, ...), not a list")),
        (b"# x\nhello\n", (2, 1, "a campaign must be a mapping of keys (title:, sides:, ...), not a string")),
        (b"a: 1\n---\nb: 2\n", (2, 1, "a second YAML document starts here: a campaign file holds exactly one "
                                      "(remove the extra '---')")),
        (b"a: 1\nb: 2\nc: xyz\xff\n", (3, 7, "not UTF-8 text: invalid byte 0xff at line 3, column 7")),
        (b"a: 1\nb: \xc3\xa9\xe9\n", (2, 5, "not UTF-8 text: invalid byte 0xe9 at line 2, column 5")),
        ("a: 1".encode("utf-16"), (1, 1, "not UTF-8 text: this looks like UTF-16; save the file as UTF-8")),
        (b"a: 1\nb: x\x00\n", (2, 5, "control characters are not allowed (found U+0000)")),
        ("a: é\nb: \x07\n".encode(), (2, 4, "control characters are not allowed (found U+0007)")),
        (b"a: 1\n b: 2\n", (2, 3, None)),
        (b"a:\n\tb: 1\n", (2, 1, None)),
    ],
)  # fmt: skip
def test_unusable_files(either_loader: str, source: bytes, expected: tuple[int, int, str | None]) -> None:
    problem = fails(source)
    line, col, message = expected
    assert (problem.line, problem.col) == (line, col)
    assert problem.path == PATH
    if message is not None:
        assert problem.message == message


def test_syntax_errors_say_what_is_wrong_in_plain_words() -> None:
    # The parser's own words ("while parsing a flow sequence") are rewritten; its context
    # mark becomes where the list (or quote, or mapping) starts.
    assert where(fails("a: [1, 2\nb: 3\n")) == (
        2,
        2,
        "YAML syntax error: a list in [brackets] is not closed, or misses a comma between items "
        "(the list starts at line 1, column 4): close it with ']'",
    )
    assert where(fails("a: 1\n b: 2\n")) == (
        2,
        3,
        "YAML syntax error: a colon followed by a space starts a key, and a key cannot start here: "
        "put the text in quotes if it contains ': ', or check the indentation",
    )
    assert fails("a:\n\tb: 1\n").message.endswith(": tabs cannot indent YAML, use spaces")


def test_bom_is_fine_and_not_a_column(either_loader: str) -> None:
    loaded = load(b"\xef\xbb\xbfa: 1\nb: 2\n")
    assert loaded.data == {"a": 1, "b": 2}
    assert loaded.source_map.locate(("a",)) == (1, 4)
    assert load("\ufeffa: 1\n").data == {"a": 1}


def test_lone_surrogate_in_text_input(either_loader: str) -> None:
    problem = fails("a: 1\nb: x\ud800\n")
    assert (problem.line, problem.col) == (2, 5)


def test_big_files_are_refused_unread() -> None:
    big = b"a: " + b"x" * MAX_BYTES + b"\n"
    assert where(fails(big)) == (1, 1, "the file is too big (5.0 MB): campaign files are limited to 5 MB")
    assert fails(big.decode()).message.startswith("the file is too big")


def test_wrong_source_type_is_a_campaign_error() -> None:
    with pytest.raises(CampaignError):
        load_yaml(12, PATH)  # type: ignore[arg-type]


# -- 8. keys that are not strings ------------------------------------------------------------------


def test_non_string_keys_are_kept(either_loader: str) -> None:
    assert load("3: a\n2.5: b\non: c\n~: d\n").data == {3: "a", 2.5: "b", True: "c", None: "d"}
    [problem] = load("1: a\non: b\n").problems  # True == 1, as in Python
    assert where(problem) == (2, 1, "duplicate key 'on' (first defined at line 1)")


def test_unhashable_key_is_a_problem(either_loader: str) -> None:
    loaded = load("? [a, b]\n: 1\nc: 2\n? {x: 1}\n: 3\n")
    assert loaded.data == {"c": 2}
    assert [where(p) for p in loaded.problems] == [
        (1, 3, "a mapping key must be a single value, not a list or mapping"),
        (4, 3, "a mapping key must be a single value, not a list or mapping"),
    ]


# -- 9. values that cannot be built are located problems, never exceptions --------------------------


def test_impossible_date_is_a_problem(either_loader: str) -> None:
    loaded = load("a: 1\nstarts: 2021-13-45\n")
    assert loaded.data["starts"] == "2021-13-45"
    assert [where(p) for p in loaded.problems] == [
        (2, 9, "'2021-13-45' is not a valid date: month must be in 1..12")
    ]


def test_values_that_cannot_be_built(either_loader: str) -> None:
    loaded = load("a: !!int abc\nb: !!bool maybe\nc: " + "9" * 5000 + "\n")
    assert loaded.data == {"a": "abc", "b": "maybe", "c": "9" * 5000}
    assert [where(p) for p in loaded.problems] == [
        (1, 4, "'abc' is not a valid integer"),
        (2, 4, "'maybe' is not a valid true/false value"),
        (3, 4, "this 5000-character value is not a valid integer"),
    ]


def test_explicit_tags_on_text_of_another_form(either_loader: str) -> None:
    # PyYAML's constructors fail on these by indexing an empty string or reading a failed
    # match; the loader checks the form first, so each is a plain problem, not a crash.
    loaded = load("a: !!int ''\nb: !!float '-'\nc: !!timestamp soon\nd: !!timestamp 2021-11-31\n")
    assert loaded.data == {"a": "", "b": "-", "c": "soon", "d": "2021-11-31"}
    assert [where(p) for p in loaded.problems] == [
        (1, 4, "'' is not a valid integer"),
        (2, 4, "'-' is not a valid number"),
        (3, 4, "'soon' is not a valid date"),
        (4, 4, "'2021-11-31' is not a valid date: day is out of range for month"),
    ]


# -- bool traps ------------------------------------------------------------------------------------


def test_bool_traps(either_loader: str) -> None:
    loaded = load(
        """\
        answer: no
        real: true
        quoted: 'yes'
        on: 3
        list:
          - NO
          - False
          - y
        nested: {flag: Off}
        """
    )
    assert loaded.data["answer"] is False and loaded.data[True] == 3 and loaded.data["list"] == [False, False, "y"]
    assert loaded.source_map.bool_traps == {
        ("answer",): "no",
        (True,): "on",
        ("list", 0): "NO",
        ("nested", "flag"): "Off",
    }


# -- positions -------------------------------------------------------------------------------------

POSITIONS = """\
title: Baltic crisis   # a comment
sides:
  - id: red
    name: 'Red''s side'
    text: "tab\\there \\u00e9x"
  - id: blue
    long: first line
      second line
lit: |
  alpha
   beta
  gamma
fold: >-
  one two
  three

  four
tagged: &t !!str anchored text
"""


def chars(text: str, line: int, col: int) -> str:
    return text.splitlines()[line - 1][col - 1 :]


def test_locate_and_locate_key(either_loader: str) -> None:
    sm = load(POSITIONS).source_map
    assert sm.locate(()) == (1, 1)
    assert sm.locate(("title",)) == (1, 8)
    assert sm.locate_key(("title",)) == (1, 1)
    assert sm.locate(("sides",)) == (3, 3)
    assert sm.locate(("sides", 1)) == (6, 5)
    assert sm.locate(("sides", 1, "id")) == (6, 9)
    assert sm.locate_key(("sides", 1, "long")) == (7, 5)
    assert sm.locate(("sides", 1, "missing", 3)) == (6, 5)  # nearest existing ancestor
    assert sm.locate(("sides", 7)) == (3, 3)
    assert sm.locate_key(("sides", 0)) == (3, 5)  # list items have no key: locate()
    assert sm.locate(("title", "deeper")) == (1, 8)
    assert sm.locate(([],)) == (1, 1)  # unhashable path elements do not raise
    assert sm.keys(()) == ["title", "sides", "lit", "fold", "tagged"]
    assert sm.keys(("title",)) == []


@pytest.mark.parametrize(
    ("path", "offset", "expected", "char"),
    [
        (("title",), 0, (1, 8), "B"),
        (("title",), 7, (1, 15), "c"),
        (("title",), 99, (1, 21), " "),  # past the end: just after the last character
        (("sides", 0, "name"), 3, (4, 15), "'"),  # the first of '' (an escaped quote)
        (("sides", 0, "name"), 4, (4, 17), "s"),
        (("sides", 0, "text"), 3, (5, 15), "\\"),  # \t
        (("sides", 0, "text"), 10, (5, 28), "x"),  # after \u00e9
        (("sides", 1, "long"), 11, (8, 7), "s"),  # second line of a folded plain scalar
        (("lit",), 8, (11, 5), "e"),  # " beta": more indented line of a literal block
        (("lit",), 12, (12, 3), "g"),
        (("fold",), 8, (15, 3), "t"),
        (("fold",), 14, (17, 3), "f"),
        (("tagged",), 0, (18, 18), "a"),  # after the anchor and the tag
    ],
)
def test_locate_in_scalar(either_loader: str, path: Any, offset: int, expected: Any, char: str) -> None:
    loaded = load(POSITIONS)
    assert loaded.source_map.locate_in_scalar(path, offset) == expected
    assert chars(POSITIONS, *expected).startswith(char)
    value = loaded.data
    for elem in path:
        value = value[elem]
    if offset < len(value):
        assert value[offset] == char or (char in "'\\" and value[offset] in "'\t")


def test_locate_in_scalar_falls_back(either_loader: str) -> None:
    sm = load(POSITIONS).source_map
    assert sm.locate_in_scalar(("sides",), 3) == sm.locate(("sides",))  # not a scalar
    assert sm.locate_in_scalar(("nope",), 3) == sm.locate(())
    assert sm.locate_in_scalar(("title",), -5) == (1, 8)


# -- never anything but CampaignError --------------------------------------------------------------

VALID = b"""\
title: "Baltic crisis"
format: 1
defaults: &d {cost: 1, kind: action}
sides:
  - id: red
    actors: [{id: russia, name: Russia}]
cards:
  - <<: *d
    id: c1
    when: escalation >= 3
    flavour: |
      Text here.
"""


def check_any(source: bytes | str) -> None:
    try:
        loaded = load_yaml(source, PATH)
    except CampaignError as exc:
        assert exc.problems and all(p.line >= 1 and p.col >= 1 for p in exc.problems)
        return
    assert isinstance(loaded.data, dict)
    assert all(p.line >= 1 and p.col >= 1 for p in loaded.problems)
    sm = loaded.source_map
    for key in sm.keys(()):
        assert sm.locate((key,)) >= (1, 1) and sm.locate_key((key,)) >= (1, 1)
        assert sm.locate_in_scalar((key,), 3) >= (1, 1)


@settings(max_examples=examples(200), deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_only_raise_campaign_error(source: bytes) -> None:
    check_any(source)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=400))
def test_random_text_only_raises_campaign_error(source: str) -> None:
    check_any(source)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.one_of(
                st.sampled_from([b"[", b"]", b"{", b"}", b"&a ", b"*a", b"*d", b"<<: ", b": ", b"- ", b"!!",
                                 b"!!python/object:x ", b"'", b'"', b"\n", b"\t", b"  ", b"#", b"|", b">", b"---\n",
                                 b"\xff", b"\x00", b"? ", b"%YAML 1.1\n", b"yes", b"2021-13-45", b"\\u"]),
                st.binary(min_size=1, max_size=4),
            )
        )  # fmt: skip
        if kind == "insert":
            data[at:at] = chunk
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        else:
            data[at : at + len(chunk)] = chunk
    return bytes(data)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_documents_only_raise_campaign_error(source: bytes) -> None:
    check_any(source)
    check_any(source.decode("utf-8", "replace"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
)
documents = st.dictionaries(
    st.text(min_size=1, max_size=10),
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=examples(100), deadline=None)
@given(documents, st.sampled_from([None, False, True]))
def test_dumped_data_round_trips(data: dict[str, Any], flow: bool | None) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    loaded = load_yaml(text, PATH)
    # (Not always == data: PyYAML itself does not round-trip e.g. a NEL in a key.)
    assert loaded.data == yaml.safe_load(text)
    assert loaded.problems == []
