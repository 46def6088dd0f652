"""What a covert card gives away by its public effects, before anyone attributes it.

A covert play hides its author and the card, but not what it does to the board: other
sides see the tracks move, the phase change and their own hands and resources shrink.
When those public effects belong to one covert card of a side only, they name the card
(and, if one actor alone holds it, its author) as surely as a reveal.
:func:`covert_signature_warnings` finds those cards for the semantic checks
(:mod:`tabletop.campaign.semantics`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from tabletop.campaign.model import Campaign, Card, Effects
from tabletop.campaign.wording import DataPath

__all__ = ["covert_signature_warnings"]


def covert_signature_warnings(
    campaign: Campaign, card_by_id: Mapping[str, Card], side_of_actor: Mapping[str, str]
) -> Iterator[tuple[DataPath, str]]:
    """Where a covert card's public effects alone tell it from its side's other covert cards.

    The other sides then know which card it was as soon as it takes effect (and, if only
    one actor holds it, who played it). ``card_by_id`` and ``side_of_actor`` hold the
    first definition of each id. Yields ``(path of the card's covert key, message)``, one
    per such card.
    """
    holders: dict[str, set[str]] = {}
    for side in campaign.sides:
        for actor in side.actors:
            deck = actor.deck if actor.deck is not None else [c.id for c in campaign.cards if c.actor == actor.id]
            for card_id in deck:
                holders.setdefault(card_id, set()).add(actor.id)
    by_side: dict[str, list[tuple[int, Card]]] = {}
    for i, card in enumerate(campaign.cards):
        if card.covert is not None and card.id in holders and card_by_id.get(card.id) is card:
            by_side.setdefault(card.side, []).append((i, card))
    for side_id, cards in by_side.items():
        if len(cards) < 2:
            continue  # a lone covert card is told by its being played at all, not by its effects
        seen: dict[tuple[Any, ...], int] = {}
        for _, card in cards:
            sig = _public_signature(card, side_of_actor)
            seen[sig] = seen.get(sig, 0) + 1
        actors = [a.id for s in campaign.sides if s.id == side_id for a in s.actors]
        for i, card in cards:
            sig = _public_signature(card, side_of_actor)
            if seen[sig] > 1:
                continue
            who = ""
            held = sorted(holders[card.id])
            if len(actors) > 1 and len(held) == 1:
                who = f", and so that '{held[0]}' played it (no other actor holds it)"
            yield (
                ("cards", i, "covert"),
                f"covert card '{card.id}' is the only covert card of side '{side_id}' with its public effects "
                f"({_describe_signature(sig)}): other sides will know it was this card as soon as it takes "
                f"effect{who}; give another covert card of the side the same public effects",
            )


def _public_signature(card: Card, side_of_actor: Mapping[str, str]) -> tuple[Any, ...]:
    """What the other sides see of a covert card when it takes effect, before it is revealed.

    Track changes, the phase trigger, reveals, and changes to another side's resources
    and hand are public (to that side, at least); the author's own resources and draws,
    the cost and the dice of its contest are not. Whether it has a contest, who decides
    it and the effects of each outcome are public too.
    """

    def theirs(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted((a, n) for a, n in items if side_of_actor.get(a) != card.side))

    def public(fx: Effects) -> tuple[Any, ...]:
        return (
            tuple(sorted(fx.tracks.items())), fx.trigger, fx.reveal,
            theirs(fx.resources_of.items()), theirs(fx.discard.items()),
        )

    contest = None
    if card.contest is not None:
        contest = (card.contest.by, public(card.contest.success), public(card.contest.failure))
    return (public(card.effects), contest)


def _describe_signature(sig: tuple[Any, ...]) -> str:
    def fx(part: tuple[Any, ...]) -> list[str]:
        tracks, trigger, reveal, resources_of, discard = part
        out = [", ".join(f"{t} {d:+d}" for t, d in tracks)] if tracks else []
        out += [f"trigger {trigger}"] if trigger else []
        out += [f"reveal {reveal}"] if reveal else []
        out += [f"resources of {a} {n:+d}" for a, n in resources_of]
        out += [f"{a} discards {n}" for a, n in discard]
        return out

    effects, contest = sig
    words = fx(effects)
    if contest is not None:
        by, success, failure = contest
        words.append(
            f"a {by} contest (success: {'; '.join(fx(success)) or 'nothing'}; failure: {'; '.join(fx(failure)) or 'nothing'})"
        )
    return "; ".join(words) or "none at all"
