"""The rules: ``decide`` turns a command into events, ``apply`` folds an event into the state.

``decide(state, command, rng)`` checks the command, refuses it with a typed error
(:class:`MalformedCommand` or :class:`IllegalCommand`) without touching anything, or
returns the events it causes — including everything that then happens by itself
(automatic steps, dice at adjudication, the next round) until the game waits for
someone again. Every random outcome is drawn from ``rng`` and written into an event.

``apply(state, event)`` is a plain fold: no decisions, no randomness. Replaying the
events of a journal rebuilds every state exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from tabletop.campaign.model import Campaign, Card, Effects, Modifier
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.errors import IllegalCommand, MalformedCommand
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
from tabletop.phases import CrisisMachine

FACILITATOR = C.FACILITATOR
HIDDEN = "?"  # a secret value in a redacted event
_MAX_TEXT = 4000


class _Tx:
    """The events one ``decide`` call produces, folded as they are produced.

    ``rng`` draws what everyone sees the outcome of (dice, the order sealed covert plays
    resolve in). Draws whose number depends on something private (how many cards a
    discard pile or a hand holds) come from :meth:`private` instead, so the public draws
    of a decision never depend on another side's secrets.
    """

    __slots__ = ("engine", "state", "events", "states", "rng", "_base", "_uses")

    def __init__(self, engine: Engine, state: GameState, rng: random.Random) -> None:
        self.engine = engine
        self.state = state
        self.events: list[E.Event] = []
        self.states: list[GameState] = []
        self.rng = rng
        self._base: bytes | None = None
        self._uses: Counter[str] = Counter()

    def emit(self, event: E.Event) -> None:
        self.events.append(event)
        self.state = self.engine.apply(self.state, event)
        self.states.append(self.state)

    def private(self, *label: object) -> random.Random:
        """A generator for one private draw named by ``label`` (e.g. ``"reshuffle", actor``).

        Keyed by ``rng``'s state when first asked (which it does not advance) and the
        label with its count of uses in this decision: deterministic, and independent
        of ``rng``'s later draws and of every other private draw.
        """
        if self._base is None:
            self._base = hashlib.sha256(repr(self.rng.getstate()).encode()).digest()
        name = "\x1f".join(str(part) for part in label)
        n = self._uses[name]
        self._uses[name] += 1
        return random.Random(hashlib.sha256(self._base + f"{name}\x1f{n}".encode()).digest())


class Engine:
    """The rules of one campaign. Pure: it holds only the campaign's static data."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.machine = CrisisMachine(campaign)
        self.order: tuple[str, ...] = campaign.round_order
        self.side_of: dict[str, str] = dict(campaign.side_of_actor)
        self.actors: tuple[str, ...] = tuple(self.side_of)
        self.actors_of: dict[str, tuple[str, ...]] = {s.id: tuple(a.id for a in s.actors) for s in campaign.sides}
        self.cards = campaign.card_by_id
        self.tracks = campaign.track_by_id
        self.terminal = self.machine.terminal
        self.has_adjudication = "adjudication" in self.order
        # Card instances: a card id that appears once in all decks is its own instance id;
        # copies are numbered `id~1`, `id~2`, ...
        decks = {a: campaign.deck_of(a) for a in self.actors}
        totals = Counter(card for deck in decks.values() for card in deck)
        seen: Counter[str] = Counter()
        self.instance_card: dict[str, str] = {}
        self.instance_owner: dict[str, str] = {}
        self.start_decks: dict[str, tuple[str, ...]] = {}
        for actor, deck in decks.items():
            instances = []
            for card in deck:
                seen[card] += 1
                iid = card if totals[card] == 1 else f"{card}~{seen[card]}"
                self.instance_card[iid] = card
                self.instance_owner[iid] = actor
                instances.append(iid)
            self.start_decks[actor] = tuple(instances)
        self._apply: dict[type, Callable[[GameState, Any], GameState]] = {
            cls: getattr(self, f"_on_{tag}") for tag, cls in E.EVENTS.classes.items()
        }

    # ================================================================ public API

    def initial_state(self) -> GameState:
        """The state before the first event: nothing dealt yet."""
        return GameState(campaign=self.campaign.id)

    def start(self, rng: random.Random) -> list[E.Event]:
        """The events that open a game: shuffled decks, opening hands, round 1 up to the first decision."""
        tx = _Tx(self, self.initial_state(), rng)
        decks = {}
        for actor, deck in self.start_decks.items():
            order = list(deck)
            rng.shuffle(order)
            decks[actor] = tuple(order)
        tx.emit(E.GameStarted(self.campaign.id, decks))
        for actor in self.actors:
            self._draw(tx, actor, self.campaign.actor_by_id[actor].hand_size)
        self._run(tx)
        return tx.events

    def fold(self, events: Iterable[E.Event], state: GameState | None = None) -> GameState:
        """The state after ``events``, from ``state`` (default: the initial state)."""
        s = state if state is not None else self.initial_state()
        for ev in events:
            s = self.apply(s, ev)
        return s

    def decide(self, state: GameState, command: C.Command, rng: random.Random) -> list[E.Event]:
        """The events ``command`` causes in ``state``.

        Raises :class:`MalformedCommand` if the command names things that do not exist
        or is not well formed, :class:`IllegalCommand` if it is not allowed now. The
        state is never changed (it is immutable); on success the caller folds the
        returned events with :meth:`apply`.
        """
        return self._begin(state, command, rng).events

    def _begin(self, state: GameState, command: C.Command, rng: random.Random) -> _Tx:
        if not isinstance(command, C.Command):
            raise MalformedCommand("That is not a command.")
        handler = getattr(self, f"_decide_{command.TYPE}", None)
        if handler is None:
            raise MalformedCommand(f"Unknown command {command.TYPE!r}.")
        if not state.seq:
            raise IllegalCommand("The game has not started.")
        self._check_seat(state, command)
        tx = _Tx(self, state, rng)
        handler(tx, command)
        self._run(tx)
        return tx

    def step(
        self, state: GameState, command: C.Command, rng: random.Random
    ) -> tuple[list[E.Event], list[GameState], GameState]:
        """Like :meth:`decide`, but also returns the state after each event and the last one.

        Saves folding the events a second time (the session needs each event's round
        and phase for the journal). Raises what :meth:`decide` raises.
        """
        tx = self._begin(state, command, rng)
        return tx.events, tx.states, tx.state

    def apply(self, state: GameState, event: E.Event) -> GameState:
        """The state after ``event``. A plain fold: no checks, no randomness."""
        s = self._apply[type(event)](state, event)
        if s is state:
            return evolve(s, seq=s.seq + 1)
        object.__setattr__(s, "seq", state.seq + 1)  # s is new and not yet seen by anyone
        return s

    # ---------------------------------------------------------------- questions

    def awaiting(self, state: GameState) -> tuple[str, ...]:
        """Seats the game waits for: voters, the actor whose turn it is, or the facilitator."""
        if state.ended or not state.seq:
            return ()
        if state.paused:
            return (FACILITATOR,)
        if state.vote is not None:
            return state.vote.waiting
        if self._blocked_on_facilitator(state):
            return (FACILITATOR,)
        if state.turn is not None:
            return (state.turn,)
        return ()

    def why_not_play(self, state: GameState, actor: str, instance: str) -> str | None:
        """Why ``actor`` cannot play ``instance`` now, as a sentence; None if it can."""
        card_id = self.instance_card.get(instance)
        if card_id is None:
            return "There is no such card."
        hand = state.actors[actor].hand if actor in state.actors else ()
        if instance not in hand:
            return "That card is not in your hand."
        reason = self._turn_problem(state, actor)
        if reason:
            return reason
        card = self.cards[card_id]
        if card.side != self.side_of[actor] or (card.actor is not None and card.actor != actor):
            owner = self.campaign.actor_by_id[card.actor].name if card.actor else self.side_name(card.side)
            return f"Only {owner} can play {card.title}."
        if card.phases is not None and state.phase not in card.phases:
            names = ", ".join(self.phase_name(p) for p in card.phases)
            return f"{card.title} can be played only in: {names}."
        if card.requires is not None and not self.campaign.condition(card.requires).evaluate(state.env()):
            return f"{card.title} needs {card.requires}."
        have = state.actors[actor].resources
        if have < card.cost:
            return f"{card.title} costs {card.cost} and you have {have}."
        if card.covert is not None and not card.covert.optional and card.consensus is not None:
            return f"{card.title} can only be played covertly, and a covert card cannot be put to a vote."
        return None

    def legal_commands(self, state: GameState, seat: str) -> list[C.Command]:
        """Every command ``seat`` may send now, except free-form proposals and notes.

        For the facilitator, only what the game waits for (rulings, advance, resume);
        the facilitator's other tools are always open and need text.
        """
        if state.ended or not state.seq:
            return []
        out: list[C.Command] = []
        if seat == FACILITATOR:
            if state.paused:
                return [C.Resume(seat)]
            for pid in state.pending:
                if self._contest_of(state.play(pid)).by == "facilitator":
                    out += [C.Adjudicate(seat, pid, True, ""), C.Adjudicate(seat, pid, False, "")]
            for p in state.proposals:
                if p.verdict is None:
                    out += [C.RuleProposal(seat, p.id, "accept", ""), C.RuleProposal(seat, p.id, "reject", "")]
            if state.vote is not None or state.turn is not None:
                out.append(C.Advance(seat))
            return out
        if not isinstance(seat, str) or seat not in self.side_of or state.paused:
            return []
        if state.vote is not None:
            if seat in state.vote.waiting:
                return [C.CastVote(seat, state.vote.play, True), C.CastVote(seat, state.vote.play, False)]
            return []
        if state.turn != seat or self._turn_problem(state, seat):
            return []
        for instance in state.actors[seat].hand:
            if self.why_not_play(state, seat, instance) is None:
                card = self.cards[self.instance_card[instance]]
                if card.covert is not None and card.covert.optional and card.consensus is not None:
                    out.append(C.PlayCard(seat, instance, False))  # a vote cannot be covert
                elif card.covert is not None and card.covert.optional:
                    out += [C.PlayCard(seat, instance, True), C.PlayCard(seat, instance, False)]
                else:
                    out.append(C.PlayCard(seat, instance))
        if state.actors[seat].resources >= self.campaign.rules.attribution_cost:
            my_side = self.side_of[seat]
            for play in state.plays:
                if play.hidden and self.side_of.get(play.actor) != my_side:  # "?" in a mirror
                    for accused in self.actors:
                        if self.side_of[accused] != my_side:
                            out.append(C.Attribute(seat, play.id, accused))
        out.append(C.Pass(seat))
        return out

    def outcome_now(self, state: GameState, reason: str, detail: str) -> Outcome:
        env = state.env()
        objectives = {
            side.id: {o.id: bool(self.campaign.condition(o.when).evaluate(env)) for o in side.objectives}
            for side in self.campaign.sides
        }
        return Outcome(reason, detail, objectives)

    def date_of(self, round_: int) -> dt.date:
        cal = self.campaign.calendar
        return cal.start + dt.timedelta(days=cal.round_days * (max(round_, 1) - 1))

    def side_name(self, side: str) -> str:
        s = self.campaign.side_by_id.get(side)
        return s.name if s else side

    def phase_name(self, phase: str) -> str:
        p = self.campaign.phase_by_id.get(phase)
        return p.name if p else phase

    def step_name(self, state: GameState) -> str:
        return self.order[state.step] if 0 <= state.step < len(self.order) else ""

    # ================================================================ checks

    def _check_seat(self, state: GameState, cmd: C.Command) -> None:
        seat = cmd.seat
        if not isinstance(seat, str):
            raise MalformedCommand("The seat must be a name.")
        facilitator_cmd = isinstance(cmd, C.FACILITATOR_COMMANDS)
        if facilitator_cmd:
            if seat != FACILITATOR:
                raise IllegalCommand("Only the facilitator can do that.")
            if state.ended and not isinstance(cmd, C.Annotate):
                raise IllegalCommand("The exercise is over.")
            return
        if seat not in self.side_of:
            raise MalformedCommand(f"There is no seat {seat!r}.")
        if state.ended:
            raise IllegalCommand("The exercise is over.")
        if state.paused:
            raise IllegalCommand("The exercise is paused by the facilitator.")

    def _turn_problem(self, state: GameState, actor: str) -> str | None:
        if state.ended:
            return "The exercise is over."
        if state.paused:
            return "The exercise is paused by the facilitator."
        if state.vote is not None:
            return "A vote is open; it must close first."
        if not self.has_adjudication and self._facilitator_pending(state):
            return "The facilitator must rule first."
        if state.turn != actor:
            if state.turn is None:
                return "It is nobody's turn right now."
            return f"It is {self.campaign.actor_by_id[state.turn].name}'s turn."
        if state.plays_left <= 0:
            return "You have no actions left this turn."
        return None

    def _require_turn(self, state: GameState, actor: str) -> None:
        reason = self._turn_problem(state, actor)
        if reason:
            raise IllegalCommand(reason)

    def _effects_from(self, data: Any, what: str) -> Effects:
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
            if track not in self.tracks:
                raise MalformedCommand(f"There is no track {track!r}.")
        for actor in (*effects.resources_of, *effects.discard):
            if actor not in self.side_of:
                raise MalformedCommand(f"There is no actor {actor!r}.")
        if effects.trigger is not None and effects.trigger not in self.machine.triggers:
            raise MalformedCommand(f"There is no phase trigger {effects.trigger!r}.")
        return effects

    @staticmethod
    def _text(value: Any, what: str, required: bool = True) -> str:
        if not isinstance(value, str):
            raise MalformedCommand(f"The {what} must be text.")
        if len(value) > _MAX_TEXT:
            raise MalformedCommand(f"The {what} is too long (at most {_MAX_TEXT} characters).")
        if required and not value.strip():
            raise IllegalCommand(f"Please write a {what}.")
        return value.strip()

    def _play_arg(self, state: GameState, play: Any) -> Play:
        if not isinstance(play, int) or isinstance(play, bool) or not 1 <= play <= len(state.plays):
            raise MalformedCommand(f"There is no play number {play!r}.")
        return state.play(play)

    # ================================================================ decide: players

    def _decide_play(self, tx: _Tx, cmd: C.PlayCard) -> None:
        s = tx.state
        if not isinstance(cmd.card, str) or cmd.card not in self.instance_card:
            raise MalformedCommand(f"There is no card {cmd.card!r}.")
        if cmd.covert is not None and not isinstance(cmd.covert, bool):
            raise MalformedCommand("Covert must be true, false or absent.")
        reason = self.why_not_play(s, cmd.seat, cmd.card)
        if reason:
            raise IllegalCommand(reason)
        card = self.cards[self.instance_card[cmd.card]]
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
            tx.emit(E.CovertSealed(cmd.seat, card.id, cmd.card, card.cost))
            return
        play_id = len(s.plays) + 1
        tx.emit(E.CardPlayed(play_id, cmd.seat, card.id, cmd.card, covert, card.cost))
        if card.consensus is not None:
            voters = tuple(dict.fromkeys(card.consensus.voters))
            tx.emit(E.VoteOpened(play_id, voters))
            if cmd.seat in voters:
                tx.emit(E.BallotCast(play_id, cmd.seat, True))
            self._maybe_close_vote(tx)
        else:
            self._resolve_play(tx, play_id)

    def _decide_pass(self, tx: _Tx, cmd: C.Pass) -> None:
        self._require_turn(tx.state, cmd.seat)
        tx.emit(E.TurnEnded(cmd.seat, passed=True))

    def _decide_vote(self, tx: _Tx, cmd: C.CastVote) -> None:
        s = tx.state
        if not isinstance(cmd.yes, bool):
            raise MalformedCommand("A ballot is yes or no.")
        self._play_arg(s, cmd.play)
        if s.vote is None or s.vote.play != cmd.play:
            raise IllegalCommand("There is no open vote on that card.")
        if cmd.seat not in s.vote.voters:
            raise IllegalCommand("You do not have a vote on this card.")
        if cmd.seat in s.vote.ballots:
            raise IllegalCommand("You have already voted.")
        tx.emit(E.BallotCast(cmd.play, cmd.seat, cmd.yes))
        self._maybe_close_vote(tx)

    def _decide_attribute(self, tx: _Tx, cmd: C.Attribute) -> None:
        s = tx.state
        play = self._play_arg(s, cmd.play)
        if not isinstance(cmd.accused, str) or cmd.accused not in self.side_of:
            raise MalformedCommand(f"There is no actor {cmd.accused!r}.")
        self._require_turn(s, cmd.seat)
        my_side = self.side_of[cmd.seat]
        if not play.hidden:
            raise IllegalCommand("That play is not hidden.")
        if self.side_of[play.actor] == my_side:
            raise IllegalCommand("That is your own side's play.")
        if self.side_of[cmd.accused] == my_side:
            raise IllegalCommand("You cannot accuse your own side.")
        cost = self.campaign.rules.attribution_cost
        if s.actors[cmd.seat].resources < cost:
            raise IllegalCommand(f"An attribution costs {cost} and you have {s.actors[cmd.seat].resources}.")
        card = self.cards[play.card]
        assert card.covert is not None
        spec = card.covert.attribution
        dice, mods, total = self._roll(tx, spec.dice, spec.modifiers, s)
        success = total >= spec.target
        correct = cmd.accused == play.actor
        tx.emit(E.AttributionAttempted(play.id, cmd.seat, cmd.accused, dice, mods, spec.target, total, success, correct, cost))
        if success and correct:
            tx.emit(E.CovertRevealed(play.id, play.card, play.actor, "attributed"))
            self._effects(tx, card.covert.on_attributed, cmd.seat, f"attribution:{play.id}")
        elif success:
            self._effects(tx, self.campaign.rules.misattribution, cmd.seat, f"attribution:{play.id}")

    def _decide_propose(self, tx: _Tx, cmd: C.Propose) -> None:
        text = self._text(cmd.text, "description of the action")
        effects = self._effects_from(cmd.effects, "proposed")
        self._require_turn(tx.state, cmd.seat)
        pid = len(tx.state.proposals) + 1
        tx.emit(E.ProposalSubmitted(pid, cmd.seat, text, effects.model_dump(exclude_defaults=True)))

    # ================================================================ decide: facilitator

    def _decide_adjudicate(self, tx: _Tx, cmd: C.Adjudicate) -> None:
        s = tx.state
        play = self._play_arg(s, cmd.play)
        if not isinstance(cmd.success, bool):
            raise MalformedCommand("Success must be true or false.")
        rationale = self._text(cmd.rationale, "rationale")
        if play.id not in s.pending:
            raise IllegalCommand("That play has no contest waiting for a ruling.")
        contest = self._contest_of(play)
        tx.emit(E.ContestAdjudicated(play.id, cmd.success, rationale))
        self._effects(tx, contest.success if cmd.success else contest.failure, play.actor, f"play:{play.id}")

    def _decide_rule(self, tx: _Tx, cmd: C.RuleProposal) -> None:
        s = tx.state
        if not isinstance(cmd.proposal, int) or isinstance(cmd.proposal, bool) or not 1 <= cmd.proposal <= len(s.proposals):
            raise MalformedCommand(f"There is no proposal number {cmd.proposal!r}.")
        if cmd.verdict not in ("accept", "amend", "reject"):
            raise MalformedCommand("The verdict is accept, amend or reject.")
        rationale = self._text(cmd.rationale, "rationale")
        proposal = s.proposals[cmd.proposal - 1]
        if proposal.verdict is not None:
            raise IllegalCommand("That proposal has already been ruled on.")
        if cmd.verdict == "accept":
            effects = self._effects_from(proposal.effects, "proposed")
        elif cmd.verdict == "amend":
            if cmd.effects is None:
                raise IllegalCommand("An amendment needs the effects the facilitator allows.")
            effects = self._effects_from(cmd.effects, "amended")
        else:
            effects = Effects()
        tx.emit(E.ProposalRuled(
            proposal.id, cmd.verdict, rationale, effects.model_dump(exclude_defaults=True), proposal.text
        ))
        self._effects(tx, effects, proposal.actor, f"proposal:{proposal.id}")

    def _decide_inject(self, tx: _Tx, cmd: C.FireInject) -> None:
        if cmd.inject is not None:
            inject = self.campaign.inject_by_id.get(cmd.inject) if isinstance(cmd.inject, str) else None
            if inject is None:
                raise MalformedCommand(f"There is no inject {cmd.inject!r}.")
            if not inject.in_library and inject.id in tx.state.fired:
                raise IllegalCommand(f"{inject.title} has already fired.")
            tx.emit(E.InjectFired(inject.id, inject.title, inject.text, "facilitator"))
            self._effects(tx, inject.effects, None, f"inject:{inject.id}")
            return
        title = self._text(cmd.title, "title for the inject")
        text = self._text(cmd.text, "inject text", required=False)
        effects = self._effects_from(cmd.effects, "inject")
        tx.emit(E.InjectFired(None, title, text, "facilitator"))
        self._effects(tx, effects, None, "inject:free")

    def _decide_adjust(self, tx: _Tx, cmd: C.AdjustTrack) -> None:
        if not isinstance(cmd.track, str) or cmd.track not in self.tracks:
            raise MalformedCommand(f"There is no track {cmd.track!r}.")
        if not isinstance(cmd.delta, int) or isinstance(cmd.delta, bool) or cmd.delta == 0:
            raise MalformedCommand("The change must be a whole number other than 0.")
        reason = self._text(cmd.reason, "reason for the change")
        track = self.tracks[cmd.track]
        old = tx.state.tracks[cmd.track]
        new = min(track.max, max(track.min, old + cmd.delta))
        if new == old:
            edge = "maximum" if cmd.delta > 0 else "minimum"
            raise IllegalCommand(f"{track.name} is already at its {edge} ({old}).")
        tx.emit(E.TrackChanged(cmd.track, new - old, new, "facilitator", reason))

    def _decide_trigger(self, tx: _Tx, cmd: C.FireTrigger) -> None:
        if not isinstance(cmd.trigger, str) or cmd.trigger not in self.machine.triggers:
            raise MalformedCommand(f"There is no phase trigger {cmd.trigger!r}.")
        self._text(cmd.reason, "reason")
        if not self._phase_trigger(tx, cmd.trigger, "facilitator"):
            raise IllegalCommand(
                f"No {cmd.trigger!r} transition leaves {self.phase_name(tx.state.phase)} with its condition met."
            )

    def _decide_annotate(self, tx: _Tx, cmd: C.Annotate) -> None:
        tx.emit(E.Annotated(self._text(cmd.text, "note"), tx.state.seq))

    def _decide_pause(self, tx: _Tx, cmd: C.Pause) -> None:
        if tx.state.paused:
            raise IllegalCommand("The exercise is already paused.")
        tx.emit(E.Paused(self._text(cmd.reason, "reason", required=False)))

    def _decide_resume(self, tx: _Tx, cmd: C.Resume) -> None:
        if not tx.state.paused:
            raise IllegalCommand("The exercise is not paused.")
        tx.emit(E.Resumed())

    def _decide_advance(self, tx: _Tx, cmd: C.Advance) -> None:
        s = tx.state
        if s.paused:
            raise IllegalCommand("Resume the exercise first.")
        if s.vote is not None:
            tx.emit(E.VoteClosed(s.vote.play, False, s.vote.waiting))
            return
        if s.turn is not None:
            tx.emit(E.TurnEnded(s.turn, passed=True, forced=True))
            return
        raise IllegalCommand("Nothing to move on: rule on the pending contests and proposals first.")

    # ================================================================ resolution

    def _maybe_close_vote(self, tx: _Tx) -> None:
        vote = tx.state.vote
        if vote is None or vote.waiting:
            return
        passed = all(vote.ballots.values())
        tx.emit(E.VoteClosed(vote.play, passed))
        if passed:
            self._resolve_play(tx, vote.play)

    def _resolve_sealed(self, tx: _Tx) -> None:
        """The covert plays sealed in this step take effect, one after the other.

        In a random order (sorted by card first, so the order owes nothing to who played
        what or when), each as a ``card_played`` with its number, then its effects.
        """
        order = sorted(tx.state.sealed, key=lambda sealed: self.instance_card[sealed[1]])
        tx.rng.shuffle(order)
        for actor, instance in order:
            if tx.state.ended:
                return
            card = self.cards[self.instance_card[instance]]
            play_id = len(tx.state.plays) + 1
            tx.emit(E.CardPlayed(play_id, actor, card.id, instance, True, card.cost))
            self._resolve_play(tx, play_id)

    def _resolve_play(self, tx: _Tx, play_id: int) -> None:
        play = tx.state.play(play_id)
        card = self.cards[play.card]
        self._effects(tx, card.effects, play.actor, f"play:{play_id}")
        if card.contest is not None and not tx.state.ended:
            tx.emit(E.ContestPending(play_id, card.contest.by))
            if not self.has_adjudication and card.contest.by == "dice":
                self._roll_contest(tx, play_id)

    def _contest_of(self, play: Play) -> Any:
        contest = self.cards[play.card].contest
        assert contest is not None
        return contest

    def _roll(
        self, tx: _Tx, dice: str, modifiers: list[Modifier], state: GameState
    ) -> tuple[tuple[int, ...], tuple[tuple[str, int], ...], int]:
        n, sides = (int(x) for x in dice.split("d"))
        rolled = tuple(tx.rng.randint(1, sides) for _ in range(n))
        env = state.env()
        mods: list[tuple[str, int]] = []
        for m in modifiers:
            if m.when is not None and not self.campaign.condition(m.when).evaluate(env):
                continue
            if m.if_played is not None and not any(
                p.card == m.if_played and p.status == "resolved" for p in state.plays
            ):
                continue
            if m.label:
                label = m.label
            elif m.if_played is not None:
                label = f"{self.cards[m.if_played].title} played"
            else:
                label = m.when or "modifier"
            mods.append((label, m.add))
        return rolled, tuple(mods), sum(rolled) + sum(v for _, v in mods)

    def _roll_contest(self, tx: _Tx, play_id: int) -> None:
        play = tx.state.play(play_id)
        contest = self._contest_of(play)
        target = contest.target if contest.target is not None else 7
        dice, mods, total = self._roll(tx, contest.dice, contest.modifiers, tx.state)
        success = total >= target
        tx.emit(E.ContestRolled(play_id, dice, mods, target, total, success))
        self._effects(tx, contest.success if success else contest.failure, play.actor, f"play:{play_id}")

    def _effects(self, tx: _Tx, fx: Effects, actor: str | None, cause: str) -> None:
        """Emit the events of ``fx`` for ``actor`` (None for injects)."""
        if tx.state.ended:
            return
        for track_id, delta in fx.tracks.items():
            track = self.tracks[track_id]
            old = tx.state.tracks[track_id]
            new = min(track.max, max(track.min, old + delta))
            if new != old:
                tx.emit(E.TrackChanged(track_id, new - old, new, cause))
        changes = dict(fx.resources_of)
        if actor is not None and fx.resources:
            changes[actor] = changes.get(actor, 0) + fx.resources
        for who, delta in changes.items():
            old = tx.state.actors[who].resources
            new = max(0, old + delta)
            if new != old:
                tx.emit(E.ResourcesChanged(who, new - old, new, cause))
        if actor is not None and fx.draw:
            self._draw(tx, actor, fx.draw)
        for who, n in fx.discard.items():
            hand = tx.state.actors[who].hand
            if hand and n > 0:
                rng = tx.private("discard", who)  # how many cards it draws from depends on the hand
                tx.emit(E.CardsDiscarded(who, tuple(rng.sample(hand, min(n, len(hand)))), cause))
        if fx.reveal:
            mine = self.side_of.get(actor) if actor else None
            hidden = [p for p in tx.state.plays if p.hidden and self.side_of[p.actor] != mine]
            for p in hidden[: fx.reveal]:
                tx.emit(E.CovertRevealed(p.id, p.card, p.actor, "effect"))
        if fx.trigger:
            self._phase_trigger(tx, fx.trigger, cause)

    def _phase_trigger(self, tx: _Tx, trigger: str, cause: str) -> bool:
        if tx.state.ended:
            return False
        fired = self.machine.fire(trigger, tx.state.phase, tx.state.env())
        if fired is None:
            return False
        self._change_phase(tx, fired.source, fired.dest, fired.trigger, cause, fired.condition)
        return True

    def _change_phase(self, tx: _Tx, source: str, dest: str, trigger: str, cause: str, condition: str | None) -> None:
        tx.emit(E.PhaseChanged(source, dest, trigger, cause, condition))
        if dest in self.terminal:
            self._end(tx, "terminal_phase", dest)

    def _end(self, tx: _Tx, reason: str, detail: str) -> None:
        if tx.state.ended:
            return
        outcome = self.outcome_now(tx.state, reason, detail)
        tx.emit(E.GameEnded(reason, detail, outcome.objectives))

    def _draw(self, tx: _Tx, actor: str, n: int) -> None:
        limit = self.campaign.actor_by_id[actor].hand_size
        a = tx.state.actors[actor]
        want = min(n, limit - len(a.hand))
        if want <= 0:
            return
        if len(a.deck) < want and a.discard:
            order = list(a.discard)
            tx.private("reshuffle", actor).shuffle(order)
            if a.deck:  # draw what is left first, then reshuffle
                tx.emit(E.CardsDrawn(actor, a.deck))
                want -= len(a.deck)
            tx.emit(E.DeckReshuffled(actor, tuple(order)))
            a = tx.state.actors[actor]
        take = a.deck[:want]
        if take:
            tx.emit(E.CardsDrawn(actor, take))

    # ================================================================ the round

    def _facilitator_pending(self, s: GameState) -> bool:
        """Is a facilitator contest or a free-form proposal waiting for a ruling?"""
        for pid in s.pending:
            play = s.play(pid)
            # a mirror (redacted state) cannot tell what a hidden card's contest is
            if play.card != HIDDEN and self._contest_of(play).by == "facilitator":
                return True
        return any(p.verdict is None for p in s.proposals)

    def _blocked_on_facilitator(self, s: GameState) -> bool:
        """Does the game wait for the facilitator? At the adjudication step, or at once
        when the round has no adjudication step."""
        if self.has_adjudication and self.step_name(s) != "adjudication":
            return False
        return self._facilitator_pending(s)

    def _run(self, tx: _Tx) -> None:
        """Play every automatic step until the game waits for someone (or ends)."""
        for _ in range(100_000):  # a round has a bounded number of steps; this is a guard
            s = tx.state
            if s.ended or s.paused or s.vote is not None:
                return
            if not self.has_adjudication and self._facilitator_pending(s):
                return
            if s.turn is not None:
                if s.plays_left > 0:
                    return
                tx.emit(E.TurnEnded(s.turn, passed=False))
                continue
            if s.round == 0:
                self._start_round(tx, 1)
                continue
            step = self.step_name(s)
            if step in self.actors_of:
                nxt = next((a for a in self.actors_of[step] if a not in s.done), None)
                if nxt is not None:
                    tx.emit(E.TurnStarted(nxt, self.campaign.rules.plays_per_turn))
                    return
                if s.sealed:
                    self._resolve_sealed(tx)
                    continue
            elif step == "adjudication":
                for pid in s.pending:
                    if tx.state.ended:
                        return
                    if self._contest_of(s.play(pid)).by == "dice":
                        self._roll_contest(tx, pid)
                if tx.state.ended or self._blocked_on_facilitator(tx.state):
                    return
            self._next_step(tx)
        raise RuntimeError("the round did not settle")  # pragma: no cover

    def _next_step(self, tx: _Tx) -> None:
        s = tx.state
        if s.step + 1 < len(self.order):
            step = self.order[s.step + 1]
            tx.emit(E.StepStarted(step))
            if step == "injects":
                self._injects(tx)
            elif step == "phase_check":
                self._phase_check(tx)
            elif step == "upkeep":
                self._upkeep(tx)
            return
        self._end_round(tx)

    def _start_round(self, tx: _Tx, round_: int) -> None:
        tx.emit(E.RoundStarted(round_, self.date_of(round_).isoformat()))

    def _end_round(self, tx: _Tx) -> None:
        s = tx.state
        discarded: list[tuple[str, str]] = []
        removed: list[tuple[str, str]] = []
        for actor in self.actors:
            for iid in s.actors[actor].table:
                single = self.cards[self.instance_card[iid]].single_use
                (removed if single else discarded).append((actor, iid))
        if discarded or removed:
            tx.emit(E.TableCleared(tuple(discarded), tuple(removed)))
        env = tx.state.env()
        for end in self.campaign.end:
            if self.campaign.condition(end.when).evaluate(env):
                self._end(tx, "end_condition", end.id)
                return
        if s.round >= self.campaign.calendar.rounds:
            self._end(tx, "last_round", str(s.round))
            return
        self._start_round(tx, s.round + 1)

    def _injects(self, tx: _Tx) -> None:
        r = tx.state.round
        for inj in self.campaign.injects:
            if tx.state.ended:
                return
            if inj.round == r and inj.id not in tx.state.fired:
                tx.emit(E.InjectFired(inj.id, inj.title, inj.text, "round"))
                self._effects(tx, inj.effects, None, f"inject:{inj.id}")
        for inj in self.campaign.injects:
            if tx.state.ended:
                return
            if inj.when is not None and inj.round is None and inj.id not in tx.state.fired:
                if self.campaign.condition(inj.when).evaluate(tx.state.env()):
                    tx.emit(E.InjectFired(inj.id, inj.title, inj.text, "condition"))
                    self._effects(tx, inj.effects, None, f"inject:{inj.id}")

    def _phase_check(self, tx: _Tx) -> None:
        for _ in range(len(self.machine.states)):
            if tx.state.ended:
                return
            fired = self.machine.step(tx.state.phase, tx.state.env())
            if fired is None:
                return
            self._change_phase(tx, fired.source, fired.dest, fired.trigger, "threshold", fired.condition)

    def _upkeep(self, tx: _Tx) -> None:
        for actor in self.actors:
            spec = self.campaign.actor_by_id[actor]
            if spec.income:
                old = tx.state.actors[actor].resources
                tx.emit(E.ResourcesChanged(actor, spec.income, old + spec.income, "upkeep"))
            if spec.draw_per_round:
                self._draw(tx, actor, spec.draw_per_round)
        r = tx.state.round
        for p in tx.state.plays:
            if p.hidden:
                after = self.cards[p.card].covert.reveal_after  # type: ignore[union-attr]
                if after is not None and r - p.round >= after:
                    tx.emit(E.CovertRevealed(p.id, p.card, p.actor, "timer"))

    # ================================================================ apply

    @staticmethod
    def _remove_one(cards: tuple[str, ...], iid: str) -> tuple[str, ...]:
        """``cards`` less one ``iid`` (or, in a redacted mirror, less one hidden card)."""
        for target in (iid, HIDDEN):
            if target in cards:
                i = cards.index(target)
                return cards[:i] + cards[i + 1 :]
        return cards

    @staticmethod
    def _actor(s: GameState, actor: str, **changes: Any) -> dict[str, ActorState]:
        actors = dict(s.actors)
        actors[actor] = evolve(actors[actor], **changes)
        return actors

    def _set_play(self, s: GameState, play_id: int, **changes: Any) -> tuple[Play, ...]:
        plays = list(s.plays)
        plays[play_id - 1] = evolve(plays[play_id - 1], **changes)
        return tuple(plays)

    def _on_game_started(self, s: GameState, e: E.GameStarted) -> GameState:
        c = self.campaign
        return evolve(
            s,
            phase=c.phases.initial,
            tracks={t.id: t.start for t in c.tracks},
            round_start_tracks={t.id: t.start for t in c.tracks},
            actors={a: ActorState(resources=c.actor_by_id[a].resources, deck=tuple(e.decks.get(a, ()))) for a in self.actors},
        )

    def _on_round_started(self, s: GameState, e: E.RoundStarted) -> GameState:
        return evolve(s, round=e.round, step=-1, done=(), round_start_tracks=s.tracks)

    def _on_step_started(self, s: GameState, e: E.StepStarted) -> GameState:
        return evolve(s, step=s.step + 1, done=(), turn=None)

    def _on_turn_started(self, s: GameState, e: E.TurnStarted) -> GameState:
        return evolve(s, turn=e.actor, plays_left=e.plays)

    def _on_turn_ended(self, s: GameState, e: E.TurnEnded) -> GameState:
        return evolve(s, turn=None, plays_left=0, done=(*s.done, e.actor))

    def _on_cards_drawn(self, s: GameState, e: E.CardsDrawn) -> GameState:
        a = s.actors[e.actor]
        n = len(e.cards)
        return evolve(s, actors=self._actor(s, e.actor, deck=a.deck[n:], hand=a.hand + tuple(e.cards)))

    def _on_deck_reshuffled(self, s: GameState, e: E.DeckReshuffled) -> GameState:
        a = s.actors[e.actor]
        return evolve(s, actors=self._actor(s, e.actor, deck=a.deck + tuple(e.order), discard=()))

    def _on_cards_discarded(self, s: GameState, e: E.CardsDiscarded) -> GameState:
        a = s.actors[e.actor]
        hand = a.hand
        for iid in e.cards:
            hand = self._remove_one(hand, iid)
        return evolve(s, actors=self._actor(s, e.actor, hand=hand, discard=a.discard + tuple(e.cards)))

    def _on_covert_sealed(self, s: GameState, e: E.CovertSealed) -> GameState:
        a = s.actors[e.actor]
        actors = self._actor(
            s, e.actor, hand=self._remove_one(a.hand, e.instance), table=a.table + (e.instance,),
            resources=a.resources - e.cost,
        )
        left = s.plays_left - 1 if s.turn == e.actor else s.plays_left
        return evolve(s, actors=actors, sealed=(*s.sealed, (e.actor, e.instance)), plays_left=left)

    def _on_card_played(self, s: GameState, e: E.CardPlayed) -> GameState:
        card = self.cards.get(e.card)
        consensus = card is not None and card.consensus is not None
        play = Play(e.play, s.round, e.actor, e.card, e.instance, e.covert, status="voting" if consensus else "resolved")
        if (e.actor, e.instance) in s.sealed:  # its card left the hand, paid for, when it was sealed
            sealed = tuple(x for x in s.sealed if x != (e.actor, e.instance))
            return evolve(s, plays=(*s.plays, play), sealed=sealed)
        if e.actor == HIDDEN:  # a redacted covert play: only that it happened
            return evolve(s, plays=(*s.plays, play))
        a = s.actors[e.actor]
        hand = self._remove_one(a.hand, e.instance)
        actors = self._actor(s, e.actor, hand=hand, table=a.table + (e.instance,), resources=a.resources - e.cost)
        left = s.plays_left - 1 if s.turn == e.actor else s.plays_left
        return evolve(s, actors=actors, plays=(*s.plays, play), plays_left=left)

    def _on_track_changed(self, s: GameState, e: E.TrackChanged) -> GameState:
        tracks = dict(s.tracks)
        tracks[e.track] = e.value
        return evolve(s, tracks=tracks)

    def _on_resources_changed(self, s: GameState, e: E.ResourcesChanged) -> GameState:
        return evolve(s, actors=self._actor(s, e.actor, resources=e.value))

    def _on_contest_pending(self, s: GameState, e: E.ContestPending) -> GameState:
        return evolve(s, pending=(*s.pending, e.play), plays=self._set_play(s, e.play, contest="pending"))

    def _settle(self, s: GameState, play_id: int, success: bool) -> GameState:
        pending = tuple(p for p in s.pending if p != play_id)
        plays = self._set_play(s, play_id, contest="success" if success else "failure")
        return evolve(s, pending=pending, plays=plays)

    def _on_contest_rolled(self, s: GameState, e: E.ContestRolled) -> GameState:
        return self._settle(s, e.play, e.success)

    def _on_contest_adjudicated(self, s: GameState, e: E.ContestAdjudicated) -> GameState:
        return self._settle(s, e.play, e.success)

    def _on_vote_opened(self, s: GameState, e: E.VoteOpened) -> GameState:
        return evolve(s, vote=Vote(e.play, tuple(e.voters)))

    def _on_ballot_cast(self, s: GameState, e: E.BallotCast) -> GameState:
        assert s.vote is not None
        return evolve(s, vote=evolve(s.vote, ballots={**s.vote.ballots, e.actor: e.yes}))

    def _on_vote_closed(self, s: GameState, e: E.VoteClosed) -> GameState:
        status = "resolved" if e.passed else "rejected"
        return evolve(s, vote=None, plays=self._set_play(s, e.play, status=status))

    def _on_attribution_attempted(self, s: GameState, e: E.AttributionAttempted) -> GameState:
        a = s.actors[e.by]
        actors = self._actor(s, e.by, resources=a.resources - e.cost)
        play = s.play(e.play)
        accusation = Accusation(e.by, e.accused, e.success, e.correct, s.round)
        plays = self._set_play(s, e.play, accusations=(*play.accusations, accusation))
        left = s.plays_left - 1 if s.turn == e.by else s.plays_left
        return evolve(s, actors=actors, plays=plays, plays_left=left)

    def _on_covert_revealed(self, s: GameState, e: E.CovertRevealed) -> GameState:
        # Once the author is public, so is whether each accusation was right (a mirror
        # folded them with ``correct`` unknown; in the true state this changes nothing).
        accusations = tuple(
            a if a.correct is not None else evolve(a, correct=a.accused == e.actor) for a in s.play(e.play).accusations
        )
        return evolve(s, plays=self._set_play(
            s, e.play, revealed=True, revealed_how=e.how, actor=e.actor, card=e.card, accusations=accusations,
        ))

    def _on_proposal_submitted(self, s: GameState, e: E.ProposalSubmitted) -> GameState:
        proposal = Proposal(e.proposal, e.actor, s.round, e.text, dict(e.effects))
        left = s.plays_left - 1 if s.turn == e.actor else s.plays_left
        return evolve(s, proposals=(*s.proposals, proposal), plays_left=left)

    def _on_proposal_ruled(self, s: GameState, e: E.ProposalRuled) -> GameState:
        proposals = list(s.proposals)
        old = proposals[e.proposal - 1]
        proposals[e.proposal - 1] = evolve(
            old, verdict=e.verdict, rationale=e.rationale, ruled_effects=dict(e.effects), text=e.text or old.text
        )
        return evolve(s, proposals=tuple(proposals))

    def _on_inject_fired(self, s: GameState, e: E.InjectFired) -> GameState:
        if e.inject is None or e.inject in s.fired:
            return s
        return evolve(s, fired=(*s.fired, e.inject))

    def _on_phase_changed(self, s: GameState, e: E.PhaseChanged) -> GameState:
        change = PhaseChange(s.seq + 1, s.round, e.source, e.dest, e.trigger, e.cause, e.condition)
        return evolve(s, phase=e.dest, phase_history=(*s.phase_history, change))

    def _on_annotated(self, s: GameState, e: E.Annotated) -> GameState:
        return s

    def _on_hidden(self, s: GameState, e: E.Hidden) -> GameState:
        return s

    def _on_paused(self, s: GameState, e: E.Paused) -> GameState:
        return evolve(s, paused=True)

    def _on_resumed(self, s: GameState, e: E.Resumed) -> GameState:
        return evolve(s, paused=False)

    def _on_table_cleared(self, s: GameState, e: E.TableCleared) -> GameState:
        actors = dict(s.actors)
        for actor, iid in e.discarded:
            a = actors[actor]
            actors[actor] = evolve(a, table=self._remove_one(a.table, iid), discard=a.discard + (iid,))
        for actor, iid in e.removed:
            a = actors[actor]
            actors[actor] = evolve(a, table=self._remove_one(a.table, iid), removed=a.removed + (iid,))
        return evolve(s, actors=actors)

    def _on_game_ended(self, s: GameState, e: E.GameEnded) -> GameState:
        return evolve(s, outcome=Outcome(e.reason, e.detail, e.objectives), turn=None, vote=None)
