"""Commands: who wants what. The engine's ``decide`` turns one into events or refuses it.

``seat`` is an actor id, or ``"facilitator"`` for the white cell's commands; the
evaluation commands (:class:`Observe`, :class:`Hotwash`, :class:`NameSeat`) also come
from ``"evaluator"``, ``"observer"`` and ``side:<id>`` seats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tabletop.engine.errors import MalformedCommand
from tabletop.engine.serial import Registry, quiet

FACILITATOR = "facilitator"
#: the evaluators' seat (several people may share it; each command names its ``author``)
EVALUATOR = "evaluator"
#: the public seat (re-exported by :mod:`tabletop.engine.views`)
OBSERVER = "observer"
#: The longest reason (``rationale``) a play, a ballot or an advice may carry: one line.
MAX_RATIONALE = 300

COMMANDS: Registry[Command] = Registry("command")


@dataclass(frozen=True, slots=True)
class Command:
    TYPE: ClassVar[str] = ""
    seat: str


# ---------------------------------------------------------------- players


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class PlayCard(Command):
    """Play a card from the seat's hand; ``covert`` chooses for optionally covert cards."""

    TYPE: ClassVar[str] = "play"
    card: str  # instance id in the hand
    covert: bool | None = None
    rationale: str = quiet("")  # an optional one-line reason, kept for the debrief


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Pass(Command):
    """End the seat's turn."""

    TYPE: ClassVar[str] = "pass"


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class CastVote(Command):
    """A ballot on a consensus card (the vote is identified by the play's number)."""

    TYPE: ClassVar[str] = "vote"
    play: int
    yes: bool
    rationale: str = quiet("")


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Advise(Command):
    """An advisor's advice on a consensus card under vote: yes or no, and why."""

    TYPE: ClassVar[str] = "advise"
    play: int
    yes: bool
    rationale: str = ""


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Attribute(Command):
    """Pin a hidden covert play on the actor ``accused`` (an attribution contest)."""

    TYPE: ClassVar[str] = "attribute"
    play: int
    accused: str


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Propose(Command):
    """A free-form action no card covers, with the effects the seat intends."""

    TYPE: ClassVar[str] = "propose"
    text: str
    effects: Mapping[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- facilitator


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Adjudicate(Command):
    """Rule on a facilitator contest: success or failure, with a rationale."""

    TYPE: ClassVar[str] = "adjudicate"
    play: int
    success: bool
    rationale: str


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class RuleProposal(Command):
    """Accept, amend (with other effects) or reject a free-form proposal."""

    TYPE: ClassVar[str] = "rule"
    proposal: int
    verdict: str  # "accept" | "amend" | "reject"
    rationale: str
    effects: Mapping[str, Any] | None = None


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class FireInject(Command):
    """Fire a library inject by id, or a free-text one (``inject`` None, ``title`` set)."""

    TYPE: ClassVar[str] = "inject"
    inject: str | None = None
    title: str = ""
    text: str = ""
    effects: Mapping[str, Any] | None = None


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class AdjustTrack(Command):
    TYPE: ClassVar[str] = "adjust"
    track: str
    delta: int
    reason: str


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class FireTrigger(Command):
    """Fire a phase transition trigger (it still needs its condition to hold)."""

    TYPE: ClassVar[str] = "trigger"
    trigger: str
    reason: str


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Annotate(Command):
    """A note tied to the latest event."""

    TYPE: ClassVar[str] = "annotate"
    text: str


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Pause(Command):
    TYPE: ClassVar[str] = "pause"
    reason: str = ""


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Resume(Command):
    TYPE: ClassVar[str] = "resume"


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Advance(Command):
    """Move the game on: the seat whose turn it is passes; an open vote closes."""

    TYPE: ClassVar[str] = "advance"


# ---------------------------------------------------------------- evaluation (never changes the game)

#: P/S/M/U, the HSEEP ratings of how an objective or task was performed, in words
RATINGS: Mapping[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
#: what an observation records
KINDS: Mapping[str, str] = {"strength": "Strength", "improvement": "Area for improvement"}
MAX_OBSERVATION = 1000
MAX_HOTWASH = 500
MAX_NAME = 60  # a person's name (an author, a seat's participant)
#: the author an evaluation event records when none is given ("" for any other seat: its participant)
DEFAULT_AUTHOR: Mapping[str, str] = {EVALUATOR: "Evaluator", FACILITATOR: "Facilitator"}


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Observe(Command):
    """An evaluator's (or the facilitator's) observation, during play or after the end.

    ``about``: the seq of the event it refers to (0: the latest); ``objective``: a
    learning objective's reference (``CampaignIndex.objective_refs``) or ""; ``rating``
    one of :data:`RATINGS` or ""; ``kind`` one of :data:`KINDS` or ""; ``author`` the
    evaluator's name ("" : "Evaluator", or "Facilitator")."""

    TYPE: ClassVar[str] = "observe"
    text: str
    about: int = 0
    objective: str = ""
    rating: str = ""
    kind: str = ""
    author: str = ""


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class Hotwash(Command):
    """One seat's answers to the three hotwash questions, once the exercise is over."""

    TYPE: ClassVar[str] = "hotwash"
    went_well: str = ""
    improve: str = ""
    lesson: str = ""
    author: str = ""


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class NameSeat(Command):
    """The facilitator records who sits at ``target`` (an actor, the facilitator, an evaluator)."""

    TYPE: ClassVar[str] = "name_seat"
    target: str
    name: str


EVALUATION_COMMANDS = (Observe, Hotwash, NameSeat)


# ---------------------------------------------------------------- the clock

#: longest time box, in seconds (a day)
MAX_CLOCK = 86_400


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class SetClock(Command):
    """Set the time boxes: seconds a turn, seconds a round (0: no limit)."""

    TYPE: ClassVar[str] = "set_clock"
    turn: int = 0
    round: int = 0


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class ExtendTime(Command):
    """Give the actor whose turn it is more seconds."""

    TYPE: ClassVar[str] = "extend_time"
    seconds: int = 60


@COMMANDS.register
@dataclass(frozen=True, slots=True)
class TimeUp(Command):
    """The turn's time is up (the clock says so, through the facilitator's seat): it ends."""

    TYPE: ClassVar[str] = "time_up"


FACILITATOR_COMMANDS = (
    Adjudicate, RuleProposal, FireInject, AdjustTrack, FireTrigger, Annotate, Pause, Resume, Advance,
    SetClock, ExtendTime, TimeUp,
)


def command_from_data(data: Mapping[str, Any]) -> Command:
    """Rebuild a command from plain data (a network message, a save).

    Raises :class:`~tabletop.engine.errors.MalformedCommand` (a ``ValueError``) if it is
    not one, with a sentence a person can act on ("A pass command needs the field
    seat."). The values are not checked here: ``decide`` refuses what they cannot mean.
    """
    try:
        return COMMANDS.from_data(data)
    except ValueError as e:
        raise MalformedCommand(str(e)) from None


def command_to_data(command: Command) -> dict[str, Any]:
    return COMMANDS.to_data(command)
