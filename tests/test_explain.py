"""Tests for :mod:`tabletop.campaign.explain`: conditions and phase triggers in words.

The campaigns are built with the model alone (``Campaign.model_validate``), so these tests
do not depend on the validator's checks.
"""

from __future__ import annotations

import copy
import itertools
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tabletop.campaign.condition_nodes import And, ConditionNode, Not, Or
from tabletop.campaign.explain import (
    condition_words,
    explain_unmet,
    held_words,
    leaving,
    trigger_promise,
    unmet_reads,
    unmet_words,
    why_leaves,
)
from tabletop.campaign.model import Campaign

CAMPAIGNS = Path(__file__).resolve().parent.parent / "campaigns"
BUNDLED = sorted(p.stem for p in CAMPAIGNS.glob("*.yaml"))


@cache
def raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CAMPAIGNS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@cache
def bundled(name: str) -> Campaign:
    return Campaign.model_validate(copy.deepcopy(raw(name)))


#: the Belarus campaign as it was in format 1 (frozen: the examples below name its tracks and phases)
LEGACY = Path(__file__).resolve().parent / "golden" / "belarus-format1.yaml"


@cache
def legacy_raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(LEGACY.read_text(encoding="utf-8"))
    return data


@cache
def legacy() -> Campaign:
    return Campaign.model_validate(copy.deepcopy(legacy_raw()))


def belarus_v2(transitions: list[dict[str, Any]] | None = None) -> Campaign:
    """The format-1 Belarus campaign turned format 2, with a hidden red line and extra transitions."""
    data = copy.deepcopy(legacy_raw())
    data["format"] = 2
    data["hidden"] = [
        {"id": "red_line", "name": "Red's red line", "range": [6, 9], "known_by": ["red"]},
        {"id": "mood", "name": "Moscow's mood", "values": ["calm", "angry"]},
    ]
    data["phases"]["transitions"] += transitions or []
    return Campaign.model_validate(data)


def env_of(campaign: Campaign, phase: str, **values: int | str) -> dict[str, int | str]:
    """Every name a condition may read: tracks at their start, round 1, hidden values, calls."""
    env: dict[str, int | str] = {t.id: t.start for t in campaign.tracks}
    env.update(round=1, phase=phase)
    for h in campaign.hidden:
        env[h.id] = h.range[0] if h.range else h.values[0]  # type: ignore[index]
    for actor in campaign.actor_by_id:
        env[f"resources:{actor}"] = 0
        for card in campaign.card_by_id:
            env[f"played:{card}:{actor}"] = False
            env[f"played_this_round:{card}:{actor}"] = False
    for card in campaign.card_by_id:
        env[f"played:{card}"] = False
        env[f"played_this_round:{card}"] = False
    env.update(values)
    return env


# ------------------------------------------------------------------ the lead's examples


def test_a_failing_part_of_an_and_is_denied_in_words() -> None:
    c = legacy()
    env = env_of(c, "military-tension", escalation=10, cohesion=5)
    assert explain_unmet(c, "war_breaks_out", "military-tension", env) == (
        "the crisis stays in Military tension: Allied cohesion is not at most 3"
    )


def test_every_failing_part_of_an_and_is_named_and_only_those() -> None:
    c = legacy()
    env = env_of(c, "military-tension", escalation=4, cohesion=5)
    assert explain_unmet(c, "war_breaks_out", "military-tension", env) == (
        "the crisis stays in Military tension: Military escalation risk is not at least 10 "
        "and Allied cohesion is not at most 3"
    )
    env = env_of(c, "border-crisis", round=9, escalation=1, cohesion=8, border=3)
    assert explain_unmet(c, "crisis_defused", "border-crisis", env) == (
        "the crisis stays in Border crisis: Border integrity is not at least 6"
    )


def test_every_part_of_a_false_or_is_named() -> None:
    b = bundled("baltic-winter-energy")
    env = env_of(b, "supply_cuts", storage=5, hardship=2)
    assert explain_unmet(b, "ration", "supply_cuts", env) == (
        "the crisis stays in Supply cuts: Gas in storage is not at most 2 and Household hardship is not at least 5"
    )
    c = legacy()
    env = env_of(c, "baseline", round=2, border=8, humanitarian=0)
    assert explain_unmet(c, "pressure_builds", "baseline", env) == (
        "the crisis stays in Baseline: before round 3, Border integrity is not at most 4 "
        "and Humanitarian cost is not at least 3"
    )


def test_a_trigger_that_does_not_leave_the_phase_says_where_it_works() -> None:
    c = legacy()
    env = env_of(c, "baseline")
    assert explain_unmet(c, "article_4", "baseline", env) == (
        "the crisis stays in Baseline: that move goes only from Military tension to Allied consultations (Art. 4)"
    )
    assert explain_unmet(c, "mass_crossing", "military-tension", env_of(c, "military-tension")) == (
        "the crisis stays in Military tension: that move goes only from Baseline or Hybrid pressure to Border crisis"
    )


def test_a_trigger_from_any_phase_says_so() -> None:
    c = bundled("baltic-winter-energy")
    env = env_of(c, "rationing", diversification=9, cohesion=2, storage=1)
    assert explain_unmet(c, "emergency_deal", "rationing", env) == (
        "the crisis stays in Rationing: Energy Union cohesion is not at least 5 and Gas in storage is not at least 2"
    )


def test_several_transitions_of_one_trigger_are_each_explained_by_where_they_lead() -> None:
    c = belarus_v2([
        {"trigger": "showdown", "source": "military-tension", "dest": "armed-conflict", "when": "escalation >= 9", "auto": False},
        {"trigger": "showdown", "source": "military-tension", "dest": "de-escalation", "when": "cohesion >= 9", "auto": False},
    ])
    env = env_of(c, "military-tension", escalation=5, cohesion=4)
    assert explain_unmet(c, "showdown", "military-tension", env) == (
        "the crisis stays in Military tension: for Armed conflict, Military escalation risk is not at least 9; "
        "for De-escalation, Allied cohesion is not at least 9"
    )


def test_ended_and_unknown_triggers_and_a_transition_that_would_fire() -> None:
    c = legacy()
    assert explain_unmet(c, "article_4", "armed-conflict", env_of(c, "armed-conflict")) == (
        "the crisis stays in Armed conflict: the exercise has ended there"
    )
    assert explain_unmet(c, "no_such", "baseline", env_of(c, "baseline")) == (
        "the crisis stays in Baseline: no transition is called no such"
    )
    # nothing stopped it: no reason is made up
    assert explain_unmet(c, "article_4", "military-tension", env_of(c, "military-tension")) == (
        "the crisis stays in Military tension"
    )


# ------------------------------------------------------------------ format 2 names


def test_hidden_values_are_named_not_valued() -> None:
    c = belarus_v2([{"trigger": "pretext2", "source": "military-tension", "dest": "armed-conflict",
                     "when": "escalation >= red_line", "auto": False}])
    env = env_of(c, "military-tension", escalation=5, red_line=7)
    reason = explain_unmet(c, "pretext2", "military-tension", env)
    assert reason == "the crisis stays in Military tension: Military escalation risk is not at least Red's red line"
    assert "7" not in reason
    assert unmet_reads(c, "pretext2", "military-tension") == {"escalation", "red_line"}
    assert unmet_reads(c, "pretext2", "baseline") == frozenset()
    assert "red_line" in c.hidden_by_id


def test_text_hidden_values() -> None:
    c = belarus_v2([{"trigger": "anger", "source": "*", "dest": "armed-conflict",
                     "when": "mood == 'angry'", "auto": False}])
    env = env_of(c, "baseline", mood="calm")
    assert explain_unmet(c, "anger", "baseline", env) == "the crisis stays in Baseline: Moscow's mood is not 'angry'"
    assert condition_words(c, "mood != 'angry'") == "Moscow's mood is not 'angry'"
    assert condition_words(c, "mood in ['angry', 'calm']") == "Moscow's mood is one of 'angry' or 'calm'"


def test_resources_are_what_an_actor_has() -> None:
    c = belarus_v2([{"trigger": "aid", "source": "*", "dest": "de-escalation",
                     "when": 'resources("poland") >= 3', "auto": False}])
    assert condition_words(c, 'resources("poland") >= 3') == "Poland has at least 3 resources"
    assert condition_words(c, 'resources("poland") < 1') == "Poland has fewer than 1 resource"
    assert condition_words(c, '2 <= resources("latvia")') == "Latvia has at least 2 resources"
    env = env_of(c, "baseline", **{"resources:poland": 1})
    assert explain_unmet(c, "aid", "baseline", env) == "the crisis stays in Baseline: Poland does not have at least 3 resources"
    assert condition_words(c, 'resources("poland") + resources("latvia") >= 4') == (
        "Poland's resources plus Latvia's resources is at least 4"
    )


def test_played_by_anyone_by_an_actor_and_this_round() -> None:
    c = belarus_v2([{"trigger": "talks", "source": "*", "dest": "allied-consultations",
                     "when": 'played("pl-article-4", by="poland") or played_this_round("by-mass-crossing")',
                     "auto": False}])
    assert condition_words(c, 'played("pl-article-4")') == "the Article 4 consultations card has been played"
    assert condition_words(c, 'played("pl-article-4", by="poland")') == (
        "the Article 4 consultations card has been played by Poland"
    )
    assert condition_words(c, 'played_this_round("pl-article-4", by="latvia")') == (
        "the Article 4 consultations card has been played by Latvia this round"
    )
    assert condition_words(c, 'not played("pl-article-4")') == "the Article 4 consultations card has not been played"
    env = env_of(c, "baseline")
    assert explain_unmet(c, "talks", "baseline", env) == (
        "the crisis stays in Baseline: the Article 4 consultations card has not been played by Poland "
        "and the ‘A large group at the crossing’ card has not been played this round"
    )


def test_cards_played_together_read_as_one_sentence() -> None:
    """Several cards in one ``or`` / ``and`` name the cards once, not a clause each
    (not "either X was played or Y was played")."""
    c = belarus_v2()
    either = 'played("pl-article-4") or played("by-mass-crossing")'
    a4, crossing = "Article 4 consultations", "‘A large group at the crossing’"  # its own article: quoted
    assert condition_words(c, either) == f"the {a4} or {crossing} card has been played"
    assert condition_words(c, f"escalation >= 6 and ({either})") == (
        f"Military escalation risk is at least 6 and the {a4} or {crossing} card has been played"
    )
    assert condition_words(c, f"not ({either})") == f"neither the {a4} nor the {crossing} card has been played"
    both = 'played("pl-article-4") and played("by-mass-crossing")'
    assert condition_words(c, both) == f"the {a4} and {crossing} cards have been played"
    assert condition_words(c, f"not ({both})") == f"the {a4} and {crossing} cards have not both been played"
    # by different seats: a clause each
    assert condition_words(c, 'played("pl-article-4", by="poland") or played("by-mass-crossing")') == (
        f"the {a4} card has been played by Poland or the {crossing} card has been played"
    )


def test_words_for_every_construct() -> None:
    c = belarus_v2()

    def says(text: str) -> str:
        return condition_words(c, text)

    assert says("escalation >= 6") == "Military escalation risk is at least 6"
    assert says("escalation > 6") == "Military escalation risk is more than 6"
    assert says("escalation <= 6") == "Military escalation risk is at most 6"
    assert says("escalation < 6") == "Military escalation risk is less than 6"
    assert says("escalation == 6") == "Military escalation risk is 6"
    assert says("escalation != 6") == "Military escalation risk is not 6"
    assert says("3 >= cohesion") == "Allied cohesion is at most 3"
    assert says("escalation - cohesion >= 3") == "Military escalation risk minus Allied cohesion is at least 3"
    assert says("2 <= escalation < 8") == "Military escalation risk is at least 2 and Military escalation risk is less than 8"
    assert says("round >= 5") == "from round 5"
    assert says("phase == 'baseline'") == "the crisis is in Baseline"
    assert says("phase != 'baseline'") == "the crisis is not in Baseline"
    assert says("phase in ['baseline', 'border-crisis']") == "the crisis is in Baseline or Border crisis"
    assert says("phase not in ['baseline', 'border-crisis']") == "the crisis is neither in Baseline nor in Border crisis"
    assert says("phase not in ['baseline', 'border-crisis', 'hybrid-pressure']") == (
        "the crisis is in none of Baseline, Border crisis and Hybrid pressure"
    )
    assert says("escalation in [1, 2, 3]") == "Military escalation risk is one of 1, 2 or 3"
    assert says("escalation not in [1, 2]") == "Military escalation risk is none of 1 and 2"
    assert says("not escalation >= 6") == "Military escalation risk is not at least 6"
    assert says("not (escalation >= 6 and cohesion <= 3)") == (
        "Military escalation risk is not at least 6 or Allied cohesion is not at most 3"
    )
    assert says("escalation >= 6 and (cohesion <= 3 or border <= 2)") == (
        "Military escalation risk is at least 6 and either Allied cohesion is at most 3 or Border integrity is at most 2"
    )
    assert says("escalation >= 6 or cohesion <= 3 and border <= 2") == (
        "Military escalation risk is at least 6 or both Allied cohesion is at most 3 and Border integrity is at most 2"
    )
    assert says("True") == "always"
    assert says("False") == "never"


def test_nested_explanations_and_negations() -> None:
    c = belarus_v2()
    env = env_of(c, "baseline", escalation=7, cohesion=5, border=6)
    text = "escalation >= 6 and (cohesion <= 3 or border <= 2)"
    assert unmet_words(c, text, env) == "Allied cohesion is not at most 3 and Border integrity is not at most 2"
    assert held_words(c, text, env) == ""
    # a "not" of a true part: the part that holds is said as holding
    assert unmet_words(c, "not (escalation >= 6 or border <= 2)", env) == "Military escalation risk is at least 6"
    assert unmet_words(c, "escalation >= 6", env) == ""
    assert held_words(c, "escalation >= 6 or border <= 2", env) == "Military escalation risk is at least 6"


def test_a_false_condition_is_explained_as_never() -> None:
    c = belarus_v2([{"trigger": "never", "source": "baseline", "dest": "armed-conflict", "when": "False", "auto": False}])
    env = env_of(c, "baseline")
    assert explain_unmet(c, "never", "baseline", env) == "the crisis stays in Baseline: never"
    assert unmet_words(c, "False and escalation >= 0", env) == "never"
    assert condition_words(c, "not (False and escalation >= 3)") == "always or Military escalation risk is not at least 3"


# ------------------------------------------------------------------ every bundled transition


def _envs(campaign: Campaign, phase: str) -> list[dict[str, int | str]]:
    """Each track at its min, start and max, one track at a time, and all at each bound."""
    base = env_of(campaign, phase)
    out = [base]
    for t in campaign.tracks:
        for v in (t.min, t.max):
            out.append({**base, t.id: v})
    out.append({**base, **{t.id: t.min for t in campaign.tracks}})
    out.append({**base, **{t.id: t.max for t in campaign.tracks}})
    for r in (1, 5, 10):
        out.append({**base, "round": r})
    return out


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_trigger_in_every_phase(name: str) -> None:
    c = bundled(name)
    phases = {p.id: p for p in c.phases.states}
    for trigger in dict.fromkeys(t.trigger for t in c.phases.transitions):
        for phase in phases:
            for env in _envs(c, phase):
                reason = explain_unmet(c, trigger, phase, env)
                stays = f"the crisis stays in {phases[phase].name}"
                assert reason.startswith(stays)
                assert "_" not in reason.replace(trigger, trigger.replace("_", " "))  # no ids
                out = leaving(c, trigger, phase)
                if phases[phase].terminal:
                    assert reason == f"{stays}: the exercise has ended there"
                elif not out:
                    assert " that move goes only from " in reason
                    for t in c.phases.transitions:
                        if t.trigger == trigger and t.source != "*":
                            for s in t.sources:
                                assert phases[s].name in reason
                elif any(t.when is None or c.condition(t.when).evaluate(env) for t in out):
                    assert reason == stays
                else:
                    assert reason.startswith(stays + ": ")
                    assert any(w in reason for w in (" not ", "never", "before round", "up to round", "in any round"))
                    for t in out:
                        assert t.when and unmet_words(c, t.when, env) in reason
                        assert not ("-" in phase or "_" in phase) or phase not in reason  # names, not ids


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_condition_has_words(name: str) -> None:
    c = bundled(name)
    for t in c.phases.transitions:
        if t.when:
            words = condition_words(c, t.when)
            assert words and "_" not in words and ">=" not in words and "<=" not in words


# ------------------------------------------------------------------ the explanation is true


def _leaves(node: ConditionNode) -> list[ConditionNode]:
    if isinstance(node, Not):
        return _leaves(node.operand)
    if isinstance(node, (And, Or)):
        return [leaf for p in node.parts for leaf in _leaves(p)]
    return [node]


def _forced(node: ConditionNode, fixed: dict[int, bool], free: dict[int, bool]) -> bool:
    if isinstance(node, Not):
        return not _forced(node.operand, fixed, free)
    if isinstance(node, And):
        return all(_forced(p, fixed, free) for p in node.parts)
    if isinstance(node, Or):
        return any(_forced(p, fixed, free) for p in node.parts)
    return fixed[id(node)] if id(node) in fixed else free[id(node)]


_PARTS = [
    "escalation >= {a}", "cohesion <= {b}", "border == {a}", "round > {b}",
    "phase == 'baseline'", 'played("pl-article-4")', 'resources("poland") < {a}',
    "escalation != {b}", "humanitarian in [{a}, {b}]",
]


@st.composite
def _conditions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 2 or draw(st.booleans()):
        part = draw(st.sampled_from(_PARTS))
        return part.format(a=draw(st.integers(0, 10)), b=draw(st.integers(0, 10)))
    kind = draw(st.sampled_from(["and", "or", "not"]))
    if kind == "not":
        return f"not ({draw(_conditions(depth + 1))})"
    parts = draw(st.lists(_conditions(depth + 1), min_size=2, max_size=3))
    return f" {kind} ".join(f"({p})" for p in parts)


@settings(max_examples=150, deadline=None)
@given(
    text=_conditions(),
    escalation=st.integers(0, 10), cohesion=st.integers(0, 10), border=st.integers(0, 10),
    round_=st.integers(1, 10), in_baseline=st.booleans(), played=st.booleans(), poland=st.integers(0, 5),
)
def test_the_parts_named_are_true_and_decide_the_result(
    text: str, escalation: int, cohesion: int, border: int, round_: int, in_baseline: bool, played: bool, poland: int
) -> None:
    c = belarus_v2()
    env = env_of(c, "baseline" if in_baseline else "border-crisis", escalation=escalation, cohesion=cohesion,
                 border=border, round=round_, **{"played:pl-article-4": played, "resources:poland": poland})
    tree = c.condition(text).tree
    value = tree.evaluate(env)
    named = why_leaves(tree, env, value)
    assert named
    for leaf, holds in named:  # each statement is true
        assert leaf.evaluate(env) is holds
    fixed = {id(leaf): holds for leaf, holds in named}
    others = list({id(leaf): leaf for leaf in _leaves(tree) if id(leaf) not in fixed}.values())
    for values in itertools.islice(itertools.product([False, True], repeat=len(others)), 64):
        free = {id(leaf): v for leaf, v in zip(others, values)}
        assert _forced(tree, fixed, free) is value  # together they force the result
    words = unmet_words(c, text, env) if not value else held_words(c, text, env)
    assert words and "_" not in words


# ------------------------------------------------------------------ what a card promises


def test_a_promise_names_the_condition_and_the_phases_it_works_from() -> None:
    c = legacy()
    assert trigger_promise(c, "article_4") == "may move the crisis from Military tension to Allied consultations (Art. 4)"
    assert trigger_promise(c, "article_4", "baseline") == (
        "may move the crisis from Military tension to Allied consultations (Art. 4) — not from Baseline, where the crisis is now"
    )
    assert trigger_promise(c, "article_4", "military-tension") == (
        "may move the crisis from Military tension to Allied consultations (Art. 4)"
    )
    assert trigger_promise(c, "pretext", "military-tension") == (
        "may move the crisis from Military tension to Armed conflict, "
        "if Military escalation risk is at least 9 and Allied cohesion is at most 5"
    )
    assert trigger_promise(c, "mass_crossing") == "may move the crisis from Baseline or Hybrid pressure to Border crisis"
    b = bundled("baltic-winter-energy")
    assert trigger_promise(b, "restore_flows", "normal_supply") == (
        "may move the crisis from Supply cuts to Price shock, if Wholesale gas price is at most 5 "
        "and Gas in storage is at least 4 — not from Normal supply, where the crisis is now"
    )
    assert trigger_promise(b, "emergency_deal", "rationing").startswith("may move the crisis from any phase to Managed transition, if ")
    assert trigger_promise(c, "no_such") == "fires no such, which no transition answers"


def test_a_promise_with_several_transitions_lists_each() -> None:
    c = belarus_v2([
        {"trigger": "showdown", "source": "military-tension", "dest": "armed-conflict", "when": "escalation >= 9", "auto": False},
        {"trigger": "showdown", "source": ["border-crisis", "military-tension"], "dest": "de-escalation", "auto": False},
    ])
    assert trigger_promise(c, "showdown", "border-crisis") == (
        "may move the crisis from Military tension to Armed conflict, if Military escalation risk is at least 9; "
        "or from Border crisis or Military tension to De-escalation"
    )


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_promise_is_a_may(name: str) -> None:
    c = bundled(name)
    for trigger in {t.trigger for t in c.phases.transitions}:
        for p in c.phases.states:
            text = trigger_promise(c, trigger, p.id)
            assert text.startswith("may move the crisis from ")
            assert ("where the crisis is now" in text) is (not leaving(c, trigger, p.id))


def test_a_round_is_said_as_a_person_says_it() -> None:
    """Play-test: "Needs: up to round 6". Each comparison with the round, in a condition
    and in what a failing one needs; no "up to"."""
    from tabletop.campaign.explain import shortfall

    c = bundled("belarus-border-2021")
    said = {op: condition_words(c, f"round {op} 6") for op in (">=", ">", "<=", "<", "==", "!=")}
    assert said == {
        ">=": "from round 6", ">": "from round 7", "<=": "until round 6", "<": "before round 6",
        "==": "in round 6", "!=": "in any round but 6",
    }
    needs = {op: shortfall(c, f"round {op} 6", {"round": r})[0][0]
             for op, r in ((">=", 3), (">", 3), ("<=", 7), ("<", 7), ("==", 3), ("!=", 6))}
    assert needs == {
        ">=": "it is round 3, it needs round 6 or later", ">": "it is round 3, it needs round 7 or later",
        "<=": "it is round 7, it needs round 6 or earlier", "<": "it is round 7, it needs round 5 or earlier",
        "==": "it is round 3, it needs round 6", "!=": "it is round 6, it needs any round but 6",
    }
    assert not any("up to" in s for s in [*said.values(), *needs.values()])


def test_a_revealed_value_is_said_with_its_value_in_a_condition() -> None:
    """Once a red line is known, the words say it (the phase screen did, the hand-off's
    nearest ending and the round in review did not)."""
    c = belarus_v2()
    hidden = c.hidden_by_id["red_line"].name
    assert condition_words(c, "escalation >= red_line") == f"Military escalation risk is at least {hidden}"
    assert condition_words(c, "escalation >= red_line", {"red_line": 8, "escalation": 3}) == (
        f"Military escalation risk is at least {hidden} (8)")
