"""Tests for :mod:`tabletop.phases.diagram` and the card preview's phase words: they say what is true.

Manual transitions look different from automatic ones, two transitions between the same
phases stay two arrows, and a card never promises a phase change without its conditions.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tabletop.campaign.model import Campaign
from tabletop.phases.diagram import mermaid, text

CAMPAIGNS = Path(__file__).resolve().parent.parent / "campaigns"
BUNDLED = sorted(p.stem for p in CAMPAIGNS.glob("*.yaml"))
EDGE = re.compile(r'^  (p_\w+) (-->|-\.->)\|"([^"]*)"\| (p_\w+)$')


def load(name: str) -> Campaign:
    return Campaign.model_validate(yaml.safe_load((CAMPAIGNS / f"{name}.yaml").read_text(encoding="utf-8")))


def small(transitions: list[dict[str, Any]], extra_phases: list[dict[str, Any]] | None = None) -> Campaign:
    data = copy.deepcopy(yaml.safe_load((CAMPAIGNS / "belarus-border-2021.yaml").read_text(encoding="utf-8")))
    data["phases"]["transitions"] = transitions
    data["phases"]["states"] += extra_phases or []
    return Campaign.model_validate(data)


def edges(campaign: Campaign) -> list[tuple[str, str, str, str]]:
    return [m.groups() for line in mermaid(campaign).splitlines() if (m := EDGE.match(line))]  # type: ignore[misc]


@pytest.mark.parametrize("name", BUNDLED)
def test_one_arrow_per_transition_and_source_dashed_when_manual(name: str) -> None:
    c = load(name)
    live = [p.id for p in c.phases.states if not p.terminal]
    expected = []
    for t in c.phases.transitions:
        for s in live if t.source == "*" else t.sources:
            arrow = "-->" if t.is_auto else "-.->"
            expected.append((f"p_{s.replace('-', '_')}", arrow, t.trigger, f"p_{t.dest.replace('-', '_')}"))
    got = [(s, a, label.split(" [")[0], d) for s, a, label, d in edges(c)]
    assert got[: len(expected)] == expected  # the legend's two sample arrows are not phases
    assert all("|" not in label for _, _, label, _ in edges(c))  # never "a | b" merged labels


def test_two_transitions_on_one_edge_are_two_arrows() -> None:
    c = load("belarus-border-2021")
    between = [e for e in edges(c) if e[0] == "p_border_crisis" and e[3] == "p_military_tension"]
    assert between == [
        ("p_border_crisis", "-.->", "military_signalling [escalation ≥ 4]", "p_military_tension"),
        ("p_border_crisis", "-->", "escalation_spiral [escalation ≥ 6]", "p_military_tension"),
    ]
    to_war = [e for e in edges(c) if e[0] == "p_military_tension" and e[3] == "p_armed_conflict"]
    assert [a for _, a, _, _ in to_war] == ["-.->", "-->"]  # pretext manual, miscalculation automatic


def test_legend_and_shapes() -> None:
    out = mermaid(load("belarus-border-2021"))
    lines = out.splitlines()
    assert lines[:4] == ["---", f'title: "{load("belarus-border-2021").title}"', "---", "flowchart LR"]
    assert '  subgraph legend ["Legend"]' in lines
    assert any("-->" in line and "automatic" in line for line in lines if line.startswith("    legend_"))
    assert any("-.->" in line and "manual" in line for line in lines if line.startswith("    legend_"))
    assert "  start_(( )) --> p_baseline" in lines
    assert '  p_armed_conflict(["Armed conflict (end)"])' in lines
    assert '  p_baseline["Baseline"]' in lines


def test_labels_are_escaped_and_a_phase_called_end_is_safe() -> None:
    c = small(
        [
            {"trigger": "talks", "source": "baseline", "dest": "end", "when": 'played("pl-article-4") or escalation < 3'},
            {"trigger": "go", "source": "baseline", "dest": "end", "auto": True},
            {"trigger": "manual_when", "source": "baseline", "dest": "end", "when": "cohesion > 2", "auto": False},
        ],
        [{"id": "end", "name": 'The "end" <b>', "terminal": True}],
    )
    out = mermaid(c)
    assert '  p_end(["The #quot;end#quot; #lt;b#gt; (end)"])' in out.splitlines()
    assert edges(c) == [
        ("p_baseline", "-->", "talks [played(#quot;pl-article-4#quot;) or escalation #lt; 3]", "p_end"),
        ("p_baseline", "-->", "go", "p_end"),  # automatic without a condition: solid
        ("p_baseline", "-.->", "manual_when [cohesion #gt; 2]", "p_end"),
    ]
    words = text(c)
    assert "-> The \"end\" <b>  by talks: automatic, when played(\"pl-article-4\") or escalation < 3" in words
    assert "by go: automatic, at the next phase check" in words
    assert "by manual_when: manual, only when fired, if cohesion > 2" in words


def test_text_says_manual_and_automatic_and_keeps_edges_apart() -> None:
    out = text(load("belarus-border-2021"))
    assert "  -> Military tension  by military_signalling: manual, only when fired, if escalation >= 4 — " in out
    assert "  -> Military tension  by escalation_spiral: automatic, when escalation >= 6 — " in out
    assert "  -> Border crisis  by tension_eases: automatic, when escalation <= 3 — " in out  # a phase moves back down
    assert (
        "  -> Armed conflict  by pretext: manual, only when fired, if escalation + 1 >= pretext_line and deterrence < escalation — "
        in out
    )
    assert "manual: taken only when a card, an inject or the facilitator fires its trigger." in out
    assert "only when fired, only when fired" not in out
