"""What a seat may do now, and what the game waits for: the one answer screens ask for.

Built only from the engine's own questions (:meth:`Engine.legal_commands`,
:meth:`Engine.why_not_play`, :meth:`Engine.awaiting`, :meth:`Engine.decide`), never by
deciding a rule again. A screen, the line console or a bot reads an :class:`Options`
(through the session's ``options(seat)``) and offers exactly what it holds; a test plays
random games and checks, at every step, that what :func:`offered` builds from it is what
the engine accepts.

Works on a real state and on a network client's mirror alike (the engine's questions do).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from tabletop.campaign.condition_calls import split_key
from tabletop.campaign.explain import leaving, shortfall
from tabletop.campaign.model import Card, Effects, Transition
from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError
from tabletop.engine.resolve import resources_after, track_after
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.engine.view_env import ViewEnv
from tabletop.engine.views import View

#: what an awaited seat is awaited for
Need = Literal["turn", "ballot", "advice", "ruling", "resume"]

#: what the facilitator's advance moves on: the open vote or the current turn
Advances = Literal["vote", "turn"]


@dataclass(frozen=True, slots=True)
class Wait:
    """One awaited seat and what the game waits for from it."""

    seat: str
    need: Need


@dataclass(frozen=True, slots=True)
class Options:
    """What ``seat`` may do now, grouped the way screens offer it.

    ``legal``: every command the engine lists (:meth:`Engine.legal_commands`), rulings
    with blank rationales; the properties are read from it, and ``hand`` from
    :meth:`Engine.why_not_play`, so they cannot disagree with the engine. The facilitator's
    tools that need text (which ``legal_commands`` leaves out) are open while the game
    runs: the one place outside the engine that says so, checked against
    :meth:`Engine.decide` by tests/test_options.py.
    """

    seat: str
    legal: tuple[C.Command, ...] = ()
    #: (card instance, why it cannot be played now or None) for each card in the seat's hand
    hand: tuple[tuple[str, str | None], ...] = ()
    #: what the game waits for from this seat, or None if it does not wait for it
    need: Need | None = None
    #: the facilitator's tools that need text (injects, adjustments, triggers, pause) are open
    tools_open: bool = False
    #: library injects the facilitator may fire now
    injects: tuple[str, ...] = ()
    #: the transitions that leave the current phase (the engine still checks their condition)
    transitions: tuple[Transition, ...] = ()
    #: the facilitator may pause now
    can_pause: bool = False
    #: the facilitator may write a note now
    can_annotate: bool = False
    #: the evaluation commands the seat may send now (:meth:`Engine.evaluation_commands`):
    #: an ``Observe`` and a ``Hotwash`` template, never game moves (bots ignore them)
    evaluation: tuple[C.Command, ...] = ()

    @property
    def can_observe(self) -> bool:
        """The seat may record an observation (the evaluators, the facilitator)."""
        return any(isinstance(c, C.Observe) for c in self.evaluation)

    @property
    def can_hotwash(self) -> bool:
        """The seat may answer the hotwash (after the end, once; as its default author)."""
        return any(isinstance(c, C.Hotwash) for c in self.evaluation)

    # ---------------------------------------------------------------- an actor's

    @property
    def my_turn(self) -> bool:
        """The seat may act on its turn: play, pass, attribute or propose."""
        return any(isinstance(c, C.Pass) for c in self.legal)

    @property
    def plays(self) -> tuple[C.PlayCard, ...]:
        """Every legal card play (a card that may be covert twice: face-down and open)."""
        return tuple(c for c in self.legal if isinstance(c, C.PlayCard))

    def ways(self, instance: str) -> tuple[C.PlayCard, ...]:
        """The legal plays of the card ``instance``: none, one, or two (face-down and open,
        for a card that may be covert) between which the player chooses."""
        return tuple(c for c in self.plays if c.card == instance)

    @property
    def attributions(self) -> tuple[C.Attribute, ...]:
        return tuple(c for c in self.legal if isinstance(c, C.Attribute))

    @property
    def attributable(self) -> tuple[int, ...]:
        """Ids of the hidden plays the seat may attribute now (the cost is affordable)."""
        return tuple(dict.fromkeys(c.play for c in self.attributions))

    @property
    def accusable(self) -> tuple[str, ...]:
        """The actors the seat may accuse, in the campaign's order."""
        return tuple(dict.fromkeys(c.accused for c in self.attributions))

    @property
    def ballot(self) -> int | None:
        """The play id of the vote the seat may cast a ballot in, or None."""
        return next((c.play for c in self.legal if isinstance(c, C.CastVote)), None)

    @property
    def advice(self) -> int | None:
        """The play id of the vote the seat is asked to advise on, or None."""
        return next((c.play for c in self.legal if isinstance(c, C.Advise)), None)

    # ---------------------------------------------------------------- the facilitator's

    @property
    def contests(self) -> tuple[int, ...]:
        """Play ids of the contests waiting for the facilitator's ruling."""
        return tuple(dict.fromkeys(c.play for c in self.legal if isinstance(c, C.Adjudicate)))

    @property
    def proposals(self) -> tuple[int, ...]:
        """Ids of the proposals waiting for the facilitator's ruling."""
        return tuple(dict.fromkeys(c.proposal for c in self.legal if isinstance(c, C.RuleProposal)))

    @property
    def triggers(self) -> tuple[str, ...]:
        """The phase triggers the facilitator may fire (if their condition holds)."""
        return tuple(dict.fromkeys(t.trigger for t in self.transitions))

    @property
    def can_advance(self) -> bool:
        return any(isinstance(c, C.Advance) for c in self.legal)

    @property
    def can_resume(self) -> bool:
        return any(isinstance(c, C.Resume) for c in self.legal)


def waits(engine: Engine, state: GameState, awaiting: tuple[str, ...] | None = None) -> tuple[Wait, ...]:
    """Who the game waits for, and for what (a turn, a ballot, a ruling, a resume).

    ``awaiting``: the awaited seats when someone else knows them better (a network
    client's mirror cannot see a hidden card's contest; the host names the seats);
    default :meth:`Engine.awaiting`.
    """
    seats = engine.awaiting(state) if awaiting is None else awaiting
    return tuple(Wait(seat, _need(state, seat)) for seat in seats)


def _need(state: GameState, seat: str) -> Need:
    if seat == C.FACILITATOR:
        return "resume" if state.paused else "ruling"
    if state.vote is not None and seat in state.vote.waiting:
        return "ballot"
    if state.vote is not None and seat in state.vote.unadvised:
        return "advice"
    return "turn"


def options(engine: Engine, state: GameState, seat: str, awaiting: tuple[str, ...] | None = None) -> Options:
    """What ``seat`` may do in ``state`` (see :class:`Options`); ``awaiting`` as in :func:`waits`."""
    legal = tuple(engine.legal_commands(state, seat))
    evaluation = tuple(engine.evaluation_commands(state, seat))
    need = next((w.need for w in waits(engine, state, awaiting) if w.seat == seat), None)
    if seat == C.FACILITATOR:
        open_ = state.seq > 0 and not state.ended
        injects = tuple(i.id for i in engine.campaign.injects if i.in_library) if open_ else ()
        transitions = tuple(
            t for t in engine.campaign.phases.transitions
            if state.phase in t.sources or (t.source == "*" and state.phase not in engine.terminal)
        ) if open_ else ()
        return Options(
            seat, legal, (), need, open_, injects, transitions, open_ and not state.paused, state.seq > 0, evaluation
        )
    actor = state.actors.get(seat)
    hand = tuple((i, engine.why_not_play(state, seat, i)) for i in actor.hand) if actor is not None else ()
    return Options(seat, legal, hand, need, evaluation=evaluation)


def offered(opts: Options) -> list[C.Command]:
    """The commands a screen builds from ``opts`` alone (rulings with blank rationales).

    Every command of ``opts.legal`` is among them and every one of them is legal: the
    test of :class:`Options` against the engine.
    """
    out: list[C.Command] = []
    seat = opts.seat
    for instance, reason in opts.hand:
        if reason is None:
            out += opts.ways(instance)
    for play in opts.attributable:
        out += [C.Attribute(seat, play, a) for a in opts.accusable]
    if opts.ballot is not None:
        out += [C.CastVote(seat, opts.ballot, True), C.CastVote(seat, opts.ballot, False)]
    if opts.advice is not None:
        out += [C.Advise(seat, opts.advice, True), C.Advise(seat, opts.advice, False)]
    if opts.my_turn:
        out.append(C.Pass(seat))
    for pid in opts.contests:
        out += [C.Adjudicate(seat, pid, True, ""), C.Adjudicate(seat, pid, False, "")]
    for n in opts.proposals:
        out += [C.RuleProposal(seat, n, "accept", ""), C.RuleProposal(seat, n, "reject", "")]
    if opts.can_resume:
        out.append(C.Resume(seat))
    if opts.can_advance:
        out.append(C.Advance(seat))
    return out


def why_not(engine: Engine, state: GameState, command: C.Command) -> str | None:
    """Why the engine would refuse ``command`` in ``state`` (its sentence), or None if it
    would accept it. Asks :meth:`Engine.decide` with a throwaway generator."""
    try:
        engine.decide(state, command, random.Random(0))
    except CommandError as e:
        return str(e)
    return None


def _sees(engine: Engine, view: View, name: str) -> bool:
    """Whether ``view``'s seat knows the value of the condition name or call key ``name``."""
    if name in engine.campaign.hidden_by_id:
        return name in view.values
    fn, subject, _ = split_key(name)
    if fn == "resources":
        actor = view.actors.get(subject)
        return actor is not None and actor.resources is not None
    if fn in ("played", "played_this_round"):
        return all(p.card is not None for p in view.plays)  # a play hidden from the seat may be that card
    return True  # a track, the round, the phase


def _env_after(engine: Engine, env: ViewEnv, fx: Effects, actor: str | None) -> ViewEnv:
    """``env`` after ``fx``'s track and resource changes, as the engine applies them."""
    env = env.copy()
    for track, delta in fx.tracks.items():
        env[track] = track_after(engine.tracks[track], int(env[track]), delta)
    changes = dict(fx.resources_of)
    if actor is not None and fx.resources:
        changes[actor] = changes.get(actor, 0) + fx.resources
    for who, delta in changes.items():
        key = f"resources:{who}"
        env[key] = resources_after(int(env[key]), delta)
    return env


def _unmet(engine: Engine, view: View, trigger: str, env: ViewEnv) -> str | None:
    """Why ``trigger`` would not move the crisis out of the phase now, read in ``env``,
    as ``view``'s seat can tell (None: it would, it cannot leave this phase, or the seat cannot tell)."""
    reasons: list[tuple[str, str]] = []
    for t in leaving(engine.campaign, trigger, view.phase):
        if t.when is None:
            return None
        parts = shortfall(engine.campaign, t.when, env)
        if not parts or not all(_sees(engine, view, n) for _, reads in parts for n in reads):
            return None
        reasons.append((engine.phase_name(t.dest), "; ".join(words for words, _ in parts)))
    if not reasons:
        return None
    if len(reasons) == 1:
        return reasons[0][1]
    return "; ".join(f"for {dest}, {why}" for dest, why in reasons)


def unmet_triggers(engine: Engine, view: View, card: Card) -> dict[str, str]:
    """Why each phase trigger ``card`` fires would not move the crisis if the card took
    effect now, as ``view``'s seat can tell: ``{"effects": "Escalation risk is 3, it needs
    4 or more"}`` (the words of :func:`~tabletop.campaign.explain.shortfall`).

    Keys: ``effects`` (the card's own trigger), ``success`` and ``failure`` (its contest's).
    Each is read in the view after the track and resource changes that come before the
    trigger, as the engine applies them (the card's own, then the contest outcome's),
    played by ``view``'s seat. Left out: a trigger that would fire, one with no move out
    of the phase now (the card's preview says so), and one whose reason would read what
    the seat does not see (a hidden value it does not know, another side's resources, a
    play hidden from it): there the seat cannot tell, and is not told.
    """
    actor = view.seat if view.seat in view.actors else None
    now = ViewEnv(engine, view)
    after = _env_after(engine, now, card.effects, actor)
    sets: list[tuple[str, Effects, ViewEnv]] = [("effects", card.effects, after)]
    if card.contest is not None:
        sets += [(key, fx, _env_after(engine, after, fx, actor))
                 for key, fx in (("success", card.contest.success), ("failure", card.contest.failure))]
    out = {}
    for key, fx, env in sets:
        if fx.trigger:
            why = _unmet(engine, view, fx.trigger, env)
            if why is not None:
                out[key] = why
    return out
