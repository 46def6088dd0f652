"""What each seat may see: ``view_for`` for states, ``redact`` for events.

Longer than most modules (about 520 lines) on purpose: it is the one place that says
what each seat may see, the view and the redaction of every event side by side, so a
secrecy rule is read, reviewed and tested in one file.

Seats (viewpoints):

- an actor id — its own hand, its own side's resources and covert plays;
- ``side:<id>`` — everything that side's actors know (every hand of the side);
- ``observer`` — the public picture only;
- ``evaluator`` — the public picture, and the evaluation events (observations, hotwash
  answers) that only the facilitator and the evaluators see;
- ``facilitator`` (and the debrief) — everything.

Never in a non-facilitator view: another side's hand, resources or deck order; any
deck order at all; a hidden covert play's card or author (unless it is your side's);
whether an accusation against another side was right; the random seed (which is not
in the state at all).

A covert play must not give away which of its side's actors made it, so another
side's card counts (hand, deck, discard) and the actions left in its actors' turns are
not shown either: the author holds one card fewer, and spent an action. Events follow
suit (see :func:`redact`): another side's draws, discards and reshuffles, sealed
covert plays and resources are hidden; its turns end without saying whether the actor
passed (unless the side has no card it could play covertly: then a pass is public); the rolls of a hidden play (and rolls that count a covert card's play) say
only whether they succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import is_not
from typing import Any, cast
from weakref import WeakKeyDictionary

from tabletop.engine import events as E
from tabletop.engine.commands import EVALUATOR, FACILITATOR, OBSERVER
from tabletop.engine.index import clock_of
from tabletop.engine.rules import HIDDEN, Engine

__all__ = [
    "EVALUATOR", "HIDDEN", "OBSERVER", "ActorView", "PlayView", "View", "ViewCache", "Viewpoint", "redact", "view_for", "view_to_data",
]
from tabletop.campaign.model import Modifier
from tabletop.campaign.secrets import audience, secret_ids, sees_objectives
from tabletop.engine.serial import plain
from tabletop.engine.state import ActorState, GameState, Outcome, PhaseChange, Play


@dataclass(frozen=True, slots=True)
class Viewpoint:
    """Who is looking: which sides' secrets and which hands they hold."""

    seat: str
    sides: frozenset[str]  # sides whose secrets (covert plays, resources) it knows
    hands: frozenset[str]  # actors whose hands it sees
    everything: bool = False

    @classmethod
    def of(cls, engine: Engine, seat: str) -> Viewpoint:
        """The viewpoint of ``seat``; raises ``ValueError`` for an unknown seat.

        A function of the campaign alone, so made once per engine and seat: ``redact``
        asks for every event and every seat."""
        seats = _VIEWPOINTS.get(engine)
        if seats is None:
            seats = _VIEWPOINTS[engine] = {}
        vp = seats.get(seat)
        if vp is None:
            vp = seats[seat] = cls._make(engine, seat)
        return vp

    @classmethod
    def _make(cls, engine: Engine, seat: str) -> Viewpoint:
        if seat == FACILITATOR:
            return cls(seat, frozenset(engine.actors_of), frozenset(engine.actors), True)
        if seat in (OBSERVER, EVALUATOR):
            return cls(seat, frozenset(), frozenset())
        if seat.startswith("side:") and seat[5:] in engine.actors_of:
            side = seat[5:]
            return cls(seat, frozenset({side}), frozenset(engine.actors_of[side]))
        if seat in engine.side_of:
            return cls(seat, frozenset({engine.side_of[seat]}), frozenset({seat}))
        raise ValueError(f"unknown seat {seat!r}")

    def among(self, audience: Iterable[str]) -> bool:
        """Whether this seat is in ``audience`` (side and actor ids): an actor is if it or its
        side is named; a side's seat if the side or any of its actors is; the facilitator always."""
        return self.everything or not self.sides.union(self.hands).isdisjoint(audience)

    def knows_value(self, engine: Engine, value: str, state: GameState) -> bool:
        """Whether this seat knows hidden value ``value`` in ``state``."""
        return value in state.revealed_values or self.among(engine.campaign.hidden_by_id[value].known_by)


#: engine -> seat -> its viewpoint (see ``Viewpoint.of``); an engine never changes
_VIEWPOINTS: WeakKeyDictionary[Engine, dict[str, Viewpoint]] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class ActorView:
    id: str
    side: str
    resources: int | None  # None: not known to this seat
    hand: tuple[str, ...] | None  # None: not this seat's to see
    hand_count: int | None  # None: another side's (not known to this seat)
    deck_count: int | None
    discard_count: int | None


@dataclass(frozen=True, slots=True)
class AccusationView:
    by: str
    accused: str
    success: bool
    correct: bool | None  # None: not known to this seat
    round: int


@dataclass(frozen=True, slots=True)
class PlayView:
    id: int
    round: int
    actor: str | None  # None: hidden from this seat
    card: str | None
    covert: bool
    revealed: bool
    status: str
    contest: str | None
    accusations: tuple[AccusationView, ...]
    perceived_author: str | None


@dataclass(frozen=True, slots=True)
class VoteView:
    play: int
    voters: tuple[str, ...]
    ballots: Mapping[str, bool]
    advisors: tuple[str, ...] = ()
    advice: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProposalView:
    id: int
    actor: str
    round: int
    text: str
    effects: Mapping[str, Any]
    verdict: str | None
    rationale: str


@dataclass(frozen=True, slots=True)
class View:
    """One seat's picture of the game. JSON-ready via :func:`view_to_data`."""

    seat: str
    seq: int
    round: int
    date: str
    step: str
    phase: str
    tracks: Mapping[str, int]
    round_start_tracks: Mapping[str, int]
    turn: str | None
    plays_left: int | None  # None: the turn of another side's actor
    awaiting: tuple[str, ...]
    actors: Mapping[str, ActorView]
    plays: tuple[PlayView, ...]
    vote: VoteView | None
    pending: tuple[int, ...]
    proposals: tuple[ProposalView, ...]
    phase_history: tuple[PhaseChange, ...]
    paused: bool
    outcome: Outcome | None
    values: Mapping[str, int | str] = field(default_factory=dict)  # the hidden values this seat knows
    #: the time boxes, (turn, round) in seconds, 0 for none (public)
    clock: tuple[int, int] = (0, 0)


#: marks a cached actor view that holds nothing of the actor's state (see ``view_for``)
_OPAQUE = ActorState(0)


class ViewCache:
    """Reuses the parts of earlier views whose underlying state objects are unchanged.

    States share every unchanged part with the state before them, so a play or an
    actor that did not change keeps its identity; its view for the same seat is then
    the same too. Purely an optimisation: ``view_for`` gives equal results without it.
    """

    def __init__(self) -> None:
        self.actors: dict[str, dict[str, tuple[ActorState, ActorView]]] = {}  # seat -> actor -> (state, view)
        # per seat: the last ``state.plays`` seen and its views; a later state's plays are
        # those with at most a few replaced or added, found by identity in one C-level pass
        self.play_lists: dict[str, tuple[tuple[Play, ...], tuple[PlayView, ...]]] = {}
        self.viewpoints: dict[str, Viewpoint] = {}  # a seat's viewpoint depends on the campaign only
        # play id -> (play, view) of a play every seat sees alike (neither hidden nor accused)
        self.public: dict[int, tuple[Play, PlayView]] = {}
        self.known: dict[str, frozenset[str]] = {}  # per seat: the hidden values it knows from the start


def view_for(engine: Engine, state: GameState, seat: str, cache: ViewCache | None = None) -> View:
    """What ``seat`` may see of ``state``. Raises ``ValueError`` for an unknown seat."""
    if cache is None:
        vp = Viewpoint.of(engine, seat)
    else:
        vp = cache.viewpoints.get(seat) or cache.viewpoints.setdefault(seat, Viewpoint.of(engine, seat))
    actors = {}
    seen = cache.actors.setdefault(seat, {}) if cache is not None else None
    for actor, a in state.actors.items():
        if seen is not None:
            hit = seen.get(actor)
            if hit is not None and (hit[0] is a or hit[0] is _OPAQUE):
                actors[actor] = hit[1]
                continue
        side = engine.side_of[actor]
        ours = vp.everything or side in vp.sides
        if seen is not None and not ours and actor not in vp.hands:
            # another side's actor: nothing of its state shows, so one view serves all game
            actors[actor] = ActorView(actor, side, None, None, None, None, None)
            seen[actor] = (_OPAQUE, actors[actor])
            continue
        actors[actor] = ActorView(
            id=actor,
            side=side,
            resources=a.resources if ours else None,
            hand=a.hand if actor in vp.hands else None,
            hand_count=len(a.hand) if ours else None,
            deck_count=len(a.deck) if ours else None,
            discard_count=len(a.discard) if ours else None,
        )
        if seen is not None:
            seen[actor] = (a, actors[actor])
    if cache is None:
        plays = tuple(_play_view(engine, vp, p) for p in state.plays)
    else:
        hit_list = cache.play_lists.get(seat)
        if hit_list is not None and hit_list[0] is state.plays:
            plays = hit_list[1]
        else:
            plays = _play_views(engine, vp, state.plays, hit_list, cache.public)
            cache.play_lists[seat] = (state.plays, plays)
    # Another side's proposal becomes public once ruled: its text and the effects allowed
    # (what it had asked for stays with its side and the facilitator).
    proposals = tuple(
        ProposalView(p.id, p.actor, p.round, p.text, p.effects, p.verdict, p.rationale)
        if vp.everything or engine.side_of[p.actor] in vp.sides
        else ProposalView(p.id, p.actor, p.round, p.text, dict(p.ruled_effects or {}), p.verdict, p.rationale)
        for p in state.proposals
        if vp.everything or engine.side_of[p.actor] in vp.sides or p.verdict is not None
    )
    v = state.vote
    vote = VoteView(v.play, v.voters, dict(v.ballots), v.advisors, dict(v.advice)) if v else None
    if cache is None or state.ended:
        values = {k: x for k, x in state.hidden.items() if state.ended or vp.knows_value(engine, k, state)}
    else:
        known = cache.known.get(seat)
        if known is None:  # what the seat knows from the start (Viewpoint.knows_value, less what is revealed)
            hidden = engine.campaign.hidden_by_id
            known = cache.known[seat] = frozenset(k for k in hidden if vp.among(hidden[k].known_by))
        revealed = state.revealed_values
        values = {k: x for k, x in state.hidden.items() if k in known or k in revealed}
    return View(
        seat=seat,
        seq=state.seq,
        round=state.round,
        date=engine.date_text(state.round),
        step=engine.step_name(state),
        phase=state.phase,
        tracks=dict(state.tracks),
        round_start_tracks=dict(state.round_start_tracks),
        turn=state.turn,
        plays_left=(
            state.plays_left
            if state.turn is None or vp.everything or engine.side_of.get(state.turn) in vp.sides
            else None
        ),
        awaiting=engine.awaiting(state),
        actors=actors,
        plays=plays,
        vote=vote,
        pending=state.pending,
        proposals=proposals,
        phase_history=state.phase_history,
        paused=state.paused,
        outcome=_outcome_for(engine, vp, state.outcome),
        values=values,
        clock=clock_of(engine, state),
    )


def _play_views(
    engine: Engine, vp: Viewpoint, state_plays: tuple[Play, ...],
    before: tuple[tuple[Play, ...], tuple[PlayView, ...]] | None, public: dict[int, tuple[Play, PlayView]],
) -> tuple[PlayView, ...]:
    """The plays as ``vp`` sees them, each reused from ``before`` (the plays of an earlier
    view for the same seat, and their views) where that play is the very same object."""
    if before is None:
        return tuple(_shared_view(engine, vp, p, public) for p in state_plays)
    old_plays, old_views = before
    views = list(old_views[: len(state_plays)])
    # the positions whose play is not the one seen before (C-level: no Python loop over every play)
    for i in compress(range(len(views)), map(is_not, state_plays, old_plays)):
        views[i] = _shared_view(engine, vp, state_plays[i], public)
    views += [_shared_view(engine, vp, p, public) for p in state_plays[len(views) :]]
    return tuple(views)


def _shared_view(engine: Engine, vp: Viewpoint, p: Play, public: dict[int, tuple[Play, PlayView]]) -> PlayView:
    """:func:`_play_view`, made once for every seat when every seat sees ``p`` alike."""
    if p.accusations or (p.covert and not p.revealed):
        return _play_view(engine, vp, p)
    hit = public.get(p.id)
    if hit is not None and hit[0] is p:
        return hit[1]
    view = _play_view(engine, vp, p)
    public[p.id] = (p, view)
    return view


def _play_view(engine: Engine, vp: Viewpoint, p: Play) -> PlayView:
    """One play as ``vp`` sees it."""
    knows = vp.everything or _knows(engine, vp, p)
    accusations = tuple(
        AccusationView(
            a.by, a.accused, a.success,
            a.correct if (knows and (vp.everything or p.revealed or engine.side_of.get(p.actor) in vp.sides)) else None,
            a.round,
        )
        for a in p.accusations
    )
    return PlayView(
        id=p.id, round=p.round,
        actor=p.actor if knows else None,
        card=p.card if knows else None,
        covert=p.covert, revealed=p.revealed, status=p.status, contest=p.contest,
        accusations=accusations, perceived_author=p.perceived_author,
    )


def view_to_data(view: View) -> dict[str, Any]:
    return cast(dict[str, Any], plain(view))  # plain() of a dataclass is a dict


def redact(engine: Engine, event: E.Event, seat: str, after: GameState) -> E.Event:
    """``event`` as ``seat`` may see it.

    ``after`` is the state right after the event (it tells whose a play is). Secret
    values are replaced by ``"?"`` so the event keeps its shape; an event the seat may
    not see at all becomes :class:`~tabletop.engine.events.Hidden`. Never dropping an
    event keeps sequence numbers aligned, and ``Engine.apply`` folds redacted events,
    so a remote seat can keep a mirror of what it may see.
    """
    vp = Viewpoint.of(engine, seat)
    if vp.everything:
        return event
    cause = getattr(event, "cause", None)
    if isinstance(cause, str) and cause.startswith("inject:") and not _may_see_inject(engine, vp, cause[7:]):
        if isinstance(event, E.InjectFired):
            return E.Hidden()  # a private inject: not even that it happened
        event = replace(event, cause="inject:?")  # type: ignore[call-arg]
    if isinstance(event, E.InjectFired) and event.to and not vp.among(event.to):
        return E.Hidden()
    if isinstance(event, E.GameStarted):
        hidden = {k: (v if vp.knows_value(engine, k, after) else HIDDEN) for k, v in event.hidden.items()}
        return replace(event, decks={a: (HIDDEN,) * len(d) for a, d in event.decks.items()}, hidden=hidden)
    if isinstance(event, E.GameEnded):
        return _game_ended(engine, vp, event)
    if isinstance(event, E.TriggerUnmet):
        if event.cause == "inject:?":  # a private inject's: the seat is told nothing of it
            return E.Hidden()
        if not _secret_names(engine, vp, event.reads, after):
            return event
        return replace(event, reason=f"the crisis stays in {engine.phase_name(event.phase)}: a condition you cannot see is not met", reads=())
    if isinstance(event, E.BallotCast | E.AdviceGiven) and event.rationale:
        return event if engine.side_of[event.actor] in vp.sides else replace(event, rationale="")
    if isinstance(event, E.CardsDrawn | E.CardsDiscarded | E.DeckReshuffled):
        # Another side's card counts are private: its author holds one card fewer
        # after a covert play, and draws one more at upkeep.
        if engine.side_of[event.actor] not in vp.sides:
            return E.Hidden()
        if isinstance(event, E.DeckReshuffled):
            return replace(event, order=(HIDDEN,) * len(event.order))
        if event.actor in vp.hands:
            return event
        return replace(event, cards=(HIDDEN,) * len(event.cards))
    if isinstance(event, E.ResourcesChanged | E.CovertSealed):
        return event if engine.side_of[event.actor] in vp.sides else E.Hidden()
    if isinstance(event, E.TurnEnded):
        # Whether the turn ended by a pass, or by a covert play that used its last action:
        # not told of a side that can play covertly; a side that cannot passes in public.
        side = engine.side_of[event.actor]
        return event if side in vp.sides or side not in engine.covert_sides else replace(event, passed=None)
    if isinstance(event, E.CardPlayed):
        if engine.side_of[event.actor] in vp.sides:
            return event
        if event.rationale:  # a player's reason is for its side and the debrief
            event = replace(event, rationale="")
        if not event.covert or after.play(event.play).revealed:
            # Which copy of the card it was (``card~2``) tells what else its hand held.
            return replace(event, instance=HIDDEN) if event.instance != event.card else event
        return replace(event, actor=HIDDEN, card=HIDDEN, instance=HIDDEN, cost=0)
    if isinstance(event, E.ContestRolled):
        play = after.play(event.play)
        if _knows(engine, vp, play) and not _counts_covert(engine, vp, play.card) and not _reads_secret(
            engine, vp, ix_modifiers(engine, play.card, "contest"), after
        ):
            return event
        return replace(event, dice=(), modifiers=(), target=0, total=0)  # the outcome only
    if isinstance(event, E.AttributionAttempted):
        play = after.play(event.play)
        # A right accusation that holds reveals the card in the same command (the
        # CovertRevealed that follows): its roll tells nothing more than the board will.
        revealed = play.revealed or (event.success and event.correct is True)
        if (engine.side_of[play.actor] in vp.sides or revealed) and not _reads_secret(
            engine, vp, ix_modifiers(engine, play.card, "attribution"), after
        ):
            return event
        # The roll is the card's (its target, modifiers and labels): the outcome only.
        return replace(event, dice=(), modifiers=(), target=0, total=0, correct=None)
    if isinstance(event, E.TableCleared):
        def mask(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
            return tuple((a, i) for a, i in pairs if engine.side_of[a] in vp.sides)

        return replace(event, discarded=mask(event.discarded), removed=mask(event.removed))
    if isinstance(event, E.ProposalSubmitted):
        if engine.side_of[event.actor] in vp.sides:
            return event
        return replace(event, text=HIDDEN, effects={})
    if isinstance(event, E.Annotated):
        return E.Hidden()
    if isinstance(event, E.ObservationRecorded):
        return event if seat == EVALUATOR else E.Hidden()
    if isinstance(event, E.HotwashAnswered):
        return event if seat in (EVALUATOR, event.seat) else E.Hidden()
    return event


def _knows(engine: Engine, vp: Viewpoint, play: Play) -> bool:
    """Whether ``vp`` knows which card ``play`` is, and who played it."""
    return not play.hidden or engine.side_of.get(play.actor) in vp.sides


def _counts_covert(engine: Engine, vp: Viewpoint, card_id: str) -> bool:
    """Whether the contest of ``card_id`` has a modifier that counts the play of another
    side's covert card (whose bonus would show that card was played)."""
    card = engine.cards.get(card_id)
    if card is None or card.contest is None:
        return False
    for m in card.contest.modifiers:
        other = engine.cards.get(m.if_played) if m.if_played is not None else None
        if other is not None and other.covert is not None and other.side not in vp.sides:
            return True
    return False


def _may_see_inject(engine: Engine, vp: Viewpoint, inject_id: str) -> bool:
    """Whether ``vp`` may know of inject ``inject_id`` (a private one names its audience)."""
    inject = engine.campaign.inject_by_id.get(inject_id)
    return inject is None or not inject.to or vp.among(inject.to)


def ix_modifiers(engine: Engine, card_id: str, which: str) -> list[Modifier]:
    """The modifiers of a card's contest (``which="contest"``) or attribution roll."""
    card = engine.cards.get(card_id)
    if card is None:
        return []
    if which == "contest":
        return card.contest.modifiers if card.contest is not None else []
    return card.covert.attribution.modifiers if card.covert is not None else []


def _reads_secret(engine: Engine, vp: Viewpoint, modifiers: list[Modifier], state: GameState) -> bool:
    """Whether a roll with ``modifiers`` would show ``vp`` something it may not know."""
    names: set[str] = set()
    for m in modifiers:
        if m.when is not None:
            names |= engine.campaign.condition(m.when).names
        if m.of is not None:
            names.add(m.of)
    return _secret_names(engine, vp, names, state)


def _secret_names(engine: Engine, vp: Viewpoint, names: Iterable[str], state: GameState) -> bool:
    """Whether any of the condition names ``names`` reads what ``vp`` may not know: a hidden
    value it does not know, another side's resources, or whether another side's covert
    card was played (a bonus for it would show the card was played)."""
    hidden = engine.campaign.hidden_by_id
    for name in names:
        if name in hidden:
            if not vp.knows_value(engine, name, state):
                return True
            continue
        kind, _, rest = name.partition(":")
        subject = rest.partition(":")[0]
        if kind == "resources" and engine.side_of.get(subject) not in vp.sides:
            return True
        if kind in ("played", "played_this_round"):
            card = engine.cards.get(subject)
            if card is not None and card.covert is not None and card.side not in vp.sides:
                return True
    return False


def _renamer(engine: Engine, vp: Viewpoint) -> Callable[[Mapping[str, Mapping[str, bool]]], dict[str, dict[str, bool]]] | None:
    """Another seat's secret objectives by the neutral ids of the campaign ``vp`` was sent
    (:func:`~tabletop.campaign.secrets.secret_ids`); None when nothing needs renaming."""
    campaign = engine.campaign
    if vp.everything or not any(
        o.secret for s in campaign.sides for o in (*s.objectives, *(x for a in s.actors for x in a.objectives))
    ):
        return None
    who = audience(campaign, vp.seat)

    def rename(owners: Mapping[str, Mapping[str, bool]]) -> dict[str, dict[str, bool]]:
        out: dict[str, dict[str, bool]] = {}
        for owner, met in owners.items():
            ids = {} if sees_objectives(campaign, owner, who) else secret_ids(campaign, owner)
            out[owner] = {ids.get(o, o): v for o, v in met.items()}
        return out

    return rename


def _game_ended(engine: Engine, vp: Viewpoint, event: E.GameEnded) -> E.GameEnded:
    """The end as ``vp`` is told it, with other seats' secret objectives renamed (:func:`_renamer`)."""
    rename = _renamer(engine, vp)
    if rename is None:
        return event
    return replace(event, objectives=rename(event.objectives), actor_objectives=rename(event.actor_objectives))


def _outcome_for(engine: Engine, vp: Viewpoint, outcome: Outcome | None) -> Outcome | None:
    """``outcome`` as ``vp``'s view holds it: as its mirror folds the ``game_ended`` it was sent."""
    rename = None if outcome is None else _renamer(engine, vp)
    if outcome is None or rename is None:
        return outcome
    return replace(outcome, objectives=rename(outcome.objectives), actor_objectives=rename(outcome.actor_objectives))
