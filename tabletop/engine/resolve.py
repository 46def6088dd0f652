"""What follows from a play, a roll or an effect: the consequences both a command and the round cause.

A card taking effect, a contest rolled, a vote closed, sealed covert plays resolving,
effects applied to tracks, resources and hands, a phase trigger fired, the game ending.
Each function emits its events into the decision in progress (:class:`Tx`); every random
outcome is drawn from its generator and written into an event.
"""

from __future__ import annotations

from tabletop.campaign.explain import explain_unmet
from tabletop.campaign.model import Effects, Modifier, Track
from tabletop.engine import events as E
from tabletop.engine.index import CampaignIndex
from tabletop.engine.state import GameState
from tabletop.engine.tx import Tx


def maybe_close_vote(ix: CampaignIndex, tx: Tx) -> None:
    """Close the open vote once every voter has voted and every advisor has advised (the
    advice is for the voters: a vote does not close over an advisor's head, though the
    facilitator may close it); a passed vote's card takes effect."""
    vote = tx.state.vote
    if vote is None or vote.waiting or vote.unadvised:
        return
    passed = all(vote.ballots.values())
    tx.emit(E.VoteClosed(vote.play, passed))
    if passed:
        resolve_play(ix, tx, vote.play)


def resolve_sealed(ix: CampaignIndex, tx: Tx) -> None:
    """The covert plays sealed in this step take effect, one after the other.

    In a random order (sorted by card first, so the order owes nothing to who played
    what or when), each as a ``card_played`` with its number, then its effects.
    """
    order = sorted(tx.state.sealed, key=lambda sealed: ix.instance_card[sealed[1]])
    tx.rng.shuffle(order)
    for actor, instance in order:
        if tx.state.ended:
            return
        card = ix.cards[ix.instance_card[instance]]
        play_id = len(tx.state.plays) + 1
        tx.emit(E.CardPlayed(play_id, actor, card.id, instance, True, card.cost))
        resolve_play(ix, tx, play_id)


def resolve_play(ix: CampaignIndex, tx: Tx, play_id: int) -> None:
    """The card of play ``play_id`` takes effect; its contest, if any, opens (and is
    rolled at once when dice decide it and the round has no adjudication step)."""
    play = tx.state.play(play_id)
    card = ix.cards[play.card]
    effects(ix, tx, card.effects, play.actor, f"play:{play_id}")
    if card.contest is not None and not tx.state.ended:
        tx.emit(E.ContestPending(play_id, card.contest.by))
        if not ix.has_adjudication and card.contest.by == "dice":
            roll_contest(ix, tx, play_id)


def roll(
    ix: CampaignIndex, tx: Tx, dice: str, modifiers: list[Modifier], state: GameState
) -> tuple[tuple[int, ...], tuple[tuple[str, int], ...], int]:
    """Roll ``dice`` (``NdS``) and the ``modifiers`` that apply in ``state``: the dice,
    the applied modifiers as (label, value), and the total."""
    n, sides = (int(x) for x in dice.split("d"))
    rolled = tuple(tx.rng.randint(1, sides) for _ in range(n))
    env = state.env()
    mods: list[tuple[str, int]] = []
    for m in modifiers:
        if m.when is not None and not ix.campaign.condition(m.when).evaluate(env):
            continue
        if m.if_played is not None and not any(
            p.card == m.if_played and p.status == "resolved" for p in state.plays
        ):
            continue
        add = m.add
        if m.per is not None and m.of is not None:  # proportional: add once per `per` points of `of`
            add = m.add * (int(env[m.of]) // m.per)
            if add == 0:
                continue
        if m.label:
            label = m.label
        elif m.if_played is not None:
            label = f"{ix.cards[m.if_played].title} played"
        elif m.per is not None and m.of is not None:
            label = f"{m.add:+d} per {m.per} of {ix.value_name(m.of)}"
        else:
            label = m.when or "modifier"
        mods.append((label, add))
    return rolled, tuple(mods), sum(rolled) + sum(v for _, v in mods)


def roll_contest(ix: CampaignIndex, tx: Tx, play_id: int) -> None:
    """Roll the dice contest of play ``play_id`` and apply its success or failure."""
    play = tx.state.play(play_id)
    contest = ix.contest_of(play)
    target = contest.target if contest.target is not None else 7
    dice, mods, total = roll(ix, tx, contest.dice, contest.modifiers, tx.state)
    success = total >= target
    tx.emit(E.ContestRolled(play_id, dice, mods, target, total, success))
    effects(ix, tx, contest.success if success else contest.failure, play.actor, f"play:{play_id}")


def track_after(track: Track, old: int, delta: int) -> int:
    """``track``'s value after an effect adds ``delta`` to ``old``: kept within its bounds."""
    return min(track.max, max(track.min, old + delta))


def resources_after(old: int, delta: int) -> int:
    """An actor's resources after an effect adds ``delta`` to ``old``: never below 0."""
    return max(0, old + delta)


def effects(ix: CampaignIndex, tx: Tx, fx: Effects, actor: str | None, cause: str) -> None:
    """Emit the events of ``fx`` for ``actor`` (None for injects)."""
    if tx.state.ended:
        return
    for track_id, delta in fx.tracks.items():
        old = tx.state.tracks[track_id]
        new = track_after(ix.tracks[track_id], old, delta)
        if new != old:
            tx.emit(E.TrackChanged(track_id, new - old, new, cause))
    changes = dict(fx.resources_of)
    if actor is not None and fx.resources:
        changes[actor] = changes.get(actor, 0) + fx.resources
    for who, delta in changes.items():
        old = tx.state.actors[who].resources
        new = resources_after(old, delta)
        if new != old:
            tx.emit(E.ResourcesChanged(who, new - old, new, cause))
    if actor is not None and fx.draw:
        draw(ix, tx, actor, fx.draw)
    for who, n in fx.discard.items():
        hand = tx.state.actors[who].hand
        if hand and n > 0:
            rng = tx.private("discard", who)  # how many cards it draws from depends on the hand
            tx.emit(E.CardsDiscarded(who, tuple(rng.sample(hand, min(n, len(hand)))), cause))
    if fx.reveal:
        mine = ix.side_of.get(actor) if actor else None
        hidden = [p for p in tx.state.plays if p.hidden and ix.side_of[p.actor] != mine]
        for p in hidden[: fx.reveal]:
            tx.emit(E.CovertRevealed(p.id, p.card, p.actor, "effect"))
    if fx.reveal_values:
        news = {v: tx.state.hidden[v] for v in fx.reveal_values if v not in tx.state.revealed_values}
        if news:
            tx.emit(E.ValuesRevealed(news, cause))
    if fx.trigger:
        if not phase_trigger(ix, tx, fx.trigger, cause) and ix.campaign.format >= 2 and not tx.state.ended:
            # Format 2 says why a promised phase change did not happen (format-1 games keep their events).
            phase = tx.state.phase
            reason = explain_unmet(ix.campaign, fx.trigger, phase, tx.state.env())
            tx.emit(E.TriggerUnmet(fx.trigger, phase, reason, cause, ix.secret_reads(fx.trigger, phase)))


def phase_trigger(ix: CampaignIndex, tx: Tx, trigger: str, cause: str) -> bool:
    """Fire ``trigger`` on the crisis machine; True if a transition fired."""
    if tx.state.ended:
        return False
    fired = ix.machine.fire(trigger, tx.state.phase, tx.state.env())
    if fired is None:
        return False
    change_phase(ix, tx, fired.source, fired.dest, fired.trigger, cause, fired.condition)
    return True


def change_phase(
    ix: CampaignIndex, tx: Tx, source: str, dest: str, trigger: str, cause: str, condition: str | None
) -> None:
    """Move to phase ``dest``; a terminal phase ends the game."""
    tx.emit(E.PhaseChanged(source, dest, trigger, cause, condition))
    if dest in ix.terminal:
        end(ix, tx, "terminal_phase", dest)


def end(ix: CampaignIndex, tx: Tx, reason: str, detail: str) -> None:
    """End the game (once), with each side's objectives as they stand."""
    if tx.state.ended:
        return
    outcome = ix.outcome_now(tx.state, reason, detail)
    tx.emit(E.GameEnded(
        reason, detail, outcome.objectives, outcome.actor_objectives, outcome.declared, dict(tx.state.hidden)
    ))


def draw(ix: CampaignIndex, tx: Tx, actor: str, n: int) -> None:
    """``actor`` draws up to ``n`` cards, never past the hand size, reshuffling the
    discard pile into the deck when the deck runs short."""
    limit = ix.campaign.actor_by_id[actor].hand_size
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
