"""The round procedure: everything that happens by itself until the game waits for someone.

:func:`start` opens a game (shuffled decks, opening hands); :func:`run` then plays the
automatic steps after every decision: turns in order within each side's step, sealed
covert plays resolving when their side's step ends, dice contests at adjudication,
injects, the phase check, upkeep, the table cleared and the end conditions checked at
the end of a round, and the next round.
"""

from __future__ import annotations

import random

from tabletop.engine import events as E
from tabletop.engine.index import CampaignIndex
from tabletop.engine.legal import blocked_on_facilitator, facilitator_pending
from tabletop.engine.resolve import change_phase, draw, effects, end, resolve_sealed, roll_contest
from tabletop.engine.state import GameState
from tabletop.engine.tx import Tx


def start(ix: CampaignIndex, rng: random.Random) -> list[E.Event]:
    """The events that open a game: shuffled decks, opening hands, round 1 up to the first decision."""
    return start_step(ix, rng)[0]


def start_step(ix: CampaignIndex, rng: random.Random) -> tuple[list[E.Event], list[GameState]]:
    """Like :func:`start`, but also returns the state after each event (as ``decide.step`` does)."""
    tx = Tx(ix, ix.initial_state(), rng)
    decks = {}
    for actor, deck in ix.start_decks.items():
        order = list(deck)
        rng.shuffle(order)
        decks[actor] = tuple(order)
    hidden: dict[str, int | str] = {}
    for value in ix.campaign.hidden:  # drawn after the decks, so a campaign without any deals as before
        if value.range is not None:
            hidden[value.id] = rng.randint(value.range[0], value.range[1])
        else:
            assert value.values is not None
            choices: list[int | str] = list(value.values)
            hidden[value.id] = rng.choice(choices)
    tx.emit(E.GameStarted(ix.campaign.id, decks, hidden))
    for actor in ix.actors:
        draw(ix, tx, actor, ix.campaign.actor_by_id[actor].hand_size)
    run(ix, tx)
    return tx.events, tx.states


def run(ix: CampaignIndex, tx: Tx) -> None:
    """Play every automatic step until the game waits for someone (or ends)."""
    for _ in range(100_000):  # a round has a bounded number of steps; this is a guard
        s = tx.state
        if s.ended or s.paused or s.vote is not None:
            return
        if not ix.has_adjudication and facilitator_pending(ix, s):
            return
        if s.turn is not None:
            if s.plays_left > 0:
                return
            tx.emit(E.TurnEnded(s.turn, passed=False))
            continue
        if s.round == 0:
            _start_round(ix, tx, 1)
            continue
        step = ix.step_name(s)
        if step in ix.actors_of:
            nxt = next((a for a in ix.actors_of[step] if a not in s.done), None)
            if nxt is not None:
                tx.emit(E.TurnStarted(nxt, ix.campaign.plays_per_turn(nxt)))
                return
            if s.sealed:
                resolve_sealed(ix, tx)
                continue
        elif step == "adjudication":
            for pid in s.pending:
                if tx.state.ended:
                    return
                if ix.contest_of(s.play(pid)).by == "dice":
                    roll_contest(ix, tx, pid)
            if tx.state.ended or blocked_on_facilitator(ix, tx.state):
                return
        _next_step(ix, tx)
    raise RuntimeError("the round did not settle")  # pragma: no cover


def _next_step(ix: CampaignIndex, tx: Tx) -> None:
    s = tx.state
    if s.step + 1 < len(ix.order):
        step = ix.order[s.step + 1]
        tx.emit(E.StepStarted(step))
        if step == "injects":
            _injects(ix, tx)
        elif step == "phase_check":
            _phase_check(ix, tx)
        elif step == "upkeep":
            _upkeep(ix, tx)
        return
    _end_round(ix, tx)


def _start_round(ix: CampaignIndex, tx: Tx, round_: int) -> None:
    tx.emit(E.RoundStarted(round_, ix.date_text(round_)))


def _end_round(ix: CampaignIndex, tx: Tx) -> None:
    s = tx.state
    discarded: list[tuple[str, str]] = []
    removed: list[tuple[str, str]] = []
    for actor in ix.actors:
        for iid in s.actors[actor].table:
            single = ix.cards[ix.instance_card[iid]].single_use
            (removed if single else discarded).append((actor, iid))
    if discarded or removed:
        tx.emit(E.TableCleared(tuple(discarded), tuple(removed)))
    env = tx.state.env()
    for ending in ix.campaign.end:
        if ix.campaign.condition(ending.when).evaluate(env):
            end(ix, tx, "end_condition", ending.id)
            return
    if s.round >= ix.campaign.calendar.rounds:
        end(ix, tx, "last_round", str(s.round))
        return
    _start_round(ix, tx, s.round + 1)


def _injects(ix: CampaignIndex, tx: Tx) -> None:
    r = tx.state.round
    for inj in ix.campaign.injects:
        if tx.state.ended:
            return
        if inj.round == r and inj.id not in tx.state.fired:
            tx.emit(E.InjectFired(inj.id, inj.title, inj.text, "round", tuple(inj.to)))
            effects(ix, tx, inj.effects, None, f"inject:{inj.id}")
    for inj in ix.campaign.injects:
        if tx.state.ended:
            return
        if inj.when is not None and inj.round is None and inj.id not in tx.state.fired:
            if ix.campaign.condition(inj.when).evaluate(tx.state.env()):
                tx.emit(E.InjectFired(inj.id, inj.title, inj.text, "condition", tuple(inj.to)))
                effects(ix, tx, inj.effects, None, f"inject:{inj.id}")


def _phase_check(ix: CampaignIndex, tx: Tx) -> None:
    for _ in range(len(ix.machine.states)):
        if tx.state.ended:
            return
        fired = ix.machine.step(tx.state.phase, tx.state.env())
        if fired is None:
            return
        change_phase(ix, tx, fired.source, fired.dest, fired.trigger, "threshold", fired.condition)


def _upkeep(ix: CampaignIndex, tx: Tx) -> None:
    for actor in ix.actors:
        spec = ix.campaign.actor_by_id[actor]
        if spec.income:
            old = tx.state.actors[actor].resources
            tx.emit(E.ResourcesChanged(actor, spec.income, old + spec.income, "upkeep"))
        if spec.draw_per_round:
            draw(ix, tx, actor, spec.draw_per_round)
    r = tx.state.round
    for p in tx.state.plays:
        if p.hidden:
            after = ix.cards[p.card].covert.reveal_after  # type: ignore[union-attr]
            if after is not None and r - p.round >= after:
                tx.emit(E.CovertRevealed(p.id, p.card, p.actor, "timer"))
