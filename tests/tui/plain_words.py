"""What "plain words" means for a campaign's screens, as one checker the tests share.

Words for people: no operator (``>=``, ``<=``, ``==``, ``!=``), no raw id (an id with ``_``
or ``-`` that is not part of a name the campaign gives: ``border_integrity``,
``ru-ukraine-signal``, ``mass_crossing``), no "1 resources"-style plural slip, and no bare
``?`` (the engine's placeholder for a secret) where a sentence should say what is hidden,
and the grammar slips cheap to see (:data:`GRAMMAR`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tabletop.campaign.model import Campaign

OPERATORS = re.compile(r">=|<=|==|!=")
#: grammar slips that are cheap to see: a plural noun with ``'s`` ("consumer states's"),
#: several names with a verb for one ("Latvia and NATO (bot) moves")
GRAMMAR = re.compile(r"\b[a-z]+(?:es|ts|ns|ds|ks|ls|rs)'s\b|\band [^.;:]*\(bot\) moves\b")
#: the engine's placeholder for a secret (``?``) standing alone where words should be
#: a bracket where one does not belong: a possessive or another bracket after a name that
#: ends in one ("Belarus (Lukashenka regime)'s turn", "… regime) (you)")
AFTER_BRACKET = re.compile(r"\)'s(?!\w)|\) \(")
PLACEHOLDER = re.compile(r"(?:^|(?<=[\s:(]))\?(?=$|[\s).,;])")
#: a count of one before a plural noun ("1 resources", "1 cards")
PLURAL_SLIP = re.compile(
    r"(?<![\d.,/-])\b1 (?:resources|cards|actions|steps|rounds|objectives|points|minutes|seconds|votes|plays|turns)\b"
)


def nested_brackets(line: str) -> list[str]:
    """Each bracket opened inside another (``(+1 (Witnesses come forward) for every 2 …)``),
    as the text from the outer bracket to the inner one's end."""
    found, opened = [], []
    for i, ch in enumerate(line):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            opened.pop()
            if opened:
                found.append(line[opened[0]:i + 1])
    return found


def raw_ids(campaign: Campaign) -> set[str]:
    """Every id the campaign gives (tracks, cards, actors, sides, phases, hidden values,
    injects, triggers, endings, objectives, learning objectives) that no person would
    write: it holds ``_`` or ``-`` and is not part of a name or a title."""
    c = campaign
    ids = {t.id for t in c.tracks} | {x.id for x in c.cards} | {x.id for x in c.sides}
    ids |= {a.id for s in c.sides for a in s.actors} | {p.id for p in c.phases.states}
    ids |= {h.id for h in c.hidden} | {i.id for i in c.injects} | {t.trigger for t in c.phases.transitions}
    ids |= {e.id for e in c.end} | {lo.id for lo in c.learning if lo.id}
    for side in c.sides:
        ids |= {o.id for o in side.objectives if o.id}
        ids |= {o.id for a in side.actors for o in a.objectives if o.id}
    names = [t.name for t in c.tracks] + [x.title for x in c.cards] + [s.name for s in c.sides]
    names += [a.name for s in c.sides for a in s.actors] + [p.name for p in c.phases.states]
    names += [h.name for h in c.hidden] + [i.title for i in c.injects]
    said = " ".join(names).lower()
    return {i for i in ids if i and ("_" in i or "-" in i) and i.lower() not in said}


#: the campaign's fields that hold its author's own sentences
PROSE = frozenset({"briefing", "brief", "text", "flavour", "source", "description", "prompt", "expected", "label"})


def _norm(text: str) -> str:
    return " ".join(text.split())


def author_prose(campaign: Campaign) -> list[str]:
    """The campaign author's own sentences (whitespace-normalised): the briefing, briefs,
    card and inject texts, descriptions, contest and vote prompts, expected responses, labels."""
    out: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in PROSE and node.strip():
            out.append(_norm(node))

    walk(campaign.model_dump())
    return out


class Checker:
    """Finds what is not plain words in a screen's text, for one campaign.

    Author prose is not ours to rewrite: a line that is wholly part of the author's own
    sentences (:func:`author_prose`; a bullet or indent before it aside) is not judged.
    Our sentences that quote it are (the author's words then rarely hold an operator or an
    id, and none of the bundled campaigns' do)."""

    def __init__(self, campaign: Campaign) -> None:
        raw = sorted(raw_ids(campaign), key=len, reverse=True)
        alternatives = "|".join(re.escape(i) for i in raw) or r"(?!x)x"
        self.raw = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        self.prose = author_prose(campaign)

    def authors(self, line: str) -> bool:
        """Whether ``line`` is the campaign author's own words (at least a few of them)."""
        words = _norm(line.lstrip("•-* "))
        return len(words) > 12 and any(words in p for p in self.prose)

    def problems(self, text: str) -> list[str]:
        """The operators, raw ids, grammar slips and placeholders in ``text`` (empty: plain
        words), line by line, the author's own lines left out."""
        found: list[str] = []
        for line in text.splitlines():
            if line.strip() and not self.authors(line):
                found += OPERATORS.findall(line) + self.raw.findall(line) + PLURAL_SLIP.findall(line)
                found += GRAMMAR.findall(line) + PLACEHOLDER.findall(line) + AFTER_BRACKET.findall(line)
                found += nested_brackets(line)
        return found

    def report(self, texts: Iterable[tuple[str, str]]) -> list[str]:
        """``where: problems: text`` for each (where, text) that is not plain words, one per text."""
        out = []
        for where, text in dict.fromkeys(texts):
            bad = self.problems(text)
            if bad:
                out.append(f"{where}: {sorted(set(bad))}: {text[:300]!r}")
        return out
