"""Ballots and advice by national interest, each with a short reason in plain words.

A voter weighs the card under vote with its nation first (its own objectives, secret ones
included, count more than the alliance's: :data:`NATIONAL`), votes yes when the card
does its nation no harm, and says why in one line: "Latvia votes no on Article 4
consultations: it would set back our national interest now (it raises Escalation risk by 1)."
A reason never names a secret objective (the whole side reads it).

It also guesses how its allies would vote on a card it thinks of tabling, from what it
knows of them (their public objectives and the side's), so a card they would refuse is
worth less.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from tabletop.bots.judge import Env, Judge, judge_for
from tabletop.bots.weigh import outlook, reasons, track_words
from tabletop.campaign.model import Card
from tabletop.engine.commands import MAX_RATIONALE
from tabletop.engine.rules import Engine

#: weights of the side's objectives and the nation's own when a seat votes or advises
SIDE, NATIONAL = 0.6, 1.2
#: a ballot is yes unless the card costs the nation more than this
TOLERANCE = 0.05
#: the chance an ally votes yes when this seat expects yes, and when it expects no
YES_IF_FOR, YES_IF_AGAINST = 0.9, 0.25


def nation_judge(engine: Engine, actor: str, viewer: str | None = None) -> Judge:
    """A judge of ``actor``'s national interest, as ``viewer`` (default: itself) knows it."""
    return judge_for(engine, actor, viewer, side_weight=SIDE, national_weight=NATIONAL)


def ballot(judge: Judge, card: Card, env: Env, author: str, played: Collection[str],
           advice: bool = False) -> tuple[bool, str]:
    """``judge``'s owner's yes or no on ``card`` (played by ``author``), and why."""
    base = judge.value(env)
    value, after = outlook(judge, card, env, author, played)
    yes = value - base >= -TOLERANCE
    return yes, rationale(judge, card, env, after, yes, advice)


def rationale(judge: Judge, card: Card, before: Env, after: Env, yes: bool, advice: bool) -> str:
    """One line: who, which way, and the weightiest reason that way."""
    c = judge.campaign
    who = c.actor_by_id[judge.owner].name
    verb = ("advises" if advice else "votes") + (" yes" if yes else " no")
    names = {s.id: s.name for s in c.sides} | {a.id: a.name for s in c.sides for a in s.actors}
    why = [r for r in reasons(judge, before, after, names) if (r[0] > 0) == yes]
    tracks = track_words(judge, before, after)
    if why:
        text = f"it {why[0][1]}" if yes else f"it {why[0][2]} now"
    elif yes:
        text = "it does us no harm, and we stand with our allies"
    else:
        text = "it costs us more than it brings"
    if tracks and len(text) < 160:
        text += f" (it {tracks})"
    return _fit(f"{who} {verb} on {card.title}: {text}.")


def _fit(line: str) -> str:
    if len(line) <= MAX_RATIONALE:
        return line
    return line[: MAX_RATIONALE - 1].rsplit(" ", 1)[0] + "…"


def pass_chance(engine: Engine, mates: dict[str, Judge], seat: str, card: Card, env: Env,
                played: Collection[str], known: Mapping[str, object]) -> float:
    """How likely a vote on ``card`` tabled by ``seat`` is to pass, as ``seat`` guesses its
    allies' ballots (``mates`` caches their judges)."""
    if card.consensus is None:
        return 1.0
    p = 1.0
    for voter in dict.fromkeys(card.consensus.voters):
        if voter == seat:
            continue
        judge = mates.get(voter)
        if judge is None:
            judge = mates[voter] = nation_judge(engine, voter, seat)
        judge.know(known)  # what the seat knows of hidden values, not what the ally does
        base = judge.value(env)
        value, _ = outlook(judge, card, env, seat, played)
        p *= YES_IF_FOR if value - base >= -TOLERANCE else YES_IF_AGAINST
    return p
