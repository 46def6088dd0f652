"""Tests for :mod:`tabletop.campaign.conditions`: the safe condition language."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import pickle
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from tabletop.campaign import (
    condition_errors,
    condition_nodes,
    condition_parser,
    condition_text,
    conditions,
)
from tabletop.campaign.condition_nodes import (
    And,
    CompareNumbers,
    CompareTexts,
    Int,
    Neg,
    Not,
    NumberIn,
    NumberName,
    Or,
    Sub,
    Text,
    TextIn,
    TextName,
    Truth,
)
from tabletop.campaign.conditions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Condition,
    ConditionError,
    compile_condition,
)

NAMES: dict[str, Any] = {
    "escalation": int,
    "cohesion": int,
    "humanitarian": int,
    "border": int,
    "round": int,
    "phase": str,
}
PHASES = ["baseline", "hybrid-pressure", "border-crisis"]
VALUES = {"phase": PHASES}
ENV = {
    "escalation": 6,
    "cohesion": 3,
    "humanitarian": 5,
    "border": 1,
    "round": 2,
    "phase": "border-crisis",
}


def compile_(text: str) -> Condition:
    return compile_condition(text, NAMES, VALUES)


def error(text: str, names: Any = None, values: Any = VALUES) -> ConditionError:
    """The ConditionError ``text`` raises (fails the test if it compiles)."""
    with pytest.raises(ConditionError) as info:
        compile_condition(text, NAMES if names is None else names, values)
    exc = info.value
    assert str(exc) == exc.message
    assert 0 <= exc.offset <= len(text)
    return exc


def assert_error(text: str, message: str, token: str, *, exact: bool = False) -> ConditionError:
    """``text`` fails with ``message`` (a substring unless ``exact``) at the first ``token``."""
    exc = error(text)
    if exact:
        assert exc.message == message
    else:
        assert message in exc.message, exc.message
    assert text[exc.offset :].startswith(token), (exc.offset, text[exc.offset :])
    return exc


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("escalation >= 6 and cohesion < 4", True),
        ("escalation >= 7 and cohesion < 4", False),
        ("escalation >= 6 and cohesion < 3", False),
        ("escalation > 6 or cohesion <= 3", True),
        ("escalation > 6 or cohesion <= 2", False),
        ('phase == "border-crisis" or round >= 5', True),
        ('phase == "baseline" or round >= 5', False),
        ('phase != "baseline"', True),
        ("humanitarian - border >= 3", True),
        ("humanitarian - border >= 5", False),
        ("humanitarian + border == 6", True),
        ("-escalation < -5", True),
        ("escalation - -1 == 7", True),
        ("escalation == 6 and not cohesion == 6", True),
        ('not (phase in ["baseline", "hybrid-pressure"])', True),
        ('phase not in ("baseline", "hybrid-pressure")', True),
        ('phase in ["border-crisis"]', True),
        ("round in [1, 2, 3]", True),
        ("round in [-2, 3]", False),
        ("round not in [1, 3]", True),
        ("round in []", False),
        ("round not in []", True),
        ("True", True),
        ("False", False),
        ("true and escalation > 0", True),
        ("false or escalation > 99", False),
        ("not False", True),
        ("escalation >= 1 and cohesion >= 1 and round >= 1", True),
        ("escalation >= 1 and cohesion >= 1 and round >= 3", False),
        ("escalation < 1 or cohesion < 1 or round < 3", True),
        ("escalation < 1 or cohesion < 1 or round < 2 or border > 5", False),
        ("escalation > 1 and cohesion > 1 and round > 1 and border > 0", True),
        ("escalation > 1 and cohesion > 1 and round > 1 and border > 1", False),
        ("5 < escalation", True),
        ("6 < escalation", False),
        ("escalation == cohesion + 3", True),
        ("escalation - cohesion > border + humanitarian - 4", True),
        ("1 + 2 == 3", True),
        ('"a" == "a"', True),
        ("3 in [1, 2]", False),
        ("(((escalation >= 6)))", True),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    cond = compile_(text)
    result = cond.evaluate(ENV)
    assert result is expected
    assert (cond.margin(ENV) > 0) is expected


@pytest.mark.parametrize("value", range(-1, 11))
def test_chained_comparison(value: int) -> None:
    env = {**ENV, "escalation": value}
    assert compile_("2 <= escalation < 8").evaluate(env) is (2 <= value < 8)
    assert compile_("8 > escalation >= 2").evaluate(env) is (2 <= value < 8)
    assert compile_("1 < escalation < cohesion + 5 <= 9").evaluate(env) is (1 < value < 8)
    assert compile_("escalation == escalation != 99").evaluate(env) is True


def test_chained_strings_and_mixed() -> None:
    assert compile_('phase == "border-crisis" != "baseline"').evaluate(ENV) is True
    assert compile_('round < 3 in [1, 3]').evaluate(ENV) is True
    assert compile_('round < 3 in [1, 2]').evaluate(ENV) is False


@pytest.mark.parametrize(
    ("text", "escalation", "margin"),
    [
        ("escalation >= 5", 7, 3),
        ("escalation >= 5", 5, 1),
        ("escalation >= 5", 4, 0),
        ("escalation >= 5", 2, -2),
        ("escalation > 5", 7, 2),
        ("escalation > 5", 5, 0),
        ("escalation <= 5", 3, 3),
        ("escalation <= 5", 6, 0),
        ("escalation < 5", 3, 2),
        ("escalation < 5", 5, 0),
        ("5 <= escalation", 7, 3),
        ("5 > escalation", 3, 2),
        ("escalation == 5", 5, 1),
        ("escalation == 5", 8, -3),
        ("escalation != 5", 8, 3),
        ("escalation != 5", 5, 0),
        ("escalation in [1, 9]", 9, 1),
        ("escalation in [1, 9]", 7, -2),
        ("escalation not in [1, 9]", 7, 2),
        ("escalation not in [1, 9]", 9, 0),
        ("not escalation >= 5", 3, 2),
        ("not escalation >= 5", 6, -1),
        ("escalation >= 5 and escalation < 9", 6, 2),
        ("escalation >= 5 or escalation > 9", 3, -1),
        ("2 <= escalation < 8", 7, 1),
        ("True", 0, 1),
        ("False", 0, 0),
        ("not False", 0, 1),
    ],
)
def test_margin_values(text: str, escalation: int, margin: int) -> None:
    cond = compile_(text)
    env = {**ENV, "escalation": escalation}
    assert cond.margin(env) == margin
    assert isinstance(cond.margin(env), float)
    assert (cond.margin(env) > 0) is cond.evaluate(env)


def test_margin_strings() -> None:
    assert compile_('phase == "border-crisis"').margin(ENV) == 1
    assert compile_('phase == "baseline"').margin(ENV) == -1
    assert compile_('phase in ["baseline"]').margin(ENV) == -1
    assert compile_('not phase in ["baseline"]').margin(ENV) == 2


def test_condition_object() -> None:
    cond = compile_("escalation >= 6 and\n  phase == 'baseline'")
    assert cond.source == "escalation >= 6 and\n  phase == 'baseline'"
    assert str(cond) == cond.source
    assert cond.names == frozenset({"escalation", "phase"})
    assert compile_("True").names == frozenset()
    assert cond == compile_(cond.source)
    assert hash(cond) == hash(compile_(cond.source))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cond.source = "x"  # type: ignore[misc]
    with pytest.raises(KeyError):
        cond.evaluate({"escalation": 9})


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("escalation >= 6", CompareNumbers(">=", NumberName("escalation"), Int(6))),
        (
            "2 <= escalation < 8",  # a chain is the and of its links
            And((
                CompareNumbers("<=", Int(2), NumberName("escalation")),
                CompareNumbers("<", NumberName("escalation"), Int(8)),
            )),
        ),
        ("escalation - -(1 + 2) > 0", CompareNumbers(">", Sub(NumberName("escalation"), Int(-3)), Int(0))),
        ("-escalation < 0", CompareNumbers("<", Neg(NumberName("escalation")), Int(0))),
        ('phase != "baseline"', CompareTexts("!=", TextName("phase"), Text("baseline"))),
        (
            'not phase in ["baseline"] or round not in (1, 2)',
            Or((
                Not(TextIn(TextName("phase"), frozenset({"baseline"}))),
                NumberIn(NumberName("round"), frozenset({1, 2}), negated=True),
            )),
        ),
        ("not not true", Truth(True)),  # constants are folded
    ],
)
def test_tree(text: str, tree: object) -> None:
    assert compile_(text).tree == tree


def test_lowercase_true_yields_to_a_real_name() -> None:
    cond = compile_condition("true > 1", {"true": int})
    assert cond.evaluate({"true": 2}) is True
    assert cond.names == frozenset({"true"})


def test_no_values_means_any_string() -> None:
    cond = compile_condition('phase == "anything"', NAMES)
    assert cond.evaluate(ENV) is False


def test_values_as_a_set_are_listed_sorted() -> None:
    exc = error('phase == "zzz"', values={"phase": {"b", "a"}})
    assert exc.message == "unknown phase 'zzz'; known: a, b"


# --------------------------------------------------------------------------------------
# Rejected constructs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "token"),
    [
        ("escalation >= 5 and foo(3)", "function calls are not allowed in conditions", "foo"),
        ("max(escalation, 3) > 1", "function calls are not allowed in conditions", "max"),
        ("escalation.real > 1", "attributes ('.') are not allowed in conditions", ".real"),
        ("(escalation) .real > 1", "attributes ('.') are not allowed", ".real"),
        ("escalation[0] > 1", "subscripts ('[...]') are not allowed in conditions", "[0]"),
        ("(lambda: 1)", "lambda is not allowed in conditions", "lambda"),
        ("[x for x in y] == [1]", "comprehensions are not allowed", "[x"),
        ("any(x for x in y)", "function calls are not allowed", "any"),
        ("(x for x in y)", "comprehensions are not allowed", "(x for"),
        ("escalation * 2 > 1", "'*' is not supported: conditions may use + and - only", "* 2"),
        ("escalation / 2 > 1", "'/' is not supported: conditions may use + and - only", "/ 2"),
        ("escalation // 2 > 1", "'//' is not supported", "// 2"),
        ("escalation % 2 == 1", "'%' is not supported", "% 2"),
        ("escalation ** 2 > 1", "'**' is not supported", "** 2"),
        ("(escalation) @ 2 > 1", "'@' is not supported", "@ 2"),
        ("escalation << 2 > 1", "'<<' is not supported", "<< 2"),
        ("escalation >> 2 > 1", "'>>' is not supported", ">> 2"),
        ("escalation ^ 2 > 1", "'^' is not supported", "^ 2"),
        ("escalation >= 1 & cohesion > 1", "'&' is not supported: use and", "& cohesion"),
        ("escalation >= 1 | cohesion > 1", "'|' is not supported: use or", "| cohesion"),
        ("~escalation > 1", "'~' is not supported", "~"),
        ("+escalation > 1", "unary '+' is not supported", "+"),
        ("f'{phase}' == 'x'", "f-strings are not allowed in conditions", "f'"),
        ("(escalation := 3) > 1", "':=' is not allowed in conditions", ":="),
        ("escalation if round else cohesion", "'... if ... else ...' is not allowed", "if"),
        ("round is 1", "'is' is not supported: use == or !=", "is 1"),
        ("round is not 1", "'is not' is not supported", "is not"),
        ("{1: 2} == 1", "dictionaries ('{...}') are not allowed", "{1"),
        ("{1} == 1", "sets ('{...}') are not allowed", "{1"),
        ("[1, 2] == [1]", "a list is only allowed after in / not in", "[1, 2]"),
        ("(1, 2) == 1", "a list is only allowed after in / not in", "(1, 2)"),
        ("round in [1] == [2]", "a list is only allowed after in / not in", "[2]"),
        ("round in {1, 2}", "after in put a list of values", "{1"),
        ('phase in "border-crisis"', "after in put a list of values", '"border'),
        ("round not in round", "after not in put a list of values", "round"),
        ("round in [escalation]", "the list after in may only hold numbers or strings", "escalation"),
        ("round in [1, round + 1]", "the list after in may only hold numbers", "round + 1"),
        ("round in [1, *x]", "the list after in may only hold numbers or strings", "*x"),
        ("round in [True]", "the list after in may only hold numbers or strings", "True"),
        ("escalation >= 1.5", "only whole numbers are allowed in conditions, not 1.5", "1.5"),
        ("escalation >= 2j", "only whole numbers are allowed", "2j"),
        ("phase == b'x'", "bytes literals are not allowed", "b'x'"),
        ("escalation == None", "None is not allowed in conditions", "None"),
        ("escalation == ...", "'...' is not allowed in conditions", "..."),
        ("await escalation", "'await' is not allowed in conditions", "await"),
        ("escalation >= 10000000000", "number too large", "10000000000"),
    ],
)
def test_rejected_constructs(text: str, message: str, token: str) -> None:
    assert_error(text, message, token)


def test_offset_of_call_example_from_the_brief() -> None:
    exc = error("escalation >= 5 and foo(3)")
    assert exc.offset == 20
    assert exc.message == "function calls are not allowed in conditions"


# --------------------------------------------------------------------------------------
# Syntax errors and common slips
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "token"),
    [
        ("escalation = 5", "use == to compare, not =", "= 5"),
        ("round >= 1 and escalation = 5", "use == to compare, not =", "= 5"),
        ("escalation >= 1 && cohesion < 2", "use and to combine conditions, not &&", "&&"),
        ("escalation >= 1 || cohesion < 2", "use or to combine conditions, not ||", "||"),
        ("!(escalation > 1)", "use not to negate a condition, not !", "!("),
        ("escalation => 1", "use >= (at least), not =>", "=>"),
        ("escalation =< 1", "use <= (at most), not =<", "=<"),
        ("escalation >= 1 AND cohesion < 2", "write and in lower case, not AND", "AND"),
        ("escalation >= 1 Or cohesion < 2", "write or in lower case, not Or", "Or"),
        ("NOT escalation >= 1", "write not in lower case, not NOT", "NOT"),
        ("AND", "write and in lower case, not AND", "AND"),
        ("(escalation >= 1", "'(' was never closed", "(escalation"),
        ("escalation >= 1)", "unmatched ')'", ")"),
        ('phase == "border', "unterminated string: the closing quote is missing", '"border'),
        ("escalation >= 1 # the usual", "comments (#) are not allowed in conditions", "# the"),
        ("escalation cohesion", "this is not a valid condition: expected e.g. `escalation", "cohesion"),
        ("escalation >= 1 $", "this is not a valid condition", "$"),
    ],
)
def test_syntax_errors(text: str, message: str, token: str) -> None:
    assert_error(text, message, token)


def test_generic_syntax_message_is_exact() -> None:
    exc = error("escalation >=")
    assert exc.message == (
        "this is not a valid condition: expected e.g. `escalation >= 5 and cohesion < 4`"
    )


def test_slips_inside_strings_are_ignored() -> None:
    # "=", "&&", "!" and "#" inside a string are text, not slips or comments.
    err = error('phase == "a = b && !c #d" and (', values=None)
    assert err.message == "this is not a valid condition: '(' was never closed"
    cond = compile_condition('phase == "a = b && !c #d"', NAMES)
    assert cond.evaluate({"phase": "a = b && !c #d"}) is True


@pytest.mark.parametrize("text", ["", " ", "  \n\t ", "\r\n"])
def test_empty(text: str) -> None:
    exc = error(text)
    assert (exc.message, exc.offset) == ("empty condition", 0)


def test_limits() -> None:
    ok = " " * (MAX_LENGTH - len("escalation >= 1")) + "escalation >= 1"
    assert len(ok) == MAX_LENGTH
    assert compile_(ok).evaluate(ENV) is True
    exc = error(ok + " ")
    assert exc.offset == MAX_LENGTH
    assert "too long" in exc.message
    assert compile_("not " * (MAX_DEPTH - 5) + "True").evaluate(ENV) is (MAX_DEPTH % 2 == 1)
    for deep in [
        "not " * 60 + "True",
        "(" * 300 + "1" + ")" * 300 + " > 0",
        "-" * 1990 + "1 > 0",
        "escalation" + " + 1" * 100 + " > 0",
    ]:
        assert "nested too deeply" in error(deep).message


def test_hostile_characters() -> None:
    assert error("escalation\x00 > 1").offset == 10
    exc = error("escalation > 1 or \ud800")
    assert exc.offset == 18
    assert "invalid character" in exc.message
    assert error("escalation\xa0> 1").offset == 10
    with pytest.raises(ConditionError):
        compile_condition(5, NAMES)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Names, values and types
# --------------------------------------------------------------------------------------


def test_unknown_name_with_suggestion() -> None:
    exc = assert_error("round >= 1 and escalaton > 2", "unknown name 'escalaton'", "escalaton")
    assert exc.message == (
        "unknown name 'escalaton' (did you mean 'escalation'?); "
        "known: escalation, cohesion, humanitarian, border, round, phase"
    )
    assert exc.offset == 15


def test_unknown_name_without_suggestion_and_short_known_list() -> None:
    names = {f"track_{i}": int for i in range(20)}
    with pytest.raises(ConditionError) as info:
        compile_condition("zzz > 1", names)
    message = info.value.message
    assert message.startswith("unknown name 'zzz'; known: track_0, track_1,")
    assert message.endswith(", ...")
    assert "did you mean" not in message
    with pytest.raises(ConditionError) as info:
        compile_condition("x > 1", {})
    assert info.value.message == "unknown name 'x'; known: (none)"


def test_unknown_names_special_cases() -> None:
    assert "(did you mean 'True'?)" in error("TRUE").message
    exc = error("ｅscalation > 1")  # full-width e: Python would normalise it silently
    assert "did you mean 'escalation'" in exc.message
    assert exc.offset == 0


def test_unknown_phase_literal() -> None:
    exc = assert_error(
        'round > 1 and phase == "border_crisis"',
        "unknown phase 'border_crisis' (did you mean 'border-crisis'?)",
        '"border_crisis"',
        exact=True,
    )
    assert exc.offset == 23
    assert_error('"border_crisis" == phase', "unknown phase 'border_crisis'", '"border_crisis"')
    assert_error(
        'phase in ["baseline", "hybrid_pressure"]',
        "(did you mean 'hybrid-pressure'?)",
        '"hybrid_pressure"',
    )
    assert_error(
        'phase == "zzz"',
        "unknown phase 'zzz'; known: baseline, hybrid-pressure, border-crisis",
        '"zzz"',
        exact=True,
    )


@pytest.mark.parametrize(
    ("text", "message", "token"),
    [
        ("escalation", "a condition must compare something, e.g. escalation >= 5", "escalation"),
        ("(escalation)", "a condition must compare something, e.g. escalation >= 5", "escalation"),
        ("escalation + 1", "a condition must compare something, e.g. escalation >= 5", "escalation"),
        ("3", "a condition must compare something, e.g. escalation >= 5", "3"),
        ("cohesion", "a condition must compare something, e.g. cohesion >= 5", "cohesion"),
        ("phase", 'a condition must compare something, e.g. phase == "baseline"', "phase"),
        ("escalation >= 1 and cohesion", "a condition must compare something, e.g. cohesion >= 5", "cohesion"),
        ("not round", "a condition must compare something, e.g. round >= 5", "round"),
        ("phase == 3", "cannot compare phase (text) with 3 (a number)", "3"),
        ("3 == phase", "cannot compare 3 (a number) with phase (text)", "3"),
        ("phase == round", "cannot compare phase (text) with round (a number)", "round"),
        ("phase > 1", "'>' needs numbers, but phase is text", "phase"),
        ("1 <= phase", "'<=' needs numbers, but phase is text", "phase"),
        ("'a' < 'b'", "'<' needs numbers, but 'a' is text", "'a'"),
        ("phase + 1 > 2", "'+' needs numbers, but phase is text", "phase"),
        ("-phase == 'x'", "'-' needs numbers, but phase is text", "phase"),
        ("True + 1 > 0", "'+' needs numbers, but True is a condition", "True"),
        (
            "(escalation > 1) == (cohesion > 1)",
            "'==' compares numbers or text, not conditions: combine conditions with and / or / not",
            "escalation >",
        ),
        (
            "escalation > 1 < True",
            "'<' compares numbers or text, not conditions: combine conditions with and / or / not",
            "True",
        ),
        ('round in ["a"]', "round is a number, so the list after in must hold numbers, not 'a'", '"a"'),
        ("phase not in [1]", "phase is text, so the list after not in must hold strings, not 1", "1"),
    ],
)
def test_type_errors(text: str, message: str, token: str) -> None:
    assert_error(text, message, token, exact=True)


def test_bad_names_argument_is_a_caller_error() -> None:
    with pytest.raises(ValueError) as info:
        compile_condition("True", {"and": int})
    assert not isinstance(info.value, ConditionError)
    with pytest.raises(ValueError):
        compile_condition("True", {"two words": int})
    with pytest.raises(TypeError):
        compile_condition("True", {"x": float})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        compile_condition("True", NAMES, {"round": ["1"]})
    with pytest.raises(TypeError):
        compile_condition("True", NAMES, {"phase": "baseline"})


# --------------------------------------------------------------------------------------
# Offsets: multi-line text and unicode
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("escalation >= 5 and\n    foo(3)", "foo"),
        ("\n\n   escalaton > 1", "escalaton"),
        ("escalation >= 1\r\nand bar > 2", "bar"),
        ("escalation >= 1\n  and (cohesion < 2", "(cohesion"),
        ("escalation >= 1\n  and cohesion = 2", "= 2"),
        ('escalation >= 1 and\n  phase == "border_crisis"', '"border_crisis"'),
        ("escalation >= 1 and\n\tcohesion * 2 > 1", "* 2"),
        ('"ééé" == "ééé" or foo(1)', "foo"),
        ('"日本語" != "" or escalation * 2 > 1', "* 2"),
        ('"é" == "e" or escalaton > 1', "escalaton"),
        ('phase == "é" and (', "("),
        ('phase == "é" and\n  escalation => 1', "=>"),
        ('"😀" == "😀" and\n  1.5 > escalation', "1.5"),
        ('"😀" == "😀" and phase == "bordercrisis"', '"bordercrisis"'),
    ],
)
def test_offsets_multiline_and_unicode(text: str, token: str) -> None:
    exc = error(text)
    assert exc.offset == text.index(token), (exc.message, exc.offset)


def test_multiline_condition_evaluates() -> None:
    cond = compile_("escalation >= 6\n  and cohesion < 4\r\n  and phase in [\n'border-crisis',\n]")
    assert cond.evaluate(ENV) is True


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

INT_NAMES = ["a", "b", "c"]
STR_VALUES = ["x", "y", "z"]
P_NAMES: dict[str, Any] = {"a": int, "b": int, "c": int, "p": str}
P_VALUES = {"p": STR_VALUES}

int_terms = st.recursive(
    st.one_of(st.sampled_from(INT_NAMES), st.integers(-9, 9).map(str)),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda t: f"-({t})"),
    ),
    max_leaves=4,
)
ORDER = ["==", "!=", "<", "<=", ">", ">="]
str_terms = st.one_of(st.just("p"), st.sampled_from(STR_VALUES).map(lambda v: f'"{v}"'))
int_lists = st.lists(st.integers(-9, 9), max_size=3).map(lambda xs: "[" + ", ".join(map(str, xs)) + "]")
str_lists = st.lists(st.sampled_from(STR_VALUES), max_size=3).map(
    lambda xs: "(" + "".join(f'"{x}", ' for x in xs) + ")"
)
atoms = st.one_of(
    st.tuples(int_terms, st.sampled_from(ORDER), int_terms).map(" ".join),
    st.tuples(int_terms, st.sampled_from(ORDER), int_terms, st.sampled_from(ORDER), int_terms).map(
        " ".join
    ),
    st.tuples(str_terms, st.sampled_from(["==", "!="]), str_terms).map(" ".join),
    st.tuples(int_terms, st.sampled_from(["in", "not in"]), int_lists).map(" ".join),
    st.tuples(str_terms, st.sampled_from(["in", "not in"]), str_lists).map(" ".join),
    st.sampled_from(["True", "False"]),
)
bool_exprs = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=5).map(lambda xs: "(" + " and ".join(xs) + ")"),
        st.lists(inner, min_size=2, max_size=5).map(lambda xs: "(" + " or ".join(xs) + ")"),
        inner.map(lambda x: f"not ({x})"),
    ),
    max_leaves=8,
)
envs = st.fixed_dictionaries(
    {"a": st.integers(-12, 12), "b": st.integers(-12, 12), "c": st.integers(-12, 12), "p": st.sampled_from(STR_VALUES)}
)


def python_truth(text: str, env: dict[str, Any]) -> bool:
    """The reference meaning: Python's own, on the same (safe, generated) text."""
    tree = ast.parse(text, mode="eval")
    code = compile(tree, "<condition>", "eval")
    return bool(eval(code, {"__builtins__": {}}, dict(env)))  # noqa: S307 - test oracle only


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=bool_exprs, env=envs)
def test_margin_sign_agrees_with_evaluate(text: str, env: dict[str, Any]) -> None:
    cond = compile_condition(text, P_NAMES, P_VALUES)
    result = cond.evaluate(env)
    assert type(result) is bool
    assert result is python_truth(text, env)
    margin = cond.margin(env)
    assert (margin > 0) is result, (text, env, margin)
    assert margin == int(margin)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=80))
def test_random_text_only_raises_condition_error(text: str) -> None:
    try:
        compile_condition(text, P_NAMES, P_VALUES)
    except ConditionError as exc:
        assert 0 <= exc.offset <= len(text)
        assert exc.message and str(exc) == exc.message


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=list("abcpxyz019 -+*/()[]{}<>=!&|~^%@.,:;'\"#\\\n\tnotandorinTrueFalse_é"), max_size=60))
def test_condition_like_text_only_raises_condition_error(text: str) -> None:
    try:
        cond = compile_condition(text, P_NAMES, P_VALUES)
    except ConditionError as exc:
        assert 0 <= exc.offset <= len(text)
    else:
        env = {"a": 1, "b": 2, "c": 3, "p": "x"}
        assert (cond.margin(env) > 0) is cond.evaluate(env)


# --------------------------------------------------------------------------------------
# Safety of the module itself
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [conditions, condition_text, condition_parser, condition_nodes, condition_errors],
    ids=lambda m: m.__name__.rsplit(".", 1)[-1],
)
def test_module_never_evaluates_code(module: Any) -> None:
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported = {alias.name for alias in node.names} | {getattr(node, "module", None)}
            assert not imported & {"builtins", "importlib", "pickle", "marshal", "types"}
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            assert func.id not in {"eval", "exec", "compile", "__import__", "getattr"} or (
                func.id == "getattr" and isinstance(node.args[1], ast.Constant)
            ), ast.unparse(node)
        elif isinstance(func, ast.Attribute):
            assert func.attr not in {"eval", "exec", "__import__"}, ast.unparse(node)
            if func.attr == "compile":
                assert isinstance(func.value, ast.Name) and func.value.id == "re", ast.unparse(node)


def test_error_is_a_value_error_and_pickles() -> None:
    exc = error("escalaton > 1")
    assert isinstance(exc, ValueError)
    copy = pickle.loads(pickle.dumps(exc))
    assert (copy.message, copy.offset) == (exc.message, exc.offset)
