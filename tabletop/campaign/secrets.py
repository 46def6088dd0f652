"""Who may know what of a campaign's format-2 secrets: pure answers, shared by the rules
(:mod:`tabletop.engine.views`) and the campaign text each seat is sent
(:mod:`tabletop.campaign.redact`).

Seats are named as elsewhere: an actor id, ``side:<id>``, ``observer`` or ``facilitator``.
"""

from __future__ import annotations

from tabletop.campaign.model import Campaign

__all__ = ["SECRET_OBJECTIVE", "audience", "has_secrets", "secret_ids", "sees_objectives"]

#: The title another seat reads for a secret objective it may not know.
SECRET_OBJECTIVE = "A secret objective"


def audience(campaign: Campaign, seat: str) -> frozenset[str] | None:
    """The side and actor ids ``seat`` counts as (None: the facilitator, who sees everything).

    An actor counts as itself and its side; a side's seat as the side and all its actors.
    """
    if seat == "facilitator":
        return None
    if seat.startswith("side:") and seat[5:] in campaign.side_by_id:
        side = campaign.side_by_id[seat[5:]]
        return frozenset({side.id, *(a.id for a in side.actors)})
    if seat in campaign.side_of_actor:
        return frozenset({seat, campaign.side_of_actor[seat]})
    return frozenset()


def has_secrets(campaign: Campaign) -> bool:
    """Whether anything in ``campaign`` is for some seats only."""
    actors = [a for s in campaign.sides for a in s.actors]
    return bool(
        campaign.hidden
        or any(a.brief or a.objectives for a in actors)
        or any(o.secret for s in campaign.sides for o in s.objectives)
        or any(i.to or i.expected or i.objective for i in campaign.injects)
    )


def sees_objectives(campaign: Campaign, owner: str, who: frozenset[str] | None) -> bool:
    """Whether a seat counting as ``who`` (see :func:`audience`) knows the secret objectives
    of ``owner`` (a side: its seats; an actor: its own seat and its side's seat)."""
    if who is None:
        return True
    if owner in campaign.side_by_id:
        return owner in who
    return owner in who and campaign.side_of_actor[owner] in who


def secret_ids(campaign: Campaign, owner: str) -> dict[str, str]:
    """The neutral ids other seats know ``owner``'s secret objectives by: ``secret-1``,
    ``secret-2``... (an id such as ``ransom-paid`` would tell what it is about)."""
    secret = [o.id for o in campaign.objectives_of(owner) if o.secret]
    return {real: f"secret-{n}" for n, real in enumerate(secret, 1)}
