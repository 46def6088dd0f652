"""A card's preview never promises a phase change unconditionally (issue 11, item 9)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tabletop.campaign.model import Campaign
from tabletop.engine.rules import Engine
from tabletop.tui.text import card_detail_lines, card_summary, effects_text

CAMPAIGNS = Path(__file__).resolve().parents[2] / "campaigns"


def engine_of(name: str) -> Engine:
    return Engine(Campaign.model_validate(yaml.safe_load((CAMPAIGNS / f"{name}.yaml").read_text(encoding="utf-8"))))


def test_the_detail_names_the_phases_and_conditions_of_the_trigger() -> None:
    e = engine_of("belarus-border-2021")
    card = e.cards["nato-step-down"]
    assert "· may move to Border crisis" in card_summary(e, card)
    says = "Phase: may move the crisis from Military tension to Border crisis, if Escalation risk is at most 5"
    assert says + "." in card_detail_lines(e, card)
    assert says + " — not from Baseline, where the crisis is now." in card_detail_lines(e, card, "baseline")
    assert says + "." in card_detail_lines(e, card, "military-tension")


def test_a_contest_branch_that_fires_a_trigger_says_its_condition() -> None:
    e = engine_of("belarus-border-2021")
    card = e.cards["by-iskander-nuclear"]
    lines = card_detail_lines(e, card, "border-crisis")
    assert any(
        line.startswith("  on success: may move the crisis from Border crisis to Military tension, if ")
        and "Escalation risk is at least 4" in line
        for line in lines
    ), lines


def test_no_preview_says_phase_arrow_any_more() -> None:
    for name in ("belarus-border-2021", "baltic-winter-energy", "tutorial"):
        e = engine_of(name)
        for card in e.cards.values():
            for phase in e.campaign.phase_by_id:
                words = card_summary(e, card) + "\n".join(card_detail_lines(e, card, phase))
                assert "phase →" not in words
                if card.effects.trigger:
                    assert "may move" in words
        for inject in e.campaign.injects:
            if inject.effects.trigger:
                assert "may move to" in effects_text(e, inject.effects)
