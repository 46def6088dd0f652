"""Conditions in the debrief's plain words: names not ids, "from round 6" not "round >= 6"."""

from __future__ import annotations

from datetime import date

from tabletop.campaign.conditions import ConditionError
from tabletop.campaign.explain import condition_words
from tabletop.campaign.model import Campaign
from tabletop.engine.narrate import day as narrated_day



def condition_text(campaign: Campaign, text: str) -> str:
    """A condition in plain words, e.g. ``from round 3 and Tension is at least 9``."""
    try:
        return condition_words(campaign, text)  # rounds already read "from round 6"
    except ConditionError:  # one the campaign cannot read: say it as written
        return text


def day(d: date) -> str:
    """A date as the board shows it: ``2 Mar 2031``."""
    return narrated_day(d.isoformat())


def capital(text: str) -> str:
    """``text`` with its first letter in upper case (to open a sentence or a table cell)."""
    return text[:1].upper() + text[1:]


__all__ = ["capital", "condition_text", "day"]
