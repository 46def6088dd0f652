"""Commands from plain data (the network, saves): what is not one is refused with a sentence
for a person, never with Python's words for it (issue 9: a refusal once read
``Pass.__init__() missing 1 required positional argument: 'seat'``)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from tabletop.engine import commands as C
from tabletop.engine.errors import MalformedCommand
from tabletop.engine.events import EVENTS, event_from_data

PYTHON_WORDS = ("__init__", "positional", "argument", "TypeError", "KeyError", "keyword", "object has no", "NoneType")


def plain_sentence(message: str) -> bool:
    return (
        bool(message) and message[0].isupper() and message.endswith(".")
        and not any(word in message for word in PYTHON_WORDS)
    )


def refusal(data: Any) -> str:
    with pytest.raises(MalformedCommand) as err:
        C.command_from_data(data)
    message = str(err.value)
    assert plain_sentence(message), message
    return message


def required(cls: type) -> list[str]:
    return [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]


def test_a_command_without_its_seat_says_so() -> None:
    assert refusal({"type": "pass"}) == "A pass command needs the field seat."


@pytest.mark.parametrize("tag", sorted(C.COMMANDS.classes))
def test_each_missing_field_is_named(tag: str) -> None:
    cls = C.COMMANDS.classes[tag]
    whole = {"type": tag, **{name: "x" for name in required(cls)}}
    for name in required(cls):
        data = {k: v for k, v in whole.items() if k != name}
        assert name in refusal(data)
    if len(required(cls)) > 1:
        message = refusal({"type": tag})
        assert all(name in message for name in required(cls)), message


@pytest.mark.parametrize("data, words", [
    ({"type": "nuke", "seat": "r1"}, ["no command", "nuke", "play", "pass"]),
    ({"seat": "r1"}, ["type"]),
    ({"type": 5, "seat": "r1"}, ["type"]),
    ({"type": ["play"], "seat": "r1"}, ["type"]),
    ([], ["object"]),
    ("pass", ["object"]),
    (None, ["object"]),
    ({"type": "pass", "seat": "r1", "extra": 1}, ["extra"]),
    ({"type": "pass", "seat": "r1", "b": 1, "a": 2}, ["a", "b"]),
])
def test_rubbish_is_refused_in_words(data: Any, words: list[str]) -> None:
    message = refusal(data)
    assert all(w in message for w in words), message


def test_a_long_unknown_name_is_not_echoed_whole() -> None:
    message = refusal({"type": "pass", "seat": "r1", "x" * 10_000: 1})
    assert len(message) < 300
    message = refusal({"type": "y" * 10_000, "seat": "r1"})
    assert len(message) < 300


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(
    st.sampled_from(["type", "seat", "card", "covert", "play", "yes", "accused", "text", "effects", "proposal",
                     "verdict", "rationale", "track", "delta", "reason", "inject", "title", "trigger", "extra"]),
    st.one_of(st.sampled_from(sorted(C.COMMANDS.classes)), st.none(), st.booleans(), st.integers(), st.text(max_size=5),
              st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)),
    max_size=6,
))
def test_any_refusal_of_data_is_a_plain_sentence(data: dict[str, Any]) -> None:
    try:
        C.command_from_data(data)
    except MalformedCommand as e:
        assert plain_sentence(str(e)), str(e)


def test_an_event_that_cannot_be_read_is_refused_in_words() -> None:
    tag = next(iter(EVENTS.classes))
    with pytest.raises(ValueError) as err:
        event_from_data({"type": tag, "no_such_field": 1})
    assert plain_sentence(str(err.value)), str(err.value)
    with pytest.raises(ValueError) as err:
        event_from_data({"type": "card_played"})
    assert plain_sentence(str(err.value)) and "card" in str(err.value), str(err.value)
