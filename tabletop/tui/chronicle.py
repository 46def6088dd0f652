"""The story so far, as the shared screen may tell it.

A :class:`Chronicle` reads the public event stream (entries redacted for the
``observer`` seat, so it never holds a secret) and keeps what the screens show from
it: log lines, dice rolls waiting to be shown, and the turning points for the end
screen. It holds sentences, not game state; the game state stays in the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tabletop.campaign.model import Card
from tabletop.engine import events as E
from tabletop.engine.narrate import Narrator
from tabletop.engine.rules import Engine
from tabletop.journal import Entry


@dataclass(frozen=True, slots=True)
class LogLine:
    round: int
    text: str
    #: "round" | "play" | "track" | "phase" | "dice" | "vote" | "facilitator" | "inject" | "end"
    #: | "draw" | "turn" | "evaluation" | "plain"
    kind: str
    seq: int = 0  # the event's number (0: a line of the screen's own, not an event)


@dataclass(frozen=True, slots=True)
class TrackMove:
    """One public change of a track, for the round summary."""

    round: int
    track: str
    delta: int
    value: int
    cause: str  # in words: "Steer small groups (#4)", "the facilitator: ..."


@dataclass(frozen=True, slots=True)
class Roll:
    """A roll to show in the dice panel."""

    title: str  # "Bot swarm pushes the outage rumour (#3)" / "Veldia attributes #2 to Northmark"
    dice: tuple[int, ...]
    sides: int
    modifiers: tuple[tuple[str, int], ...]
    total: int
    target: int
    success: bool
    outcome: str  # "success" / "the attribution holds" / ...
    kind: str = "contest"  # or "attribution"
    play: int = 0  # the play rolled for


@dataclass
class Chronicle:
    engine: Engine
    narrator: Narrator = field(init=False)
    lines: list[LogLine] = field(default_factory=list)
    turning_points: list[LogLine] = field(default_factory=list)
    rolls: list[Roll] = field(default_factory=list)  # not yet shown
    moves: list[TrackMove] = field(default_factory=list)
    phase_changes: list[tuple[int, str]] = field(default_factory=list)  # (round, the phase entered)
    #: the hidden values revealed to everyone so far (a red line), to say beside their names
    revealed: dict[str, int | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.narrator = Narrator(self.engine)

    def feed(self, entries: Sequence[Entry]) -> list[LogLine]:
        """Read new entries; returns the new log lines (also kept in ``lines``)."""
        new = []
        for entry in entries:
            ev = entry.event
            text = self.narrator.sentence(ev)
            if ev.__class__ in (E.ContestRolled, E.AttributionAttempted):
                self.rolls.append(self._roll(ev))
            if isinstance(ev, E.CovertRevealed):
                self._revealed_card(ev.play)
            if isinstance(ev, E.PhaseChanged):
                self.phase_changes.append((entry.round, ev.dest))
            if isinstance(ev, E.ValuesRevealed):  # "?": a value this stream may not read
                self.revealed.update({k: v for k, v in ev.values.items() if v != "?"})
            if isinstance(ev, E.TrackChanged):
                cause = self.narrator.cause(ev.cause, reason=ev.reason)
                self.moves.append(TrackMove(entry.round, ev.track, ev.delta, ev.value, cause))
            if not text:
                continue
            line = LogLine(entry.round, text[:1].upper() + text[1:], _kind(ev), entry.seq)
            new.append(line)
            if _turning_point(ev):
                self.turning_points.append(line)
        self.lines.extend(new)
        return new

    def phase_after(self, rnd: int) -> str:
        """The crisis phase at the end of round ``rnd`` (as far as this chronicle has read)."""
        phase = self.engine.campaign.phases.initial
        for changed_in, dest in self.phase_changes:
            if changed_in <= rnd:
                phase = dest
        return phase

    def take_rolls(self) -> list[Roll]:
        rolls, self.rolls = self.rolls, []
        return rolls

    def _roll(self, ev: E.ContestRolled | E.AttributionAttempted) -> Roll:
        n = self.narrator
        if isinstance(ev, E.ContestRolled):
            title = n.play_label(ev.play)
            card = self._card_of(ev.play)
            dice = card.contest.dice if card is not None and card.contest is not None else f"{len(ev.dice)}d6"
            outcome = "success" if ev.success else "failure"
        else:
            title = f"{n.actor(ev.by)} attributes #{ev.play} to {n.actor(ev.accused)}"
            card = self._card_of(ev.play)
            dice = card.covert.attribution.dice if card is not None and card.covert is not None else f"{len(ev.dice)}d6"
            outcome = "the attribution holds" if ev.success else "inconclusive"
        sides = int(dice.split("d")[1]) if "d" in dice else 6
        kind = "contest" if isinstance(ev, E.ContestRolled) else "attribution"
        mods = tuple((n.modifier_label(label), value) for label, value in ev.modifiers)  # in words
        return Roll(title, tuple(ev.dice), sides, mods, ev.total, ev.target, ev.success, outcome, kind, ev.play)

    def _revealed_card(self, play: int) -> None:
        """The card of ``play`` is now named to all: an attribution roll of it still told
        only by its outcome is kept back for another reason (its modifiers read a value
        hidden from this stream), and the panel must not say it is to hide the card."""
        self.rolls = [
            replace(r, kind="attribution-revealed") if r.play == play and r.kind == "attribution" and not r.dice else r
            for r in self.rolls
        ]

    def _card_of(self, play: int) -> Card | None:
        _, card = self.narrator.plays.get(play, ("?", "?"))
        return self.engine.cards.get(card)


def _kind(ev: E.Event) -> str:
    if isinstance(ev, E.RoundStarted):
        return "round"
    if isinstance(ev, E.PhaseChanged):
        return "phase"
    if isinstance(ev, (E.ContestRolled, E.AttributionAttempted)):
        return "dice"
    if isinstance(ev, (E.VoteOpened, E.AdviceGiven, E.BallotCast, E.VoteClosed)):  # advice, too: the review lists it
        return "vote"
    if isinstance(ev, (E.ContestAdjudicated, E.ProposalRuled, E.Paused, E.Resumed, E.Annotated)):
        return "facilitator"
    if isinstance(ev, E.TrackChanged):
        return "facilitator" if ev.cause == "facilitator" else "track"
    if isinstance(ev, (E.CardPlayed, E.ProposalSubmitted, E.CovertRevealed)):
        return "play"
    if isinstance(ev, E.TurnEnded) and ev.forced:
        return "facilitator"
    if isinstance(ev, (E.ClockSet, E.TimeExtended, E.TimeRanOut)):
        return "facilitator"
    if isinstance(ev, E.TurnEnded) and ev.passed:
        return "play"
    if isinstance(ev, E.TriggerUnmet):
        return "phase"
    if isinstance(ev, E.InjectFired):
        return "inject"
    if isinstance(ev, E.GameEnded):
        return "end"
    if isinstance(ev, (E.CardsDrawn, E.DeckReshuffled)):
        return "draw"
    if isinstance(ev, (E.ObservationRecorded, E.HotwashAnswered, E.SeatNamed)):
        return "evaluation"
    if isinstance(ev, (E.TurnStarted, E.StepStarted)):
        return "turn"
    return "plain"


def _turning_point(ev: E.Event) -> bool:
    """Phase changes, contests, attributions, closed votes and facilitator adjustments."""
    if isinstance(ev, (E.PhaseChanged, E.ContestRolled, E.ContestAdjudicated, E.AttributionAttempted, E.VoteClosed)):
        return True
    return isinstance(ev, E.TrackChanged) and ev.cause == "facilitator"
