"""The game state: frozen plain data, rebuilt by folding events.

Mappings in the state are never mutated after construction (``apply`` copies what it
changes), so every state is a value. ``state_to_data`` gives its JSON form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, cast

from tabletop.engine.serial import plain


T = TypeVar("T")
_new = object.__new__
_set = object.__setattr__
_GETTERS: dict[type, tuple[tuple[str, ...], attrgetter[Any], bool]] = {}


def evolve(obj: T, **changes: Any) -> T:
    """A copy of the frozen dataclass ``obj`` with ``changes``.

    Same result as ``dataclasses.replace``, several times faster: the engine folds
    every event through it, so it is the hottest function of a simulation.
    """
    cls = type(obj)
    if cls is GameState:  # a plain __dict__: copying it is several times faster than __init__
        new = _new(cls)
        d = new.__dict__
        d.update(obj.__dict__)
        d.update(changes)
        return new
    entry = _GETTERS.get(cls)
    if entry is None:
        names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        direct = "__slots__" in cls.__dict__ and not hasattr(cls, "__post_init__")
        entry = _GETTERS[cls] = (names, attrgetter(*names), direct)
    names, getter, direct = entry
    if not direct:
        values = dict(zip(names, getter(obj)))
        values.update(changes)
        return cls(**values)
    # Set each field as the dataclass's own __init__ does (object.__setattr__ past the
    # frozen guard), without building keyword arguments (slots only: there a name that
    # is not a field is refused, and no __post_init__ is skipped).
    new = _new(cls)
    for name, value in zip(names, getter(obj)):
        _set(new, name, value)
    for name, value in changes.items():
        _set(new, name, value)
    return new


@dataclass(frozen=True, slots=True)
class ActorState:
    """One actor's cards and resources. Card ids here are *instance* ids."""

    resources: int
    deck: tuple[str, ...] = ()  # top first
    hand: tuple[str, ...] = ()
    discard: tuple[str, ...] = ()
    table: tuple[str, ...] = ()  # played this round
    removed: tuple[str, ...] = ()  # single-use cards once played


@dataclass(frozen=True, slots=True)
class Accusation:
    by: str
    accused: str
    success: bool  # the roll
    correct: bool | None
    round: int


@dataclass(frozen=True, slots=True)
class Play:
    """A card on the record: who played what, and what became of it."""

    id: int
    round: int
    actor: str
    card: str
    instance: str
    covert: bool
    revealed: bool = False  # covert plays only: the truth is public
    revealed_how: str | None = None
    status: str = "resolved"  # "resolved" | "voting" | "rejected"
    contest: str | None = None  # None | "pending" | "success" | "failure"
    accusations: tuple[Accusation, ...] = ()

    @property
    def hidden(self) -> bool:
        return self.covert and not self.revealed

    @property
    def perceived_author(self) -> str | None:
        """Whom the public record blames for a hidden play (the last successful accusation)."""
        for a in reversed(self.accusations):
            if a.success:
                return a.accused
        return None


@dataclass(frozen=True, slots=True)
class Vote:
    play: int
    voters: tuple[str, ...]
    ballots: Mapping[str, bool] = field(default_factory=dict)
    advisors: tuple[str, ...] = ()
    advice: Mapping[str, bool] = field(default_factory=dict)

    @property
    def unadvised(self) -> tuple[str, ...]:
        """Advisors who have not given their advice yet."""
        return tuple(a for a in self.advisors if a not in self.advice)

    @property
    def waiting(self) -> tuple[str, ...]:
        return tuple(v for v in self.voters if v not in self.ballots)


@dataclass(frozen=True, slots=True)
class Proposal:
    id: int
    actor: str
    round: int
    text: str
    effects: Mapping[str, Any]
    verdict: str | None = None  # None while pending; "accept" | "amend" | "reject"
    rationale: str = ""
    ruled_effects: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class PhaseChange:
    seq: int
    round: int
    source: str
    dest: str
    trigger: str
    cause: str
    condition: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How the exercise ended, and every side's objectives met (True) or missed."""

    reason: str  # "terminal_phase" | "end_condition" | "last_round"
    detail: str
    objectives: Mapping[str, Mapping[str, bool]]
    actor_objectives: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)
    declared: Mapping[str, str] = field(default_factory=dict)  # side -> result, when the campaign declares it

    def met(self, side: str) -> int:
        return sum(self.objectives.get(side, {}).values())

    @property
    def results(self) -> dict[str, str]:
        """Every side's result: ``win``, ``lose`` or ``draw``.

        Declared by the terminal phase or end condition, if it says; otherwise judged on
        objectives, for any number of sides: each side's share of its objectives met; the
        one side with the highest share wins and the others lose; if two or more share
        the highest, they draw and the others lose. No side with objectives: all draw.
        """
        if self.declared:
            return dict(self.declared)
        shares = {
            side: (sum(objs.values()) / len(objs)) if objs else 0.0 for side, objs in self.objectives.items()
        }
        if not shares:
            return {}
        best = max(shares.values())
        leaders = [s for s, v in shares.items() if v == best]
        if len(leaders) == len(shares):
            return {s: "draw" for s in shares}
        if len(leaders) == 1:
            return {s: ("win" if s == leaders[0] else "lose") for s in shares}
        return {s: ("draw" if s in leaders else "lose") for s in shares}

    def verdict(self) -> str:
        """The one side that won, ``draw`` if none did alone, ``none`` if every side lost."""
        results = self.results
        winners = [s for s, r in results.items() if r == "win"]
        if len(winners) == 1:
            return winners[0]
        if results and all(r == "lose" for r in results.values()):
            return "none"
        return "draw"


@dataclass(frozen=True)  # not slots: ``evolve`` copies its __dict__, the hottest path of a fold
class GameState:
    """Everything about one game at one moment. ``seq`` counts the events folded in."""

    campaign: str
    seq: int = 0
    round: int = 0
    step: int = -1  # index into the campaign's round order
    phase: str = ""
    tracks: Mapping[str, int] = field(default_factory=dict)
    round_start_tracks: Mapping[str, int] = field(default_factory=dict)
    actors: Mapping[str, ActorState] = field(default_factory=dict)
    turn: str | None = None  # actor whose turn it is
    plays_left: int = 0
    done: tuple[str, ...] = ()  # actors whose turn in the current step is over
    plays: tuple[Play, ...] = ()
    sealed: tuple[tuple[str, str], ...] = ()  # (actor, instance): covert plays waiting for their step's end
    vote: Vote | None = None
    pending: tuple[int, ...] = ()  # play ids with contests awaiting adjudication
    proposals: tuple[Proposal, ...] = ()
    fired: tuple[str, ...] = ()  # injects fired by condition or round
    phase_history: tuple[PhaseChange, ...] = ()
    paused: bool = False
    #: the time boxes set by the facilitator, (turn, round) in seconds; None: the campaign's
    clock: tuple[int, int] | None = None
    #: seconds the facilitator added to the current turn
    turn_extra: int = 0
    outcome: Outcome | None = None
    hidden: Mapping[str, int | str] = field(default_factory=dict)  # hidden values, drawn at the start ("?" if unknown)
    revealed_values: tuple[str, ...] = ()  # hidden values made known to every seat
    hotwashed: tuple[tuple[str, str], ...] = ()  # (seat, author) of each hotwash answered

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    def play(self, play_id: int) -> Play:
        return self.plays[play_id - 1]

    def env(self) -> dict[str, int | str]:
        """Names a condition reads: every track, hidden value, ``round`` and ``phase``, and the
        keys of function calls (``resources:poland``, ``played:art-4:poland``), answered on demand."""
        env = _Env(self.tracks)
        if self.hidden:
            env.update(self.hidden)
        env["round"] = self.round
        env["phase"] = self.phase
        env.state = self
        return env


class _Env(dict[str, int | str]):
    """A condition's env: plain names up front, function calls answered from the state when read."""

    state: GameState

    def __missing__(self, key: str) -> int | str:
        name, _, rest = key.partition(":")
        if not rest:
            raise KeyError(key)
        subject, _, by = rest.partition(":")
        state = self.state
        if name == "resources":
            actor = state.actors.get(subject)
            if actor is None:
                raise KeyError(key)
            return actor.resources
        if name in ("played", "played_this_round"):
            this_round = name == "played_this_round"
            return int(any(
                p.card == subject and p.status == "resolved"
                and (not by or p.actor == by) and (not this_round or p.round == state.round)
                for p in state.plays
            ))
        raise KeyError(key)


def state_to_data(state: GameState) -> dict[str, Any]:
    """The state as JSON-ready data."""
    return cast(dict[str, Any], plain(state))  # plain() of a dataclass is a dict
