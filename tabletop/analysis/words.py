"""Conditions in the debrief's plain words: names not ids, "from round 6" not "round >= 6"."""

from __future__ import annotations

import re
from datetime import date

from tabletop.campaign.conditions import ConditionError
from tabletop.campaign.explain import condition_words
from tabletop.campaign.model import Campaign

_ROUND = (
    (re.compile(r"\bthe round is at least (\d+)"), r"from round \1"),
    (re.compile(r"\bthe round is more than (\d+)"), r"after round \1"),
    (re.compile(r"\bthe round is at most (\d+)"), r"up to round \1"),
    (re.compile(r"\bthe round is less than (\d+)"), r"before round \1"),
    (re.compile(r"\bthe round is not (\d+)"), r"in any round but \1"),
    (re.compile(r"\bthe round is (\d+)"), r"in round \1"),
)


def condition_text(campaign: Campaign, text: str) -> str:
    """A condition in plain words, e.g. ``from round 3 and Tension is at least 9``."""
    try:
        words = condition_words(campaign, text)
    except ConditionError:  # one the campaign cannot read: say it as written
        return text
    for pattern, repl in _ROUND:
        words = pattern.sub(repl, words)
    return words


def day(d: date) -> str:
    """A date as the board shows it: ``2 Mar 2031``."""
    return f"{d.day} {d.strftime('%b')} {d.year}"


def capital(text: str) -> str:
    """``text`` with its first letter in upper case (to open a sentence or a table cell)."""
    return text[:1].upper() + text[1:]


__all__ = ["capital", "condition_text", "day"]
