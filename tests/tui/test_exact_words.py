"""Words a first-time player read wrong (a play-test): what a roll must make."""

from __future__ import annotations

from collections.abc import Callable

from tabletop.session import LocalSession
from tabletop.tui.text import card_detail_lines, card_effect_lines, card_summary


# ---------------------------------------------------------------- 1. a roll's target


def test_a_roll_says_its_target_is_met_at_or_above(new_session: Callable[..., LocalSession]) -> None:
    """``2d6 against 8`` did not say whether 8 succeeds; the engine's rule is ``total >= target``."""
    e = new_session(journal=False).engine
    swarm, trawler = e.cards["bot-swarm"], e.cards["anchor-drag"]
    assert card_summary(e, swarm) == "dice 2d6, 8 or more succeeds"
    assert any(line.startswith("Contest: at adjudication roll 2d6, 8 or more succeeds") for line in card_effect_lines(e, swarm))
    assert any(line.startswith("Covert: played face-down; to attribute it, roll 2d6, 9 or more succeeds")
               for line in card_detail_lines(e, trawler))
    for card in e.cards.values():
        for line in card_detail_lines(e, card):
            assert " against " not in line and "≥" not in line, line
