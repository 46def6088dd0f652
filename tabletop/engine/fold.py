"""The fold: the state after an event. No decisions, no checks, no randomness.

Replaying the events of a journal with :func:`apply` rebuilds every state exactly; a
network client folds its redacted events with it too, so each handler also accepts what
a mirror sees (``HIDDEN`` for a card or an actor it may not know).

Each event class has one handler, registered with :func:`_folds` (mypy checks that the
handler takes that class); the table is checked complete when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tabletop.engine import events as E
from tabletop.engine.index import HIDDEN, CampaignIndex
from tabletop.engine.state import (
    Accusation,
    ActorState,
    GameState,
    Outcome,
    PhaseChange,
    Play,
    Proposal,
    Vote,
    evolve,
)

_Ev = TypeVar("_Ev", bound=E.Event)
_Handler = Callable[[CampaignIndex, GameState, _Ev], GameState]

#: event class -> the function that folds it; filled by ``@_folds`` below
_FOLD: dict[type[E.Event], _Handler[Any]] = {}


def _folds(cls: type[_Ev]) -> Callable[[_Handler[_Ev]], _Handler[_Ev]]:
    def register(handler: _Handler[_Ev]) -> _Handler[_Ev]:
        _FOLD[cls] = handler
        return handler

    return register


def apply(ix: CampaignIndex, state: GameState, event: E.Event) -> GameState:
    """The state after ``event``. A plain fold: no checks, no randomness."""
    s = _FOLD[type(event)](ix, state, event)
    if s is state:
        return evolve(s, seq=s.seq + 1)
    object.__setattr__(s, "seq", state.seq + 1)  # s is new and not yet seen by anyone
    return s


def fold(ix: CampaignIndex, events: Iterable[E.Event], state: GameState | None = None) -> GameState:
    """The state after ``events``, from ``state`` (default: the initial state)."""
    s = state if state is not None else ix.initial_state()
    for ev in events:
        s = apply(ix, s, ev)
    return s


# ---------------------------------------------------------------- helpers


def _remove_one(cards: tuple[str, ...], iid: str) -> tuple[str, ...]:
    """``cards`` less one ``iid`` (or, in a redacted mirror, less one hidden card)."""
    for target in (iid, HIDDEN):
        if target in cards:
            i = cards.index(target)
            return cards[:i] + cards[i + 1 :]
    return cards


def _actor(s: GameState, actor: str, **changes: Any) -> dict[str, ActorState]:
    actors = dict(s.actors)
    actors[actor] = evolve(actors[actor], **changes)
    return actors


def _set_play(s: GameState, play_id: int, **changes: Any) -> tuple[Play, ...]:
    plays = list(s.plays)
    plays[play_id - 1] = evolve(plays[play_id - 1], **changes)
    return tuple(plays)


def _settle(s: GameState, play_id: int, success: bool) -> GameState:
    pending = tuple(p for p in s.pending if p != play_id)
    plays = _set_play(s, play_id, contest="success" if success else "failure")
    return evolve(s, pending=pending, plays=plays)


# ---------------------------------------------------------------- the game and its rounds


@_folds(E.GameStarted)
def _game_started(ix: CampaignIndex, s: GameState, e: E.GameStarted) -> GameState:
    c = ix.campaign
    return evolve(
        s,
        hidden=dict(e.hidden),
        phase=c.phases.initial,
        tracks={t.id: t.start for t in c.tracks},
        round_start_tracks={t.id: t.start for t in c.tracks},
        actors={a: ActorState(resources=c.actor_by_id[a].resources, deck=tuple(e.decks.get(a, ()))) for a in ix.actors},
    )


@_folds(E.RoundStarted)
def _round_started(ix: CampaignIndex, s: GameState, e: E.RoundStarted) -> GameState:
    return evolve(s, round=e.round, step=-1, done=(), round_start_tracks=s.tracks)


@_folds(E.StepStarted)
def _step_started(ix: CampaignIndex, s: GameState, e: E.StepStarted) -> GameState:
    return evolve(s, step=s.step + 1, done=(), turn=None)


@_folds(E.TurnStarted)
def _turn_started(ix: CampaignIndex, s: GameState, e: E.TurnStarted) -> GameState:
    return evolve(s, turn=e.actor, plays_left=e.plays, turn_extra=0)


@_folds(E.TurnEnded)
def _turn_ended(ix: CampaignIndex, s: GameState, e: E.TurnEnded) -> GameState:
    return evolve(s, turn=None, plays_left=0, done=(*s.done, e.actor))


@_folds(E.GameEnded)
def _game_ended(ix: CampaignIndex, s: GameState, e: E.GameEnded) -> GameState:
    outcome = Outcome(e.reason, e.detail, e.objectives, e.actor_objectives, e.results)
    hidden = {**s.hidden, **e.hidden} if e.hidden else s.hidden
    return evolve(s, outcome=outcome, turn=None, vote=None, hidden=hidden)


# ---------------------------------------------------------------- cards


@_folds(E.CardsDrawn)
def _cards_drawn(ix: CampaignIndex, s: GameState, e: E.CardsDrawn) -> GameState:
    a = s.actors[e.actor]
    n = len(e.cards)
    return evolve(s, actors=_actor(s, e.actor, deck=a.deck[n:], hand=a.hand + tuple(e.cards)))


@_folds(E.DeckReshuffled)
def _deck_reshuffled(ix: CampaignIndex, s: GameState, e: E.DeckReshuffled) -> GameState:
    a = s.actors[e.actor]
    return evolve(s, actors=_actor(s, e.actor, deck=a.deck + tuple(e.order), discard=()))


@_folds(E.CardsDiscarded)
def _cards_discarded(ix: CampaignIndex, s: GameState, e: E.CardsDiscarded) -> GameState:
    a = s.actors[e.actor]
    hand = a.hand
    for iid in e.cards:
        hand = _remove_one(hand, iid)
    return evolve(s, actors=_actor(s, e.actor, hand=hand, discard=a.discard + tuple(e.cards)))


@_folds(E.CovertSealed)
def _covert_sealed(ix: CampaignIndex, s: GameState, e: E.CovertSealed) -> GameState:
    a = s.actors[e.actor]
    actors = _actor(
        s, e.actor, hand=_remove_one(a.hand, e.instance), table=a.table + (e.instance,),
        resources=a.resources - e.cost,
    )
    left = s.plays_left - 1 if s.turn == e.actor else s.plays_left
    return evolve(s, actors=actors, sealed=(*s.sealed, (e.actor, e.instance)), plays_left=left)


@_folds(E.CardPlayed)
def _card_played(ix: CampaignIndex, s: GameState, e: E.CardPlayed) -> GameState:
    card = ix.cards.get(e.card)
    consensus = card is not None and card.consensus is not None
    play = Play(e.play, s.round, e.actor, e.card, e.instance, e.covert, status="voting" if consensus else "resolved")
    if (e.actor, e.instance) in s.sealed:  # its card left the hand, paid for, when it was sealed
        sealed = tuple(x for x in s.sealed if x != (e.actor, e.instance))
        return evolve(s, plays=(*s.plays, play), sealed=sealed)
    if e.actor == HIDDEN:  # a redacted covert play: only that it happened
        return evolve(s, plays=(*s.plays, play))
    a = s.actors[e.actor]
    hand = _remove_one(a.hand, e.instance)
    actors = _actor(s, e.actor, hand=hand, table=a.table + (e.instance,), resources=a.resources - e.cost)
    left = s.plays_left - 1 if s.turn == e.actor else s.plays_left
    return evolve(s, actors=actors, plays=(*s.plays, play), plays_left=left)


@_folds(E.TableCleared)
def _table_cleared(ix: CampaignIndex, s: GameState, e: E.TableCleared) -> GameState:
    actors = dict(s.actors)
    for actor, iid in e.discarded:
        a = actors[actor]
        actors[actor] = evolve(a, table=_remove_one(a.table, iid), discard=a.discard + (iid,))
    for actor, iid in e.removed:
        a = actors[actor]
        actors[actor] = evolve(a, table=_remove_one(a.table, iid), removed=a.removed + (iid,))
    return evolve(s, actors=actors)


# ---------------------------------------------------------------- tracks and resources


@_folds(E.TrackChanged)
def _track_changed(ix: CampaignIndex, s: GameState, e: E.TrackChanged) -> GameState:
    tracks = dict(s.tracks)
    tracks[e.track] = e.value
    return evolve(s, tracks=tracks)


@_folds(E.ResourcesChanged)
def _resources_changed(ix: CampaignIndex, s: GameState, e: E.ResourcesChanged) -> GameState:
    return evolve(s, actors=_actor(s, e.actor, resources=e.value))


# ---------------------------------------------------------------- contests and votes


@_folds(E.ContestPending)
def _contest_pending(ix: CampaignIndex, s: GameState, e: E.ContestPending) -> GameState:
    return evolve(s, pending=(*s.pending, e.play), plays=_set_play(s, e.play, contest="pending"))


@_folds(E.ContestRolled)
def _contest_rolled(ix: CampaignIndex, s: GameState, e: E.ContestRolled) -> GameState:
    return _settle(s, e.play, e.success)


@_folds(E.ContestAdjudicated)
def _contest_adjudicated(ix: CampaignIndex, s: GameState, e: E.ContestAdjudicated) -> GameState:
    return _settle(s, e.play, e.success)


@_folds(E.VoteOpened)
def _vote_opened(ix: CampaignIndex, s: GameState, e: E.VoteOpened) -> GameState:
    return evolve(s, vote=Vote(e.play, tuple(e.voters), advisors=tuple(e.advisors)))


@_folds(E.BallotCast)
def _ballot_cast(ix: CampaignIndex, s: GameState, e: E.BallotCast) -> GameState:
    assert s.vote is not None
    return evolve(s, vote=evolve(s.vote, ballots={**s.vote.ballots, e.actor: e.yes}))


@_folds(E.AdviceGiven)
def _advice_given(ix: CampaignIndex, s: GameState, e: E.AdviceGiven) -> GameState:
    assert s.vote is not None
    return evolve(s, vote=evolve(s.vote, advice={**s.vote.advice, e.actor: e.yes}))


@_folds(E.VoteClosed)
def _vote_closed(ix: CampaignIndex, s: GameState, e: E.VoteClosed) -> GameState:
    status = "resolved" if e.passed else "rejected"
    return evolve(s, vote=None, plays=_set_play(s, e.play, status=status))


# ---------------------------------------------------------------- covert plays


@_folds(E.AttributionAttempted)
def _attribution_attempted(ix: CampaignIndex, s: GameState, e: E.AttributionAttempted) -> GameState:
    a = s.actors[e.by]
    actors = _actor(s, e.by, resources=a.resources - e.cost)
    play = s.play(e.play)
    accusation = Accusation(e.by, e.accused, e.success, e.correct, s.round)
    plays = _set_play(s, e.play, accusations=(*play.accusations, accusation))
    left = s.plays_left - 1 if s.turn == e.by else s.plays_left
    return evolve(s, actors=actors, plays=plays, plays_left=left)


@_folds(E.CovertRevealed)
def _covert_revealed(ix: CampaignIndex, s: GameState, e: E.CovertRevealed) -> GameState:
    # Once the author is public, so is whether each accusation was right (a mirror
    # folded them with ``correct`` unknown; in the true state this changes nothing).
    accusations = tuple(
        a if a.correct is not None else evolve(a, correct=a.accused == e.actor) for a in s.play(e.play).accusations
    )
    return evolve(s, plays=_set_play(
        s, e.play, revealed=True, revealed_how=e.how, actor=e.actor, card=e.card, accusations=accusations,
    ))


# ---------------------------------------------------------------- proposals, injects, phases


@_folds(E.ProposalSubmitted)
def _proposal_submitted(ix: CampaignIndex, s: GameState, e: E.ProposalSubmitted) -> GameState:
    proposal = Proposal(e.proposal, e.actor, s.round, e.text, dict(e.effects))
    left = s.plays_left - 1 if s.turn == e.actor else s.plays_left
    return evolve(s, proposals=(*s.proposals, proposal), plays_left=left)


@_folds(E.ProposalRuled)
def _proposal_ruled(ix: CampaignIndex, s: GameState, e: E.ProposalRuled) -> GameState:
    proposals = list(s.proposals)
    old = proposals[e.proposal - 1]
    proposals[e.proposal - 1] = evolve(
        old, verdict=e.verdict, rationale=e.rationale, ruled_effects=dict(e.effects), text=e.text or old.text
    )
    return evolve(s, proposals=tuple(proposals))


@_folds(E.InjectFired)
def _inject_fired(ix: CampaignIndex, s: GameState, e: E.InjectFired) -> GameState:
    if e.inject is None or e.inject in s.fired:
        return s
    return evolve(s, fired=(*s.fired, e.inject))


@_folds(E.ValuesRevealed)
def _values_revealed(ix: CampaignIndex, s: GameState, e: E.ValuesRevealed) -> GameState:
    revealed = (*s.revealed_values, *(v for v in e.values if v not in s.revealed_values))
    return evolve(s, hidden={**s.hidden, **e.values}, revealed_values=revealed)


@_folds(E.TriggerUnmet)
def _trigger_unmet(ix: CampaignIndex, s: GameState, e: E.TriggerUnmet) -> GameState:
    return s


@_folds(E.PhaseChanged)
def _phase_changed(ix: CampaignIndex, s: GameState, e: E.PhaseChanged) -> GameState:
    change = PhaseChange(s.seq + 1, s.round, e.source, e.dest, e.trigger, e.cause, e.condition)
    return evolve(s, phase=e.dest, phase_history=(*s.phase_history, change))


# ---------------------------------------------------------------- the facilitator's table


@_folds(E.Annotated)
def _annotated(ix: CampaignIndex, s: GameState, e: E.Annotated) -> GameState:
    return s


# ---------------------------------------------------------------- evaluation (the game does not change)


@_folds(E.ObservationRecorded)
def _observation(ix: CampaignIndex, s: GameState, e: E.ObservationRecorded) -> GameState:
    return s


@_folds(E.HotwashAnswered)
def _hotwash(ix: CampaignIndex, s: GameState, e: E.HotwashAnswered) -> GameState:
    return evolve(s, hotwashed=(*s.hotwashed, (e.seat, e.author)))


@_folds(E.SeatNamed)
def _seat_named(ix: CampaignIndex, s: GameState, e: E.SeatNamed) -> GameState:
    return s


@_folds(E.Hidden)
def _hidden(ix: CampaignIndex, s: GameState, e: E.Hidden) -> GameState:
    return s


@_folds(E.Paused)
def _paused(ix: CampaignIndex, s: GameState, e: E.Paused) -> GameState:
    return evolve(s, paused=True)


@_folds(E.Resumed)
def _resumed(ix: CampaignIndex, s: GameState, e: E.Resumed) -> GameState:
    return evolve(s, paused=False)


@_folds(E.ClockSet)
def _clock_set(ix: CampaignIndex, s: GameState, e: E.ClockSet) -> GameState:
    return evolve(s, clock=(e.turn, e.round))


@_folds(E.TimeExtended)
def _time_extended(ix: CampaignIndex, s: GameState, e: E.TimeExtended) -> GameState:
    return evolve(s, turn_extra=s.turn_extra + e.seconds)


@_folds(E.TimeRanOut)
def _time_ran_out(ix: CampaignIndex, s: GameState, e: E.TimeRanOut) -> GameState:
    return s


_unfolded = sorted(cls.__name__ for cls in E.EVENTS.classes.values() if cls not in _FOLD)
if _unfolded:  # a new event class without a handler: fail at import, not mid-game
    raise TypeError(f"No fold handler for {', '.join(_unfolded)}.")
