"""What is allowed now: who the game waits for, what a seat may send, why a card cannot be played.

Questions only: nothing here changes or decides anything, and each works on a true state
and on a network client's mirror alike (where a hidden card reads ``HIDDEN``). ``decide``
refuses with these same answers, so a screen that offers what they allow cannot offer
what the rules would refuse.
"""

from __future__ import annotations

from tabletop.campaign.explain import condition_words
from tabletop.campaign.model import Card
from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError, IllegalCommand, MalformedCommand
from tabletop.engine.grammar import or_list, whose
from tabletop.engine.index import EVALUATOR, FACILITATOR, HIDDEN, OBSERVER, CampaignIndex
from tabletop.engine.state import GameState


def awaiting(ix: CampaignIndex, state: GameState) -> tuple[str, ...]:
    """Seats the game waits for: advisors and voters (advisors first: their advice is for the
    voters), the actor whose turn it is, or the facilitator."""
    if state.ended or not state.seq:
        return ()
    if state.paused:
        return (FACILITATOR,)
    if state.vote is not None:
        return state.vote.unadvised + state.vote.waiting
    if blocked_on_facilitator(ix, state):
        return (FACILITATOR,)
    if state.turn is not None:
        return (state.turn,)
    return ()


def why_not_play(ix: CampaignIndex, state: GameState, actor: str, instance: str) -> str | None:
    """Why ``actor`` cannot play ``instance`` now, as a sentence; None if it can."""
    card_id = ix.instance_card.get(instance)
    if card_id is None:
        return "There is no such card."
    hand = state.actors[actor].hand if actor in state.actors else ()
    if instance not in hand:
        return "That card is not in your hand."
    reason = turn_problem(ix, state, actor)
    if reason:
        return reason
    return _card_problem(ix, state, actor, ix.cards[card_id], None)


def _card_problem(
    ix: CampaignIndex, state: GameState, actor: str, card: Card, env: dict[str, int | str] | None
) -> str | None:
    """Why ``actor``, on its turn with ``card`` in hand, cannot play it (``env``: ``state.env()``
    if the caller has it)."""
    if card.side != ix.side_of[actor] or (card.actor is not None and card.actor != actor):
        owner = ix.campaign.actor_by_id[card.actor].name if card.actor else ix.side_name(card.side)
        return f"Only {owner} can play {card.title}."
    if card.phases is not None and state.phase not in card.phases:
        names = or_list([ix.phase_name(p) for p in card.phases])
        return f"{card.title} can be played only while the crisis is in {names}."
    if card.requires is not None and not ix.campaign.condition(card.requires).evaluate(
        state.env() if env is None else env
    ):
        return f"{card.title} can be played only when {condition_words(ix.campaign, card.requires)}."
    have = state.actors[actor].resources
    if have < card.cost:
        return f"{card.title} costs {card.cost} and you have {have}."
    if card.covert is not None and not card.covert.optional and card.consensus is not None:
        return f"{card.title} can only be played covertly, and a covert card cannot be put to a vote."
    return None


def legal_commands(ix: CampaignIndex, state: GameState, seat: str) -> list[C.Command]:
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
            if ix.contest_of(state.play(pid)).by == "facilitator":
                out += [C.Adjudicate(seat, pid, True, ""), C.Adjudicate(seat, pid, False, "")]
        for p in state.proposals:
            if p.verdict is None:
                out += [C.RuleProposal(seat, p.id, "accept", ""), C.RuleProposal(seat, p.id, "reject", "")]
        if state.vote is not None or state.turn is not None:
            out.append(C.Advance(seat))
        return out
    if not isinstance(seat, str) or seat not in ix.side_of or state.paused:
        return []
    if state.vote is not None:
        if seat in state.vote.waiting:
            return [C.CastVote(seat, state.vote.play, True), C.CastVote(seat, state.vote.play, False)]
        if seat in state.vote.unadvised:
            return [C.Advise(seat, state.vote.play, True), C.Advise(seat, state.vote.play, False)]
        return []
    if state.turn != seat or turn_problem(ix, state, seat):
        return []
    # why_not_play for each card in hand, but the turn checked once and the env built at most once
    hand = [(i, ix.cards[ix.instance_card[i]]) for i in state.actors[seat].hand if i in ix.instance_card]
    env = state.env() if any(card.requires is not None for _, card in hand) else None
    for instance, card in hand:
        if _card_problem(ix, state, seat, card, env) is None:
            if card.covert is not None and card.covert.optional and card.consensus is not None:
                out.append(C.PlayCard(seat, instance, False))  # a vote cannot be covert
            elif card.covert is not None and card.covert.optional:
                out += [C.PlayCard(seat, instance, True), C.PlayCard(seat, instance, False)]
            else:
                out.append(C.PlayCard(seat, instance))
    if state.actors[seat].resources >= ix.campaign.rules.attribution_cost:
        my_side = ix.side_of[seat]
        for play in state.plays:
            if play.hidden and ix.side_of.get(play.actor) != my_side:  # "?" in a mirror
                for accused in ix.actors:
                    if ix.side_of[accused] != my_side:
                        out.append(C.Attribute(seat, play.id, accused))
    out.append(C.Pass(seat))
    return out


def turn_problem(ix: CampaignIndex, state: GameState, actor: str) -> str | None:
    """Why ``actor`` cannot act on a turn now, as a sentence; None if it can."""
    if state.ended:
        return "The exercise is over."
    if state.paused:
        return "The exercise is paused by the facilitator."
    if state.vote is not None:
        return "A vote is open; it must close first."
    if not ix.has_adjudication and facilitator_pending(ix, state):
        return "The facilitator must rule first."
    if state.turn != actor:
        if state.turn is None:
            return "It is nobody's turn right now."
        return f"It is {whose(ix.campaign.actor_by_id[state.turn].name, 'turn')}."
    if state.plays_left <= 0:
        return "You have no actions left this turn."
    return None


def facilitator_pending(ix: CampaignIndex, s: GameState) -> bool:
    """Is a facilitator contest or a free-form proposal waiting for a ruling?"""
    for pid in s.pending:
        play = s.play(pid)
        # a mirror (redacted state) cannot tell what a hidden card's contest is
        if play.card != HIDDEN and ix.contest_of(play).by == "facilitator":
            return True
    return any(p.verdict is None for p in s.proposals)


def blocked_on_facilitator(ix: CampaignIndex, s: GameState) -> bool:
    """Does the game wait for the facilitator? At the adjudication step, or at once
    when the round has no adjudication step."""
    if ix.has_adjudication and ix.step_name(s) != "adjudication":
        return False
    return facilitator_pending(ix, s)


# ---------------------------------------------------------------- evaluation


def evaluation_seat_problem(
    ix: CampaignIndex, state: GameState, seat: str, kind: type[C.Command]
) -> CommandError | None:
    """Why ``seat`` may not send an evaluation command of class ``kind`` now (the error
    ``decide`` raises), or None. Observations: the evaluators and the facilitator, during
    play and after it; the hotwash: any seat, after the end; names: the facilitator."""
    if not isinstance(seat, str):
        return MalformedCommand("The seat must be a name.")
    if kind is C.Observe:
        if seat not in (EVALUATOR, FACILITATOR):
            return IllegalCommand("Only an evaluator or the facilitator can record an observation.")
    elif kind is C.NameSeat:
        if seat != FACILITATOR:
            return IllegalCommand("Only the facilitator can name who sits at a seat.")
    elif kind is C.Hotwash:
        sides = seat.startswith("side:") and seat[5:] in ix.actors_of
        if seat not in (*ix.actors, FACILITATOR, EVALUATOR, OBSERVER) and not sides:
            return MalformedCommand(f"There is no seat {seat!r}.")
        if not state.ended:
            return IllegalCommand("The hotwash opens when the exercise is over.")
    return None


def hotwash_answered(state: GameState, seat: str, author: str) -> bool:
    """Whether ``seat`` (as ``author``: "" for a player's seat, else a name) has answered the hotwash."""
    return (seat, author) in state.hotwashed


def evaluation_commands(ix: CampaignIndex, state: GameState, seat: str) -> list[C.Command]:
    """The evaluation commands ``seat`` may send now, as blank templates: an
    :class:`~tabletop.engine.commands.Observe` and a :class:`~tabletop.engine.commands.Hotwash`
    (for the seat's default author; :func:`hotwash_answered` asks for another). Kept out of
    :func:`legal_commands`, which bots choose from: these never move the game."""
    if not state.seq:
        return []
    out: list[C.Command] = []
    if evaluation_seat_problem(ix, state, seat, C.Observe) is None:
        out.append(C.Observe(seat, ""))
    if evaluation_seat_problem(ix, state, seat, C.Hotwash) is None and not hotwash_answered(
        state, seat, C.DEFAULT_AUTHOR.get(seat, "")
    ):
        out.append(C.Hotwash(seat))
    return out
