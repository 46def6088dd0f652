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
    assert said == "rolled 3+4 +2 (Public trust is at most 4) +1 (Doubt spreads faster) = 10 (8 or more succeeds)"
    assert "<=" not in said


def test_a_name_beginning_with_the_takes_no_capital_mid_sentence() -> None:
    from tabletop.engine.grammar import in_sentence, whose

    assert in_sentence("The European Union") == "the European Union"
    assert in_sentence("Theodora") == "Theodora" and in_sentence("The") == "The" and in_sentence("Latvia") == "Latvia"
    assert whose("The European Union", "turn") == "the European Union's turn"
    assert whose("The European Union", "turn", start=True) == "The European Union's turn"
    text = MINIMAL_CAMPAIGN.replace("name: Russia", "name: The European Union", 1)
    engine = Engine(load_campaign_text(text).campaign)
    n = Narrator(engine)
    assert n.sentence(E.TurnStarted("russia", 1)) == "The European Union's turn."  # sentence-initial: as written
    assert n.sentence(E.TurnEnded("russia", passed=True)) == "The European Union passes."
    assert n.sentence(E.TimeRanOut("russia")) == "Time is up for the European Union's turn."
    assert n.sentence(E.TimeExtended("russia", 60)) == "The facilitator gives the European Union 1 min more."

    from tabletop.engine import commands as C
    from tabletop.session import LocalSession, resolve_controllers

    session = LocalSession(engine.campaign, seed=1, controllers=resolve_controllers(engine.campaign, []))
    while session.awaiting() != ("russia",):
        session.submit_now(C.Pass(session.awaiting()[0]))
    hand = session.view("belarus").actors["belarus"].hand or ()
    assert hand and session.why_not_play("belarus", hand[0]) == "It is the European Union's turn."


def test_a_plural_track_or_hidden_value_takes_are() -> None:
    """``Graduated response plans is at least 2`` read wrong: a name ending in a plural
    noun takes ``are``, in conditions and wherever a value is told; a campaign says
    ``plural`` of a name the rule reads wrong (``Sanctions``), either way."""
    from engine_helpers import build_campaign, track

    from tabletop.campaign.explain import condition_words, unmet_words
    from tabletop.engine.grammar import whose

    c = build_campaign(tracks=[
        track("plans", name="Graduated response plans"), track("trust", name="Public trust"),
        track("sanctions", name="Sanctions", plural=True), track("news", name="Bad news", plural=False),
        track("pressure", name="Western pressure on Minsk"),
    ])
    assert condition_words(c, "plans >= 2") == "Graduated response plans are at least 2"
    assert condition_words(c, "not plans == 3") == "Graduated response plans are not 3"
    assert condition_words(c, "plans in [1, 2]") == "Graduated response plans are one of 1 or 2"
    assert condition_words(c, "2 <= plans and trust < 4") == "Graduated response plans are at least 2 and Public trust is less than 4"
    assert unmet_words(c, "plans >= 2", {"plans": 0, "trust": 0}) == "Graduated response plans are not at least 2"
    assert condition_words(c, "sanctions <= 3") == "Sanctions are at most 3"
    assert condition_words(c, "news >= 1") == "Bad news is at least 1"
    assert condition_words(c, "pressure >= 1") == "Western pressure on Minsk is at least 1"
    assert condition_words(c, "plans + trust >= 3") == "Graduated response plans plus Public trust is at least 3"  # a sum is one number
    assert whose("Transit and consumer states", "turn") == "Transit and consumer states' turn"
    assert whose("Latvia", "turn") == "Latvia's turn"

    n = Narrator(Engine(c))
    assert n.sentence(E.ValuesRevealed({"plans": 2, "trust": 5}, "facilitator")).startswith(
        "Revealed, by the facilitator: Graduated response plans are 2 and Public trust is 5")


def test_a_name_that_ends_in_a_bracket_gets_no_possessive_and_no_second_bracket() -> None:
    """Play-test: "Belarus (Lukashenka regime)'s turn" and "Belarus (Lukashenka regime)
    (you)". A possessive never follows a bracket (``the turn of …``), a note goes inside it."""
    from tabletop.engine.commands import FACILITATOR
    from tabletop.engine.grammar import noted, whose
    from tabletop.engine.narrate import awaited_names

    regime = "Belarus (Lukashenka regime)"
    assert whose(regime, "turn") == "the turn of Belarus (Lukashenka regime)"
    assert whose(regime, "turn", start=True) == "The turn of Belarus (Lukashenka regime)"
    assert whose("The Union (of states)", "turn") == "the turn of the Union (of states)"
    assert whose("Belarus and Russia", "turns", start=True) == "Belarus and Russia's turns"
    assert noted(regime, "you") == "Belarus (Lukashenka regime; you)"
    assert noted("Latvia", "bot") == "Latvia (bot)"

    text = MINIMAL_CAMPAIGN.replace("name: Russia", f"name: {regime}", 1)
    engine = Engine(load_campaign_text(text).campaign)
    n = Narrator(engine)
    said = [
        n.sentence(E.TurnStarted("russia", 1)), n.sentence(E.TimeRanOut("russia")),
        *awaited_names(engine, ["russia", FACILITATOR], lambda seat: seat == "russia"),
    ]
    assert said == [
        "The turn of Belarus (Lukashenka regime).", "Time is up for the turn of Belarus (Lukashenka regime).",
        "Belarus (Lukashenka regime; bot)", "the facilitator",
    ]
    assert not any(")'s" in s or ") (" in s for s in said)
