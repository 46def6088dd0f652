"""Validation of format 2's keys, conditions that cannot change, promised triggers, YAML traps.

Each broken document is the minimal campaign (``tests/campaign_texts.py``) turned into a
format-2 one and changed in one place; each test asserts the message, line and column.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from test_validate import _paths, _replace
from test_validate import replacements as REPLACEMENTS

from campaign_texts import MINIMAL_CAMPAIGN
from tabletop.campaign import CampaignError, Problem, Severity
from tabletop.campaign.intervals import ALWAYS, EITHER, NEVER, bounds_of, truth
from tabletop.campaign.validate import load_campaign_text, validate_text
from tabletop.campaign.yamlerrors import plain_syntax_error

NAME = "c.yaml"
ERROR, WARNING = Severity.ERROR, Severity.WARNING

HIDDEN = """\
hidden:
  - id: red_line
    name: Red line
    range: [6, 9]
    known_by: [red]
  - id: mood
    name: Public mood
    values: [calm, angry]
"""
#: The minimal campaign in format 2, with two hidden values.
BASE = MINIMAL_CAMPAIGN.replace("format: 1\n", "format: 2\n") + HIDDEN


def variant(base: str, old: str, new: str) -> str:
    assert base.count(old) == 1, f"{old!r} occurs {base.count(old)} times"
    return base.replace(old, new)


def at(text: str, needle: str, nth: int = 0, offset: int = 0) -> tuple[int, int]:
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def expect(text: str, message: str, where: tuple[int, int], severity: Severity = ERROR) -> None:
    found = [p for p in validate_text(text, NAME) if p.severity is severity]
    assert len(found) == 1, "\n".join(map(str, validate_text(text, NAME)))
    assert (found[0].message, (found[0].line, found[0].col)) == (message, where), str(found[0])


def test_the_format_2_base_is_clean() -> None:
    assert validate_text(BASE, NAME) == []


# --------------------------------------------------------------------------- references and consistency

CONSENSUS = "      voters: [poland, lithuania]\n"


def test_voter_of_another_side() -> None:
    text = variant(BASE, CONSENSUS, "      voters: [poland, belarus]\n")
    expect(text, "voter 'belarus' of card 'article-4' is an actor of side 'red', not of the card's side 'blue'",
           at(text, "belarus]"))


def test_advisor_of_another_side() -> None:
    text = variant(BASE, CONSENSUS, CONSENSUS + "      advisors: [russia]\n")
    expect(text, "advisor 'russia' of card 'article-4' is an actor of side 'red', not of the card's side 'blue'",
           at(text, "russia]"))


def test_unknown_advisor() -> None:
    text = variant(BASE, CONSENSUS, CONSENSUS + "      advisors: [polnd]\n")
    expect(text, "unknown actor 'polnd' in card 'article-4' → consensus (did you mean 'poland'?)", at(text, "polnd"))


def test_advisor_who_votes() -> None:
    text = variant(BASE, CONSENSUS, CONSENSUS + "      advisors: [lithuania]\n")
    expect(text, "'lithuania' is both a voter and an advisor of card 'article-4'; an advisor does not vote",
           at(text, "lithuania]", 1))


def test_inject_to_unknown() -> None:
    text = variant(BASE, "    round: 2\n", "    round: 2\n    to: [blu]\n")
    expect(text, "unknown side or actor 'blu' in inject 'airlift' (did you mean 'blue'?)", at(text, "blu]"))


def test_known_by_unknown() -> None:
    text = variant(BASE, "    known_by: [red]\n", "    known_by: [rde]\n")
    expect(text, "unknown side or actor 'rde' in hidden value 'red_line' (did you mean 'red'?)", at(text, "[rde]", offset=1))


def test_reveal_values_unknown() -> None:
    text = variant(BASE, "      reveal: 1\n", "      reveal: 1\n      reveal_values: [red_lin]\n")
    expect(text, "unknown hidden value 'red_lin' in card 'expose' (did you mean 'red_line'?)", at(text, "red_lin]"))


MODIFIER = "        - {add: 1, if_played: mass-crossing, label: Routes already open}\n"


def test_modifier_of_unknown() -> None:
    text = variant(BASE, MODIFIER, "        - {add: 1, per: 2, of: cohesio}\n")
    expect(text, "unknown track or hidden value 'cohesio' in card 'tourist-flights' → contest → modifier 1 "
           "(did you mean 'cohesion'?)", at(text, "cohesio}"))


def test_modifier_per_without_of() -> None:
    text = variant(BASE, MODIFIER, "        - {add: 1, per: 2}\n")
    expect(text, "card 'tourist-flights' → contest → modifier 1: `per` needs `of`, the track or hidden value it counts",
           at(text, "per: 2"))


def test_modifier_of_without_per() -> None:
    text = variant(BASE, MODIFIER, "        - {add: 1, of: cohesion}\n")
    expect(text, "card 'tourist-flights' → contest → modifier 1: `of` needs `per`, e.g. `per: 2` for +1 per 2 points",
           at(text, "of: cohesion"))


def test_modifier_of_a_text_value() -> None:
    text = variant(BASE, MODIFIER, "        - {add: 1, per: 2, of: mood}\n")
    expect(text, "card 'tourist-flights' → contest → modifier 1: hidden value 'mood' is text, so it cannot be counted",
           at(text, "mood}"))


LEARNING = "learning_objectives:\n  - Recognise hybrid pressure before it becomes a military crisis.\n"


def _evidence(item: str) -> str:
    return variant(BASE, LEARNING, f"learning_objectives:\n  - text: Spot it\n    evidence:\n      - {item}\n")


def test_evidence_card_unknown() -> None:
    text = _evidence("{label: Art. 4, card: article-5}")
    expect(text, "unknown card 'article-5' in evidence 'Art. 4' (did you mean 'article-4'?)", at(text, "article-5"))


@pytest.mark.parametrize(
    ("item", "tail"),
    [("{label: X}", ""), ("{label: X, card: expose, count: proposals}", ", not `card` and `count`")],
)
def test_evidence_needs_exactly_one_measure(item: str, tail: str) -> None:
    text = _evidence(item)
    expect(text, f"evidence 'X' needs exactly one of `when`, `card` or `count`{tail}", at(text, "{label: X"))


def test_evidence_condition_is_compiled() -> None:
    text = _evidence("{label: Hot, when: escalaton >= 6}")
    found = [p for p in validate_text(text, NAME) if p.is_error]
    assert [(p.line, p.col) for p in found] == [at(text, "escalaton")]
    assert "escalaton" in found[0].message


END = "    when: border <= 0\n"


def test_outcome_unknown_side_and_missing_side() -> None:
    text = variant(BASE, END, END + "    outcome: {red: win, blu: lose}\n")
    found = sorted((p.message, (p.line, p.col)) for p in validate_text(text, NAME))
    assert found == sorted([
        ("unknown side 'blu' in the outcome of end condition 'border-lost' (did you mean 'blue'?)", at(text, "blu:")),
        ("the outcome of end condition 'border-lost' does not name side 'blue': name every side "
         "(or write one result, e.g. `outcome: lose`, for all)", at(text, "outcome")),
    ])


def test_outcome_of_a_phase_that_is_not_terminal() -> None:
    text = variant(BASE, "{id: crisis, name: Border crisis}", "{id: crisis, name: Border crisis, outcome: lose}")
    expect(text, "phase 'crisis' declares an outcome but is not terminal, so the outcome never applies "
           "(add `terminal: true`, or remove the outcome)", at(text, "outcome: lose"), WARNING)


def test_phase_outcome_names_every_side() -> None:
    text = variant(BASE, "terminal: true}", "terminal: true, outcome: {red: lose}}")
    expect(text, "the outcome of phase 'conflict' does not name side 'blue': name every side "
           "(or write one result, e.g. `outcome: lose`, for all)", at(text, "outcome"))


def test_hidden_value_with_neither_range_nor_values() -> None:
    text = variant(BASE, "    range: [6, 9]\n", "")
    expect(text, "hidden value 'red_line' needs `range: [lo, hi]` or `values: [...]` to be drawn from",
           at(text, "id: red_line"))


def test_hidden_value_with_range_and_values() -> None:
    text = variant(BASE, "    range: [6, 9]\n", "    range: [6, 9]\n    values: [6, 7]\n")
    expect(text, "hidden value 'red_line' has both `range` and `values`: keep one", at(text, "values: [6"))


def test_hidden_value_with_an_empty_range() -> None:
    text = variant(BASE, "    range: [6, 9]\n", "    range: [9, 6]\n")
    expect(text, "hidden value 'red_line': range [9, 6] is empty; write the smaller number first", at(text, "[9, 6]"))


def test_hidden_value_with_mixed_values() -> None:
    text = variant(BASE, "    values: [calm, angry]\n", "    values: [calm, 3]\n")
    expect(text, "values in hidden value 'mood' must be all whole numbers or all texts, not a mix; "
           "write a number in quotes to make it a text", at(text, "[calm, 3]"))


def test_hidden_range_needs_two_numbers() -> None:
    text = variant(BASE, "    range: [6, 9]\n", "    range: [6]\n")
    expect(text, "range in hidden value 'red_line' must have exactly 2 entries, e.g. [6, 9]", at(text, "[6]"))


def test_duplicate_hidden_id() -> None:
    text = variant(BASE, "  - id: mood\n", "  - id: red_line\n")
    expect(text, f"duplicate hidden value id 'red_line' (first defined on line {at(text, 'red_line')[0]})",
           at(text, "red_line", 1))


def test_hidden_id_of_a_track() -> None:
    text = variant(BASE, "  - id: red_line\n", "  - id: cohesion\n")
    expect(text, "hidden value 'cohesion' has the id of a track; conditions could not tell them apart",
           at(text, "cohesion\n    name: Red line"))


def test_hidden_id_that_is_a_reserved_word() -> None:
    text = variant(BASE, "  - id: mood\n", "  - id: round\n")
    expect(text, "id in hidden value 'round': 'round' cannot be a hidden value id: it is a reserved word in conditions",
           at(text, "round\n    name: Public"))


REQUIRES = "    requires: round >= 2\n"


def test_requires_a_hidden_value_the_side_does_not_know() -> None:
    text = variant(BASE, "    known_by: [red]\n", "    known_by: [blue]\n")
    text = variant(text, REQUIRES, "    requires: escalation < red_line\n")
    expect(text, "card 'snap-exercise' requires 'escalation < red_line', which reads hidden value 'red_line' that "
           "'russia' does not know, so that seat could not tell whether it may play the card "
           "(add 'red' to its known_by, or leave it out of `requires`)", at(text, "escalation < red_line"))


def test_requires_the_resources_of_another_side() -> None:
    text = variant(BASE, REQUIRES, "    requires: resources(\"poland\") < 2\n")
    expect(text, "card 'snap-exercise' requires 'resources(\"poland\") < 2', which reads the resources of 'poland' "
           "of side 'blue': its players cannot see them", at(text, "resources("))


def test_a_design_note_loads_and_a_blank_one_is_warned_about() -> None:
    noted = variant(BASE, REQUIRES, REQUIRES + "    design_note: A last resort, rarely played.\n")
    assert validate_text(noted, NAME) == []
    assert load_campaign_text(noted, NAME).campaign.card_by_id["snap-exercise"].design_note == "A last resort, rarely played."
    text = variant(BASE, REQUIRES, REQUIRES + "    design_note: '  '\n")
    expect(text, "the design_note of card 'snap-exercise' is blank: say why the card is rarely or always played, "
           "or remove it", at(text, "'  '"), WARNING)


def test_duplicate_actor_objective_ids() -> None:
    objective = "          - {id: loyal, title: Stay loyal, when: resources(\"poland\") >= 1}\n"
    text = variant(BASE, "        deck: [sanctions", "        objectives:\n" + objective + objective
                   + "        deck: [sanctions")
    expect(text, f"duplicate objective id 'loyal' in actor 'lithuania' (first defined on line {at(text, 'loyal')[0]})",
           at(text, "id: loyal", 1, offset=4))


def test_actor_objectives_are_compiled() -> None:
    text = variant(BASE, "        deck: [sanctions",
                   "        objectives:\n          - {id: loyal, title: L, when: resources(\"polnd\") >= 1}\n"
                   "        deck: [sanctions")
    found = [p for p in validate_text(text, NAME) if p.is_error]
    assert [(p.line, p.col) for p in found] == [at(text, '"polnd"')]


def test_new_calls_compile_everywhere() -> None:
    text = variant(BASE, "    when: round >= 4 and border <= 5\n",
                   "    when: played(\"article-4\", by=\"poland\") and resources(\"belarus\") >= 2 and mood == \"angry\"\n")
    assert validate_text(text, NAME) == []


# --------------------------------------------------------------------------- conditions that cannot change


@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        ("escalation >= 11", NEVER), ("escalation <= 10", ALWAYS), ("escalation >= 6", EITHER),
        ("escalation >= 6 and escalation <= 3", NEVER), ("escalation < 5 or escalation > 2", ALWAYS),
        ("round > 6", NEVER), ("round in [1, 2, 3, 4, 5, 6]", ALWAYS), ("red_line < 6", NEVER),
        ("red_line - escalation >= -4", ALWAYS), ("mood != \"calm\"", EITHER), ("mood in [\"calm\", \"angry\"]", ALWAYS),
        ("resources(\"poland\") < 0", NEVER), ("resources(\"poland\") >= 0", ALWAYS), ("played(\"expose\")", EITHER),
        ("phase != \"baseline\" or escalation > 2", EITHER), ("not escalation > 10", ALWAYS),
        ("escalation - escalation == 0", EITHER),  # sound, not complete
        ("phase in [\"baseline\", \"pressure\", \"crisis\", \"conflict\"]", ALWAYS),
    ],
)
def test_interval_reasoning(condition: str, verdict: str) -> None:
    campaign = load_campaign_text(BASE, NAME).campaign
    assert truth(campaign.condition(condition).tree, bounds_of(campaign)) == verdict


def test_condition_that_can_never_hold() -> None:
    text = variant(BASE, "        when: cohesion <= 3\n", "        when: cohesion <= -1\n")
    expect(text, "the condition of objective 'divide', 'cohesion <= -1', can never hold (cohesion runs from 0 to 10)",
           at(text, "cohesion <= -1"), WARNING)


def test_condition_that_always_holds() -> None:
    text = variant(BASE, "    when: round >= 4 and border <= 5\n", "    when: round >= 1\n")
    expect(text, "the condition of inject 'winter', 'round >= 1', always holds (round runs from 1 to 6)",
           at(text, "round >= 1"), WARNING)


def test_every_kind_of_condition_is_judged() -> None:
    never = "escalation > 10"
    text = BASE
    for old in ("escalation >= 10\n", "border <= 0\n", "round >= 2\n", "cohesion >= 6, label"):
        text = variant(text, old, old.replace(old.split("\n")[0].split(",")[0], never))
    found = [p for p in validate_text(text, NAME) if "can never hold" in p.message]
    kinds = {p.message.split(",")[0] for p in found}
    assert kinds == {
        "the condition of transition 'war'", "the condition of end condition 'border-lost'",
        "the condition of card 'snap-exercise' → requires", "the condition of card 'disinformation' → covert → modifier 1",
    }


def test_trigger_a_card_can_never_fire() -> None:
    text = variant(BASE, "    phases: [crisis]\n    consensus:", "    phases: [pressure]\n    consensus:")
    expect(text, "card 'article-4' fires trigger 'calm', which can never change the phase when the card is played "
           "(in 'pressure'): no transition 'calm' leaves those phases", at(text, "calm\n  - id: sanctions"), WARNING)


def test_trigger_whose_transitions_can_never_hold() -> None:
    text = variant(BASE, "      when: escalation <= 3 and cohesion >= 5\n", "      when: escalation <= 3 and escalation >= 5\n")
    found = [p for p in validate_text(text, NAME) if "trigger" in p.message]
    assert [(p.message, (p.line, p.col)) for p in found] == [(
        "card 'article-4' fires trigger 'calm', which can never change the phase when the card is played "
        "(in 'crisis'): the condition of every transition 'calm' from there can never hold",
        at(text, "calm\n  - id: sanctions"),
    )]


def test_trigger_from_a_phase_its_condition_excludes() -> None:
    # 'calm' leaves crisis only, and article-4 is played in crisis: a condition that asks
    # for another phase can never hold there.
    text = variant(BASE, "      when: escalation <= 3 and cohesion >= 5\n", "      when: phase == \"pressure\"\n")
    found = [p.message for p in validate_text(text, NAME) if "fires trigger" in p.message]
    assert found == [
        "card 'article-4' fires trigger 'calm', which can never change the phase when the card is played "
        "(in 'crisis'): the condition of every transition 'calm' from there can never hold"
    ]


# --------------------------------------------------------------------------- YAML traps and plain words

TITLE = "    title: Snap military exercise\n"


def test_covert_no() -> None:
    text = variant(BASE, TITLE, TITLE + "    covert: no\n")
    expect(text, "covert in card 'snap-exercise' must be a mapping (key: value lines), got `no`: "
           "YAML reads no as false; to make the card not covert, remove the key", at(text, "no\n    side: red"))


def test_a_boolean_where_a_list_was_expected() -> None:
    text = variant(BASE, "    phases: [pressure, crisis]\n", "    phases: off\n")
    expect(text, "phases in card 'snap-exercise' must be a list, got `off`: YAML reads off as false; "
           "to leave it out, remove the key", at(text, "off"))


def test_bare_star_source() -> None:
    text = variant(BASE, "      source: crisis\n      dest: conflict", "      source: *\n      dest: conflict")
    expect(text, "YAML syntax error: a bare * starts an alias (a reference to an &anchor) in YAML: write '*' in quotes",
           at(text, "*\n"))


def test_numbers_are_echoed_as_typed() -> None:
    text = variant(BASE, "    cost: 2\n    phases: [pressure", "    cost: 1.10\n    phases: [pressure")
    expect(text, "cost in card 'snap-exercise' must be a whole number, got 1.10", at(text, "1.10"))


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (TITLE, '    title: "Snap\n', "", "a quoted text is never closed (it starts at line {l}, column 12): add the closing quote"),
        ("    phases: [pressure, crisis]\n", "    phases: [pressure, crisis\n", ": round >= 2",
         "a list in [brackets] is not closed, or misses a comma between items (the list starts at line {l}, column 13): "
         "close it with ']'"),
        (TITLE, "    title: @Snap\n", "@Snap", "a value cannot start with '@': put the text in quotes"),
        (TITLE, "    title: Snap\n    - x\n", "- x", "a '- ' list item among the keys of a mapping "
         "(the mapping starts at line {k}, column 5): put the list under a key, or check the indentation"),
        (TITLE, "    title: Snap\n   bad: 1\n", "bad: 1", "this line is not a '- ' item of the list above it "
         "(the list starts at line {c}, column 3): check its indentation"),
    ],
)
def test_syntax_errors_in_plain_words(old: str, new: str, needle: str, message: str) -> None:
    text = variant(BASE, old, new)
    found = [p for p in validate_text(text, NAME) if p.is_error]
    assert len(found) == 1
    p: Problem = found[0]
    changed = at(text, new.strip().split("\n")[0])[0]
    expected = message.format(l=changed, k=changed - 1, c=at(text, "cards:")[0] + 1)
    assert p.message == "YAML syntax error: " + expected
    if needle:
        assert (p.line, p.col) == at(text, needle)
    for jargon in ("while scanning", "while parsing", "expected <", "found character", "scalar", "token"):
        assert jargon not in p.message


@pytest.mark.parametrize(
    ("problem", "context"),
    [
        ("expected <block end>, but found '-'", "while parsing a block mapping"),
        ("found character '\\t' that cannot start any token", "while scanning for the next token"),
        ("did not find expected node content", "while parsing a flow node"),
        ("found unknown escape character", "while parsing a quoted scalar"),
        ("expected a comment or a line break, but found 'x'", "while scanning a block scalar"),
        ("could not find expected ':'", "while scanning a simple key"),
        ("did not find expected <document start>", ""),
        ("something new in a later PyYAML", "while scanning a plain scalar"),
    ],
)
def test_no_parser_jargon_for_any_error(problem: str, context: str) -> None:
    sentence = plain_syntax_error(problem, context, (1, 1), "x")
    for jargon in ("while ", "<block", "scalar", "token", "node content", "found character", "expected"):
        assert jargon not in sentence


BROKEN_YAML = {
    "bare alias": "a: *\n",
    "bare alias in a list": "a: [*, b]\n",
    "bare anchor": "a: &\n",
    "unclosed quote": 'a: "x\nb: 1\n',
    "colon in text": "a: b: c\n",
    "list item out of line": "a:\n  - x\n - y\n",
    "key out of line": "a:\n  b: 1\n c: 2\n",
    "unclosed list": "a: [x, y\nb: 1\n",
    "unclosed mapping": "a: {x: 1\nb: 1\n",
    "at sign": "a: @x\n",
    "backtick": "a: `x`\n",
    "bad escape": 'a: "\\q"\n',
    "text after a block scalar sign": "a: | x\n  y\n",
    "list item among keys": "a: 1\n- b\n",
    "tab": "a:\n\tb: 1\n",
    "line without a colon": "a: 1\nb\nc: 2\n",
    "closing bracket alone": "a: ]\n",
    "text after a quoted value": 'a: "x" y\n',
    "document end marker": "a: 1\n...\nb: 2\n",
}


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize("source", BROKEN_YAML.values(), ids=list(BROKEN_YAML))
def test_both_parsers_errors_are_plain_words(source: str, loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    import tabletop.campaign.yamlsource as ys

    if loader == "python":
        monkeypatch.setattr(ys, "_Loader", yaml.SafeLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    [problem] = validate_text(source, NAME)
    assert problem.message.startswith("YAML syntax error: ")
    for jargon in ("while ", "<block", "scalar", "token", "node", "found character", "expected", "stream", "indicator"):
        assert jargon not in problem.message, problem.message
    assert "general" not in problem.message and "from here" not in problem.message, problem.message


def test_a_transition_condition_is_judged_in_the_phases_it_leaves() -> None:
    text = variant(BASE, "      when: escalation >= 10\n", "      when: phase == \"baseline\"\n")
    expect(text, "the condition of transition 'war', 'phase == \"baseline\"', can never hold "
           "(it is checked only in phase 'crisis', which it leaves)",
           at(text, "phase == \"baseline\""), WARNING)


# --------------------------------------------------------------------------- random changes to every new key


def _rich() -> str:
    """BASE using every format-2 key the checks read."""
    text = variant(BASE, CONSENSUS, "      voters: [poland]\n      advisors: [lithuania]\n")
    text = variant(text, MODIFIER, "        - {add: 1, per: 2, of: escalation, label: Momentum}\n")
    text = variant(text, "    round: 2\n", "    round: 2\n    to: [blue, belarus]\n    expected: They notice.\n")
    text = variant(text, "      reveal: 1\n", "      reveal: 1\n      reveal_values: [red_line]\n")
    text = variant(text, END, END + "    outcome: {red: win, blue: lose}\n")
    text = variant(text, "terminal: true}", "terminal: true, outcome: lose}")
    text = variant(text, "        deck: [sanctions",
                   "        brief: Keep the corridor open.\n        plays_per_turn: 2\n        objectives:\n"
                   "          - {id: loyal, title: Loyal, when: resources(\"lithuania\") >= 1, secret: true}\n"
                   "        deck: [sanctions")
    return variant(text, LEARNING, "learning_objectives:\n  - id: spot\n    text: Spot it\n    evidence:\n"
                   "      - {label: Art. 4, card: article-4}\n      - {label: Hot, when: escalation >= red_line}\n"
                   "      - {label: Wrong, count: misattributions}\n")


def test_the_rich_base_is_clean() -> None:
    assert validate_text(_rich(), NAME) == []


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_replaced_in_a_format_2_campaign_raise_only_campaign_errors(data: st.DataObject) -> None:
    """Random values at random places of a campaign using every new key: never an internal error."""
    document = yaml.safe_load(_rich())
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)[1:] or [()]))
        document = _replace(document, path, data.draw(REPLACEMENTS))
    text = yaml.safe_dump(document, sort_keys=False)
    try:
        load_campaign_text(text, NAME)
    except CampaignError as e:
        assert not any(p.message.startswith(("internal error", "could not read")) for p in e.problems), e.problems
