"""A campaign as one seat may read it: other seats' briefs, secret objectives, hidden values
and private injects taken out.

A network client runs the rules from the campaign the host sends it, so the host must not
send what the seat may not know. :func:`campaign_text_for` gives that text: the file itself
when nothing in it is secret from anyone (so format-1 campaigns travel byte for byte as
before), else the campaign with every secret the seat may not see replaced by a neutral
placeholder that keeps its shape (ids stay, so events and conditions still refer to them).
The replacement depends only on the campaign and the seat, never on the game: two games
that differ only in a secret send every seat the same text.

Seats are named as elsewhere: an actor id, ``side:<id>``, ``observer`` or ``facilitator``.
"""

from __future__ import annotations

from typing import Any

import yaml

from tabletop.campaign.model import Campaign

__all__ = ["SECRET_OBJECTIVE", "PRIVATE_INJECT", "audience", "campaign_text_for", "has_secrets"]

SECRET_OBJECTIVE = "A secret objective"
PRIVATE_INJECT = "A private inject"


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


def campaign_text_for(campaign: Campaign, text: str, seat: str) -> str:
    """The campaign text to send ``seat``: ``text`` itself if nothing is secret from it."""
    who = audience(campaign, seat)
    if who is None or not has_secrets(campaign):
        return text
    data = campaign.model_dump(mode="json", exclude_defaults=True)
    data["format"] = campaign.format
    for side in data.get("sides", []):
        mine = side["id"] in who
        side["objectives"] = [_objective(o, mine) for o in side.get("objectives", [])]
        for actor in side.get("actors", []):
            own = actor["id"] in who
            if not own:
                actor.pop("brief", None)
            if "objectives" in actor:
                actor["objectives"] = [_objective(o, own) for o in actor["objectives"]]
    for value in data.get("hidden", []):
        if who.isdisjoint(value.get("known_by", [])) and "range" in value:
            value["range"] = [0, 0]  # the seat learns the value only if it is revealed
    for inject in data.get("injects", []):
        inject.pop("expected", None)
        inject.pop("objective", None)
        if inject.get("to") and who.isdisjoint(inject["to"]):
            inject["title"] = PRIVATE_INJECT
            inject.pop("text", None)
            inject.pop("source", None)
    header = "# The campaign as this seat may read it (secrets for other seats left out).\n"
    body: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def _objective(objective: dict[str, Any], known: bool) -> dict[str, Any]:
    if known or not objective.get("secret"):
        return objective
    return {"id": objective["id"], "title": SECRET_OBJECTIVE, "when": "true", "secret": True}
