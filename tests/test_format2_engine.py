"""Format 2 in play: each new key's effect on a game, and the secrets it keeps (issue 11).

Secrets are tested by indistinguishability: two games that differ only in a secret (a
hidden value, a private inject's audience, a secret objective) give every other seat
byte-identical frames (what the host would send: :class:`tabletop.net.feed.SeatFeeds`)
until it is revealed.
"""

from __future__ import annotations

import dataclasses
import json
import random
from typing import Any

import pytest

from engine_helpers import Game, actor, build_campaign, campaign_data, card, track
from tabletop.campaign.model import Campaign
from tabletop.campaign.redact import SECRET_OBJECTIVE, campaign_text_for
from tabletop.campaign.validate import load_campaign_text
from tabletop.engine import FACILITATOR as F
from tabletop.engine import Engine
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.events import event_from_data, event_to_data
from tabletop.engine.views import OBSERVER, view_for
from tabletop.net.feed import SeatFeeds


class FixedDice(random.Random):
    """A generator whose ``randint`` returns the given values in turn."""

    def __init__(self, *values: int) -> None:
        super().__init__(0)
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        return self.values.pop(0)


def v2(**kwargs: Any) -> Campaign:
    data = campaign_data(**{k: v for k, v in kwargs.items() if k not in ("extra",)})
    data["format"] = 2
    data.update(kwargs.get("extra", {}))
    return Campaign.model_validate(data)


def feeds_of(engine: Engine, events: list[E.Event], seats: list[str]) -> dict[str, list[str]]:
    feeds = SeatFeeds(engine, seats)
    feeds.add(events)
    return feeds.history


# --------------------------------------------------------------------------- hidden values

RED_LINE = {"id": "red_line", "name": "Red line", "range": [6, 9], "known_by": ["red"]}
WAR = [
    {"trigger": "war", "source": ["calm", "tense"], "dest": "war", "when": "tension >= red_line"},
]


def red_line_campaign() -> Campaign:
    return v2(
        cards=[
            card("threat", "red", actor="r1", effects={"tracks": {"tension": 1}, "trigger": "war"}),
            card("b-noop", "blue", actor="b1"),
            card("leak", "blue", actor="b1", effects={"reveal_values": ["red_line"]}),
        ],
        red=[actor("r1", deck=["threat", "threat"])],
        blue=[actor("b1", deck=["b-noop", "leak"])],
        transitions=WAR,
        extra={"hidden": [RED_LINE]},
    )


def game_with_hidden(campaign: Campaign, values: dict[str, int | str], seed: int = 1) -> Game:
    """A game of ``campaign`` whose hidden values are ``values`` (all else as ``seed`` deals)."""
    g = Game(campaign, seed)
    first = g.events[0]
    assert isinstance(first, E.GameStarted)
    g.events[0] = dataclasses.replace(first, hidden={**first.hidden, **values})
    g.state = g.engine.fold(g.events)
    return g


def test_a_hidden_value_is_drawn_within_its_range_and_saved_in_the_start_event() -> None:
    seen = set()
    for seed in range(40):
        g = Game(red_line_campaign(), seed)
        value = g.state.hidden["red_line"]
        assert 6 <= value <= 9
        assert g.events[0].hidden == {"red_line": value}
        seen.add(value)
        assert g.engine.fold(event_from_data(json.loads(json.dumps(event_to_data(e)))) for e in g.events) == g.state
    assert seen == {6, 7, 8, 9}


def test_a_hidden_value_drawn_from_a_list_of_texts() -> None:
    camp = v2(extra={"hidden": [{"id": "target", "name": "Target", "values": ["port", "grid"]}]},
              end=[{"id": "port", "title": "Port hit", "when": 'target == "port" and round >= 2'}])
    values = {Game(camp, seed).state.hidden["target"] for seed in range(20)}
    assert values == {"port", "grid"}


def test_a_format_1_campaign_deals_exactly_as_before() -> None:
    """No hidden values, no new fields in the events: the bytes of the start are unchanged."""
    camp = build_campaign()
    g = Game(camp, 5)
    assert "hidden" not in event_to_data(g.events[0])
    assert all("rationale" not in event_to_data(e) for e in g.events)


def test_the_red_line_holds_the_crisis_until_tension_reaches_it() -> None:
    g = game_with_hidden(red_line_campaign(), {"red_line": 7})
    g.play("r1", "threat")  # tension 6 < 7: no war
    unmet = g.of(E.TriggerUnmet)
    assert len(unmet) == 1 and unmet[0].reads == ("red_line",)
    assert g.state.phase == "calm"
    g.pass_round()
    g.play("r1", "threat")  # tension 7: war
    assert g.state.phase == "war" and g.state.ended


def test_other_seats_cannot_tell_two_red_lines_apart_until_revealed() -> None:
    """Two games that differ only in the red line: blue and the observer get the same bytes."""
    games = [game_with_hidden(red_line_campaign(), {"red_line": v}) for v in (8, 9)]
    for g in games:
        g.play("r1", "threat")  # tension 6: unmet in both
    seats = ["b1", "side:blue", OBSERVER, "r1", F]
    a, b = (feeds_of(g.engine, g.events, seats) for g in games)
    for seat in ("b1", "side:blue", OBSERVER):
        assert a[seat] == b[seat], seat
        assert "8" not in "".join(a[seat]).replace("2021-11-08", "")  # the value never travels
    assert a["r1"] != b["r1"] and a[F] != b[F]  # red knows its red line
    blue = view_for(games[0].engine, games[0].state, "b1")
    assert "red_line" not in blue.values
    assert view_for(games[0].engine, games[0].state, "r1").values == {"red_line": 8}
    unmet = [json.loads(t) for t in a["b1"] if '"trigger_unmet"' in t]
    assert unmet and "cannot see" in unmet[0]["reason"]


def test_a_reveal_effect_tells_everyone_the_value() -> None:
    g = game_with_hidden(red_line_campaign(), {"red_line": 8})
    g.pass_("r1")
    g.play("b1", "leak")
    revealed = g.of(E.ValuesRevealed)
    assert revealed and revealed[0].values == {"red_line": 8}
    assert view_for(g.engine, g.state, "b1").values == {"red_line": 8}
    assert view_for(g.engine, g.state, OBSERVER).values == {"red_line": 8}


def test_the_end_reveals_every_hidden_value() -> None:
    g = game_with_hidden(red_line_campaign(), {"red_line": 9})
    g.pass_to_end()
    ended = g.of(E.GameEnded)[0]
    assert ended.hidden == {"red_line": 9}
    assert view_for(g.engine, g.state, "b1").values == {"red_line": 9}


# --------------------------------------------------------------------------- conditions over plays and resources


def test_an_inject_fires_when_a_card_was_played_and_an_objective_reads_resources() -> None:
    camp = v2(
        cards=[card("ransom", "blue", actor="b1", cost=2), card("r-noop", "red", actor="r1")],
        injects=[{"id": "press", "title": "The press learns of the ransom", "when": 'played("ransom", by="b1")',
                  "effects": {"tracks": {"tension": 2}}}],
        red_objectives=[{"id": "paid", "title": "The ransom was paid", "when": 'played("ransom")', "secret": True}],
        blue=[actor("b1", objectives=[{"id": "rich", "title": "Keep reserves", "when": 'resources("b1") >= 4'}])],
        rounds=2,
    )
    g = Game(camp, 2)
    g.pass_("r1")
    assert not g.of(E.InjectFired)  # round 1's inject step saw no ransom
    g.play("b1", "ransom")  # the round ends; round 2's inject step sees it
    assert [e.inject for e in g.of(E.InjectFired)] == ["press"] and g.state.round == 2
    g.pass_to_end()
    outcome = g.state.outcome
    assert outcome is not None
    assert outcome.objectives["red"] == {"paid": True}
    assert outcome.actor_objectives == {"b1": {"rich": False}}  # 5 - 2 = 3 left
    assert outcome.results == {"red": "win", "blue": "lose"}


# --------------------------------------------------------------------------- private injects


def private_inject_campaign(to: list[str]) -> Campaign:
    return v2(
        injects=[{"id": "tip", "title": "A tip-off from a fisherman", "text": "A trawler dragged its anchor.",
                  "round": 2, "to": to, "effects": {"tracks": {"tension": 1}}}],
        rounds=2,
    )


def test_a_private_inject_reaches_only_its_audience() -> None:
    g = Game(private_inject_campaign(["blue"]), 3)
    g.pass_round()
    feeds = feeds_of(g.engine, g.events, ["b1", "r1", OBSERVER, F])
    assert any("A tip-off" in t for t in feeds["b1"]) and any("A tip-off" in t for t in feeds[F])
    for seat in ("r1", OBSERVER):
        assert not any("inject_fired" in t or "tip" in t for t in feeds[seat]), seat
        changed = [json.loads(t) for t in feeds[seat] if '"track_changed"' in t]
        assert changed and changed[0]["cause"] == "inject:?"  # the public change, not its source


def test_red_cannot_tell_whether_blue_got_a_private_inject_that_only_told_it_something() -> None:
    quiet = v2(injects=[{"id": "tip", "title": "Tip", "round": 2, "to": ["blue"]}], rounds=2)
    a, b = Game(quiet, 3), Game(build_campaign(rounds=2), 3)
    for g in (a, b):
        g.pass_round()
    fa, fb = feeds_of(a.engine, a.events, ["r1"]), feeds_of(b.engine, b.events, ["r1"])
    assert fa["r1"] == fb["r1"]


# --------------------------------------------------------------------------- roles in the campaign a seat receives


def test_the_campaign_a_seat_receives_keeps_out_other_seats_secrets() -> None:
    data = campaign_data(
        red=[actor("r1", brief="Red's private brief", objectives=[{"id": "own", "title": "R1 own", "when": "tension >= 7", "secret": True}])],
        red_objectives=[{"id": "hidden-aim", "title": "Break the alliance", "when": "tension >= 8", "secret": True}],
        injects=[{"id": "tip", "title": "Tip to red", "text": "psst", "round": 2, "to": ["red"], "expected": "Red keeps quiet"}],
    )
    data["format"] = 2
    data["hidden"] = [RED_LINE]
    camp = Campaign.model_validate(data)
    text = "format: 2\n"  # the file's own text goes to the facilitator only
    assert campaign_text_for(camp, text, F) == text
    blue = campaign_text_for(camp, text, "b1")
    for secret in ("Red's private brief", "Break the alliance", "hidden-aim", "R1 own", "Tip to red", "tip", "psst",
                   "Red keeps quiet", "tension >= 8"):
        assert secret not in blue
    assert SECRET_OBJECTIVE in blue and "secret-1" in blue  # a neutral id, not one that tells
    seen = load_campaign_text(blue).campaign  # the client can run the rules from it
    assert seen.hidden_by_id["red_line"].range == (0, 0)
    red = campaign_text_for(camp, text, "r1")
    assert "Red's private brief" in red and "Break the alliance" in red and "Tip to red" in red
    assert "Red keeps quiet" not in red  # what evaluators look for is the facilitator's
    assert load_campaign_text(red).campaign.hidden_by_id["red_line"].range == (6, 9)


def test_a_seat_is_sent_the_text_of_its_own_campaign_however_often_it_joins() -> None:
    """The texts are remembered (a join writes YAML), by the campaign's content and the seat."""
    def briefed(brief: str) -> Campaign:
        data = campaign_data(red=[actor("r1", brief=brief)])
        data["format"] = 2
        return Campaign.model_validate(data)

    first, second = briefed("Hold the bridge."), briefed("Burn the bridge.")
    for _ in range(2):
        assert "Hold the bridge." in campaign_text_for(first, "", "r1")
        assert "Burn the bridge." in campaign_text_for(second, "", "r1")
        assert "bridge" not in campaign_text_for(second, "", "b1")
    assert campaign_text_for(first, "", "r1") == campaign_text_for(briefed("Hold the bridge."), "", "r1")


def test_a_campaign_without_secrets_is_sent_as_written() -> None:
    camp = build_campaign()
    assert campaign_text_for(camp, "the text", "b1") == "the text"


# --------------------------------------------------------------------------- turns and votes


def test_actions_per_turn_by_side_and_by_actor() -> None:
    data = campaign_data(red=[actor("r1", plays_per_turn=3), actor("r2")], blue=[actor("b1")],
                         cards=[card("r-noop", actor="r1"), card("r2-noop", actor="r2"), card("b-noop", "blue", actor="b1")])
    data["format"] = 2
    data["sides"][0]["plays_per_turn"] = 2
    g = Game(Campaign.model_validate(data), 0)
    started = {e.actor: e.plays for e in g.of(E.TurnStarted)}
    assert started == {"r1": 3}
    g.pass_("r1")
    assert g.of(E.TurnStarted)[-1].plays == 2  # r2: its side's
    g.pass_("r2")
    assert g.of(E.TurnStarted)[-1].plays == 1  # b1: the rules'


def boarding_campaign() -> Campaign:
    return v2(
        cards=[card("board", "blue", actor="b1", consensus={"voters": ["b1", "b2"], "advisors": ["b3"]},
                    effects={"tracks": {"tension": -1}}, rationale="ask"),
               card("r-noop", "red", actor="r1")],
        blue=[actor("b1"), actor("b2"), actor("b3")],
    )


def test_an_advisor_is_asked_first_gives_advice_with_a_reason_and_does_not_vote() -> None:
    g = Game(boarding_campaign(), 0)
    g.pass_("r1")
    g.do(C.PlayCard("b1", g.instance("b1", "board"), None, "The vessel cut the cable."))
    played = g.of(E.CardPlayed)[-1]
    assert played.rationale == "The vessel cut the cable."
    assert g.engine.awaiting(g.state) == ("b3", "b2")
    g.refuse(C.CastVote("b3", played.play, True), match="do not have a vote")
    g.refuse(C.Advise("b2", played.play, True), match="not asked for advice")
    g.do(C.Advise("b3", played.play, False, "Legal risk\nunder UNCLOS."))
    assert g.of(E.AdviceGiven)[-1].rationale == "Legal risk under UNCLOS."
    g.refuse(C.Advise("b3", played.play, True), match="already given")
    assert g.engine.awaiting(g.state) == ("b2",)
    g.do(C.CastVote("b2", played.play, True, "We must act."))
    assert g.state.play(played.play).status == "resolved"
    assert g.of(E.BallotCast)[-1].rationale == "We must act."


def test_the_vote_waits_for_the_advice_and_reasons_stay_with_the_side() -> None:
    g = Game(boarding_campaign(), 0)
    g.pass_("r1")
    g.do(C.PlayCard("b1", g.instance("b1", "board"), None, "Secret reasoning"))
    play = g.state.vote.play  # type: ignore[union-attr]
    g.do(C.CastVote("b2", play, False, "Too risky"))
    assert g.state.vote is not None and g.engine.awaiting(g.state) == ("b3",)  # the advice is still asked
    g.do(C.Advise("b3", play, True))
    assert g.state.vote is None and g.state.play(play).status == "rejected"


def test_the_player_alone_voting_still_hears_its_advisor() -> None:
    """A card its player alone votes on (its yes is cast by playing it) waits for the advice."""
    camp = v2(cards=[card("note", "blue", actor="b1", consensus={"voters": ["b1"], "advisors": ["b2"]}),
                     card("r-noop", "red", actor="r1")], blue=[actor("b1"), actor("b2")])
    g = Game(camp, 0)
    g.pass_("r1")
    g.play("b1", "note")
    assert g.engine.awaiting(g.state) == ("b2",)
    g.do(C.Advise("b2", g.state.vote.play, False, "Wait a week"))  # type: ignore[union-attr]
    assert g.state.vote is None and g.of(E.VoteClosed)[-1].passed


def test_the_facilitator_may_close_a_vote_without_the_advice() -> None:
    g = Game(boarding_campaign(), 0)
    g.pass_("r1")
    g.play("b1", "board")
    g.do(C.CastVote("b2", g.state.vote.play, True))  # type: ignore[union-attr]
    g.do(C.Advance(F))
    assert g.state.vote is None


def test_reasons_stay_with_the_side() -> None:
    g = Game(boarding_campaign(), 0)
    g.pass_("r1")
    g.do(C.PlayCard("b1", g.instance("b1", "board"), None, "Secret reasoning"))
    g.do(C.Advise("b3", g.state.vote.play, False, "Not legal"))  # type: ignore[union-attr]
    g.do(C.CastVote("b2", g.state.vote.play, False, "Too risky"))  # type: ignore[union-attr]
    assert g.state.vote is None
    feeds = feeds_of(g.engine, g.events, ["r1", "b2"])
    assert not any("Secret reasoning" in t or "Too risky" in t for t in feeds["r1"])
    assert any("Secret reasoning" in t for t in feeds["b2"])


def test_a_reason_is_one_line_of_at_most_300_characters() -> None:
    g = Game(boarding_campaign(), 0)
    g.pass_("r1")
    from tabletop.engine.errors import MalformedCommand

    g.refuse(C.PlayCard("b1", g.instance("b1", "board"), None, "x" * 301), MalformedCommand, "too long")


# --------------------------------------------------------------------------- proportional modifiers


def test_a_modifier_adds_one_per_two_points_of_a_track() -> None:
    camp = v2(
        tracks=[track("tension"), track("confidence", start=5)],
        cards=[card("probe", "red", actor="r1", contest={"target": 20, "modifiers": [
            {"add": 1, "per": 2, "of": "confidence", "label": "Shared intelligence"}]}),
               card("b-noop", "blue", actor="b1")],
        rules={"order": ["injects", "red", "blue", "phase_check", "upkeep"]},  # no adjudication: rolled at once
    )
    g = Game(camp, 0)
    events = g.do(C.PlayCard("r1", g.instance("r1", "probe")), FixedDice(3, 4))
    rolled = next(e for e in events if isinstance(e, E.ContestRolled))
    assert rolled.modifiers == (("Shared intelligence", 2),)  # 5 // 2 = 2
    assert rolled.total == 9


# --------------------------------------------------------------------------- outcomes


def war_campaign(outcome: Any) -> Campaign:
    phases = {"initial": "calm", "states": [{"id": "calm", "name": "Calm"},
                                            {"id": "war", "name": "Armed conflict", "terminal": True, "outcome": outcome}],
              "transitions": [{"trigger": "war", "source": "calm", "dest": "war"}]}
    return v2(phases=phases, cards=[card("invade", actor="r1", effects={"trigger": "war"}), card("b-noop", "blue", actor="b1")],
              red_objectives=[{"id": "war", "title": "War", "when": 'phase == "war"'}])


def test_a_war_every_side_loses() -> None:
    g = Game(war_campaign("lose"), 0)
    g.play("r1", "invade")
    outcome = g.state.outcome
    assert outcome is not None and outcome.objectives["red"] == {"war": True}
    assert outcome.results == {"red": "lose", "blue": "lose"}
    assert outcome.verdict() == "none"


def test_a_declared_outcome_per_side() -> None:
    g = Game(war_campaign({"red": "win", "blue": "lose"}), 0)
    g.play("r1", "invade")
    assert g.state.outcome is not None and g.state.outcome.results == {"red": "win", "blue": "lose"}
    assert g.state.outcome.verdict() == "red"


@pytest.mark.parametrize(
    ("met", "results"),
    [
        ({"a": [True], "b": [False], "c": [False, True]}, {"a": "win", "b": "lose", "c": "lose"}),
        ({"a": [True], "b": [True], "c": [False]}, {"a": "draw", "b": "draw", "c": "lose"}),
        ({"a": [True], "b": [True], "c": [True, True]}, {"a": "draw", "b": "draw", "c": "draw"}),
        ({"a": [], "b": [False], "c": [False]}, {"a": "draw", "b": "draw", "c": "draw"}),
    ],
)
def test_the_verdict_rule_for_three_sides(met: dict[str, list[bool]], results: dict[str, str]) -> None:
    from tabletop.engine.state import Outcome

    outcome = Outcome("last_round", "3", {s: {f"o{i}": v for i, v in enumerate(vs)} for s, vs in met.items()})
    assert outcome.results == results


def test_format_2_events_round_trip_through_json() -> None:
    g = game_with_hidden(red_line_campaign(), {"red_line": 8})
    g.play("r1", "threat")
    g.play("b1", "leak") if "leak" in {g.engine.instance_card[i] for i in g.hand("b1")} else None
    b = Game(boarding_campaign(), 0)
    b.pass_("r1")
    b.do(C.PlayCard("b1", b.instance("b1", "board"), None, "Why"))
    b.do(C.Advise("b3", b.state.vote.play, True, "Go"))  # type: ignore[union-attr]
    kinds = set()
    for game in (g, b):
        for ev in game.events:
            kinds.add(type(ev))
            assert event_from_data(json.loads(json.dumps(event_to_data(ev)))) == ev
    assert {E.TriggerUnmet, E.AdviceGiven} <= kinds


# --------------------------------------------------------------------------- found in review


def test_the_facilitator_closing_a_vote_only_an_advisor_is_silent_on_keeps_the_voters_yes() -> None:
    camp = v2(cards=[card("note", "blue", actor="b1", consensus={"voters": ["b1"], "advisors": ["b2"]}),
                     card("r-noop", "red", actor="r1")], blue=[actor("b1"), actor("b2")])
    g = Game(camp, 0)
    g.pass_("r1")
    g.play("b1", "note")
    events = g.do(C.Advance(F))
    closed = next(e for e in events if isinstance(e, E.VoteClosed))
    assert closed.passed and closed.missing == () and closed.unadvised == ("b2",)
    assert g.state.play(closed.play).status == "resolved"
    from tabletop.engine.narrate import Narrator

    assert "before B2 gave advice" in " ".join(Narrator(g.engine).sentences(g.events))


def test_a_private_inject_that_fires_a_trigger_tells_other_seats_nothing() -> None:
    camp = v2(
        injects=[{"id": "tip", "title": "Tip", "round": 2, "to": ["blue"], "effects": {"trigger": "calm_down"}}],
        transitions=[{"trigger": "calm_down", "source": "tense", "dest": "calm"}],
        rounds=2,
    )
    g = Game(camp, 3)
    g.pass_round()
    assert g.of(E.TriggerUnmet)  # the crisis is calm: the trigger does nothing
    feeds = feeds_of(g.engine, g.events, ["r1", OBSERVER, "b1"])
    for seat in ("r1", OBSERVER):
        assert not any("trigger_unmet" in t for t in feeds[seat]), seat
    assert any("trigger_unmet" in t for t in feeds["b1"])


def test_player_text_loses_terminal_control_characters() -> None:
    g = Game(boarding_campaign(), 0)
    g.pass_("r1")
    g.do(C.PlayCard("b1", g.instance("b1", "board"), None, "ok\x1b[2J\x1b]0;PWNED\x07\u202eevil\x00"))
    assert g.of(E.CardPlayed)[-1].rationale == "ok[2J]0;PWNEDevil"
