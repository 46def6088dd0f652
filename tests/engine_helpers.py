"""Helpers for the engine tests: tiny inline campaigns, a game driver, bot games.

- :func:`build_campaign` makes a small valid campaign from keyword overrides, so a test
  states only what it is about (the cards, an actor's deck, a transition...).
- :class:`Game` drives one game by hand: ``do`` folds a command's events, ``refuse``
  checks a command is refused with the right error and leaves the state as it was.
- :func:`run_bot_game` plays a whole game with bots and returns everything it did, so
  a test can replay the same commands and compare.

Every random generator here is seeded: a start uses ``Random(seed * 1_000_003)``, each
command ``Random(seed * 1_000_003 + state.seq)`` (see :func:`command_rng`).
"""

from __future__ import annotations

import copy
import dataclasses
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tabletop.bots import make_bot
from tabletop.campaign.model import Campaign
from tabletop.engine import (
    FACILITATOR,
    CommandError,
    Engine,
    GameState,
    IllegalCommand,
    event_to_data,
)
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.views import OBSERVER, View, ViewCache, Viewpoint, redact, view_for

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS_DIR = ROOT / "campaigns"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

# =========================================================================== campaigns


def card(id: str, side: str = "red", **fields: Any) -> dict[str, Any]:
    """A card dict; ``title`` defaults to the id in title case."""
    return {"id": id, "title": id.replace("-", " ").title(), "side": side, **fields}


def actor(id: str, **fields: Any) -> dict[str, Any]:
    """An actor dict with generous defaults: 5 resources, no income, hand of 4, no draws."""
    base: dict[str, Any] = {
        "id": id,
        "name": id.title(),
        "resources": 5,
        "income": 0,
        "hand_size": 4,
        "draw_per_round": 0,
    }
    base.update(fields)
    return base


def side(id: str, *actors: dict[str, Any], objectives: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": id, "name": id.title(), "actors": list(actors), "objectives": objectives or []}


def track(id: str, start: int = 5, min: int = 0, max: int = 10, **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": id.title(), "start": start, "min": min, "max": max, **fields}


#: The default phases: calm -> tense -> crisis -> war (terminal), all by trigger only.
DEFAULT_PHASES: dict[str, Any] = {
    "initial": "calm",
    "states": [
        {"id": "calm", "name": "Calm"},
        {"id": "tense", "name": "Tense"},
        {"id": "crisis", "name": "Crisis"},
        {"id": "war", "name": "War", "terminal": True},
    ],
    "transitions": [],
}


def campaign_data(
    *,
    cards: Sequence[dict[str, Any]] | None = None,
    red: Sequence[dict[str, Any]] | None = None,
    blue: Sequence[dict[str, Any]] | None = None,
    sides: Sequence[dict[str, Any]] | None = None,
    tracks: Sequence[dict[str, Any]] | None = None,
    phases: dict[str, Any] | None = None,
    transitions: Sequence[dict[str, Any]] | None = None,
    rules: dict[str, Any] | None = None,
    injects: Sequence[dict[str, Any]] | None = None,
    end: Sequence[dict[str, Any]] | None = None,
    rounds: int = 3,
    start: str = "2021-11-08",
    round_days: int = 7,
    red_objectives: list[dict[str, Any]] | None = None,
    blue_objectives: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The plain data of a small campaign.

    Defaults: side ``red`` with actor ``r1``, side ``blue`` with actor ``b1`` (see
    :func:`actor`), one track ``tension`` (0..10, start 5), the phases of
    :data:`DEFAULT_PHASES`, 3 rounds of 7 days from 2021-11-08, and one harmless card
    per actor (``r-noop``, ``b-noop``) unless ``cards`` is given.
    """
    if cards is None:
        cards = [card("r-noop", "red", actor="r1"), card("b-noop", "blue", actor="b1")]
    if sides is None:
        sides = [
            side("red", *(red or [actor("r1")]), objectives=red_objectives),
            side("blue", *(blue or [actor("b1")]), objectives=blue_objectives),
        ]
    ph = copy.deepcopy(phases) if phases is not None else copy.deepcopy(DEFAULT_PHASES)
    if transitions is not None:
        ph["transitions"] = list(transitions)
    data: dict[str, Any] = {
        "format": 1,
        "id": "drill",
        "title": "Drill",
        "briefing": "A test drill.",
        "calendar": {"start": start, "round_days": round_days, "rounds": rounds},
        "rules": rules or {},
        "sides": list(sides),
        "tracks": list(tracks) if tracks is not None else [track("tension")],
        "phases": ph,
        "cards": list(cards),
        "injects": list(injects or []),
        "end": list(end or []),
    }
    return data


def build_campaign(**kwargs: Any) -> Campaign:
    """A validated :class:`Campaign` from :func:`campaign_data` keyword overrides."""
    return Campaign.model_validate(campaign_data(**kwargs))


def load_bundled(path: Path) -> Campaign:
    """A bundled campaign, through the real loader."""
    from tabletop.campaign.validate import load_campaign

    return load_campaign(path).campaign


def bundled_campaign_paths() -> list[Path]:
    return sorted(CAMPAIGNS_DIR.glob("*.yaml"))


# =========================================================================== rngs


def start_rng(seed: int) -> random.Random:
    return random.Random(seed * 1_000_003)


def command_rng(seed: int, state: GameState) -> random.Random:
    """The generator for the command decided in ``state`` (so a replay is exact)."""
    return random.Random(seed * 1_000_003 + state.seq)


# =========================================================================== driving a game


class Game:
    """One game driven by hand, with every event kept.

    ``do`` decides and folds; ``refuse`` asserts a refusal and that nothing changed.
    """

    def __init__(self, campaign: Campaign, seed: int = 0) -> None:
        self.campaign = campaign
        self.engine = Engine(campaign)
        self.seed = seed
        self.events: list[E.Event] = list(self.engine.start(start_rng(seed)))
        self.state = self.engine.fold(self.events)

    # ---- commands

    def do(self, cmd: C.Command, rng: random.Random | None = None) -> list[E.Event]:
        """Decide ``cmd``, fold its events, return them."""
        events = self.engine.decide(self.state, cmd, rng or command_rng(self.seed, self.state))
        self.events.extend(events)
        self.state = self.engine.fold(events, self.state)
        return events

    def refuse(
        self, cmd: Any, error: type[CommandError] = IllegalCommand, match: str | None = None
    ) -> str:
        """Assert ``cmd`` is refused with ``error`` (message matching ``match``); return the message.

        Also checks the refusal changed nothing: the state held is still the fold of
        every event so far.
        """
        before = self.state
        with pytest.raises(CommandError) as info:
            self.engine.decide(self.state, cmd, command_rng(self.seed, self.state))
        assert type(info.value) is error, f"{type(info.value).__name__}: {info.value}"
        if match is not None:
            assert match in str(info.value), str(info.value)
        assert self.state is before
        assert self.engine.fold(self.events) == self.state
        return str(info.value)

    # ---- conveniences

    @property
    def step(self) -> str:
        return self.engine.step_name(self.state)

    def hand(self, actor: str) -> tuple[str, ...]:
        return self.state.actors[actor].hand

    def instance(self, actor: str, card_id: str) -> str:
        """The first instance of ``card_id`` in ``actor``'s hand."""
        for iid in self.hand(actor):
            if self.engine.instance_card[iid] == card_id:
                return iid
        raise AssertionError(f"{card_id} not in {actor}'s hand {self.hand(actor)}")

    def play(self, actor: str, card_id: str, covert: bool | None = None) -> list[E.Event]:
        return self.do(C.PlayCard(actor, self.instance(actor, card_id), covert))

    def pass_(self, actor: str | None = None) -> list[E.Event]:
        return self.do(C.Pass(actor or self.state.turn or ""))

    def pass_until(self, actor: str, limit: int = 50) -> None:
        """Pass every other turn until it is ``actor``'s turn."""
        for _ in range(limit):
            if self.state.turn == actor or self.state.ended:
                return
            seats = self.engine.awaiting(self.state)
            assert seats, "the game waits for nobody"
            if seats[0] == FACILITATOR:
                raise AssertionError("the game waits for the facilitator")
            self.do(C.Pass(seats[0]))
        raise AssertionError(f"never {actor}'s turn")

    def pass_to_end(self, limit: int = 500) -> None:
        for _ in range(limit):
            if self.state.ended:
                return
            seat = self.engine.awaiting(self.state)[0]
            assert seat != FACILITATOR, "the game waits for the facilitator"
            self.do(C.Pass(seat))
        raise AssertionError("the game did not end")

    def pass_round(self) -> None:
        """Pass every turn until the next round starts (or the game ends)."""
        r = self.state.round
        for _ in range(200):
            if self.state.ended or self.state.round != r:
                return
            seat = self.engine.awaiting(self.state)[0]
            assert seat != FACILITATOR, "the game waits for the facilitator"
            self.do(C.Pass(seat))
        raise AssertionError("the round did not end")

    def of(self, kind: type, events: Iterable[E.Event] | None = None) -> list[Any]:
        """Events of type ``kind`` (from ``events``, default: all so far)."""
        return [e for e in (self.events if events is None else events) if type(e) is kind]


# =========================================================================== bot games


@dataclass
class BotGame:
    """Everything a bot game did: commands (with the seq they were decided at) and events."""

    engine: Engine
    seed: int
    start_events: list[E.Event]
    commands: list[tuple[int, C.Command]] = field(default_factory=list)
    events: list[E.Event] = field(default_factory=list)  # every event, start included
    state: GameState | None = None


def seats_of(engine: Engine) -> list[str]:
    """Every viewing seat but the facilitator: each actor, each ``side:<id>``, ``observer``."""
    return [*engine.actors, *(f"side:{s}" for s in engine.actors_of), OBSERVER]


def run_bot_game(
    engine: Engine, seed: int, kind: str = "heuristic", max_commands: int = 5_000
) -> BotGame:
    """Play a whole game with ``kind`` bots at every seat and the facilitator bot."""
    bots = {
        seat: make_bot(kind, engine, seat, random.Random(f"{seed}:{seat}"))
        for seat in (*engine.actors, FACILITATOR)
    }
    events = list(engine.start(start_rng(seed)))
    game = BotGame(engine, seed, list(events), events=events)
    state = engine.fold(events)
    for _ in range(max_commands):
        if state.ended:
            break
        seat = engine.awaiting(state)[0]
        legal = engine.legal_commands(state, seat)
        cmd = bots[seat].choose(view_for(engine, state, seat), legal)
        new = engine.decide(state, cmd, command_rng(seed, state))
        game.commands.append((state.seq, cmd))
        game.events.extend(new)
        state = engine.fold(new, state)
    else:  # pragma: no cover
        raise AssertionError(f"the bot game did not end in {max_commands} commands")
    game.state = state
    return game


def replay_commands(engine: Engine, seed: int, commands: Iterable[C.Command]) -> list[E.Event]:
    """Start with ``seed`` and decide ``commands`` in order with the per-command rngs."""
    events = list(engine.start(start_rng(seed)))
    state = engine.fold(events)
    for cmd in commands:
        new = engine.decide(state, cmd, command_rng(seed, state))
        events.extend(new)
        state = engine.fold(new, state)
    return events


# =========================================================================== invariants


def instances_of(state: GameState, actor: str) -> Counter[str]:
    a = state.actors[actor]
    return Counter((*a.deck, *a.hand, *a.discard, *a.table, *a.removed))


def check_state(engine: Engine, state: GameState) -> None:
    """Invariants of every state: tracks in bounds, cards conserved, hands within their size."""
    for tid, value in state.tracks.items():
        t = engine.tracks[tid]
        assert t.min <= value <= t.max, f"{tid}={value} outside {t.min}..{t.max}"
    if not state.actors:
        return
    for actor_id, deck in engine.start_decks.items():
        held = instances_of(state, actor_id)
        assert held == Counter(deck), f"{actor_id}'s cards changed: {held} != {Counter(deck)}"
        assert all(n == 1 for n in held.values()), f"{actor_id} holds a card twice: {held}"
        limit = engine.campaign.actor_by_id[actor_id].hand_size
        assert len(state.actors[actor_id].hand) <= limit, f"{actor_id}'s hand exceeds {limit}"
        assert state.actors[actor_id].resources >= 0


def string_values(data: Any) -> Iterator[str]:
    """Every string value (not mapping keys) in plain data."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for v in data.values():
            yield from string_values(v)
    elif isinstance(data, list | tuple):
        for v in data:
            yield from string_values(v)


class SecretWatch:
    """Follows a game event by event and checks what each seat's redacted stream reveals.

    A card instance of a side the seat does not belong to may appear in the seat's
    stream only once it has been played openly or its covert play revealed.

    It also folds each seat's redacted stream into a *mirror* (what a remote seat
    keeps); :meth:`check_mirrors` compares the mirror's view with the real one.
    """

    def __init__(self, engine: Engine, seats: Sequence[str] | None = None) -> None:
        self._redact = redact
        self.engine = engine
        self.seats = list(seats) if seats is not None else seats_of(engine)
        self.views = {seat: Viewpoint.of(engine, seat) for seat in self.seats}
        self.public: set[str] = set()
        self.mirrors = {seat: engine.initial_state() for seat in self.seats}
        self.caches = {seat: ViewCache() for seat in self.seats}

    def feed(self, event: E.Event, after: GameState) -> None:
        if isinstance(event, E.CardPlayed) and not event.covert:
            self.public.add(event.instance)
        if isinstance(event, E.CovertRevealed):
            self.public.add(after.play(event.play).instance)
        owner = self.engine.instance_owner
        full: list[str] | None = None
        for seat in self.seats:
            vp = self.views[seat]
            red = self._redact(self.engine, event, seat, after)
            assert type(red) is type(event) or type(red) is E.Hidden
            self.mirrors[seat] = self.engine.apply(self.mirrors[seat], red)
            if red is event:  # most events are public: serialise them once
                if full is None:
                    full = [v for v in string_values(event_to_data(event)) if v in owner]
                values = full
            else:
                values = [v for v in string_values(event_to_data(red)) if v in owner]
            for value in values:
                if value in self.public:
                    continue
                who = owner[value]
                assert self.engine.side_of[who] in vp.sides, (
                    f"{seat} sees {who}'s secret card {value!r} in {event_to_data(red)}"
                )

    def check_mirrors(
        self, state: GameState, cache: ViewCache | None = None, ignore: Sequence[str] = (),
        views: Mapping[str, View] | None = None,
    ) -> None:
        """Each seat's mirror shows what the seat's view of the real state shows (but ``ignore``).

        ``views``: the seats' views of ``state`` if already made (as :func:`check_views`
        returns them), so that they are not made twice.
        """
        blank = {name: None for name in ignore}
        for seat in self.seats:
            mirror = self.mirrors[seat]
            assert mirror.seq == state.seq
            got = view_for(self.engine, mirror, seat, self.caches[seat])
            want = views[seat] if views is not None and seat in views else view_for(self.engine, state, seat, cache)
            assert want.seq == state.seq
            if blank:
                got, want = dataclasses.replace(got, **blank), dataclasses.replace(want, **blank)
            if got != want:
                diff = [f.name for f in dataclasses.fields(got) if getattr(got, f.name) != getattr(want, f.name)]
                raise AssertionError(f"{seat}'s mirror differs in {diff}: {[getattr(got, d) for d in diff]} "
                                     f"!= {[getattr(want, d) for d in diff]}")


def check_views(
    engine: Engine, state: GameState, seats: Sequence[str] | None = None, cache: ViewCache | None = None
) -> dict[str, View]:
    """No view shows another actor's hand or a hidden play of another side. Returns the
    views checked, by seat."""
    views: dict[str, View] = {}
    for seat in seats if seats is not None else seats_of(engine):
        vp = Viewpoint.of(engine, seat)
        view = views[seat] = view_for(engine, state, seat, cache)
        for actor_id, av in view.actors.items():
            if actor_id in vp.hands:
                assert av.hand == state.actors[actor_id].hand
            else:
                assert av.hand is None, f"{seat} sees {actor_id}'s hand"
            if engine.side_of[actor_id] not in vp.sides:
                assert av.resources is None, f"{seat} sees {actor_id}'s resources"
                # a covert play's author holds one card fewer: no count of another side's cards
                assert (av.hand_count, av.deck_count, av.discard_count) == (None, None, None), seat
        for pv, play in zip(view.plays, state.plays, strict=True):
            if play.hidden and engine.side_of[play.actor] not in vp.sides:
                assert pv.card is None and pv.actor is None, f"{seat} sees hidden play {play.id}"
                assert all(a.correct is None for a in pv.accusations)
            else:
                assert pv.card == play.card and pv.actor == play.actor
    return views
