"""A campaign as one seat may read it: other seats' briefs, secret objectives, hidden values
and private injects taken out.

A network client runs the rules from the campaign the host sends it, so the host must not
send what the seat may not know. :func:`campaign_text_for` gives that text: the file itself
when nothing in it is secret from anyone (so format-1 campaigns travel byte for byte as
before), else the campaign with every secret the seat may not see replaced by a neutral
placeholder that keeps its shape, or left out where even its id would tell (a private
inject); who may know what is :mod:`tabletop.campaign.secrets`.
The replacement depends only on the campaign and the seat, never on the game: two games
that differ only in a secret send every seat the same text.

Seats are named as elsewhere: an actor id, ``side:<id>``, ``observer`` or ``facilitator``.
"""

from __future__ import annotations

from typing import Any

import yaml

from tabletop.campaign.model import Campaign
from tabletop.campaign.secrets import (
    SECRET_OBJECTIVE,
    audience,
    has_secrets,
    secret_ids,
    sees_objectives,
)

__all__ = ["SECRET_OBJECTIVE", "campaign_text_for"]


#: (the campaign's JSON, seat) -> the text for that seat: written as YAML, it takes a host
#: tens of milliseconds, on every seat's join and rejoin, and is the same every time
_MADE: dict[tuple[str, str], str] = {}
_MADE_MAX = 64


def campaign_text_for(campaign: Campaign, text: str, seat: str) -> str:
    """The campaign text to send ``seat``: ``text`` itself if nothing is secret from it."""
    who = audience(campaign, seat)
    if who is None or not has_secrets(campaign):
        return text
    # the text depends on the campaign's content and the seat only (the model is frozen)
    key = (campaign.model_dump_json(), seat)
    made = _MADE.get(key)
    if made is None:
        if len(_MADE) >= _MADE_MAX:
            _MADE.clear()
        made = _MADE[key] = _redacted(campaign, who)
    return made


def _redacted(campaign: Campaign, who: frozenset[str]) -> str:
    """The campaign as a seat counting as ``who`` may read it (see the module's docstring)."""
    data = campaign.model_dump(mode="json", exclude_defaults=True)
    data["format"] = campaign.format
    for side in data.get("sides", []):
        renamed = secret_ids(campaign, side["id"])
        mine = sees_objectives(campaign, side["id"], who)
        side["objectives"] = [_objective(o, mine, renamed) for o in side.get("objectives", [])]
        for actor in side.get("actors", []):
            if actor["id"] not in who:
                actor.pop("brief", None)
            if "objectives" in actor:
                renamed = secret_ids(campaign, actor["id"])
                own = sees_objectives(campaign, actor["id"], who)
                actor["objectives"] = [_objective(o, own, renamed) for o in actor["objectives"]]
    for value in data.get("hidden", []):
        if who.isdisjoint(value.get("known_by", [])) and "range" in value:
            value["range"] = [0, 0]  # the seat learns the value only if it is revealed
    # An inject addressed to others is left out whole: the seat is never told of it, and its
    # id or condition alone would say what it is about (or that a covert card would set it off).
    data["injects"] = [i for i in data.get("injects", []) if not i.get("to") or not who.isdisjoint(i["to"])]
    for inject in data["injects"]:
        inject.pop("expected", None)
        inject.pop("objective", None)
    header = "# The campaign as this seat may read it (secrets for other seats left out).\n"
    body: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def _objective(objective: dict[str, Any], known: bool, renamed: dict[str, str]) -> dict[str, Any]:
    if known or not objective.get("secret"):
        return objective
    return {"id": renamed[objective["id"]], "title": SECRET_OBJECTIVE, "when": "true", "secret": True}
