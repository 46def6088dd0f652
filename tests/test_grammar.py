"""Words right for any number of actors: a name that names more than one takes a plural verb."""

from __future__ import annotations

from campaign_texts import MINIMAL_CAMPAIGN

from tabletop.campaign.validate import load_campaign_text
from tabletop.engine import events as E
from tabletop.engine.narrate import Narrator, agrees, must_agree
from tabletop.engine.rules import Engine


def test_a_plural_name_takes_a_plural_verb() -> None:
    assert agrees("NATO and the EU", "draw") == "NATO and the EU draw"
    assert agrees("Latvia", "pass") == "Latvia passes"
    assert agrees("Poland", "attribute") == "Poland attributes"
    assert must_agree(["Latvia", "Poland"]) == "Latvia and Poland must both agree"
    assert must_agree(["Latvia"]) == "Latvia must agree"


def test_the_log_says_nato_and_the_eu_draw() -> None:
    text = MINIMAL_CAMPAIGN.replace("name: Russia", "name: NATO and the EU", 1)
    engine = Engine(load_campaign_text(text).campaign)
    n = Narrator(engine)
    assert n.sentence(E.CardsDrawn("russia", ("x",))) == "NATO and the EU draw 1 card."
    assert n.sentence(E.CardsDrawn("belarus", ("x", "y"))) == "Belarus draws 2 cards."
    assert n.sentence(E.TurnEnded("russia", passed=True)) == "NATO and the EU pass."


def test_a_modifier_journaled_by_its_condition_is_said_in_words() -> None:
    from tabletop.campaign.validate import load_campaign

    from save_helpers import CAMPAIGNS

    n = Narrator(Engine(load_campaign(CAMPAIGNS / "tutorial.yaml").campaign))
    said = n.roll((3, 4), (("trust <= 4", 2), ("Doubt spreads faster", 1)), 10, 8)
    assert said == "rolled 3+4 +2 (Public trust is at most 4) +1 (Doubt spreads faster) = 10 against 8"
    assert "<=" not in said
