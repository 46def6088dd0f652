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


def test_the_play_dialog_says_when_each_kind_of_card_takes_effect() -> None:
    """Open, covert or to a vote, with dice, the facilitator or no contest: the dialog's
    words agree with the engine (effects at once, at the end of the side's step, once the
    vote passes; the contest at adjudication) and never contradict the card's own text."""
    from tabletop.tui.screens.player import play_outcome

    seen = set()
    for name in ("belarus-border-2021", "tutorial", "baltic-winter-energy"):
        e = engine_of(name)
        assert e.has_adjudication
        for card in e.cards.values():
            ways = [True, False] if card.covert is not None and card.covert.optional else [card.covert is not None]
            for covert in ways:
                words = play_outcome(e, card, covert)
                kind = "covert" if covert else "vote" if card.consensus is not None else "open"
                seen.add((kind, card.contest.by if card.contest else None))
                assert ("end of your side's step" in words) == covert, words
                assert ("takes effect only if" in words) == (kind == "vote"), words
                if card.contest is None:
                    assert "adjudication" not in words and "decide" not in words, words
                    assert ("takes effect at once" in words) == (kind == "open"), words
                else:
                    assert "takes effect at once" not in words, words  # the contest is not at once
                    who = "the dice decide" if card.contest.by == "dice" else "the facilitator rules"
                    assert f"at adjudication {who} how it ends" in words, words
                    if not any(line.startswith("Effects: ") for line in card_detail_lines(e, card)):
                        assert "apply at once" not in words, words  # nothing happens before the contest
    assert {("open", "dice"), ("open", None), ("covert", None), ("vote", None), ("open", "facilitator")} <= seen

    # A round without an adjudication step decides a contest as soon as it opens.
    data = yaml.safe_load((CAMPAIGNS / "tutorial.yaml").read_text(encoding="utf-8"))
    order = [step for step in Engine(Campaign.model_validate(data)).order if step != "adjudication"]
    data["rules"] = {**data.get("rules", {}), "order": order}
    quick = Engine(Campaign.model_validate(data))
    assert not quick.has_adjudication
    words = play_outcome(quick, quick.cards["bot-swarm"], False)
    assert "adjudication" not in words and "the dice decide at once how it ends" in words, words
    assert not any("adjudication" in line for line in card_detail_lines(quick, quick.cards["bot-swarm"]))
