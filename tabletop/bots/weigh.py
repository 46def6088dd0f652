"""What a card would do, weighed by a :class:`~tabletop.bots.judge.Judge`; and why, in words.

:func:`outlook` is the value a position would have once a card took effect, its contest
(if any) weighed by its odds: a dice contest by its dice and the modifiers that would
apply, a facilitator contest by how its guidance reads (:func:`~tabletop.bots.odds.guidance`,
as the facilitator bot rules). :func:`reasons` names what moved that value, for a
rationale a person can read.
"""

from __future__ import annotations

from collections.abc import Collection

from tabletop.bots.judge import Env, Judge, worth
from tabletop.bots.odds import dice_chance, guidance
from tabletop.campaign.model import Card


def contest_chance(judge: Judge, card: Card, env: Env, played: Collection[str]) -> float:
    """How likely ``card``'s contest is to succeed in ``env``, as this seat can tell."""
    contest = card.contest
    assert contest is not None
    if contest.by == "facilitator":
        return guidance(judge.campaign, card, env, played).chance
    return dice_chance(judge.campaign, contest, env, played)


def outlook(judge: Judge, card: Card, env: Env, actor: str, played: Collection[str]) -> tuple[float, Env]:
    """The value of ``env`` once ``actor`` plays ``card`` (its contest at its odds), and the
    position right after its own effects."""
    after = judge.after(env, card.effects, actor, card.cost, card.id)
    if card.contest is None:
        return judge.value(after), after
    p = contest_chance(judge, card, after, played)
    win = judge.value(judge.after(after, card.contest.success, actor))
    lose = judge.value(judge.after(after, card.contest.failure, actor))
    return p * win + (1 - p) * lose, after


def _quote(title: str) -> str:
    return f"'{title[:80]}'"


def reasons(judge: Judge, before: Env, after: Env, names: dict[str, str]) -> list[tuple[float, str, str]]:
    """What moved the owner's value from ``before`` to ``after``, largest first, as
    ``(change, "serves"-phrase, "sets back"-phrase)``: the words to use when it helps, and
    when it hurts. ``names`` gives the side names. Never names a secret objective
    (a ballot's reason is read by the whole side): "our national interest" instead."""
    out: list[tuple[float, str, str]] = []
    for term in judge.terms:
        d = term.weight * (worth(term.condition.margin(after)) - worth(term.condition.margin(before)))
        if abs(d) < 1e-9:
            continue
        o = term.objective
        if term.owner == judge.owner:
            what = "our national interest" if term.secret else f"our national aim {_quote(o.title)}"
            out.append((d, f"serves {what}", f"would set back {what}"))
        elif term.owner == judge.side:
            out.append((d, f"serves our aim {_quote(o.title)}", f"would set back our aim {_quote(o.title)}"))
        elif term.weight > 0:  # an ally's public aim
            out.append((d, f"helps an ally's aim {_quote(o.title)}", f"would set back an ally's aim {_quote(o.title)}"))
        else:
            whose = names.get(term.owner, "the other side")
            out.append((d, f"sets back {whose}'s aim {_quote(o.title)}", f"would help {whose}'s aim {_quote(o.title)}"))
    # where the crisis goes (now, or at the next phase check), if that changes
    phase, then = judge.next_phase(before), judge.next_phase(after)
    if then != phase:
        name = judge.campaign.phase_by_id[then].name
        d = judge.value(after) - judge.value(before)
        if then in judge.terminal:
            out.append((d, f"ends the exercise in {name}", f"would end the exercise in {name}"))
        elif then == str(before["phase"]):
            out.append((d, f"keeps the crisis phase at {name}", f"would keep the crisis phase at {name}"))
        else:
            out.append((d, f"takes the crisis phase to {name}", f"would take the crisis phase to {name}"))
    out.sort(key=lambda r: -abs(r[0]))
    return out


def track_words(judge: Judge, before: Env, after: Env) -> str:
    """The tracks that change, in words: "raises Deterrence by 1 and lowers Cohesion by 2"."""
    parts = []
    for t in judge.campaign.tracks:
        d = int(after[t.id]) - int(before[t.id])
        if d:
            parts.append(f"{'raises' if d > 0 else 'lowers'} {t.name} by {abs(d)}")
    if len(parts) > 2:
        parts = parts[:2]
    return " and ".join(parts)
