"""Chances: how likely a roll is to reach its target, and how a facilitator contest's
guidance reads on the board.

Pure arithmetic over a condition env (a seat's picture of the game): no generator here.
The heuristic bot uses these to weigh a contest before it plays the card; the
facilitator bot uses :func:`guidance` to rule one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache

from tabletop.campaign.model import Campaign, Card, Contest, Modifier
from tabletop.campaign.plural import is_are

Env = Mapping[str, int | str]


@cache
def distribution(dice: str) -> tuple[tuple[int, float], ...]:
    """Each total of ``dice`` (``NdS``) with its probability, lowest first."""
    n, sides = (int(x) for x in dice.split("d"))
    ways: dict[int, int] = {0: 1}
    for _ in range(n):
        nxt: dict[int, int] = {}
        for total, count in ways.items():
            for face in range(1, sides + 1):
                nxt[total + face] = nxt.get(total + face, 0) + count
        ways = nxt
    whole = sides**n
    return tuple((total, count / whole) for total, count in sorted(ways.items()))


def chance(dice: str, target: int, bonus: int = 0) -> float:
    """The probability that ``dice`` plus ``bonus`` reaches ``target``."""
    return sum(p for total, p in distribution(dice) if total + bonus >= target)


def applied(campaign: Campaign, modifiers: list[Modifier], env: Env, played: Collection[str]) -> list[tuple[str, int]]:
    """The modifiers that apply in ``env`` as (label, value), as the engine's roll counts
    them; ``played`` holds the card ids this seat knows took effect."""
    out: list[tuple[str, int]] = []
    for m in modifiers:
        if m.when is not None and not campaign.condition(m.when).evaluate(env):
            continue
        if m.if_played is not None and m.if_played not in played:
            continue
        add = m.add
        if m.per is not None and m.of is not None:
            add = m.add * (int(env[m.of]) // m.per)
            if add == 0:
                continue
        label = m.label or (f"{campaign.card_by_id[m.if_played].title} played" if m.if_played else m.when or "modifier")
        out.append((label, add))
    return out


def dice_chance(campaign: Campaign, contest: Contest, env: Env, played: Collection[str]) -> float:
    """How likely a dice contest is to succeed in ``env``."""
    bonus = sum(v for _, v in applied(campaign, contest.modifiers, env, played))
    return chance(contest.dice, contest.target if contest.target is not None else 7, bonus)


@dataclass(frozen=True, slots=True)
class Reading:
    """A facilitator contest read against its guidance: the chance it deserves, and why."""

    chance: float
    reasons: tuple[tuple[str, int], ...]  # (plain words, points for or against)


def guidance(campaign: Campaign, card: Card, env: Env, played: Collection[str]) -> Reading:
    """How a facilitator contest reads on the board, from the card's own guidance.

    The guidance is what the card gives its facilitator: the contest's modifiers (each a
    labelled reason for or against, counted as on a roll) and its target (7 if absent),
    and the board its prompt and outcomes name: every track the prompt mentions or the
    success or failure moves, read for or against the acting side (a track that favours
    it and stands high is for it; one that favours the other side and stands high is
    against), worth a point at most (the designer's modifiers weigh more). The chance is
    that of the contest's dice (2d6 by default) plus those points reaching the target.
    """
    contest = card.contest
    assert contest is not None
    reasons = applied(campaign, contest.modifiers, env, played)
    prompt = contest.prompt.lower()
    stake = [
        t for t in campaign.tracks
        if t.id in contest.success.tracks or t.id in contest.failure.tracks
        or t.name.lower() in prompt or t.id.replace("_", " ") in prompt
    ]
    lean = 0.0
    counted = []
    for t in stake:
        if t.favours is None:
            continue
        sign = 1 if t.favours == card.side else -1
        half = (t.max - t.min) / 2 or 1
        mid = t.min + half
        lean += sign * (int(env[t.id]) - mid) / half
        counted.append(t)
    if counted:
        board = round(lean / len(counted))
        if board:
            t = max(counted, key=lambda t: abs(int(env[t.id]) - (t.min + t.max) / 2))
            height = "high" if int(env[t.id]) >= (t.min + t.max) / 2 else "low"
            reasons.append((f"{t.name} {is_are(campaign.names_many(t.id))} {height} ({env[t.id]} of {t.max})", board))
    bonus = sum(v for _, v in reasons)
    target = contest.target if contest.target is not None else 7
    return Reading(chance(contest.dice, target, bonus), tuple(reasons))
