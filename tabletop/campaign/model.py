"""The campaign format: one pydantic model for loading, validation, docs and JSON Schema.

A campaign is data, never code. This module declares its *shape* (types, required
keys, allowed values); :mod:`tabletop.campaign.semantics` adds the checks that need the
whole document (references between ids, conditions, reachability), and
:mod:`tabletop.campaign.validate` loads a file and locates every problem in it.

It is longer than most modules (about 600 lines) on purpose: it is the format, every
key with its type, bounds and description in one place, from which the validator, the
JSON Schema and the reference tables of docs/campaign-format.md are drawn; split, the
format would be read in pieces.

Conditions (``when:``) are plain strings here; :meth:`Campaign.condition` checks each
once with the campaign's names and keeps its tree (:mod:`tabletop.campaign.conditions`).
"""

from __future__ import annotations

import datetime as dt
import keyword
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt

from tabletop.campaign.plural import plural_name

if TYPE_CHECKING:  # at run time the condition language is imported by the first condition() call
    from tabletop.campaign.condition_calls import CallSpec
    from tabletop.campaign.conditions import Condition

FORMAT_VERSION: Final = 2

#: the ``plural`` key of a track and of a hidden value
PLURAL_DOC: Final = (
    "Whether the name is plural, so conditions say `Sanctions are at least 2`. Unset: plural if the name has more "
    "than one word and its last is a lower-case word ending in `s` (not `ss`, `us` or `is`), as `Graduated response plans`."
)
#: The formats this version reads: a format-1 campaign is a format-2 one that uses none of its new keys.
FORMAT_VERSIONS: Final = (1, 2)

#: Ids of cards, phases, injects, actors, sides: lower case, digits, ``-`` and ``_``.
Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_-]*$",
        max_length=64,
        description="An id: lower case letters, digits, '-' and '_', starting with a letter.",
    ),
]
#: Names a track id may not take: the other names of conditions and Python keywords.
RESERVED_TRACK_IDS = frozenset(
    {"round", "phase", "true", "false", "none"} | set(keyword.kwlist) | set(keyword.softkwlist)
)


def _not_reserved(value: str) -> str:
    if value in RESERVED_TRACK_IDS:
        raise ValueError(f"{value!r} cannot be a track id: it is a reserved word in conditions")
    return value


#: Track ids appear as names in conditions, so they are identifiers.
TrackId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="A track id: lower case letters, digits and '_' (it is a name in conditions).",
    ),
    # After the Field: placed before it, the pattern drops out of the JSON Schema.
    AfterValidator(_not_reserved),
]
#: Where a transition leaves from: a phase id, or ``*`` for any non-terminal phase.
SourceId = Annotated[
    str,
    Field(
        pattern=r"^(\*|[a-z][a-z0-9_-]*)$",
        max_length=64,
        description="A phase id, or '*' for any non-terminal phase.",
    ),
]
ConditionText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        description=(
            "A condition over tracks, `round` and `phase`, e.g. "
            "`escalation >= 6 and cohesion < 4`. See docs/campaign-format.md#conditions."
        ),
    ),
]
Text = Annotated[str, Field(max_length=20_000)]

#: Round steps that are not a side's turn.
FIXED_STEPS = ("injects", "adjudication", "phase_check", "upkeep")


class Strict(BaseModel):
    """Base for every part of the format: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


# --------------------------------------------------------------------------- effects


class Effects(Strict):
    """What happens when a card resolves, an inject fires or a contest branch is taken."""

    tracks: dict[TrackId, StrictInt] = Field(
        default_factory=dict,
        description="Track changes, e.g. `{escalation: 2, cohesion: -1}`; results are clamped to the track's bounds.",
    )
    resources: StrictInt = Field(0, description="Resources gained (or lost, if negative) by the actor who played the card.")
    resources_of: dict[Id, StrictInt] = Field(
        default_factory=dict, description="Resources gained or lost by named actors, e.g. `{belarus: -1}`."
    )
    draw: StrictInt = Field(0, ge=0, le=20, description="Cards the playing actor draws.")
    discard: dict[Id, StrictInt] = Field(
        default_factory=dict,
        description="Named actors discard this many cards at random from their hands, e.g. `{belarus: 1}`.",
    )
    trigger: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="A phase transition trigger to fire; it takes effect only if the current phase has a transition with this trigger whose condition holds.",
    )
    reveal: StrictInt = Field(
        0, ge=0, le=20, description="Reveal this many hidden covert plays of the other sides, oldest first."
    )
    reveal_values: list[TrackId] = Field(
        default_factory=list,
        description="Hidden values (ids under `hidden`) made known to every seat, e.g. `[red_line]`.",
    )

    def is_empty(self) -> bool:
        return not (
            self.tracks or self.resources or self.resources_of or self.draw or self.discard
            or self.trigger or self.reveal or self.reveal_values
        )


class Modifier(Strict):
    """A bonus or malus to a dice roll, applied when its condition holds."""

    add: StrictInt = Field(description="Added to the roll (negative to subtract).")
    when: ConditionText | None = Field(None, description="Applies only when this condition holds.")
    if_played: Id | None = Field(
        None, description="Applies only if this card has been played (and not cancelled) earlier in the game."
    )
    per: StrictInt | None = Field(
        None, ge=1, le=1000,
        description="Proportional: `add` once for every `per` points of `of`, e.g. `{add: 1, per: 2, of: confidence}`.",
    )
    of: TrackId | None = Field(
        None, description="The track (or hidden value) a proportional modifier counts; needs `per`."
    )
    label: str = Field("", max_length=200, description="Shown beside the roll, e.g. 'Allied solidarity'.")


class Contest(Strict):
    """An uncertain outcome: dice against a target, or the facilitator's judgement."""

    by: Literal["dice", "facilitator"] = Field(
        "dice", description="`dice`: roll and compare with `target`; `facilitator`: the white cell decides, with a rationale."
    )
    dice: str = Field(
        "2d6", pattern=r"^[1-9]d([2-9]|[1-9][0-9])$", description="Dice to roll, `NdS`, e.g. `2d6`."
    )
    target: StrictInt | None = Field(None, description="The roll plus modifiers must reach this to succeed (dice contests).")
    modifiers: list[Modifier] = Field(default_factory=list)
    prompt: str = Field("", max_length=2000, description="The question put to the facilitator (facilitator contests).")
    success: Effects = Field(default_factory=Effects, description="Effects when the contest succeeds.")
    failure: Effects = Field(default_factory=Effects, description="Effects when it fails.")


class Consensus(Strict):
    """The card takes effect only if every named actor votes yes."""

    voters: list[Id] = Field(min_length=1, description="Actors who must all agree, e.g. `[poland, lithuania, latvia]`.")
    advisors: list[Id] = Field(
        default_factory=list,
        description="Actors asked for their advice before the vote, who do not vote; their advice is recorded.",
    )
    prompt: str = Field("", max_length=2000, description="The question put to the voters.")


class Attribution(Strict):
    """The roll another side makes to pin a covert play on its author."""

    dice: str = Field("2d6", pattern=r"^[1-9]d([2-9]|[1-9][0-9])$")
    target: StrictInt = Field(7, description="Roll plus modifiers needed to attribute the play.")
    modifiers: list[Modifier] = Field(default_factory=list)


class Covert(Strict):
    """The card is played face-down: its effects show, its identity and author do not."""

    optional: bool = Field(False, description="If true the player chooses to play it covertly or openly.")
    attribution: Attribution = Field(default_factory=Attribution)
    on_attributed: Effects = Field(
        default_factory=Effects, description="Effects when the other side correctly attributes it."
    )
    reveal_after: StrictInt | None = Field(
        None, ge=1, le=100, description="Revealed automatically this many rounds after it was played (never, if absent)."
    )


# --------------------------------------------------------------------------- cards


class Card(Strict):
    """A hybrid action, an allied response, or an event, as a card a seat can play."""

    id: Id
    title: str = Field(min_length=1, max_length=120)
    side: Id = Field(description="The side that may play it.")
    actor: Id | None = Field(None, description="Only this actor may play it (and it starts in its deck by default).")
    kind: Literal["action", "response", "event"] = Field(
        "action", description="`action` (an initiative), `response` (an answer to one) or `event` (a circumstance); descriptive."
    )
    cost: StrictInt = Field(0, ge=0, le=99, description="Resources spent to play it.")
    phases: list[Id] | None = Field(None, description="Phases in which it may be played; any non-terminal phase if absent.")
    requires: ConditionText | None = Field(None, description="An extra condition that must hold to play it.")
    single_use: bool = Field(False, description="Removed from the game once played, instead of going to the discard pile.")
    effects: Effects = Field(default_factory=Effects, description="Effects when it resolves.")
    contest: Contest | None = None
    consensus: Consensus | None = None
    covert: Covert | None = None
    rationale: Literal["ask"] | None = Field(
        None, description="`ask`: the player is asked for a one-line reason when playing it, kept for the debrief."
    )
    flavour: Text = ""
    source: Text = Field("", description="Where it comes from, e.g. the paragraph of the brief.")
    design_note: str = Field(
        "",
        max_length=1000,
        description="Why this card is rarely or always played, by design; `tabletop simulate` prints it instead of a warning.",
    )


# --------------------------------------------------------------------------- sides


class Objective(Strict):
    """An aim, judged when the exercise ends: met if its condition holds then."""

    id: Id
    title: str = Field(min_length=1, max_length=200)
    when: ConditionText = Field(description="Met if this holds when the exercise ends.")
    description: Text = ""
    secret: bool = Field(
        False, description="Known only to its side or actor, the facilitator and the debrief."
    )


class Actor(Strict):
    """A seat: one state or organisation that plays cards."""

    id: Id
    name: str = Field(min_length=1, max_length=80)
    description: Text = ""
    resources: StrictInt = Field(0, ge=0, le=999, description="Resources at the start.")
    income: StrictInt = Field(0, ge=0, le=99, description="Resources gained at each upkeep.")
    hand_size: StrictInt = Field(4, ge=0, le=20, description="Cards dealt at the start; a hand never grows beyond it by drawing.")
    draw_per_round: StrictInt = Field(1, ge=0, le=20, description="Cards drawn at each upkeep (up to hand_size).")
    deck: list[Id] | None = Field(
        None,
        description="Card ids in this actor's deck (repeat an id for copies). Defaults to every card whose `actor` is this actor.",
    )
    plays_per_turn: StrictInt | None = Field(
        None, ge=1, le=10, description="Actions this actor may take in its turn (default: its side's, else the rules')."
    )
    brief: Text = Field("", description="A private brief (its situation, interests, red lines), shown only to this seat.")
    objectives: list[Objective] = Field(
        default_factory=list, description="This actor's own aims (public unless `secret: true`)."
    )


class Side(Strict):
    id: Id
    name: str = Field(min_length=1, max_length=80)
    description: Text = ""
    actors: list[Actor] = Field(min_length=1)
    objectives: list[Objective] = Field(default_factory=list)
    plays_per_turn: StrictInt | None = Field(
        None, ge=1, le=10, description="Actions each of its actors may take in its turn (default: the rules')."
    )


# --------------------------------------------------------------------------- tracks and phases


class Threshold(Strict):
    at: StrictInt
    label: str = Field(min_length=1, max_length=80)
    description: Text = ""


class Track(Strict):
    """A bounded public gauge, such as escalation or allied cohesion."""

    id: TrackId
    name: str = Field(min_length=1, max_length=80)
    description: Text = ""
    min: StrictInt = 0
    max: StrictInt = 10
    start: StrictInt
    thresholds: list[Threshold] = Field(default_factory=list)
    favours: Id | None = Field(None, description="The side a rise of this track helps (for display and bots).")
    plural: bool | None = Field(None, description=PLURAL_DOC)

    def rising(self, threshold: Threshold) -> bool:
        """Whether ``threshold`` names the band at and above it (one at or above the start)
        rather than at and below it (one under the start): a track starts in its ordinary
        range, and its thresholds mark how far it has gone either way."""
        return threshold.at >= self.start

    def band(self, value: int) -> Threshold | None:
        """The threshold whose band ``value`` is in: the farthest crossed from the start
        (``Crisis`` from 4, ``Collapse`` at 1 or less), or None in the ordinary range."""
        up = [t for t in self.thresholds if self.rising(t) and value >= t.at]
        down = [t for t in self.thresholds if not self.rising(t) and value <= t.at]
        if up:
            return max(up, key=lambda t: t.at)
        return min(down, key=lambda t: t.at) if down else None

    def next_band(self, value: int) -> tuple[Threshold, int] | None:
        """The nearest band ``value`` is not in yet, and how many points away it is."""
        ahead = [(t, t.at - value) for t in self.thresholds if self.rising(t) and value < t.at]
        ahead += [(t, value - t.at) for t in self.thresholds if not self.rising(t) and value > t.at]
        return min(ahead, key=lambda x: (x[1], -x[0].at)) if ahead else None


#: The result a side gets when an outcome is declared.
Result = Literal["win", "lose", "draw"]
#: A declared outcome: one result for every side (`lose`), or one per side (`{red: win, blue: lose}`).
DeclaredOutcome = Result | dict[Id, Result]


class Phase(Strict):
    id: Id
    name: str = Field(min_length=1, max_length=80)
    description: Text = ""
    terminal: bool = Field(False, description="Reaching it ends the exercise.")
    outcome: DeclaredOutcome | None = Field(
        None,
        description="For a terminal phase: the result for every side (`lose`: everyone loses) or per side "
        "(`{red: win, blue: lose}`), instead of judging objectives.",
    )


class Transition(Strict):
    trigger: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="Its name; cards and injects fire it with `effects: {trigger: ...}`."
    )
    source: SourceId | list[Id] = Field(description="Phase (or list of phases) it leaves from; `'*'` for any non-terminal phase.")
    dest: Id
    when: ConditionText | None = Field(None, description="It fires only when this holds.")
    auto: bool | None = Field(
        None,
        description="Checked at every phase check (default: true when it has a condition). A transition without a condition fires only by trigger.",
    )
    label: str = Field("", max_length=200, description="A short explanation for the phase screen and diagrams.")

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)

    @property
    def is_auto(self) -> bool:
        return self.auto if self.auto is not None else self.when is not None


class Phases(Strict):
    """The crisis state machine."""

    initial: Id
    states: list[Phase] = Field(min_length=1)
    transitions: list[Transition] = Field(default_factory=list)


# --------------------------------------------------------------------------- injects, end, rules


class Inject(Strict):
    """A scripted event: by round, by condition (fires once), or from the facilitator's library."""

    id: Id
    title: str = Field(min_length=1, max_length=120)
    text: Text = ""
    round: StrictInt | None = Field(None, ge=1, description="Fires at the start of this round.")
    when: ConditionText | None = Field(None, description="Fires once, at the first inject step where this holds.")
    library: bool | None = Field(
        None, description="The facilitator may fire it at any time (default: true when it has neither round nor when)."
    )
    to: list[Id] = Field(
        default_factory=list,
        description="Sides or actors it is addressed to, privately: only they and the facilitator see it (everyone, if empty).",
    )
    effects: Effects = Field(default_factory=Effects)
    expected: Text = Field("", description="The response the evaluators look for (the MSEL's expected action).")
    objective: str = Field("", max_length=200, description="The learning objective it exercises (its id or its words).")
    source: Text = ""

    @property
    def in_library(self) -> bool:
        return self.library if self.library is not None else (self.round is None and self.when is None)


class EndCondition(Strict):
    id: Id
    title: str = Field(min_length=1, max_length=200)
    when: ConditionText
    outcome: DeclaredOutcome | None = Field(
        None, description="The result for every side, or per side, instead of judging objectives."
    )


class HiddenValue(Strict):
    """A value drawn at the start of the game, known only to the facilitator and named seats."""

    id: TrackId = Field(description="Its name in conditions and modifiers, e.g. `red_line`.")
    name: str = Field(min_length=1, max_length=80, description="Shown to those who know it, and in the debrief.")
    description: Text = ""
    range: tuple[StrictInt, StrictInt] | None = Field(
        None, description="Drawn uniformly between these two whole numbers, both included, e.g. `[6, 9]`."
    )
    values: list[StrictInt] | list[str] | None = Field(
        None, min_length=1, description="Drawn from this list (numbers, or texts), each equally likely."
    )
    known_by: list[Id] = Field(
        default_factory=list, description="Sides or actors who know it from the start (besides the facilitator)."
    )
    plural: bool | None = Field(None, description=PLURAL_DOC)


class EvidenceItem(Strict):
    """One thing the debrief measures for a learning objective: exactly one of `when`, `card`, `count`."""

    label: str = Field(min_length=1, max_length=200, description="How the debrief names it.")
    when: ConditionText | None = Field(None, description="The round (and tracks) when this first held, or never.")
    card: Id | None = Field(None, description="Each play of this card: round, phase, author and tracks at the time.")
    count: Literal["misattributions", "attributions", "covert_plays", "proposals", "rejected_votes", "phase_changes"] | None = Field(
        None, description="A count over the whole game."
    )


class LearningObjective(Strict):
    """What participants should take away, and the evidence of it the debrief evaluates."""

    id: Id | None = None
    text: str = Field(min_length=1, max_length=2000)
    evidence: list[EvidenceItem] = Field(default_factory=list)


class Calendar(Strict):
    start: dt.date = Field(description="In-game date of round 1, e.g. 2021-11-08.")
    round_days: StrictInt = Field(7, ge=1, le=366, description="In-game days per round.")
    rounds: StrictInt = Field(ge=1, le=100, description="The exercise ends after this many rounds.")


class Clock(Strict):
    """Time boxes for a live exercise (wall-clock minutes; the facilitator can change them)."""

    turn_minutes: float | None = Field(
        None, gt=0, le=240, description="Minutes an actor has for its turn (none: no limit)."
    )
    round_minutes: float | None = Field(
        None, gt=0, le=1440, description="Minutes a round should take (shown to every seat; nothing is forced)."
    )
    on_timeout: Literal["pass", "wait"] = Field(
        "pass", description="When a turn's time is up: `pass` ends the turn for the actor; `wait` only says it is over time."
    )


class Rules(Strict):
    """How a round runs; every value has a default."""

    order: list[str] | None = Field(
        None,
        description=(
            "Steps of a round: `injects`, `adjudication`, `phase_check`, `upkeep` and side ids (that side's turn). "
            "Default: injects, each side in the order listed, adjudication, phase_check, upkeep."
        ),
    )
    plays_per_turn: StrictInt = Field(1, ge=1, le=10, description="Cards (or other actions) each actor may play in its side's turn.")
    attribution_cost: StrictInt = Field(1, ge=0, le=99, description="Resources an attempt to attribute a covert play costs.")
    misattribution: Effects = Field(
        default_factory=Effects, description="Effects of a wrong accusation that sticks (the roll succeeded, but the named actor was not the author)."
    )
    clock: Clock | None = Field(None, description="Time boxes for turns and rounds, e.g. `{turn_minutes: 5, round_minutes: 30}`.")


class Campaign(Strict):
    """A whole campaign file."""

    format: Literal[1, 2] = Field(1, description="Version of this format: 2 adds roles, hidden values and the MSEL keys; 1 still loads.")
    id: Id
    title: str = Field(min_length=1, max_length=200)
    version: str = Field("1", max_length=40)
    author: str = Field("", max_length=200)
    briefing: Text = Field(min_length=1)
    learning_objectives: list[str | LearningObjective] = Field(
        default_factory=list, description="What participants should take away: a sentence, or `{id, text, evidence}`."
    )
    calendar: Calendar
    rules: Rules = Field(default_factory=Rules)
    sides: list[Side] = Field(min_length=2)
    tracks: list[Track] = Field(min_length=1)
    phases: Phases
    cards: list[Card] = Field(min_length=1)
    injects: list[Inject] = Field(default_factory=list)
    end: list[EndCondition] = Field(default_factory=list)
    hidden: list[HiddenValue] = Field(
        default_factory=list, description="Values drawn at the start, known to the facilitator and named seats only."
    )


    # ---- lookups (built once; the model is frozen)

    @cached_property
    def compiled_conditions(self) -> dict[str, Condition]:
        """The conditions :meth:`condition` has built, by their text (a plain dict in the
        instance: a pydantic private attribute costs a slow ``__getattr__`` on every read)."""
        return {}

    @cached_property
    def card_by_id(self) -> dict[str, Card]:
        return {c.id: c for c in self.cards}

    @cached_property
    def side_by_id(self) -> dict[str, Side]:
        return {s.id: s for s in self.sides}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for s in self.sides for a in s.actors}

    @cached_property
    def side_of_actor(self) -> dict[str, str]:
        return {a.id: s.id for s in self.sides for a in s.actors}

    @cached_property
    def track_by_id(self) -> dict[str, Track]:
        return {t.id: t for t in self.tracks}

    @cached_property
    def phase_by_id(self) -> dict[str, Phase]:
        return {p.id: p for p in self.phases.states}

    @cached_property
    def inject_by_id(self) -> dict[str, Inject]:
        return {i.id: i for i in self.injects}

    @cached_property
    def round_order(self) -> tuple[str, ...]:
        if self.rules.order is not None:
            return tuple(self.rules.order)
        return ("injects", *(s.id for s in self.sides), "adjudication", "phase_check", "upkeep")

    def deck_of(self, actor_id: str) -> tuple[str, ...]:
        """Card ids in an actor's starting deck (with repeats for copies)."""
        actor = self.actor_by_id[actor_id]
        if actor.deck is not None:
            return tuple(actor.deck)
        return tuple(c.id for c in self.cards if c.actor == actor_id)

    @cached_property
    def hidden_by_id(self) -> dict[str, HiddenValue]:
        return {h.id: h for h in self.hidden}

    def names_many(self, value_id: str) -> bool:
        """Whether the name of the track or hidden value ``value_id`` is plural (its
        ``plural`` key, else :func:`~tabletop.campaign.plural.plural_name`); False for any
        other id."""
        value = self.track_by_id.get(value_id) or self.hidden_by_id.get(value_id)
        if value is None:
            return False
        return value.plural if value.plural is not None else plural_name(value.name)

    @cached_property
    def learning(self) -> tuple[LearningObjective, ...]:
        """The learning objectives, each as a :class:`LearningObjective` (a bare sentence has no evidence)."""
        return tuple(
            LearningObjective(text=lo) if isinstance(lo, str) else lo for lo in self.learning_objectives
        )

    def plays_per_turn(self, actor_id: str) -> int:
        """Actions ``actor_id`` may take in its turn: its own, else its side's, else the rules'."""
        actor = self.actor_by_id[actor_id]
        if actor.plays_per_turn is not None:
            return actor.plays_per_turn
        side = self.side_by_id[self.side_of_actor[actor_id]]
        return side.plays_per_turn if side.plays_per_turn is not None else self.rules.plays_per_turn

    def objectives_of(self, owner: str) -> list[Objective]:
        """The objectives of a side or an actor (by id)."""
        if owner in self.side_by_id:
            return self.side_by_id[owner].objectives
        return self.actor_by_id[owner].objectives

    def knows(self, hidden_id: str) -> frozenset[str]:
        """The sides and actors who know hidden value ``hidden_id`` from the start."""
        return frozenset(self.hidden_by_id[hidden_id].known_by)

    def condition_names(self) -> dict[str, type]:
        """Names a condition may read, with their types."""
        names: dict[str, type] = {t.id: int for t in self.tracks}
        for h in self.hidden:
            names[h.id] = str if h.values and isinstance(h.values[0], str) else int
        names["round"] = int
        names["phase"] = str
        return names

    def condition_calls(self) -> dict[str, CallSpec]:
        """The functions a condition may call: ``resources``, ``played``, ``played_this_round``."""
        from tabletop.campaign.condition_calls import standard_calls

        return standard_calls(
            actors=[a.id for s in self.sides for a in s.actors], cards=[c.id for c in self.cards]
        )

    def condition(self, text: str) -> Condition:
        """The checked :class:`~tabletop.campaign.conditions.Condition` for ``text``.

        Built once and cached. Raises :class:`~tabletop.campaign.conditions.ConditionError`
        if it does not compile; a validated campaign never does.
        """
        compiled = self.compiled_conditions.get(text)
        if compiled is None:
            from tabletop.campaign.conditions import compile_condition

            values: dict[str, list[str]] = {"phase": [p.id for p in self.phases.states]}
            for h in self.hidden:
                if h.values and isinstance(h.values[0], str):
                    values[h.id] = [str(v) for v in h.values]
            compiled = compile_condition(text, self.condition_names(), values, self.condition_calls())
            self.compiled_conditions[text] = compiled
        return compiled


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the campaign format, draft-7 style (``definitions``).

    yaml-language-server understands this form, so editors complete and check keys.
    """
    schema = Campaign.model_json_schema(ref_template="#/definitions/{model}", mode="validation")
    defs = schema.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://tabletop.invalid/campaign.schema.json",
        **schema,
        "definitions": defs,
    }
    return out
