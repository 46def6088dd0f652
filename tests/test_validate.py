"""Campaign validation: every problem class, with its message and exact line:col.

Broken documents are built from the ``minimal_campaign_text`` fixture by replacing one
snippet; :func:`at` finds where the offending text is in the broken document, so each
test states the exact position it expects without counting lines by hand.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from cli_process import run_tabletop
from tabletop.campaign import CampaignError, Problem, Severity
from tabletop.campaign.validate import (
    LoadedCampaign,
    load_campaign,
    load_campaign_text,
    validate_path,
    validate_text,
)

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted((ROOT / "campaigns").glob("*.yaml"))
DOC = ROOT / "docs" / "campaign-format.md"
NAME = "c.yaml"


# --------------------------------------------------------------------------- helpers


def variant(base: str, old: str, new: str) -> str:
    """``base`` with its one occurrence of ``old`` replaced by ``new``."""
    assert base.count(old) == 1, f"{old!r} occurs {base.count(old)} times in the base campaign"
    return base.replace(old, new)


def at(text: str, needle: str, nth: int = 0, offset: int = 0) -> tuple[int, int]:
    """1-based (line, col) of the ``nth`` occurrence of ``needle`` in ``text``, plus ``offset``."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def problems(text: str | bytes) -> list[Problem]:
    return validate_text(text, NAME)


def only(found: list[Problem], severity: Severity = Severity.ERROR) -> Problem:
    """The one problem of ``severity`` in ``found`` (fails if there are more or none)."""
    matching = [p for p in found if p.severity is severity]
    assert len(matching) == 1, "\n".join(map(str, found))
    return matching[0]


def expect(
    text: str | bytes,
    message: str,
    where: tuple[int, int],
    severity: Severity = Severity.ERROR,
) -> Problem:
    """Assert that ``text`` has exactly one problem of ``severity``: ``message`` at ``where``."""
    problem = only(problems(text), severity)
    assert problem.message == message
    assert (problem.line, problem.col) == where, str(problem)
    assert problem.path == NAME
    return problem


def errors(text: str | bytes) -> list[Problem]:
    return [p for p in problems(text) if p.is_error]


# --------------------------------------------------------------------------- the base


def test_the_minimal_campaign_is_clean(minimal_campaign_text: str) -> None:
    assert problems(minimal_campaign_text) == []
    loaded = load_campaign_text(minimal_campaign_text)
    campaign = loaded.campaign
    assert len(campaign.sides) == 2 and all(len(s.actors) == 2 for s in campaign.sides)
    assert len(campaign.tracks) == 3 and len(campaign.phases.states) == 4
    assert len(campaign.cards) == 8 and len(campaign.injects) == 2
    assert any(c.contest and c.contest.by == "dice" for c in campaign.cards)
    assert any(c.contest and c.contest.by == "facilitator" for c in campaign.cards)
    assert any(c.consensus for c in campaign.cards) and any(c.covert for c in campaign.cards)


def test_load_campaign_returns_text_hash_and_warnings(tmp_path: Path, minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    round: 2\n", "    round: 9\n")
    path = tmp_path / "drill.yaml"
    path.write_bytes(text.encode("utf-8"))
    loaded = load_campaign(path)
    assert isinstance(loaded, LoadedCampaign)
    assert loaded.path == str(path)
    assert loaded.text == text
    assert loaded.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert [w.severity for w in loaded.warnings] == [Severity.WARNING]
    assert loaded.campaign.id == "border-drill"
    assert validate_path(path) == list(loaded.warnings)


def test_campaign_error_lists_every_problem_errors_first(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    round: 2\n", "    round: 9\n")
    text = variant(text, "    side: red\n    actor: belarus\n    cost: 1\n    effects:", "    side: rde\n    actor: belarus\n    cost: 1\n    effects:")
    with pytest.raises(CampaignError) as info:
        load_campaign_text(text, NAME)
    kinds = [p.severity for p in info.value.problems]
    assert kinds == [Severity.ERROR, Severity.WARNING]
    assert str(info.value).startswith(f"{NAME}:")


# --------------------------------------------------------------------------- the file


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(CampaignError) as info:
        load_campaign(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:1:1: error: no such file"]
    assert [str(p) for p in validate_path(path)] == [f"{path}:1:1: error: no such file"]


def test_a_folder_is_not_a_campaign(tmp_path: Path) -> None:
    (problem,) = validate_path(tmp_path)
    assert (problem.line, problem.col, problem.message) == (1, 1, "this is a folder, not a campaign file")


def test_syntax_error(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    title: Mass crossing\n", "    title: Mass crossing: the night\n")
    expect(
        text,
        "YAML syntax error: a colon followed by a space starts a key, and a key cannot start here: "
        "put the text in quotes if it contains ': ', or check the indentation",
        at(text, ": the night"),
    )


def test_tab_indentation(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    actor: belarus\n    cost: 1\n    effects:", "    actor: belarus\n\tcost: 1\n    effects:")
    problem = only(problems(text))
    assert problem.message.endswith("tabs cannot indent YAML, use spaces")
    assert (problem.line, problem.col) == at(text, "\tcost")


def test_duplicate_key(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    actor: belarus\n    cost: 1\n    effects:", "    actor: belarus\n    cost: 1\n    cost: 2\n    effects:")
    first_line = at(text, "    cost: 1\n    cost: 2")[0]
    expect(
        text,
        f"duplicate key 'cost' (first defined at line {first_line})",
        at(text, "cost: 2"),
    )


def test_tags_are_refused(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    actor: belarus\n    cost: 1\n    effects:",
        '    actor: belarus\n    cost: !!python/object/apply:os.system ["echo hi"]\n    effects:',
    )
    expect(
        text,
        "tag !!python/object/apply:os.system is not allowed: campaign files are data, not code",
        at(text, "!!python"),
    )


def test_alias_bomb() -> None:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(rows) + "\n"
    started = time.perf_counter()
    problem = only(problems(text))
    assert time.perf_counter() - started < 2
    assert problem.message == "too many values after expanding aliases (is this an alias bomb?)"
    assert problem.line <= len(rows)


def test_deep_nesting() -> None:
    text = "id: deep\nlearning_objectives: " + "[" * 500 + "]" * 500 + "\n"
    problem = only(problems(text))
    assert problem.message == "lists and mappings are nested too deeply (more than 64 levels)"
    assert problem.line == 2


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    expect(text, "the file is empty", (1, 1))


@pytest.mark.parametrize(
    ("text", "what"), [("- a\n- b\n", "a list"), ("just words\n", "a string"), ("42\n", "a number")]
)
def test_not_a_mapping(text: str, what: str) -> None:
    expect(text, f"a campaign must be a mapping of keys (title:, sides:, ...), not {what}", (1, 1))


def test_not_utf8(minimal_campaign_text: str) -> None:
    raw = variant(minimal_campaign_text, "    title: Mass crossing\n", "    title: Mass caf\xe9\n").encode("latin-1")
    line, col = at(minimal_campaign_text.replace("Mass crossing\n", "Mass caf\xe9\n", 1), "\xe9")
    expect(raw, f"not UTF-8 text: invalid byte 0xe9 at line {line}, column {col}", (line, col))


def test_not_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_text("id: x\n", encoding="utf-16")
    (problem,) = validate_path(path)
    assert problem.message == "not UTF-8 text: this looks like UTF-16; save the file as UTF-8"


def test_utf8_bom_is_fine(minimal_campaign_text: str) -> None:
    loaded = load_campaign_text(b"\xef\xbb\xbf" + minimal_campaign_text.encode("utf-8"))
    assert loaded.text == minimal_campaign_text


# --------------------------------------------------------------------------- the shape


def test_wrong_type(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    actor: belarus\n    cost: 1\n    effects:", "    actor: belarus\n    cost: three\n    effects:")
    expect(text, "cost in card 'mass-crossing' must be a whole number, got 'three'", at(text, "three"))


def test_unknown_key_with_did_you_mean(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    title: Mass crossing\n", "    titel: Mass crossing\n")
    # and no second message about the missing 'title'
    expect(text, "unknown key 'titel' in card 'mass-crossing' (did you mean 'title'?)", at(text, "titel"))


def test_unknown_key_at_the_top_and_deep(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "author: Test cell\n", "autor: Test cell\n")
    expect(text, "unknown key 'autor' at the top level (did you mean 'author'?)", at(text, "autor"))
    text = variant(minimal_campaign_text, "        resources: 3\n        income: 1\n        hand_size: 3\n      - id: russia",
                   "        resources: 3\n        income: 1\n        handsize: 3\n      - id: russia")
    expect(
        text,
        "unknown key 'handsize' in side 'red' → actor 'belarus' (did you mean 'hand_size'?)",
        at(text, "handsize"),
    )


def test_missing_required_key(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    side: red\n    actor: belarus\n    cost: 1\n    effects:", "    actor: belarus\n    cost: 1\n    effects:")
    expect(text, "missing required key 'side' in card 'mass-crossing'", at(text, "id: mass-crossing"))


def test_missing_value(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    title: Mass crossing\n", "    title:\n")
    expect(
        text,
        "title in card 'mass-crossing' has no value; write one after the colon (or remove the key)",
        at(text, "title:\n", offset=len("title:")),
    )


def test_allowed_values_are_listed(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    kind: action\n", "    kind: actoin\n")
    expect(
        text,
        "kind in card 'disinformation' must be one of 'action', 'response' or 'event', got 'actoin' (did you mean 'action'?)",
        at(text, "actoin"),
    )


def test_bad_id_explains_the_id_rule(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "  - id: mass-crossing\n", "  - id: Mass crossing\n")
    expect(
        text,
        "id in card 1 is not a valid id: 'Mass crossing' (an id uses lower case letters, digits, '-' and '_', "
        "and starts with a letter; try 'mass-crossing')",
        at(text, "Mass crossing\n"),
    )


def test_bad_track_key_explains_the_name_rule(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "tracks: {border: 2}", "tracks: {Border-Line: 2}")
    expect(
        text,
        "the key 'Border-Line' in card 'border-fence' → effects → tracks is not a valid id: track ids and triggers "
        "use lower case letters, digits and '_', and start with a letter (conditions name them); try 'border_line'",
        at(text, "Border-Line"),
    )


def test_dice_form(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "      dice: 2d6\n", "      dice: d6\n")
    expect(
        text,
        "dice in card 'tourist-flights' → contest must be written like 2d6 (how many dice, 'd', how many sides), got 'd6'",
        at(text, "d6\n"),
    )


def test_a_list_expected(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    phases: [crisis]\n", "    phases: crisis\n")
    expect(
        text,
        "phases in card 'article-4' must be a list, got 'crisis'; write [crisis] for a list of one",
        at(text, "crisis\n    consensus"),
    )


def test_bounds(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "  rounds: 6\n", "  rounds: 0\n")
    expect(text, "rounds in calendar must be at least 1, got 0", at(text, "0\nrules"))


def test_date(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "  start: 2021-11-08\n", "  start: next monday\n")
    expect(text, "start in calendar must be a date written like 2021-11-08, got 'next monday'", at(text, "next monday"))


def test_text_expected_gets_a_quote_hint(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "author: Test cell\n", "author: Test cell\nversion: 1.0\n")
    expect(text, "version must be text, got 1.0; write it in quotes if you mean the text", at(text, "1.0"))


def test_bool_trap_value(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    title: Mass crossing\n", "    title: no\n")
    expect(
        text,
        "title in card 'mass-crossing': `no` is read as the boolean false by YAML; "
        'write "no" in quotes if you mean the text',
        at(text, "no\n"),
    )


def test_bool_trap_key(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "tracks: {border: 2}", "tracks: {on: 2}")
    expect(
        text,
        "the key `on` in card 'border-fence' → effects → tracks is read as the boolean true by YAML; "
        'write "on" in quotes if you mean the text',
        at(text, "{on: 2", offset=1),
    )


def test_bool_trap_in_a_list(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "  - Agree an allied answer under time pressure.\n", "  - yes\n")
    expect(
        text,
        "learning objective 2: `yes` is read as the boolean true by YAML; "
        'write "yes" in quotes if you mean the text',
        at(text, "yes\n"),
    )


@pytest.mark.parametrize(
    ("new", "needle", "message"),
    [
        ("3", "source: 3", "source in transition 'calm' must be a phase id (or '*') or a list of phase ids, got 3"),
        (
            "Crisis",
            "Crisis",
            "source in transition 'calm' is not a phase id or '*': 'Crisis' (an id uses lower case letters, "
            "digits, '-' and '_', and starts with a letter; try 'crisis')",
        ),
        (
            "[crisis, Pressure]",
            "Pressure",
            "source phase 2 in transition 'calm' is not a valid id: 'Pressure' (an id uses lower case letters, "
            "digits, '-' and '_', and starts with a letter; try 'pressure')",
        ),
    ],
)
def test_union_noise_collapses_into_one_message(minimal_campaign_text: str, new: str, needle: str, message: str) -> None:
    text = variant(minimal_campaign_text, "      source: crisis\n      dest: pressure", f"      source: {new}\n      dest: pressure")
    expect(text, message, at(text, needle, offset=len("source: ") if needle == "source: 3" else 0))


def test_star_source_is_any_phase(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "      source: crisis\n      dest: pressure", "      source: '*'\n      dest: pressure")
    assert errors(text) == []


def test_every_shape_error_is_reported_at_once(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    title: Mass crossing\n", "    titel: Mass crossing\n")
    text = variant(text, "    kind: action\n", "    kind: actoin\n")
    text = variant(text, "  rounds: 6\n", "  rounds: many\n")
    assert len(errors(text)) == 3


# --------------------------------------------------------------------------- references

REFERENCES = [
    # (id, old, new, needle in the new text, message)
    ("card side", "    side: red\n    actor: belarus\n    cost: 1\n    effects:", "    side: rde\n    actor: belarus\n    cost: 1\n    effects:",
     "rde\n", "unknown side 'rde' in card 'mass-crossing' (did you mean 'red'?)"),
    ("card actor", "    actor: belarus\n    cost: 1\n    effects", "    actor: belaruss\n    cost: 1\n    effects",
     "belaruss", "unknown actor 'belaruss' in card 'mass-crossing' (did you mean 'belarus'?)"),
    ("card actor on another side", "    actor: belarus\n    cost: 1\n    effects", "    actor: poland\n    cost: 1\n    effects",
     "poland\n    cost: 1", "actor 'poland' of card 'mass-crossing' is on side 'blue', not 'red'"),
    ("card phase", "    phases: [crisis]", "    phases: [crisis, crisiss]",
     "crisiss", "unknown phase 'crisiss' in card 'article-4' (did you mean 'crisis'?)"),
    ("deck card", "deck: [sanctions, sanctions, expose, expose]", "deck: [sanctions, sanction, expose, expose]",
     "sanction,", "unknown card 'sanction' in the deck of side 'blue' → actor 'lithuania' (did you mean 'sanctions'?)"),
    ("deck card of another side", "deck: [sanctions, sanctions, expose, expose]", "deck: [sanctions, mass-crossing, expose]",
     "mass-crossing, expose]",
     "card 'mass-crossing' belongs to side 'red', so it cannot be in the deck of side 'blue' → actor 'lithuania'"),
    ("deck card of another actor", "deck: [sanctions, sanctions, expose, expose]", "deck: [sanctions, border-fence, expose]",
     "border-fence, expose]",
     "card 'border-fence' may be played only by actor 'poland', so it cannot be in the deck of side 'blue' → actor 'lithuania'"),
    ("consensus voter", "      voters: [poland, lithuania]", "      voters: [poland, lithuaina]",
     "lithuaina", "unknown actor 'lithuaina' in card 'article-4' → consensus (did you mean 'lithuania'?)"),
    ("effects track", "tracks: {border: 2}", "tracks: {bordr: 2}",
     "bordr", "unknown track 'bordr' in card 'border-fence' (did you mean 'border'?)"),
    ("effects resources_of", "        resources_of: {belarus: -1}", "        resources_of: {belarussia: -1}",
     "belarussia", "unknown actor 'belarussia' in card 'sanctions' → contest → success (did you mean 'belarus'?)"),
    ("effects discard", "      discard: {russia: 1}", "      discard: {rusia: 1}",
     "rusia", "unknown actor 'rusia' in card 'expose' (did you mean 'russia'?)"),
    ("effects trigger", "      trigger: calm\n", "      trigger: clam\n",
     "clam", "unknown trigger 'clam' in card 'article-4': no transition has it (did you mean 'calm'?)"),
    ("misattribution track", "    tracks: {cohesion: -1}\nsides:", "    tracks: {cohesionn: -1}\nsides:",
     "cohesionn", "unknown track 'cohesionn' in rules → misattribution (did you mean 'cohesion'?)"),
    ("inject effects track", "      tracks: {escalation: 1}\n  - id: winter", "      tracks: {escalaton: 1}\n  - id: winter",
     "escalaton", "unknown track 'escalaton' in inject 'airlift' (did you mean 'escalation'?)"),
    ("modifier if_played", "if_played: mass-crossing", "if_played: mass-crosing",
     "mass-crosing", "unknown card 'mass-crosing' in card 'tourist-flights' → contest → modifier 1 (did you mean 'mass-crossing'?)"),
    ("track favours", "    start: 2\n    favours: red\n", "    start: 2\n    favours: redd\n",
     "redd", "unknown side 'redd' in track 'escalation' (did you mean 'red'?)"),
    ("initial phase", "  initial: baseline", "  initial: baseln",
     "baseln", "unknown phase 'baseln' in phases → initial (did you mean 'baseline'?)"),
    ("transition source", "      source: crisis\n      dest: pressure", "      source: crises\n      dest: pressure",
     "crises", "unknown phase 'crises' in transition 'calm' (did you mean 'crisis'?)"),
    ("transition source in a list", "      source: [baseline, pressure]", "      source: [baseline, presure]",
     "presure", "unknown phase 'presure' in transition 'escalate' (did you mean 'pressure'?)"),
    ("transition dest", "      dest: conflict\n", "      dest: conflikt\n",
     "conflikt", "unknown phase 'conflikt' in transition 'war' (did you mean 'conflict'?)"),
    ("order step", "  plays_per_turn: 1", "  order: [injects, red, blue, adjudicate, phase_check, upkeep]\n  plays_per_turn: 1",
     "adjudicate", "unknown step 'adjudicate' in rules → order (did you mean 'adjudication'?); the steps are "
     "injects, adjudication, phase_check, upkeep and the side ids (red, blue)"),
    ("order side twice", "  plays_per_turn: 1", "  order: [injects, red, blue, red, adjudication, phase_check, upkeep]\n  plays_per_turn: 1",
     "red, adjudication", "side 'red' has two turns in rules → order; list each side once"),
    ("order without a side", "  plays_per_turn: 1", "  order: [injects, red, adjudication, phase_check, upkeep]\n  plays_per_turn: 1",
     "[injects", "side 'blue' never gets a turn: add 'blue' to rules → order"),
]


@pytest.mark.parametrize(("old", "new", "needle", "message"), [r[1:] for r in REFERENCES], ids=[r[0] for r in REFERENCES])
def test_unknown_references(minimal_campaign_text: str, old: str, new: str, needle: str, message: str) -> None:
    text = variant(minimal_campaign_text, old, new)
    expect(text, message, at(text, needle))


DUPLICATES = [
    ("side", "  - id: blue\n", "  - id: red\n", "red\n    name: The allies"),
    ("actor across sides", "      - id: lithuania\n", "      - id: belarus\n", "belarus\n        name: Lithuania"),
    ("track", "  - id: border\n", "  - id: cohesion\n", "cohesion\n    name: Border"),
    ("phase", "    - {id: pressure, name: Hybrid pressure}", "    - {id: baseline, name: Hybrid pressure}", "baseline, name: Hybrid"),
    ("card", "  - id: border-fence\n", "  - id: snap-exercise\n", "snap-exercise\n    title: Reinforce"),
    ("inject", "  - id: winter\n", "  - id: airlift\n", "airlift\n    title: Winter"),
]


@pytest.mark.parametrize(("kind", "old", "new", "needle"), DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_duplicate_ids(minimal_campaign_text: str, kind: str, old: str, new: str, needle: str) -> None:
    text = variant(minimal_campaign_text, old, new)
    ident = needle.split("\n")[0].split(",")[0]
    first = at(text, f"id: {ident}")[0]
    kind_word = kind.split(" ")[0]
    message = f"duplicate {kind_word} id '{ident}' (first defined on line {first})"
    found = [p for p in problems(text) if p.message.startswith("duplicate")]
    assert [(p.message, (p.line, p.col)) for p in found] == [(message, at(text, needle))]


def test_duplicate_objective_and_end_ids(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "        when: cohesion <= 3\n",
        "        when: cohesion <= 3\n      - id: divide\n        title: Again\n        when: round >= 2\n",
    )
    first = at(text, "divide")[0]
    expect(text, f"duplicate objective id 'divide' in side 'red' (first defined on line {first})", at(text, "divide", nth=1))
    text = minimal_campaign_text + "  - id: border-lost\n    title: Again\n    when: border <= 1\n"
    first = at(text, "border-lost")[0]
    expect(text, f"duplicate end condition id 'border-lost' (first defined on line {first})", at(text, "border-lost", nth=1))


# --------------------------------------------------------------------------- consistency


def test_bad_condition_points_at_the_token(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "      when: escalation >= 6 or border <= 3\n", "      when: escalation >= 6 or bordr <= 3\n")
    expect(
        text,
        "in condition 'escalation >= 6 or bordr <= 3': unknown name 'bordr' (did you mean 'border'?); "
        "known: escalation, cohesion, border, round, phase",
        at(text, "bordr"),
    )


def test_bad_condition_in_a_block_scalar(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "      when: escalation >= 10\n",
        "      when: >-\n        escalation >= 10\n        and cohesion => 3\n",
    )
    expect(
        text,
        "in condition 'escalation >= 10 and cohesion => 3': use >= (at least), not =>",
        at(text, "=> 3"),
    )


def test_bad_condition_in_a_quoted_scalar_counts_escapes(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "      when: escalation >= 10\n",
        '      when: "escalation >= 10 and phase == \\"crsis\\""\n',
    )
    expect(
        text,
        "in condition 'escalation >= 10 and phase == \"crsis\"': unknown phase 'crsis' (did you mean 'crisis'?)",
        at(text, '\\"crsis'),
    )


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("    requires: round >= 2\n", "    requires: round >>= 2\n", ">>="),
        ("          - {add: 1, when: cohesion >= 6,", "          - {add: 1, when: cohesion >= six,", "six"),
        ("        when: cohesion <= 3\n", "        when: cohesion <= 3 &&\n", "&&"),
        ("    when: round >= 4 and border <= 5\n", "    when: round >= 4 and border.value <= 5\n", ".value"),
        ("    when: border <= 0\n", "    when: border\n", "border\n"),
    ],
    ids=["requires", "modifier", "objective", "inject", "end"],
)
def test_every_condition_is_compiled(minimal_campaign_text: str, old: str, new: str, needle: str) -> None:
    text = variant(minimal_campaign_text, old, new)
    problem = only(problems(text))
    assert problem.message.startswith("in condition ")
    line, col = at(text, new)
    assert (problem.line, problem.col) == (line, col + new.index(needle))


def test_track_bounds(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    start: 7\n", "    start: 11\n")
    expect(text, "track 'border': start (11) must be between min (0) and max (10)", at(text, "start: 11", offset=7))
    text = variant(minimal_campaign_text, "    start: 7\n", "    start: 7\n    min: 10\n    max: 5\n")
    expect(text, "track 'border': max (5) must be greater than min (10)", at(text, "max: 5", offset=5))
    text = variant(minimal_campaign_text, "{at: 6, label", "{at: 16, label")
    expect(text, "track 'escalation': threshold at 16 is outside the track (0 to 10)", at(text, "at: 16", offset=4))


@pytest.mark.parametrize("ident", ["round", "phase", "pass", "none"])
def test_track_ids_that_conditions_cannot_name(minimal_campaign_text: str, ident: str) -> None:
    text = variant(minimal_campaign_text, "tracks:\n  - id: escalation\n", f"tracks:\n  - id: {ident}\n    name: X\n    start: 1\n  - id: escalation\n")
    message = f"id in track '{ident}': '{ident}' cannot be a track id: it is a reserved word in conditions"
    expect(text, message, at(text, f"{ident}\n    name: X"))


def test_dice_contest_needs_a_target(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "      dice: 2d6\n      target: 8\n", "      dice: 2d6\n")
    expect(text, "card 'tourist-flights': a dice contest needs a `target` (the total to reach)", at(text, "by: dice"))


def test_dice_target_out_of_reach(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "      dice: 2d6\n      target: 8\n", "      dice: 2d6\n      target: 14\n")
    expect(
        text,
        "the contest of card 'tourist-flights' can never succeed: 2d6 with its modifiers makes at most 13, the target is 14",
        at(text, "14"),
        Severity.WARNING,
    )


def test_calendar_past_year_9999(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "  start: 2021-11-08\n  round_days: 7\n", "  start: 9999-11-08\n  round_days: 300\n")
    expect(text, "the calendar runs past the year 9999; start earlier or play fewer rounds", at(text, "6\nrules"))


def test_unreachable_phase(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    - {id: crisis, name: Border crisis}\n",
        "    - {id: crisis, name: Border crisis}\n    - {id: limbo, name: Limbo}\n",
    )
    expect(
        text,
        "phase 'limbo' can never be reached from the initial phase 'baseline'",
        at(text, "{id: limbo"),
        Severity.WARNING,
    )


def test_star_sources_reach_every_destination(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    - {id: crisis, name: Border crisis}\n",
        "    - {id: crisis, name: Border crisis}\n    - {id: truce, name: Truce, terminal: true}\n",
    )
    text = variant(text, "  transitions:\n", "  transitions:\n    - {trigger: truce, source: '*', dest: truce, when: cohesion >= 9}\n")
    assert problems(text) == []


def test_transition_out_of_a_terminal_phase(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    - trigger: war\n",
        "    - trigger: ceasefire\n      source: conflict\n      dest: crisis\n      when: escalation <= 2\n    - trigger: war\n",
    )
    expect(
        text,
        "transition 'ceasefire' leaves terminal phase 'conflict', which ends the exercise, so it never fires from there",
        at(text, "conflict\n      dest: crisis"),
        Severity.WARNING,
    )


def test_transition_that_nothing_fires(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    - trigger: war\n",
        "    - trigger: relax\n      source: pressure\n      dest: baseline\n    - trigger: war\n",
    )
    expect(
        text,
        "transition 'relax' has no condition and no card or inject fires it (effects: {trigger: relax}), so it never fires",
        at(text, "trigger: relax"),
        Severity.WARNING,
    )


def test_card_in_no_deck(minimal_campaign_text: str) -> None:
    text = minimal_campaign_text.replace("injects:\n", "  - {id: spare, title: Spare, side: blue}\ninjects:\n", 1)
    expect(
        text,
        "card 'spare' is in no actor's deck, so it can never be played (give it an `actor` or list it in an actor's `deck`)",
        at(text, "spare"),
        Severity.WARNING,
    )


def test_card_whose_phases_are_never_reached(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    - {id: crisis, name: Border crisis}\n",
        "    - {id: crisis, name: Border crisis}\n    - {id: limbo, name: Limbo}\n",
    )
    text = variant(text, "    phases: [crisis]\n", "    phases: [limbo, conflict]\n")
    found = [p for p in problems(text) if "article-4" in p.message]
    assert [(p.severity, p.message, (p.line, p.col)) for p in found] == [
        (
            Severity.WARNING,
            "card 'article-4' can never be played: its phases are never reached or end the exercise",
            at(text, "[limbo, conflict]"),
        ),
        (
            Severity.WARNING,
            "phase 'conflict' in card 'article-4' is terminal: no card is played once it is reached",
            at(text, "conflict]"),
        ),
    ]


def test_actor_with_an_empty_deck(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "deck: [sanctions, sanctions, expose, expose]", "deck: []")
    found = {(p.severity, p.message) for p in problems(text)}
    assert (Severity.WARNING, "actor 'lithuania' starts with an empty deck") in found


def test_inject_after_the_last_round(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    round: 2\n", "    round: 9\n")
    expect(
        text,
        "inject 'airlift' is due in round 9, but the exercise has only 6 rounds",
        at(text, "9\n"),
        Severity.WARNING,
    )


def test_side_without_objectives(minimal_campaign_text: str) -> None:
    text = variant(
        minimal_campaign_text,
        "    objectives:\n      - id: divide\n        title: Divide the allies\n        when: cohesion <= 3\n",
        "",
    )
    expect(
        text,
        "side 'red' has no objectives, so the debrief cannot say how it did",
        at(text, "id: red"),
        Severity.WARNING,
    )


def test_round_order_without_upkeep(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "  plays_per_turn: 1", "  order: [injects, red, blue, adjudication, phase_check]\n  plays_per_turn: 1")
    expect(
        text,
        "rules → order has no 'upkeep' step: actors never gain income or draw cards, and end conditions are never checked",
        at(text, "[injects"),
        Severity.WARNING,
    )


def test_warnings_do_not_stop_loading(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    round: 2\n", "    round: 9\n")
    assert load_campaign_text(text).warnings


# --------------------------------------------------------------------------- bundled and documented


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_campaigns_have_no_errors(path: Path) -> None:
    found = validate_path(path)
    assert [str(p) for p in found if p.is_error] == []
    load_campaign(path)


def test_there_are_bundled_campaigns() -> None:
    assert any(p.stem == "tutorial" for p in BUNDLED)


def _complete_example() -> str:
    doc = DOC.read_text(encoding="utf-8")
    section = doc.split("\n## Complete example\n", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match, "no ```yaml block under 'Complete example' in docs/campaign-format.md"
    return match.group(1)


def test_the_documented_example_is_a_clean_campaign() -> None:
    text = _complete_example()
    assert [str(p) for p in validate_text(text, "docs/campaign-format.md")] == []
    loaded = load_campaign_text(text)
    cards = loaded.campaign.cards
    assert any(c.contest for c in cards) and any(c.consensus for c in cards) and any(c.covert for c in cards)


# --------------------------------------------------------------------------- never anything but CampaignError


def _only_campaign_errors(source: str | bytes) -> None:
    started = time.perf_counter()
    try:
        load_campaign_text(source, NAME)
    except CampaignError as e:
        assert e.problems and all(isinstance(p, Problem) for p in e.problems)
        assert all(p.line >= 1 and p.col >= 1 for p in e.problems)
        assert not any(p.message.startswith(("internal error", "could not read the file")) for p in e.problems), e.problems
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"took {elapsed:.1f} s"


CAMPAIGN_KEYS = [
    "format", "id", "title", "briefing", "calendar", "rules", "sides", "tracks", "phases", "cards",
    "injects", "end", "actors", "start", "rounds", "states", "transitions", "initial", "side", "actor",
    "effects", "contest", "when", "source", "dest", "trigger", "name", "deck", "order",
]
scalars = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["red", "blue", "*", "no", "2d6", "escalation >= 3", "2021-11-08"])
)
keys = (
    st.sampled_from(CAMPAIGN_KEYS) | st.text(max_size=8)
    | st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, width=16)
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents, as_bytes=st.booleans())
def test_random_documents_raise_only_campaign_errors(document: object, as_bytes: bool) -> None:
    text = yaml.safe_dump(document, sort_keys=False)
    _only_campaign_errors(text.encode("utf-8") if as_bytes else text)


def _default_text() -> str:
    path = ROOT / "campaigns" / "belarus-border-2021.yaml"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    from campaign_texts import MINIMAL_CAMPAIGN

    return MINIMAL_CAMPAIGN


DEFAULT_LINES = _default_text().splitlines(keepends=True)

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6)),
    st.tuples(st.just("swap"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.text(min_size=1, max_size=5)),
    st.tuples(st.just("indent"), st.integers(0, 10**6), st.integers(-4, 4)),
)


def _mutate(lines: list[str], op: tuple) -> list[str]:  # type: ignore[type-arg]
    if not lines:
        return lines
    kind, i = op[0], op[1] % len(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = op[2] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert":
        pos = op[1] % (len(lines[i]) + 1)
        lines[i] = lines[i][:pos] + op[2] + lines[i][pos:]
    elif kind == "indent":
        delta = op[2]
        lines[i] = " " * delta + lines[i] if delta >= 0 else lines[i][min(-delta, len(lines[i]) - len(lines[i].lstrip(" "))):]
    return lines


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_default_campaign_raises_only_campaign_errors(ops: list[tuple]) -> None:  # type: ignore[type-arg]
    lines = list(DEFAULT_LINES)
    for op in ops:
        lines = _mutate(lines, op)
    _only_campaign_errors("".join(lines))


# --------------------------------------------------------------------------- the command line


def _tabletop(*args: str) -> subprocess.CompletedProcess[str]:
    return run_tabletop(*args, cwd=ROOT, timeout=60)


def test_cli_validate_good_file(minimal_campaign_path: Path) -> None:
    proc = _tabletop("validate", str(minimal_campaign_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.strip() == "1 file ok"


def test_cli_validate_broken_files(tmp_path: Path, minimal_campaign_text: str, minimal_campaign_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(variant(minimal_campaign_text, "    title: Mass crossing\n", "    titel: Mass crossing\n"))
    warned = tmp_path / "warned.yaml"
    warned.write_text(variant(minimal_campaign_text, "    round: 2\n", "    round: 9\n"))
    missing = tmp_path / "missing.yaml"
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\x00\xff{[: :")
    proc = _tabletop("validate", str(minimal_campaign_path), str(broken), str(warned), str(missing), str(garbage))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert all(re.match(r"^.+:\d+:\d+: (error|warning): ", line) for line in lines), lines
    line, col = at(broken.read_text(), "titel")
    assert f"{broken}:{line}:{col}: error: unknown key 'titel' in card 'mass-crossing' (did you mean 'title'?)" in lines
    assert f"{missing}:1:1: error: no such file" in lines
    assert any(line.startswith(f"{warned}:") and ": warning: " in line for line in lines)
    assert any(line.startswith(f"{garbage}:") and ": error: " in line for line in lines)
    assert proc.stderr.strip() == "3 errors, 1 warning in 4 of 5 files"


def test_cli_validate_bundled_id() -> None:
    proc = _tabletop("validate", "tutorial")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_summary_words() -> None:
    from tabletop.commands.validate import summary

    assert summary(0, 0, 0, 3) == "3 files ok"
    assert summary(0, 0, 0, 1) == "1 file ok"
    assert summary(2, 1, 1, 3) == "2 errors, 1 warning in 1 of 3 files"
    assert summary(0, 2, 1, 1) == "2 warnings in 1 of 1 file"


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    """Every path to a value in plain data."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _replace(node: object, path: tuple, value: object) -> object:  # type: ignore[type-arg]
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in node.items()}
    assert isinstance(node, list)
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(node)]


IDS = ["red", "blue", "belarus", "poland", "crisis", "conflict", "expose", "calm", "*", "escalation"]
replacements = scalars | st.sampled_from(IDS) | st.lists(st.sampled_from(IDS), max_size=3) | documents


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_replaced_in_a_valid_campaign_raise_only_campaign_errors(data: st.DataObject) -> None:
    """Random values at random places of a valid campaign: reaches the semantic checks."""
    from campaign_texts import MINIMAL_CAMPAIGN

    document = yaml.load(MINIMAL_CAMPAIGN, Loader=yaml.CSafeLoader)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)[1:] or [()]))
        document = _replace(document, path, data.draw(replacements))
    _only_campaign_errors(yaml.safe_dump(document, sort_keys=False))


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    from tabletop.campaign.validate import MAX_FILE_BYTES

    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES * 3)
    (problem,) = validate_path(path)
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message == "the file is too big (more than 5 MB): campaign files are limited to 5 MB"


def test_a_trigger_the_state_machine_reserves(minimal_campaign_text: str) -> None:
    text = variant(minimal_campaign_text, "    - trigger: push\n", "    - trigger: state\n")
    expect(
        text,
        "the trigger name 'state' is reserved by the crisis state machine; choose another",
        at(text, "state\n      source"),
    )
