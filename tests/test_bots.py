"""The bots' choices on small crafted states: what each one values, and why it votes so.

Every bot here decides from its seat's view (``view_for``) among the engine's legal
commands, as a session would ask it.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from engine_helpers import (
    CAMPAIGNS_DIR,
    Game,
    actor,
    campaign_data,
    card,
    load_bundled,
    track,
)

from tabletop.bots import FacilitatorBot, HeuristicBot, RandomBot, make_bot
from tabletop.bots.judge import Judge
from tabletop.bots.odds import chance
from tabletop.campaign.model import Campaign
from tabletop.engine import FACILITATOR, Engine
from tabletop.engine import commands as C
from tabletop.engine.commands import MAX_RATIONALE
from tabletop.engine.views import view_for
from tabletop.session import LocalSession


def _campaign(**kwargs: Any) -> Campaign:
    data = campaign_data(**kwargs)
    data["format"] = 2
    return Campaign.model_validate(data)


def _choose(game: Game, seat: str, seed: int = 0) -> C.Command:
    bot = make_bot("heuristic", game.engine, seat, random.Random(seed))
    return bot.choose(view_for(game.engine, game.state, seat), game.engine.legal_commands(game.state, seat))


# ------------------------------------------------------------------ votes by national interest

SECRET_TITLE = "Stay out of the spotlight until the battlegroup is ready"


def _article4(latvia_secret: bool) -> Game:
    """Poland tables 'Article 4' (deterrence +1, exposure +2); Latvia votes. Latvia may have a
    secret aim that exposure stays 5 or less."""
    latvia_objectives = [
        {"id": "lv-quiet", "title": SECRET_TITLE, "when": "exposure <= 5", "secret": True}
    ] if latvia_secret else []
    c = _campaign(
        tracks=[track("deterrence", 5, favours="blue"), track("exposure", 5)],
        blue=[actor("poland"), actor("latvia", objectives=latvia_objectives)],
        blue_objectives=[{"id": "deter", "title": "Deter Belarus", "when": "deterrence >= 6"}],
        red_objectives=[{"id": "divide", "title": "Divide the allies", "when": "deterrence <= 5"}],
        cards=[
            card("r-noop", "red", actor="r1"),
            card("art-4", "blue", actor="poland", title="Article 4 consultations",
                 consensus={"voters": ["poland", "latvia"]},
                 effects={"tracks": {"deterrence": 1, "exposure": 2}}),
            card("l-noop", "blue", actor="latvia"),
        ],
    )
    game = Game(c)
    game.pass_until("poland")
    game.play("poland", "art-4")
    assert game.engine.awaiting(game.state) == ("latvia",)
    return game


def test_a_vote_against_national_interest_is_refused_with_a_reason() -> None:
    game = _article4(latvia_secret=True)
    cmd = _choose(game, "latvia")
    assert isinstance(cmd, C.CastVote) and cmd.yes is False
    assert cmd.rationale.startswith(
        "Latvia votes no on Article 4 consultations: it would set back our national interest now"
    )
    assert "Exposure" in cmd.rationale  # what moves, in words
    assert SECRET_TITLE not in cmd.rationale  # the side reads the reason: a secret stays a secret
    assert len(cmd.rationale) <= MAX_RATIONALE
    game.do(cmd)  # the engine takes it
    assert game.state.vote is None and game.state.plays[-1].status != "resolved"


def test_without_that_national_interest_the_same_vote_is_yes_and_says_why() -> None:
    game = _article4(latvia_secret=False)
    cmd = _choose(game, "latvia")
    assert isinstance(cmd, C.CastVote) and cmd.yes is True
    assert cmd.rationale.startswith("Latvia votes yes on Article 4 consultations: it serves our aim 'Deter Belarus'")


def test_a_seat_knows_its_own_secret_objective_and_not_an_allys() -> None:
    game = _article4(latvia_secret=True)

    def titles(judge: Judge) -> set[str]:
        return {t.objective.title for t in judge.terms}

    assert SECRET_TITLE in titles(Judge(game.engine, "latvia"))
    assert SECRET_TITLE not in titles(Judge(game.engine, "latvia", viewer="poland"))
    assert SECRET_TITLE not in titles(Judge(game.engine, "poland"))


def test_a_card_allies_would_refuse_is_worth_less_to_table() -> None:
    """Poland guesses Latvia's ballot from Latvia's public aims only: a public aim against
    the card makes tabling it less attractive."""
    def worth(objectives: list[dict[str, Any]]) -> float:
        c = _campaign(
            tracks=[track("deterrence", 5, favours="blue"), track("exposure", 5)],
            blue=[actor("poland"), actor("latvia", objectives=objectives)],
            blue_objectives=[{"id": "deter", "title": "Deter", "when": "deterrence >= 6"}],
            cards=[card("r-noop", "red", actor="r1"),
                   card("art-4", "blue", actor="poland", consensus={"voters": ["poland", "latvia"]},
                        effects={"tracks": {"deterrence": 1, "exposure": 2}})],
        )
        game = Game(c)
        game.pass_until("poland")
        bot = HeuristicBot(game.engine, "poland", random.Random(0))
        view = view_for(game.engine, game.state, "poland")
        env = bot.env_of(view)
        return bot.score_card(game.engine.cards["art-4"], view, env, bot.judge.value(env), set(), None)

    quiet = [{"id": "quiet", "title": "Quiet", "when": "exposure <= 5"}]
    assert worth(quiet) < worth([]) / 2
    assert worth(quiet) < worth([{**quiet[0], "secret": True}])  # a secret one Poland cannot know


# ------------------------------------------------------------------ resources


def _spender(cost: int, gain: int, resources: int = 3, rounds: int = 6) -> Game:
    c = _campaign(
        rounds=rounds,
        red=[actor("r1", resources=resources)],
        red_objectives=[{"id": "push", "title": "Push", "when": "tension >= 8"}],
        cards=[card("big-push", "red", actor="r1", cost=cost, effects={"tracks": {"tension": gain}}),
               card("b-noop", "blue", actor="b1")],
    )
    game = Game(c)
    game.pass_until("r1")
    return game


def test_a_bot_spends_resources_when_it_pays() -> None:
    cmd = _choose(_spender(cost=3, gain=3), "r1")  # every point it has, to meet its objective
    assert isinstance(cmd, C.PlayCard) and cmd.card == "big-push"


def test_a_bot_keeps_its_resources_when_spending_does_not_pay() -> None:
    game = _spender(cost=3, gain=1)  # three points for one step that meets nothing
    assert isinstance(_choose(game, "r1"), C.Pass)


def test_a_bot_spends_its_last_points_in_the_last_round() -> None:
    """What a point is worth falls as the end nears: a small gain pays for it in the last round."""
    game = _spender(cost=2, gain=1, rounds=1)
    cmd = _choose(game, "r1")
    assert isinstance(cmd, C.PlayCard) and cmd.card == "big-push"


# ------------------------------------------------------------------ phases, reveals


def test_a_bot_will_not_trigger_an_ending_every_side_loses() -> None:
    c = _campaign(
        red_objectives=[{"id": "push", "title": "Push", "when": "tension >= 7"}],
        phases={"initial": "calm", "states": [{"id": "calm", "name": "Calm"},
                                              {"id": "war", "name": "War", "terminal": True, "outcome": "lose"}],
                "transitions": [{"trigger": "invade", "source": "calm", "dest": "war"}]},
        cards=[card("invade", "red", actor="r1", effects={"tracks": {"tension": 3}, "trigger": "invade"}),
               card("posture", "red", actor="r1", effects={"tracks": {"tension": 1}}),
               card("b-noop", "blue", actor="b1")],
    )
    game = Game(c)
    game.pass_until("r1")
    cmd = _choose(game, "r1")
    assert isinstance(cmd, C.PlayCard) and cmd.card == "posture"


def test_a_trigger_toward_the_sides_good_end_is_played() -> None:
    c = _campaign(
        blue_objectives=[{"id": "calm", "title": "Calm down", "when": "phase == 'calm'"}],
        phases={"initial": "tense", "states": [{"id": "calm", "name": "Calm"}, {"id": "tense", "name": "Tense"},
                                               {"id": "war", "name": "War", "terminal": True, "outcome": "lose"}],
                "transitions": [{"trigger": "settle", "source": "tense", "dest": "calm"},
                                {"trigger": "escalate", "source": "calm", "dest": "tense"},
                                {"trigger": "invade", "source": "tense", "dest": "war"}]},
        cards=[card("r-noop", "red", actor="r1"), card("talks", "blue", actor="b1", effects={"trigger": "settle"}),
               card("b-noop", "blue", actor="b1")],
    )
    game = Game(c)
    game.pass_until("b1")
    cmd = _choose(game, "b1")
    assert isinstance(cmd, C.PlayCard) and cmd.card == "talks"


def test_a_reveal_is_worth_playing_only_when_something_is_hidden() -> None:
    c = _campaign(
        cards=[card("sabotage", "red", actor="r1", covert={}, effects={"tracks": {"tension": 1}}),
               card("r-noop", "red", actor="r1"),
               card("survey", "blue", actor="b1", effects={"reveal": 1})],
    )
    game = Game(c)
    game.pass_until("b1")
    assert isinstance(_choose(game, "b1"), C.Pass)  # red passed: nothing to expose
    game.pass_round()
    game.pass_until("r1")
    game.play("r1", "sabotage")
    game.pass_until("b1")
    cmd = _choose(game, "b1")
    assert isinstance(cmd, C.PlayCard) and cmd.card == "survey"


# ------------------------------------------------------------------ the facilitator


def _contest(sanctions: bool, cohesion: int) -> Game:
    """Red's 'demands' wait for the facilitator; the guidance: +3 if blue's sanctions were
    played, -3 while cohesion is 3 or less."""
    c = _campaign(
        tracks=[track("tension", 5), track("cohesion", cohesion, favours="blue")],
        cards=[
            card("demands", "blue", actor="b1", title="Contact the airlines", contest={
                "by": "facilitator", "prompt": "Given allied cohesion, do the airlines stop flying migrants to Minsk?",
                "modifiers": [{"add": 3, "if_played": "sanctions", "label": "EU sanctions on airlines"},
                              {"add": -3, "when": "cohesion <= 3", "label": "Allies divided"}],
                "success": {"tracks": {"tension": -1}}, "failure": {"tracks": {"tension": 1}}}),
            card("sanctions", "blue", actor="b2"),
            card("r-noop", "red", actor="r1"),
        ],
        blue=[actor("b1"), actor("b2")],
    )
    game = Game(c)
    game.pass_until("b1")
    game.play("b1", "demands")
    if sanctions:
        game.pass_until("b2")
        game.play("b2", "sanctions")
    for _ in range(10):
        if game.engine.awaiting(game.state) == (FACILITATOR,):
            return game
        game.do(C.Pass(game.engine.awaiting(game.state)[0]))
    raise AssertionError("the contest never came to the facilitator")


def _rulings(game: Game, seeds: int = 40) -> list[C.Adjudicate]:
    view = view_for(game.engine, game.state, FACILITATOR)
    legal = game.engine.legal_commands(game.state, FACILITATOR)
    out = []
    for seed in range(seeds):
        cmd = FacilitatorBot(game.engine, random.Random(seed)).choose(view, legal)
        assert isinstance(cmd, C.Adjudicate)
        out.append(cmd)
    return out


def test_the_facilitator_bot_follows_the_cards_guidance() -> None:
    helped = _rulings(_contest(sanctions=True, cohesion=5))
    assert all(r.success for r in helped)  # 2d6 + 3 against 7: a clear case
    assert "EU sanctions on airlines +3" in helped[0].rationale
    # play-test: "ruled … a failure: Ruled a failure (close call, 58% on the guidance)"
    assert helped[0].rationale.startswith("A clear case (its chance of success was about ")
    assert not any(w in helped[0].rationale for w in ("Ruled", "on the guidance"))
    hurt = _rulings(_contest(sanctions=False, cohesion=2))
    assert not any(r.success for r in hurt)
    assert "Allies divided -3" in hurt[0].rationale
    assert all(len(r.rationale) <= MAX_RATIONALE for r in helped + hurt)
    game = _contest(sanctions=True, cohesion=5)
    game.do(helped[0])  # the engine takes the ruling
    assert game.state.plays[0].contest == "success"


def test_a_close_call_leans_the_way_the_guidance_reads() -> None:
    """No modifier applies: the board the prompt names (cohesion, which favours the acting
    side) tips it."""
    high = sum(r.success for r in _rulings(_contest(sanctions=False, cohesion=9), 200))
    low = sum(r.success for r in _rulings(_contest(sanctions=False, cohesion=4), 200))
    assert high > low
    assert 0 < low < 200  # a close call, not a certainty
    close = _rulings(_contest(sanctions=False, cohesion=4), 1)[0].rationale
    assert close.startswith("A close call (its chance of success was about ") and close.endswith("%). Nothing on the board tipped it either way.")
    assert chance("2d6", 7) == pytest.approx(21 / 36)


# ------------------------------------------------------------------ determinism, baselines


def test_bots_are_deterministic_given_their_generator() -> None:
    engine = Engine(load_bundled(CAMPAIGNS_DIR / "tutorial.yaml"))

    def game(seed: int) -> tuple[str, ...]:
        ctl = {a: "bot:heuristic" for a in engine.actors} | {FACILITATOR: "bot:heuristic"}
        s = LocalSession(engine.campaign, seed=seed, controllers=ctl, engine=engine)
        s.run_bots()
        return tuple(f"{p.actor}:{p.card}" for p in s.state.plays)

    assert game(3) == game(3)
    assert len({game(seed) for seed in range(4)}) > 1


def test_random_bots_fare_clearly_worse_than_heuristic_ones_on_each_side() -> None:
    engine = Engine(load_bundled(CAMPAIGNS_DIR / "tutorial.yaml"))
    games = 40

    def wins(kinds: dict[str, str], side_id: str) -> int:
        out: Counter[str] = Counter()
        for seed in range(games):
            ctl = {a: f"bot:{kinds[engine.side_of[a]]}" for a in engine.actors} | {FACILITATOR: "bot:heuristic"}
            s = LocalSession(engine.campaign, seed=seed, controllers=ctl, engine=engine)
            s.run_bots()
            assert s.state.outcome is not None
            out[s.state.outcome.verdict()] += 1
        return out[side_id]

    both = {"red": "heuristic", "blue": "heuristic"}
    for side_id in ("red", "blue"):
        assert wins({**both, side_id: "random"}, side_id) + games // 5 <= wins(both, side_id), side_id


def test_the_random_bot_plays_any_legal_command() -> None:
    game = _spender(cost=1, gain=1)
    legal = game.engine.legal_commands(game.state, "r1")
    view = view_for(game.engine, game.state, "r1")
    picks = {type(RandomBot(game.engine, "r1", random.Random(s)).choose(view, legal)) for s in range(30)}
    assert picks == {C.PlayCard, C.Pass}


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown bot kind"):
        make_bot("clever", Engine(_campaign()), "r1", random.Random(0))



# ------------------------------------------------------------------ attribution


def _sabotaged(suspects: int) -> Game:
    """Red's r1 played a covert card blue cannot see; ``suspects`` red actors hold such cards.
    A right accusation calms things down; a wrong one that sticks costs blue dearly."""
    red = [actor("r1"), actor("r2")]
    cards = [card("sabotage", "red", actor="r1", covert={"on_attributed": {"tracks": {"tension": -1}}},
                  effects={"tracks": {"tension": 1}}),
             card("r2-noop", "red", actor="r2"),
             card("b-noop", "blue", actor="b1")]
    if suspects == 2:
        cards.append(card("r2-sabotage", "red", actor="r2", covert={}))
    c = _campaign(red=red, cards=cards, rules={"misattribution": {"tracks": {"tension": 3}}},
                  blue_objectives=[{"id": "calm", "title": "Calm", "when": "tension <= 5"}])
    game = Game(c)
    game.pass_until("r1")
    game.play("r1", "sabotage")
    game.pass_until("b1")
    return game


def test_an_attribution_is_tried_when_the_author_is_clear_not_on_a_hunch() -> None:
    clear = _choose(_sabotaged(suspects=1), "b1")
    assert isinstance(clear, C.Attribute) and clear.accused == "r1"
    hunch = _choose(_sabotaged(suspects=2), "b1")  # one chance in two of naming the wrong actor
    assert isinstance(hunch, C.Pass)


def test_a_move_that_sets_off_a_scripted_inject_is_weighed_with_it() -> None:
    """Connectivity 4 or less makes card payments fail (trust -2): red sees it coming,
    unless the inject is addressed to blue alone."""
    def score(to: list[str]) -> float:
        c = _campaign(
            tracks=[track("connectivity", 6), track("trust", 5)],
            red_objectives=[{"id": "distrust", "title": "Distrust", "when": "trust <= 3"}],
            cards=[card("cut", "red", actor="r1", effects={"tracks": {"connectivity": -2}}),
                   card("b-noop", "blue", actor="b1")],
            injects=[{"id": "payments", "title": "Payments fail", "when": "connectivity <= 4", "to": to,
                      "effects": {"tracks": {"trust": -2}}}],
        )
        game = Game(c)
        game.pass_until("r1")
        bot = HeuristicBot(game.engine, "r1", random.Random(0))
        view = view_for(game.engine, game.state, "r1")
        env = bot.env_of(view)
        return bot.score_card(game.engine.cards["cut"], view, env, bot.judge.value(env), set(), None)

    assert score([]) > score(["blue"]) + 1


def test_a_remote_seat_that_is_not_told_a_hidden_range_weighs_the_whole_scale() -> None:
    """A seat's copy of the campaign leaves out the range of a value it does not know
    ([0, 0]): its bot weighs the value over the scale of the track it is compared with."""
    from tabletop.bots.tables import hidden_values
    from tabletop.campaign.redact import campaign_text_for
    from tabletop.campaign.validate import load_campaign_text

    loaded = load_campaign_text((CAMPAIGNS_DIR / "tutorial.yaml").read_text(encoding="utf-8"), "tutorial.yaml")
    assert hidden_values(loaded.campaign, "red_line") == [7, 8, 9]
    seen = load_campaign_text(campaign_text_for(loaded.campaign, loaded.text, "veldia"), "tutorial.yaml").campaign
    assert seen.hidden_by_id["red_line"].range == (0, 0)
    assert hidden_values(seen, "red_line") == list(range(11))  # tension runs 0 to 10
