"""Deciding: a command checked, refused or turned into the events it causes.

:func:`decide` refuses a command with a typed error (:class:`MalformedCommand` if it
names things that do not exist or is not well formed, :class:`IllegalCommand` if it is
not allowed now) without touching anything, or returns its events followed by what then
happens by itself (:func:`~tabletop.engine.procedure.run`).

Each command class has one handler, registered with :func:`_handles` (mypy checks that
the handler takes that class); the table is checked complete when this module is imported.
It runs past 500 lines because it is that one table: a handler per command (play, vote,
rulings, the facilitator's tools, evaluation, the clock), each short, all in one place so
that what may happen to a game is read in one file.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from tabletop.campaign.model import Effects
from tabletop.campaign.plural import is_are
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.errors import IllegalCommand, MalformedCommand
from tabletop.engine.index import FACILITATOR, CampaignIndex, clock_of
from tabletop.engine.legal import evaluation_seat_problem, hotwash_answered, turn_problem, why_not_play
from tabletop.engine.procedure import run
from tabletop.engine.resolve import effects as apply_effects
from tabletop.engine.resolve import maybe_close_vote, phase_trigger, resolve_play, roll
from tabletop.engine.state import GameState, Play
from tabletop.engine.text import limited as _limited
from tabletop.engine.text import name as _name
from tabletop.engine.text import printable as _printable
from tabletop.engine.tx import Tx

_MAX_TEXT = 4000

_Cmd = TypeVar("_Cmd", bound=C.Command)
_Handler = Callable[[CampaignIndex, Tx, _Cmd], None]

#: command class -> the function that decides it; filled by ``@_handles`` below
_DECIDE: dict[type[C.Command], _Handler[Any]] = {}


def _handles(cls: type[_Cmd]) -> Callable[[_Handler[_Cmd]], _Handler[_Cmd]]:
    def register(handler: _Handler[_Cmd]) -> _Handler[_Cmd]:
        _DECIDE[cls] = handler
        return handler

    return register


def decide(ix: CampaignIndex, state: GameState, command: C.Command, rng: random.Random) -> list[E.Event]:
    """The events ``command`` causes in ``state``.

    Raises :class:`MalformedCommand` if the command names things that do not exist
    or is not well formed, :class:`IllegalCommand` if it is not allowed now. The
    state is never changed (it is immutable); on success the caller folds the
    returned events with :meth:`apply`.
    """
    return _begin(ix, state, command, rng).events


def step(
    ix: CampaignIndex, state: GameState, command: C.Command, rng: random.Random
) -> tuple[list[E.Event], list[GameState], GameState]:
    """Like :meth:`decide`, but also returns the state after each event and the last one.

    Saves folding the events a second time (the session needs each event's round
    and phase for the journal). Raises what :meth:`decide` raises.
    """
    tx = _begin(ix, state, command, rng)
    return tx.events, tx.states, tx.state


def _begin(ix: CampaignIndex, state: GameState, command: C.Command, rng: random.Random) -> Tx:
    if not isinstance(command, C.Command):
        raise MalformedCommand("That is not a command.")
    handler = _DECIDE.get(type(command))
    if handler is None:
        raise MalformedCommand(f"Unknown command {command.TYPE!r}.")
    if not state.seq:
        raise IllegalCommand("The game has not started.")
    _check_seat(ix, state, command)
    tx = Tx(ix, state, rng)
    handler(ix, tx, command)
    run(ix, tx)
    return tx


# ================================================================ checks


def _check_seat(ix: CampaignIndex, state: GameState, cmd: C.Command) -> None:
    seat = cmd.seat
    if not isinstance(seat, str):
        raise MalformedCommand("The seat must be a name.")
    if isinstance(cmd, C.EVALUATION_COMMANDS):
        _check_evaluation_seat(ix, state, cmd)
        return
    facilitator_cmd = isinstance(cmd, C.FACILITATOR_COMMANDS)
    if facilitator_cmd:
        if seat != FACILITATOR:
            raise IllegalCommand("Only the facilitator can do that.")
        if state.ended and not isinstance(cmd, C.Annotate):
            raise IllegalCommand("The exercise is over.")
        if state.paused and isinstance(cmd, C.Adjudicate | C.RuleProposal | C.Advance):
            # rulings move the game on, as turns do: not while it is paused (the tools stay open)
            raise IllegalCommand("Resume the exercise first.")
        return
    if seat not in ix.side_of:
        raise MalformedCommand(f"There is no seat {seat!r}.")
    if state.ended:
        raise IllegalCommand("The exercise is over.")
    if state.paused:
        raise IllegalCommand("The exercise is paused by the facilitator.")


def _check_evaluation_seat(ix: CampaignIndex, state: GameState, cmd: C.Command) -> None:
    """Evaluation commands never change the game: open while it is paused, and (but for a
    name) the observations and the hotwash also after its end."""
    problem = evaluation_seat_problem(ix, state, cmd.seat, type(cmd))
    if problem is not None:
        raise problem


def _require_turn(ix: CampaignIndex, state: GameState, actor: str) -> None:
    reason = turn_problem(ix, state, actor)
    if reason:
        raise IllegalCommand(reason)


def _effects_from(ix: CampaignIndex, data: Any, what: str) -> Effects:
    if data is None:
        return Effects()
    if not isinstance(data, Mapping):
        raise MalformedCommand(f"The {what} effects must be a mapping.")
    try:
        effects = Effects.model_validate(dict(data))
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MalformedCommand(f"The {what} effects are not valid: {where}: {first['msg']}.") from None
    for track in effects.tracks:
        if track not in ix.tracks:
            raise MalformedCommand(f"There is no track {track!r}.")
    for actor in (*effects.resources_of, *effects.discard):
        if actor not in ix.side_of:
            raise MalformedCommand(f"There is no actor {actor!r}.")
    if effects.trigger is not None and effects.trigger not in ix.machine.triggers:
        raise MalformedCommand(f"There is no phase trigger {effects.trigger!r}.")
    return effects


def _text(value: Any, what: str, required: bool = True) -> str:
    if not isinstance(value, str):
        raise MalformedCommand(f"The {what} must be text.")
    if len(value) > _MAX_TEXT:
        raise MalformedCommand(f"The {what} is too long (at most {_MAX_TEXT} characters).")
    text = _printable(value).strip()
    if required and not text:
        raise IllegalCommand(f"Please write a {what}.")
    return text


_MAX_RATIONALE = C.MAX_RATIONALE


def _one_line(value: Any) -> str:
    """An optional one-line reason: text, at most 300 characters, its line breaks made spaces."""
    if not isinstance(value, str):
        raise MalformedCommand("The reason must be text.")
    line = " ".join(_printable(value).split())
    if len(line) > _MAX_RATIONALE:
        raise MalformedCommand(f"The reason is too long (at most {_MAX_RATIONALE} characters).")
    return line


def _play_arg(state: GameState, play: Any) -> Play:
    if not isinstance(play, int) or isinstance(play, bool) or not 1 <= play <= len(state.plays):
        raise MalformedCommand(f"There is no play number {play!r}.")
    return state.play(play)


# ================================================================ players


@_handles(C.PlayCard)
def _play(ix: CampaignIndex, tx: Tx, cmd: C.PlayCard) -> None:
    s = tx.state
    if not isinstance(cmd.card, str) or cmd.card not in ix.instance_card:
        raise MalformedCommand(f"There is no card {cmd.card!r}.")
    if cmd.covert is not None and not isinstance(cmd.covert, bool):
        raise MalformedCommand("Covert must be true, false or absent.")
    rationale = _one_line(cmd.rationale)
    reason = why_not_play(ix, s, cmd.seat, cmd.card)
    if reason:
        raise IllegalCommand(reason)
    card = ix.cards[ix.instance_card[cmd.card]]
    if card.covert is None:
        if cmd.covert:
            raise IllegalCommand(f"{card.title} cannot be played covertly.")
        covert = False
    elif card.covert.optional:
        covert = True if cmd.covert is None else cmd.covert
    else:
        if cmd.covert is False:
            raise IllegalCommand(f"{card.title} can only be played covertly.")
        covert = True
    if covert:
        if card.consensus is not None:  # the vote would show the author voting yes
            raise IllegalCommand(f"{card.title} needs a vote, so it cannot be played covertly.")
        # Face-down until the step ends: then the side's sealed plays resolve together,
        # so the other sides cannot tell which of its actors played which.
        tx.emit(E.CovertSealed(cmd.seat, card.id, cmd.card, card.cost, rationale))
        return
    play_id = len(s.plays) + 1
    tx.emit(E.CardPlayed(play_id, cmd.seat, card.id, cmd.card, covert, card.cost, rationale))
    if card.consensus is not None:
        voters = tuple(dict.fromkeys(card.consensus.voters))
        advisors = tuple(a for a in dict.fromkeys(card.consensus.advisors) if a not in voters)
        tx.emit(E.VoteOpened(play_id, voters, advisors))
        if cmd.seat in voters:
            tx.emit(E.BallotCast(play_id, cmd.seat, True))
        maybe_close_vote(ix, tx)
    else:
        resolve_play(ix, tx, play_id)


@_handles(C.Pass)
def _pass(ix: CampaignIndex, tx: Tx, cmd: C.Pass) -> None:
    _require_turn(ix, tx.state, cmd.seat)
    tx.emit(E.TurnEnded(cmd.seat, passed=True))


@_handles(C.CastVote)
def _vote(ix: CampaignIndex, tx: Tx, cmd: C.CastVote) -> None:
    s = tx.state
    if not isinstance(cmd.yes, bool):
        raise MalformedCommand("A ballot is yes or no.")
    _play_arg(s, cmd.play)
    if s.vote is None or s.vote.play != cmd.play:
        raise IllegalCommand("There is no open vote on that card.")
    if cmd.seat not in s.vote.voters:
        raise IllegalCommand("You do not have a vote on this card.")
    if cmd.seat in s.vote.ballots:
        raise IllegalCommand("You have already voted.")
    tx.emit(E.BallotCast(cmd.play, cmd.seat, cmd.yes, _one_line(cmd.rationale)))
    maybe_close_vote(ix, tx)


@_handles(C.Advise)
def _advise(ix: CampaignIndex, tx: Tx, cmd: C.Advise) -> None:
    s = tx.state
    if not isinstance(cmd.yes, bool):
        raise MalformedCommand("Advice is yes or no.")
    rationale = _one_line(cmd.rationale)
    _play_arg(s, cmd.play)
    if s.vote is None or s.vote.play != cmd.play:
        raise IllegalCommand("There is no open vote on that card.")
    if cmd.seat not in s.vote.advisors:
        raise IllegalCommand("You are not asked for advice on this card.")
    if cmd.seat in s.vote.advice:
        raise IllegalCommand("You have already given your advice.")
    tx.emit(E.AdviceGiven(cmd.play, cmd.seat, cmd.yes, rationale))
    maybe_close_vote(ix, tx)


@_handles(C.Attribute)
def _attribute(ix: CampaignIndex, tx: Tx, cmd: C.Attribute) -> None:
    s = tx.state
    play = _play_arg(s, cmd.play)
    if not isinstance(cmd.accused, str) or cmd.accused not in ix.side_of:
        raise MalformedCommand(f"There is no actor {cmd.accused!r}.")
    _require_turn(ix, s, cmd.seat)
    my_side = ix.side_of[cmd.seat]
    if not play.hidden:
        raise IllegalCommand("That play is not hidden.")
    if ix.side_of[play.actor] == my_side:
        raise IllegalCommand("That is your own side's play.")
    if ix.side_of[cmd.accused] == my_side:
        raise IllegalCommand("You cannot accuse your own side.")
    cost = ix.campaign.rules.attribution_cost
    if s.actors[cmd.seat].resources < cost:
        raise IllegalCommand(f"An attribution costs {cost} and you have {s.actors[cmd.seat].resources}.")
    card = ix.cards[play.card]
    assert card.covert is not None
    spec = card.covert.attribution
    dice, mods, total = roll(ix, tx, spec.dice, spec.modifiers, s)
    success = total >= spec.target
    correct = cmd.accused == play.actor
    tx.emit(E.AttributionAttempted(play.id, cmd.seat, cmd.accused, dice, mods, spec.target, total, success, correct, cost))
    if success and correct:
        tx.emit(E.CovertRevealed(play.id, play.card, play.actor, "attributed"))
        apply_effects(ix, tx, card.covert.on_attributed, cmd.seat, f"attribution:{play.id}")
    elif success:
        apply_effects(ix, tx, ix.campaign.rules.misattribution, cmd.seat, f"attribution:{play.id}")


@_handles(C.Propose)
def _propose(ix: CampaignIndex, tx: Tx, cmd: C.Propose) -> None:
    text = _text(cmd.text, "description of the action")
    effects = _effects_from(ix, cmd.effects, "proposed")
    _require_turn(ix, tx.state, cmd.seat)
    pid = len(tx.state.proposals) + 1
    tx.emit(E.ProposalSubmitted(pid, cmd.seat, text, effects.model_dump(exclude_defaults=True)))


# ================================================================ the facilitator


@_handles(C.Adjudicate)
def _adjudicate(ix: CampaignIndex, tx: Tx, cmd: C.Adjudicate) -> None:
    s = tx.state
    play = _play_arg(s, cmd.play)
    if not isinstance(cmd.success, bool):
        raise MalformedCommand("Success must be true or false.")
    rationale = _text(cmd.rationale, "rationale")
    if play.id not in s.pending:
        raise IllegalCommand("That play has no contest waiting for a ruling.")
    contest = ix.contest_of(play)
    tx.emit(E.ContestAdjudicated(play.id, cmd.success, rationale))
    apply_effects(ix, tx, contest.success if cmd.success else contest.failure, play.actor, f"play:{play.id}")


@_handles(C.RuleProposal)
def _rule(ix: CampaignIndex, tx: Tx, cmd: C.RuleProposal) -> None:
    s = tx.state
    if not isinstance(cmd.proposal, int) or isinstance(cmd.proposal, bool) or not 1 <= cmd.proposal <= len(s.proposals):
        raise MalformedCommand(f"There is no proposal number {cmd.proposal!r}.")
    if cmd.verdict not in ("accept", "amend", "reject"):
        raise MalformedCommand("The verdict is accept, amend or reject.")
    rationale = _text(cmd.rationale, "rationale")
    proposal = s.proposals[cmd.proposal - 1]
    if proposal.verdict is not None:
        raise IllegalCommand("That proposal has already been ruled on.")
    if cmd.verdict == "accept":
        effects = _effects_from(ix, proposal.effects, "proposed")
    elif cmd.verdict == "amend":
        if cmd.effects is None:
            raise IllegalCommand("An amendment needs the effects the facilitator allows.")
        effects = _effects_from(ix, cmd.effects, "amended")
    else:
        effects = Effects()
    tx.emit(E.ProposalRuled(
        proposal.id, cmd.verdict, rationale, effects.model_dump(exclude_defaults=True), proposal.text
    ))
    apply_effects(ix, tx, effects, proposal.actor, f"proposal:{proposal.id}")


@_handles(C.FireInject)
def _inject(ix: CampaignIndex, tx: Tx, cmd: C.FireInject) -> None:
    if cmd.inject is not None:
        inject = ix.campaign.inject_by_id.get(cmd.inject) if isinstance(cmd.inject, str) else None
        if inject is None:
            raise MalformedCommand(f"There is no inject {cmd.inject!r}.")
        if not inject.in_library and inject.id in tx.state.fired:
            raise IllegalCommand(f"{inject.title} has already fired.")
        tx.emit(E.InjectFired(inject.id, inject.title, inject.text, "facilitator", tuple(inject.to)))
        apply_effects(ix, tx, inject.effects, None, f"inject:{inject.id}")
        return
    title = _text(cmd.title, "title for the inject")
    text = _text(cmd.text, "inject text", required=False)
    effects = _effects_from(ix, cmd.effects, "inject")
    tx.emit(E.InjectFired(None, title, text, "facilitator"))
    apply_effects(ix, tx, effects, None, "inject:free")


@_handles(C.AdjustTrack)
def _adjust(ix: CampaignIndex, tx: Tx, cmd: C.AdjustTrack) -> None:
    if not isinstance(cmd.track, str) or cmd.track not in ix.tracks:
        raise MalformedCommand(f"There is no track {cmd.track!r}.")
    if not isinstance(cmd.delta, int) or isinstance(cmd.delta, bool) or cmd.delta == 0:
        raise MalformedCommand("The change must be a whole number other than 0.")
    reason = _text(cmd.reason, "reason for the change")
    track = ix.tracks[cmd.track]
    old = tx.state.tracks[cmd.track]
    new = min(track.max, max(track.min, old + cmd.delta))
    if new == old:
        edge = "maximum" if cmd.delta > 0 else "minimum"
        many = ix.campaign.names_many(track.id)
        raise IllegalCommand(f"{track.name} {is_are(many)} already at {'their' if many else 'its'} {edge} ({old}).")
    tx.emit(E.TrackChanged(cmd.track, new - old, new, "facilitator", reason))


@_handles(C.FireTrigger)
def _trigger(ix: CampaignIndex, tx: Tx, cmd: C.FireTrigger) -> None:
    if not isinstance(cmd.trigger, str) or cmd.trigger not in ix.machine.triggers:
        raise MalformedCommand(f"There is no phase trigger {cmd.trigger!r}.")
    _text(cmd.reason, "reason")
    if not phase_trigger(ix, tx, cmd.trigger, "facilitator"):
        raise IllegalCommand(
            f"No {cmd.trigger!r} transition leaves {ix.phase_name(tx.state.phase)} with its condition met."
        )


@_handles(C.Annotate)
def _annotate(ix: CampaignIndex, tx: Tx, cmd: C.Annotate) -> None:
    tx.emit(E.Annotated(_text(cmd.text, "note"), tx.state.seq))


@_handles(C.Pause)
def _pause(ix: CampaignIndex, tx: Tx, cmd: C.Pause) -> None:
    if tx.state.paused:
        raise IllegalCommand("The exercise is already paused.")
    tx.emit(E.Paused(_text(cmd.reason, "reason", required=False)))


@_handles(C.Resume)
def _resume(ix: CampaignIndex, tx: Tx, cmd: C.Resume) -> None:
    if not tx.state.paused:
        raise IllegalCommand("The exercise is not paused.")
    tx.emit(E.Resumed())


@_handles(C.Advance)
def _advance(ix: CampaignIndex, tx: Tx, cmd: C.Advance) -> None:
    s = tx.state
    if s.paused:
        raise IllegalCommand("Resume the exercise first.")
    if s.vote is not None:
        vote = s.vote
        if vote.waiting:  # a voter has not voted: no consensus
            tx.emit(E.VoteClosed(vote.play, False, vote.waiting, vote.unadvised))
            return
        # every voter has voted; only advice is missing, and advisors do not vote
        passed = all(vote.ballots.values())
        tx.emit(E.VoteClosed(vote.play, passed, (), vote.unadvised))
        if passed:
            resolve_play(ix, tx, vote.play)
        return
    if s.turn is not None:
        tx.emit(E.TurnEnded(s.turn, passed=True, forced=True))
        return
    raise IllegalCommand("Nothing to move on: rule on the pending contests and proposals first.")


# ================================================================ evaluation


def author_of(seat: str, author: Any) -> str:
    """The author an evaluation event records: the name given, else "Evaluator" or
    "Facilitator" for those seats ("" for a player's seat: its participant)."""
    name = _name(author, "author's name", required=False)
    return name or C.DEFAULT_AUTHOR.get(seat, "")


@_handles(C.Observe)
def _observe(ix: CampaignIndex, tx: Tx, cmd: C.Observe) -> None:
    s = tx.state
    text = _limited(cmd.text, "observation", C.MAX_OBSERVATION, required=True)
    about = cmd.about
    if not isinstance(about, int) or isinstance(about, bool) or not 0 <= about <= s.seq:
        raise MalformedCommand(f"There is no event number {about!r} to observe.")
    if not isinstance(cmd.objective, str) or (cmd.objective and cmd.objective not in ix.objective_refs):
        raise MalformedCommand(f"There is no learning objective {cmd.objective!r}.")
    if cmd.rating not in ("", *C.RATINGS):
        raise MalformedCommand("The rating is P, S, M, U or none.")
    if cmd.kind not in ("", *C.KINDS):
        raise MalformedCommand("An observation is a strength, an area for improvement, or neither.")
    author = author_of(cmd.seat, cmd.author)
    tx.emit(E.ObservationRecorded(cmd.seat, author, text, about or s.seq, cmd.objective, cmd.rating, cmd.kind))


@_handles(C.Hotwash)
def _hotwash(ix: CampaignIndex, tx: Tx, cmd: C.Hotwash) -> None:
    answers = [
        _limited(cmd.went_well, "answer to what went well", C.MAX_HOTWASH, required=False),
        _limited(cmd.improve, "answer to what to improve", C.MAX_HOTWASH, required=False),
        _limited(cmd.lesson, "lesson", C.MAX_HOTWASH, required=False),
    ]
    author = author_of(cmd.seat, cmd.author)
    if not any(answers):
        raise IllegalCommand("Please answer at least one of the three questions (or skip the hotwash).")
    if hotwash_answered(tx.state, cmd.seat, author):
        who = author if author and author not in C.DEFAULT_AUTHOR.values() else ix.seat_name(cmd.seat)
        raise IllegalCommand(f"The hotwash of {who} is already recorded.")
    tx.emit(E.HotwashAnswered(cmd.seat, author, *answers))


@_handles(C.NameSeat)
def _name_seat(ix: CampaignIndex, tx: Tx, cmd: C.NameSeat) -> None:
    if not isinstance(cmd.target, str) or cmd.target not in (*ix.actors, FACILITATOR, C.EVALUATOR):
        raise MalformedCommand(f"There is no seat {cmd.target!r} to name.")
    tx.emit(E.SeatNamed(cmd.target, _name(cmd.name, "name", required=True)))
def _seconds(value: Any, what: str, *, least: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= C.MAX_CLOCK:
        raise MalformedCommand(f"The {what} is a whole number of seconds from {least} to {C.MAX_CLOCK}.")
    return value


@_handles(C.SetClock)
def _set_clock(ix: CampaignIndex, tx: Tx, cmd: C.SetClock) -> None:
    tx.emit(E.ClockSet(_seconds(cmd.turn, "time for a turn"), _seconds(cmd.round, "time for a round")))


@_handles(C.ExtendTime)
def _extend_time(ix: CampaignIndex, tx: Tx, cmd: C.ExtendTime) -> None:
    seconds = _seconds(cmd.seconds, "time added", least=1)
    if tx.state.turn is None:
        raise IllegalCommand("No turn is running: there is no one to give more time.")
    tx.emit(E.TimeExtended(tx.state.turn, seconds))


@_handles(C.TimeUp)
def _time_up(ix: CampaignIndex, tx: Tx, cmd: C.TimeUp) -> None:
    s = tx.state
    if s.paused:
        raise IllegalCommand("Resume the exercise first.")
    if s.turn is None or s.vote is not None:
        raise IllegalCommand("No turn is running.")
    if not clock_of(ix, s)[0]:
        raise IllegalCommand("Turns have no time limit.")
    tx.emit(E.TimeRanOut(s.turn))
    tx.emit(E.TurnEnded(s.turn, passed=True, forced=True))


_undecided = sorted(cls.__name__ for cls in C.COMMANDS.classes.values() if cls not in _DECIDE)
if _undecided:  # a new command class without a handler: fail at import, not mid-game
    raise TypeError(f"No decide handler for {', '.join(_undecided)}.")
