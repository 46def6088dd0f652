"""Covert plays give away neither their author nor their card (issue 9, part 2).

The test of the secret is indistinguishability (docs/DESIGN.md, "Views and secrets"):
two games that differ only in *which actor* of a side played the same covert card must
give every seat of the other sides, and the observer, byte-identical frames (what the
host would send them: :class:`tabletop.net.feed.SeatFeeds`) until the play is revealed.

The two games are played in lockstep: the same seed, the same public choices, every
seat doing the same thing in both, but for one turn each of two actors ``x`` and ``y``:
in game A, ``x`` plays the covert card and ``y`` passes; in game B, ``x`` passes and
``y`` plays it. Whatever else differs (the author holds one card fewer, spent its cost,
drew its effects' cards) is private to the side. A seat chooses among the commands
legal in both games (by card, not by card copy), so both games stay the same game.

Randomness is held equal between the two games: each decision's generator is keyed by
the seed and the number of *public* events so far, so a decision draws the same public
dice in both games wherever it falls. (In a real game the generator is keyed by the
seat-blind ``seq``, and a seat cannot tell one key from another without the seed.)

The property runs for every bundled campaign (each covert card of a side with two
actors or more, shared between two of them) and, with hypothesis, over random games of
an inline campaign with every kind of effect (derandomized when ``CI=true``, as every
property test is: see tests/hypothesis_profiles.py).
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine_helpers import actor, build_campaign, bundled_campaign_paths, card, load_bundled, track
from hypothesis_profiles import examples
from tabletop.campaign.model import Campaign
from tabletop.engine import FACILITATOR, Engine, command_to_data
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.narrate import Narrator
from tabletop.engine.state import GameState, Play
from tabletop.engine.views import HIDDEN, OBSERVER, redact, view_for
from tabletop.net.feed import SeatFeeds

F = FACILITATOR


# =========================================================================== one game, as the seats receive it


class Table:
    """One game driven command by command, with every frame each watched seat receives."""

    def __init__(self, engine: Engine, seed: int, seats: list[str]) -> None:
        self.engine = engine
        self.seed = seed
        self.seats = seats
        self.feeds = SeatFeeds(engine, {*seats, OBSERVER})
        self.frames: dict[str, list[str]] = {seat: [] for seat in seats}
        self.state = engine.initial_state()
        self._take(engine.start(random.Random(seed)))

    def rng(self) -> random.Random:
        """The generator of the next decision: keyed by the public events so far (see above)."""
        return random.Random(f"{self.seed}:{self.feeds.count(OBSERVER)}")

    def do(self, cmd: C.Command) -> list[E.Event]:
        events = self.engine.decide(self.state, cmd, self.rng())
        self._take(events)
        return events

    def _take(self, events: list[E.Event]) -> None:
        fresh = self.feeds.add(events)
        self.state = self.engine.fold(events, self.state)
        awaiting = self.engine.awaiting(self.state)
        for seat in self.seats:
            frame = self.feeds.frame(seat, fresh[seat], awaiting)
            if frame is not None:
                self.frames[seat].append(frame)

    def awaits(self) -> tuple[str, ...]:
        return self.engine.awaiting(self.state)

    def revealed(self, instance: str) -> bool:
        return any(p.instance == instance and p.revealed for p in self.state.plays)


def key(engine: Engine, cmd: C.Command) -> str:
    """A command as the other game can repeat it: a card by its id, not by its copy."""
    data = command_to_data(cmd)
    if "card" in data:
        data["card"] = engine.instance_card[data["card"]]
    return json.dumps(data, sort_keys=True)


def ruled(cmd: C.Command) -> C.Command:
    """``legal_commands`` leaves rulings' rationales blank; a facilitator writes one."""
    if isinstance(cmd, C.Adjudicate | C.RuleProposal):
        return dataclasses.replace(cmd, rationale="Ruled in a test.")
    return cmd


def other_seats(engine: Engine, side: str) -> list[str]:
    """Every seat that may not know the author: the other sides' actors and sides, the observer."""
    others = [s for s in engine.actors_of if s != side]
    return [*(a for s in others for a in engine.actors_of[s]), *(f"side:{s}" for s in others), OBSERVER]


# =========================================================================== the pair of games


@dataclasses.dataclass
class Pair:
    a: Table
    b: Table
    cut: dict[str, int] | None  # frames each seat had before the reveal (None: never revealed)
    played: bool  # whether the designated plays happened at all
    why: str  # why the games stopped: "revealed", "lost the card", "ended", "diverged", "long enough"

    def check(self) -> None:
        for seat in self.a.seats:
            fa, fb = self.a.frames[seat], self.b.frames[seat]
            if self.cut is not None:
                fa, fb = fa[: self.cut[seat]], fb[: self.cut[seat]]
            for i, (x, y) in enumerate(zip(fa, fb)):
                assert x == y, f"{seat}'s frame {i + 1} differs:\n  A: {x}\n  B: {y}"
            assert len(fa) == len(fb), f"{seat} received {len(fa)} frames in A and {len(fb)} in B"


Chooser = Callable[[list[str]], int]


def play_pair(
    engine: Engine, card_id: str, x: str, y: str, seed: int, round_: int, choose: Chooser,
    facilitator_tools: Callable[[Table], C.Command | None] | None = None, limit: int = 600,
) -> Pair:
    """Games A (``x`` plays ``card_id`` covertly in its turn of round ``round_``) and B
    (``y`` does, in its turn of the same step), the same in every other choice."""
    side = engine.side_of[x]
    seats = other_seats(engine, side)
    a, b = Table(engine, seed, seats), Table(engine, seed, seats)
    copy = {g: {who: next(i for i in g.state.actors[who].hand if engine.instance_card[i] == card_id)
                for who in (x, y)} for g in (a, b)}
    done: set[str] = set()
    played = False
    why = "long enough"
    for _ in range(limit):
        if a.state.ended or b.state.ended:
            why = "ended"
            break
        if a.awaits() != b.awaits():
            why = "diverged"
            break  # the frames (which carry it) already differ: check() says where
        before = {seat: len(a.frames[seat]) for seat in seats}
        seat = a.awaits()[0]
        designated = (
            seat in (x, y) and seat not in done and a.state.round == round_ and engine.step_name(a.state) == side
            and a.state.vote is None and not a.state.paused
        )
        if designated:
            done.add(seat)
            g = a if seat == x else b
            if engine.why_not_play(g.state, seat, copy[g][seat]) is not None:
                # it lost the card or the means to pay for it: the pair cannot be played on
                return Pair(a, b, before, played, "lost the card")
            g.do(C.PlayCard(seat, copy[g][seat], True))
            played = True
            for g in (a, b):
                if g.state.turn == seat:
                    g.do(C.Pass(seat))
        else:
            tool = facilitator_tools(a) if facilitator_tools is not None else None
            if tool is not None:
                cmds = [tool, tool]
            else:
                legal = [
                    {key(engine, c): ruled(c) for c in engine.legal_commands(g.state, seat)
                     if not (isinstance(c, C.PlayCard) and engine.instance_card[c.card] == card_id)}
                    for g in (a, b)
                ]
                keys = sorted(set(legal[0]) & set(legal[1]))
                assert keys, f"{seat} is awaited but has nothing legal to do in both games"
                chosen = keys[choose(keys)]
                cmds = [legal[0][chosen], legal[1][chosen]]
            refused = 0
            for g, cmd in zip((a, b), cmds):
                try:
                    g.do(cmd)
                except Exception:  # a facilitator's tool may be refused: in both games alike
                    refused += 1
            assert refused in (0, 2), f"{cmds[0]} was refused in one game only"
        if a.revealed(copy[a][x]) or b.revealed(copy[b][y]):
            return Pair(a, b, before, played, "revealed")
    return Pair(a, b, None, played, why)


# =========================================================================== campaigns with a covert card two actors hold


def share_card(campaign: Campaign, card_id: str, x: str, y: str, *, make_covert: bool = False) -> Campaign:
    """``campaign`` with ``card_id`` in the decks of ``x`` and ``y`` (both hold it from the
    deal: their hands hold their whole decks), playable in any phase, and affordable."""
    data = campaign.model_dump(mode="json")
    the_card = next(c for c in data["cards"] if c["id"] == card_id)
    the_card.update(actor=None, phases=None, requires=None)
    if make_covert:
        the_card.update(covert={}, consensus=None)
    for s in data["sides"]:
        for a in s["actors"]:
            deck = list(campaign.deck_of(a["id"]))
            if a["id"] in (x, y):
                if card_id not in deck:
                    deck.append(card_id)
                a.update(hand_size=min(20, len(deck)), resources=max(a["resources"], the_card["cost"]))
            a["deck"] = deck
    return Campaign.model_validate(data)


def bundled_pairs() -> list[tuple[str, str, bool]]:
    """(campaign, card, made covert): each covert card of a side with two actors or more;
    for a side with none (the tutorial's allies), one of its cards made covert."""
    out = []
    for path in bundled_campaign_paths():
        campaign = load_bundled(path)
        for s in campaign.sides:
            if len(s.actors) < 2:
                continue  # a side of one: who played it is no secret
            held = {c for a in s.actors for c in campaign.deck_of(a.id)}
            covert = [c.id for c in campaign.cards if c.side == s.id and c.covert is not None and c.id in held]
            if covert:
                out += [(path.stem, c, False) for c in covert]
            else:
                first = next(c.id for c in campaign.cards if c.side == s.id and c.id in held and c.consensus is None)
                out.append((path.stem, first, True))
    return out


def holders(campaign: Campaign, card_id: str) -> tuple[str, str]:
    c = campaign.card_by_id[card_id]
    actors = [a.id for s in campaign.sides if s.id == c.side for a in s.actors]
    x = c.actor if c.actor is not None else next(a for a in actors if card_id in campaign.deck_of(a))
    return x, next(a for a in actors if a != x)


@pytest.mark.parametrize(("name", "card_id", "make_covert"), bundled_pairs())
def test_who_played_a_covert_card_is_told_to_no_other_side_before_its_reveal(
    name: str, card_id: str, make_covert: bool
) -> None:
    original = load_bundled(next(p for p in bundled_campaign_paths() if p.stem == name))
    x, y = holders(original, card_id)
    engine = Engine(share_card(original, card_id, x, y, make_covert=make_covert))
    played = 0
    for seed in (1, 2, 3):
        rng = random.Random(f"{name}:{card_id}:{seed}")
        pair = play_pair(engine, card_id, x, y, seed, 1, sometimes_accusing(rng.randrange))
        pair.check()
        played += pair.played
    assert played, "the covert card was never played: the test proved nothing"


def sometimes_accusing(pick: Callable[[int], int]) -> Chooser:
    """Any command, but an accusation only one time in ten (it soon ends the comparison,
    by revealing the play). ``pick(n)`` draws a number below ``n``."""

    def choose(keys: list[str]) -> int:
        accusations = [i for i, k in enumerate(keys) if '"attribute"' in k]
        others = [i for i in range(len(keys)) if i not in accusations]
        if accusations and (not others or pick(10) == 0):
            return accusations[pick(len(accusations))]
        return others[pick(len(others))]

    return choose


# =========================================================================== the property, over random games


def inline_campaign(plays: int, adjudication: bool) -> Campaign:
    """Two actors per side; ``ploy`` (covert, with a dice contest, private and public
    effects, an attribution roll with labels, a timer) is in both red actors' decks."""
    ploy = card(
        "ploy", "red", cost=1,
        covert={"attribution": {"target": 7, "modifiers": [{"add": 1, "when": "trust >= 4", "label": "Ploy intel"}]},
                "on_attributed": {"tracks": {"trust": 1}}, "reveal_after": 2},
        effects={"tracks": {"tension": 1}, "resources": 1, "draw": 1, "resources_of": {"b1": -1}},
        contest={"target": 7, "modifiers": [{"add": 1, "label": "Ploy backers"}],
                 "success": {"tracks": {"tension": 1}}, "failure": {"tracks": {"trust": 1}}},
    )
    cards = [
        ploy,
        card("whisper", "red", actor="r1", covert={"optional": True}, effects={"tracks": {"trust": -1}}),
        card("push", "red", effects={"tracks": {"tension": 1}}, contest={
            "target": 8, "modifiers": [{"add": 2, "if_played": "ploy", "label": "Ploy paid off"}],
            "success": {"tracks": {"tension": 1}}, "failure": {"discard": {"r1": 1}}}),
        card("raid", "red", actor="r2", effects={"discard": {"b1": 1}}),
        card("probe", "blue", effects={"discard": {"r1": 1, "r2": 1}, "resources_of": {"r1": -1, "r2": -1}}),
        card("expose", "blue", actor="b2", effects={"reveal": 1}, requires="round >= 3"),
        card("joint", "blue", consensus={"voters": ["b1", "b2"]}, effects={"tracks": {"tension": -1}}),
        card("sanction", "blue", actor="b1", contest={"by": "facilitator", "success": {"tracks": {"tension": -2}}}),
        card("mask", "blue", actor="b2", covert={}, effects={"tracks": {"trust": 1}}),
    ]
    order = ["injects", "red", "blue", *(["adjudication"] if adjudication else []), "phase_check", "upkeep"]
    return build_campaign(
        cards=cards,
        red=[actor("r1", resources=3, income=1, hand_size=4, draw_per_round=1, deck=["ploy", "whisper", "push", "push"]),
             actor("r2", resources=2, income=1, hand_size=4, draw_per_round=1, deck=["ploy", "raid", "push", "raid"])],
        blue=[actor("b1", resources=3, income=1, hand_size=3, draw_per_round=1,
                    deck=["probe", "joint", "sanction", "probe"]),
              actor("b2", resources=2, income=1, hand_size=3, draw_per_round=1, deck=["joint", "expose", "mask", "probe"])],
        tracks=[track("tension", start=4), track("trust", start=5, min=0, max=8)],
        transitions=[{"trigger": "heat", "source": "calm", "dest": "tense", "when": "tension >= 7"},
                     {"trigger": "cool", "source": "tense", "dest": "calm", "when": "tension <= 3"}],
        rules={"plays_per_turn": plays, "attribution_cost": 1, "misattribution": {"tracks": {"trust": -1}},
               "order": order},
        injects=[{"id": "leak", "title": "Leak", "effects": {"reveal": 1}},
                 {"id": "storm", "title": "Storm", "round": 2, "effects": {"discard": {"r1": 1}}}],
        rounds=4,
        red_objectives=[{"id": "heat", "title": "Heat", "when": "tension >= 7"}],
        blue_objectives=[{"id": "trust", "title": "Trust", "when": "trust >= 4"}],
    )


@cache
def inline_engine(plays: int, adjudication: bool) -> Engine:
    return Engine(inline_campaign(plays, adjudication))


def facilitator_tools(data: st.DataObject) -> Callable[[Table], C.Command | None]:
    """Now and then a facilitator's tool, the same in both games."""

    def tool(table: Table) -> C.Command | None:
        if data.draw(st.integers(0, 11), label="tool?") != 0:
            return None
        return data.draw(st.sampled_from([
            C.AdjustTrack(F, "tension", 1, "Noise."), C.FireInject(F, "leak"), C.Pause(F, "Coffee."),
            C.Resume(F), C.Annotate(F, "A note."), C.Advance(F), C.FireTrigger(F, "heat", "Why not."),
            C.FireInject(F, None, "News", "", {"discard": {"r2": 1}, "resources_of": {"r1": 1}}),
        ]), label="tool")

    return tool


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_games_differing_only_in_the_author_look_the_same_to_the_other_side(data: st.DataObject) -> None:
    plays = data.draw(st.sampled_from([1, 2]), label="plays per turn")
    engine = inline_engine(plays, data.draw(st.booleans(), label="adjudication step"))
    x, y = data.draw(st.sampled_from([("r1", "r2"), ("r2", "r1")]), label="x, y")
    pair = play_pair(
        engine, "ploy", x, y, data.draw(st.integers(0, 2**16), label="seed"), data.draw(st.integers(1, 2), label="round"),
        sometimes_accusing(lambda n: data.draw(st.integers(0, n - 1), label="choice")), facilitator_tools(data),
    )
    pair.check()
    event("the covert card was played" if pair.played else "the covert card was not played")
    event(f"stopped: {pair.why}")
    event(f"frames compared: {min(len(f) for f in pair.a.frames.values()) // 10 * 10}+")


# =========================================================================== the findings, one by one


def two_red_game(**rules: Any) -> tuple[Engine, GameState, list[E.Event]]:
    cards = [card("ploy", "red", covert={}, effects={"tracks": {"tension": 1}}),
             card("r-noop", "red", actor="r1"), card("b-noop", "blue", actor="b1")]
    camp = build_campaign(cards=cards, red=[actor("r1", deck=["ploy", "r-noop"]), actor("r2", deck=["ploy"])],
                          rules=rules)
    engine = Engine(camp)
    events = list(engine.start(random.Random(1)))
    return engine, engine.fold(events), events


def test_table_cleared_names_no_author_of_another_sides_cards() -> None:
    """Finding: ``table_cleared`` kept the actor of each hidden entry."""
    engine, state, _ = two_red_game()
    cleared = E.TableCleared((("r1", "ploy~1"), ("b1", "b-noop")), (("r2", "r-noop"),))
    for seat in ("b1", "side:blue", OBSERVER):
        seen = redact(engine, cleared, seat, state)
        assert isinstance(seen, E.TableCleared)
        assert not {a for a, _ in (*seen.discarded, *seen.removed)} & {"r1", "r2"}, seen
    assert redact(engine, cleared, "r2", state) == E.TableCleared((("r1", "ploy~1"),), (("r2", "r-noop"),))


@pytest.mark.parametrize("plays", [1, 2])
def test_turn_events_do_not_say_which_turn_held_the_covert_play(plays: int) -> None:
    """Finding: ``turn_started``/``turn_ended`` (passed: false) framed the "?" play."""
    engine, _, _ = two_red_game(plays_per_turn=plays)

    def game(author: str) -> Table:
        t = Table(engine, 1, other_seats(engine, "red"))
        for who in ("r1", "r2"):
            if who == author:
                t.do(C.PlayCard(who, next(i for i in t.state.actors[who].hand if i.startswith("ploy")), True))
            if t.state.turn == who:
                t.do(C.Pass(who))
        return t

    a, b = game("r1"), game("r2")
    assert any('"card_played"' in f for f in a.frames[OBSERVER])  # the play did take effect
    assert a.frames == b.frames


def test_the_roll_of_a_hidden_play_tells_only_its_outcome() -> None:
    """Finding: ``contest_rolled`` of a hidden play went out with its modifiers, which name the card."""
    cards = [card("ploy", "red", actor="r1", covert={}, contest={
                 "target": 7, "modifiers": [{"add": 2, "label": "Only the ploy has this"}], "success": {"tracks": {"tension": 2}}}),
             card("b-noop", "blue", actor="b1")]
    engine = Engine(build_campaign(cards=cards))
    state = engine.fold(engine.start(random.Random(1)))
    for cmd in (C.PlayCard("r1", "ploy", True), C.Pass("b1")):
        events = engine.decide(state, cmd, random.Random(2))
        for ev in events:
            state = engine.apply(state, ev)
            if isinstance(ev, E.ContestRolled):
                rolled = ev
    assert rolled.modifiers == (("Only the ploy has this", 2),)
    for seat in ("b1", OBSERVER):
        seen = redact(engine, rolled, seat, state)
        assert seen == dataclasses.replace(rolled, dice=(), modifiers=(), target=0, total=0), seat
        narr = Narrator(engine)
        narr.sentence(E.CardPlayed(1, HIDDEN, HIDDEN, HIDDEN, True, 0))
        said = narr.sentence(seen) or ""
        assert said.endswith(f"(#1): the dice decided: {'success' if rolled.success else 'failure'}.") and "Ploy" not in said
    assert redact(engine, rolled, "r1", state) == rolled


def test_a_roll_that_counts_a_covert_card_tells_only_its_outcome() -> None:
    """An open card's modifier ``if_played: <a covert card>`` would show that card was played."""
    cards = [card("ploy", "red", actor="r1", covert={}),
             card("push", "red", actor="r1", contest={"target": 7, "modifiers": [
                 {"add": 1, "if_played": "ploy", "label": "Ploy paid off"}], "success": {"tracks": {"tension": 1}}}),
             card("b-noop", "blue", actor="b1")]
    engine = Engine(build_campaign(cards=cards, rules={"plays_per_turn": 2}))
    state = engine.fold(engine.start(random.Random(1)))
    rolled = None
    for cmd in (C.PlayCard("r1", "ploy", True), C.PlayCard("r1", "push"), C.Pass("b1")):
        for ev in engine.decide(state, cmd, random.Random(3)):
            state = engine.apply(state, ev)
            if isinstance(ev, E.ContestRolled):
                rolled = ev
    assert rolled is not None and rolled.modifiers == (("Ploy paid off", 1),)
    assert redact(engine, rolled, "b1", state).modifiers == ()  # type: ignore[attr-defined]
    assert redact(engine, rolled, "r1", state) == rolled


def test_an_accusation_tells_the_accusers_only_its_outcome_until_the_reveal() -> None:
    """The attribution roll is the card's too: its target, its modifiers' labels."""
    engine, state, _ = two_red_game()
    attempt = E.AttributionAttempted(1, "b1", "r2", (5, 4), (("Card-specific intel", 1),), 8, 10, True, False, 1)
    state = dataclasses.replace(state, plays=(Play(1, 1, "r1", "ploy", "ploy~1", True),))
    for seat in ("b1", OBSERVER):
        assert redact(engine, attempt, seat, state) == dataclasses.replace(
            attempt, dice=(), modifiers=(), target=0, total=0, correct=None)


def test_a_right_accusation_that_holds_is_shown_whole() -> None:
    """It reveals the card in the same command (the board names it at once), so its roll
    tells nothing the seat is not told: the play-test's panel said "not shown (it would
    tell which card it was)" above a board that named the card."""
    engine, state, _ = two_red_game()
    attempt = E.AttributionAttempted(1, "b1", "r1", (5, 4), (("Card-specific intel", 1),), 8, 10, True, True, 1)
    state = dataclasses.replace(state, plays=(Play(1, 1, "r1", "ploy", "ploy~1", True),))
    for seat in ("b1", OBSERVER):
        assert redact(engine, attempt, seat, state) == attempt
    failed = dataclasses.replace(attempt, success=False, total=7)  # the card stays hidden: so does the roll
    assert redact(engine, failed, "b1", state).dice == ()  # type: ignore[attr-defined]


def test_another_sides_card_counts_and_actions_left_are_not_shown() -> None:
    """Hand counts: the author holds one card fewer; actions left: it spent one."""
    engine, state, _ = two_red_game(plays_per_turn=2)
    state = engine.fold(engine.decide(state, C.PlayCard("r1", next(i for i in state.actors["r1"].hand
                                                                     if i.startswith("ploy")), True), random.Random(1)), state)
    for seat in ("b1", "side:blue", OBSERVER):
        view = view_for(engine, state, seat)
        assert view.plays_left is None and view.turn == "r1"
        for who in ("r1", "r2"):
            av = view.actors[who]
            assert (av.hand, av.hand_count, av.deck_count, av.discard_count, av.resources) == (None,) * 5
    mine = view_for(engine, state, "r1")
    assert mine.plays_left == 1 and mine.actors["r1"].hand_count == 1 and mine.actors["r2"].hand_count == 1


def test_the_validator_warns_of_a_covert_card_its_public_effects_single_out() -> None:
    from tabletop.campaign.validate import validate_text
    from campaign_texts import MINIMAL_CAMPAIGN
    import yaml

    data = yaml.safe_load(MINIMAL_CAMPAIGN)
    covert = [c for c in data["cards"] if c.get("covert")]
    assert len(covert) == 1
    twin = {**covert[0], "id": "twin-op", "title": "Twin operation"}
    data["cards"].append(twin)
    text = yaml.safe_dump(data, sort_keys=False)
    assert not [p for p in validate_text(text) if "public effects" in p.message], "twins tell nothing apart"
    twin["effects"] = {"tracks": {"cohesion": -2}}
    text = yaml.safe_dump(data, sort_keys=False)
    warned = [p for p in validate_text(text, "c.yaml") if "public effects" in p.message]
    assert sorted(p.message.split("'")[1] for p in warned) == sorted([covert[0]["id"], "twin-op"])
    assert all(p.severity.value == "warning" for p in warned)
    # the author's own gains and draws are private: they do not tell the twins apart
    twin["effects"] = {**covert[0].get("effects", {}), "resources": 2, "draw": 1}
    assert not [p for p in validate_text(yaml.safe_dump(data, sort_keys=False)) if "public effects" in p.message]


def test_the_validator_refuses_a_covert_card_that_needs_a_vote() -> None:
    """Finding: a covert card with ``consensus`` made its author vote yes in the open."""
    from tabletop.campaign.validate import validate_text
    from campaign_texts import MINIMAL_CAMPAIGN
    import yaml

    data = yaml.safe_load(MINIMAL_CAMPAIGN)
    voted = next(c for c in data["cards"] if c.get("consensus"))
    voted["covert"] = {"optional": True}
    text = yaml.safe_dump(data, sort_keys=False)
    [problem] = [p for p in validate_text(text, "c.yaml") if "vote" in p.message and p.is_error]
    line = text.splitlines()[problem.line - 1]
    assert line[problem.col - 1:].startswith("consensus"), (problem, line)
    assert f"card '{voted['id']}' is covert and needs a consensus vote" in problem.message


# =========================================================================== the debrief


def test_the_debrief_tells_a_viewpoint_a_covert_play_as_it_knew_it_at_that_step() -> None:
    """Finding: the debrief's Covert chart named authors in a viewpoint and at a step
    where they were not yet revealed. (The tutorial save: Northmark's covert play #4 is
    event 41; Ostrand attributes it at event 92, which reveals it at 93.)"""
    from save_helpers import TUTORIAL_SAVE
    from tabletop.analysis.debrief import Debrief
    from tabletop.journal.replay import Replay

    r = Debrief(Replay.open(TUTORIAL_SAVE))
    title = r.campaign.card_by_id["anchor-drag"].title
    assert r.covert_report()[0].actor == "northmark"  # the facilitator (and the report): the whole truth
    for seat in ("side:blue", "veldia", OBSERVER):
        assert r.covert_report(seat, 40) == []  # not yet played
        [before] = r.covert_report(seat, 92)
        assert (before.actor, before.card, before.revealed_seq, before.side) == (None, None, None, "red")
        assert [a.correct for a in before.accusations] == [None] and not before.correctly_blamed
        assert before.perceived == "northmark"  # the accusation held: that is public
        [after] = r.covert_report(seat, 93)
        assert (after.actor, after.card, after.revealed_seq) == ("northmark", "anchor-drag", 93)
        for k in (60, 92):
            words = " ".join(
                [p.because for p in r.phase_timeline(seat, k)]
                + [f"{i.headline} {i.rationale} {' '.join(i.consequences)}" for i in r.interventions(seat, k)]
            )
            assert title not in words, (seat, k, words)
    for seat in ("northmark", "side:red"):
        assert r.covert_report(seat, 60)[0].actor == "northmark"  # its own side knew all along
