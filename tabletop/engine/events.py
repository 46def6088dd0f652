"""Events: what happened. The state is a fold over them (``apply``).

Every random outcome is written into the event that needed it (the deck order, the
dice rolled), so folding the events again rebuilds the game exactly, whatever the
rules code does later.

``cause`` strings name why a change happened: ``play:N`` (the Nth card played),
``inject:ID`` (or ``inject:free``), ``attribution:N``, ``proposal:N``,
``facilitator``, ``threshold`` (a track condition), ``upkeep``.

Redacted copies of events (see :mod:`tabletop.engine.views`) put ``"?"`` where a value
is secret; ``apply`` folds those too, so a remote seat can mirror its view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from tabletop.engine.serial import Registry, quiet

EVENTS: Registry[Event] = Registry("event")


@dataclass(frozen=True, slots=True)
class Event:
    TYPE: ClassVar[str] = ""


@EVENTS.register
@dataclass(frozen=True, slots=True)
class GameStarted(Event):
    """The decks, shuffled (top card first), before the opening hands are dealt."""

    TYPE: ClassVar[str] = "game_started"
    campaign: str
    decks: Mapping[str, tuple[str, ...]]
    hidden: Mapping[str, int | str] = quiet(factory=dict)  # the hidden values drawn ("?" where secret)


@EVENTS.register
@dataclass(frozen=True, slots=True)
class RoundStarted(Event):
    TYPE: ClassVar[str] = "round_started"
    round: int
    date: str  # ISO in-game date


@EVENTS.register
@dataclass(frozen=True, slots=True)
class StepStarted(Event):
    TYPE: ClassVar[str] = "step_started"
    step: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TurnStarted(Event):
    TYPE: ClassVar[str] = "turn_started"
    actor: str
    plays: int


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TurnEnded(Event):
    """``passed``: the actor ended the turn (rather than running out of actions). ``None``
    in a copy for another side, which is not told (so it cannot tell a pass from a covert
    play that used the turn's last action)."""

    TYPE: ClassVar[str] = "turn_ended"
    actor: str
    passed: bool | None
    forced: bool = False


@EVENTS.register
@dataclass(frozen=True, slots=True)
class CardsDrawn(Event):
    TYPE: ClassVar[str] = "cards_drawn"
    actor: str
    cards: tuple[str, ...]


@EVENTS.register
@dataclass(frozen=True, slots=True)
class DeckReshuffled(Event):
    """The discard pile became the deck, in this order."""

    TYPE: ClassVar[str] = "deck_reshuffled"
    actor: str
    order: tuple[str, ...]


@EVENTS.register
@dataclass(frozen=True, slots=True)
class CardsDiscarded(Event):
    TYPE: ClassVar[str] = "cards_discarded"
    actor: str
    cards: tuple[str, ...]
    cause: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class CardPlayed(Event):
    """A card takes effect. A covert card does so when its side's step ends, after its
    ``covert_sealed``; saves written before that rule hold covert plays made at once,
    from the hand (``apply`` folds both)."""

    TYPE: ClassVar[str] = "card_played"
    play: int
    actor: str
    card: str  # card id
    instance: str
    covert: bool
    cost: int
    rationale: str = quiet("")  # the player's one-line reason, if it gave one


@EVENTS.register
@dataclass(frozen=True, slots=True)
class CovertSealed(Event):
    """A covert card played face-down: it leaves the hand and its cost is paid now; it
    resolves (as a covert ``card_played``) when its side's step ends, together with the
    side's other sealed plays. Only the author's side and the facilitator are told."""

    TYPE: ClassVar[str] = "covert_sealed"
    actor: str
    card: str  # card id
    instance: str
    cost: int
    rationale: str = quiet("")  # the author's reason, seen by its side only


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TrackChanged(Event):
    TYPE: ClassVar[str] = "track_changed"
    track: str
    delta: int  # the change actually made, after clamping
    value: int
    cause: str
    reason: str = ""


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ResourcesChanged(Event):
    TYPE: ClassVar[str] = "resources_changed"
    actor: str
    delta: int
    value: int
    cause: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ContestPending(Event):
    """A contest waits for adjudication (dice at the adjudication step, or the facilitator)."""

    TYPE: ClassVar[str] = "contest_pending"
    play: int
    by: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ContestRolled(Event):
    TYPE: ClassVar[str] = "contest_rolled"
    play: int
    dice: tuple[int, ...]
    modifiers: tuple[tuple[str, int], ...]
    target: int
    total: int
    success: bool


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ContestAdjudicated(Event):
    TYPE: ClassVar[str] = "contest_adjudicated"
    play: int
    success: bool
    rationale: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class VoteOpened(Event):
    TYPE: ClassVar[str] = "vote_opened"
    play: int
    voters: tuple[str, ...]
    advisors: tuple[str, ...] = quiet(())


@EVENTS.register
@dataclass(frozen=True, slots=True)
class BallotCast(Event):
    TYPE: ClassVar[str] = "ballot_cast"
    play: int
    actor: str
    yes: bool
    rationale: str = quiet("")


@EVENTS.register
@dataclass(frozen=True, slots=True)
class AdviceGiven(Event):
    """An advisor's advice on a consensus card (it does not vote)."""

    TYPE: ClassVar[str] = "advice_given"
    play: int
    actor: str
    yes: bool
    rationale: str = ""


@EVENTS.register
@dataclass(frozen=True, slots=True)
class VoteClosed(Event):
    TYPE: ClassVar[str] = "vote_closed"
    play: int
    passed: bool
    missing: tuple[str, ...] = ()  # voters who did not vote (the facilitator closed it)
    unadvised: tuple[str, ...] = quiet(())  # advisors who gave no advice (the facilitator closed it)


@EVENTS.register
@dataclass(frozen=True, slots=True)
class AttributionAttempted(Event):
    """``correct`` (was the accused the author?) is hidden from every side but the author's."""

    TYPE: ClassVar[str] = "attribution_attempted"
    play: int
    by: str
    accused: str
    dice: tuple[int, ...]
    modifiers: tuple[tuple[str, int], ...]
    target: int
    total: int
    success: bool
    correct: bool | None
    cost: int


@EVENTS.register
@dataclass(frozen=True, slots=True)
class CovertRevealed(Event):
    TYPE: ClassVar[str] = "covert_revealed"
    play: int
    card: str
    actor: str
    how: str  # "attributed" | "effect" | "timer"


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ProposalSubmitted(Event):
    TYPE: ClassVar[str] = "proposal_submitted"
    proposal: int
    actor: str
    text: str
    effects: Mapping[str, Any]


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ProposalRuled(Event):
    TYPE: ClassVar[str] = "proposal_ruled"
    proposal: int
    verdict: str
    rationale: str
    effects: Mapping[str, Any]
    text: str = ""  # the proposal, public once ruled


@EVENTS.register
@dataclass(frozen=True, slots=True)
class InjectFired(Event):
    TYPE: ClassVar[str] = "inject_fired"
    inject: str | None  # None for a free-text inject
    title: str
    text: str
    cause: str  # "round" | "condition" | "facilitator"
    to: tuple[str, ...] = quiet(())  # sides or actors it is addressed to, privately (everyone if empty)


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ValuesRevealed(Event):
    """Hidden values made known to every seat (by an effect)."""

    TYPE: ClassVar[str] = "values_revealed"
    values: Mapping[str, int | str]
    cause: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TriggerUnmet(Event):
    """A card's or inject's trigger did not move the crisis, and why, in words (format-2 campaigns).

    ``reads`` lists what the reason may depend on that some seat may not know (hidden
    values, ``resources:`` and ``played:`` keys): a seat that may not know one of them is
    told only that a condition it cannot see was not met."""

    TYPE: ClassVar[str] = "trigger_unmet"
    trigger: str
    phase: str
    reason: str
    cause: str
    reads: tuple[str, ...] = ()


@EVENTS.register
@dataclass(frozen=True, slots=True)
class PhaseChanged(Event):
    TYPE: ClassVar[str] = "phase_changed"
    source: str
    dest: str
    trigger: str
    cause: str
    condition: str | None = None


@EVENTS.register
@dataclass(frozen=True, slots=True)
class Annotated(Event):
    TYPE: ClassVar[str] = "annotated"
    text: str
    at: int  # seq of the event the note is about


@EVENTS.register
@dataclass(frozen=True, slots=True)
class Paused(Event):
    TYPE: ClassVar[str] = "paused"
    reason: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class Resumed(Event):
    TYPE: ClassVar[str] = "resumed"


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ClockSet(Event):
    """The time boxes, in seconds (0: no limit)."""

    TYPE: ClassVar[str] = "clock_set"
    turn: int
    round: int


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TimeExtended(Event):
    TYPE: ClassVar[str] = "time_extended"
    actor: str
    seconds: int


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TimeRanOut(Event):
    """An actor's time for its turn ran out: its turn ends (a ``turn_ended`` follows)."""

    TYPE: ClassVar[str] = "time_ran_out"
    actor: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class TableCleared(Event):
    """End of round: played cards go to their owners' discard piles, or leave the game."""

    TYPE: ClassVar[str] = "table_cleared"
    discarded: tuple[tuple[str, str], ...]  # (actor, instance)
    removed: tuple[tuple[str, str], ...]


@EVENTS.register
@dataclass(frozen=True, slots=True)
class GameEnded(Event):
    TYPE: ClassVar[str] = "game_ended"
    reason: str  # "terminal_phase" | "end_condition" | "last_round"
    detail: str  # the phase id, end condition id, or round
    objectives: Mapping[str, Mapping[str, bool]]
    actor_objectives: Mapping[str, Mapping[str, bool]] = quiet(factory=dict)
    results: Mapping[str, str] = quiet(factory=dict)  # side -> win | lose | draw, when the campaign declares them
    hidden: Mapping[str, int | str] = quiet(factory=dict)  # every hidden value, revealed at the end


@EVENTS.register
@dataclass(frozen=True, slots=True)
class ObservationRecorded(Event):
    """An evaluator's observation (seen by the facilitator and the evaluators only).

    ``about`` is the seq of the event it refers to (resolved: never 0); ``author`` is
    never empty for the evaluator and facilitator seats."""

    TYPE: ClassVar[str] = "observation_recorded"
    seat: str  # "evaluator" | "facilitator"
    author: str
    text: str
    about: int
    objective: str  # a learning objective's reference, or ""
    rating: str  # "P" | "S" | "M" | "U" | ""
    kind: str  # "strength" | "improvement" | ""


@EVENTS.register
@dataclass(frozen=True, slots=True)
class HotwashAnswered(Event):
    """One seat's hotwash answers (seen by the facilitator, the evaluators and that seat).
    ``author`` is "" for a player's seat (the seat's participant)."""

    TYPE: ClassVar[str] = "hotwash_answered"
    seat: str
    author: str
    went_well: str
    improve: str
    lesson: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class SeatNamed(Event):
    """Who sits at ``target`` (public)."""

    TYPE: ClassVar[str] = "seat_named"
    target: str
    name: str


@EVENTS.register
@dataclass(frozen=True, slots=True)
class Hidden(Event):
    """Stands in, in a seat's stream, for an event that seat may not see (keeps ``seq`` aligned)."""

    TYPE: ClassVar[str] = "hidden"


def event_to_data(event: Event) -> dict[str, Any]:
    return EVENTS.to_data(event)


def event_from_data(data: Mapping[str, Any]) -> Event:
    """Rebuild an event from plain data; raises ``ValueError`` if it is not one."""
    return EVENTS.from_data(data)
