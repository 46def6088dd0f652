"""Words for what a seat knows alone, and for the end: briefs, objectives, hidden values, results.

Plain strings from the campaign and a seat's view (no Textual), so they are tested without
an app. A seat lists only what it may know: its side's objectives and its own actor's,
never a placeholder the host sent for another seat's secret
(:data:`~tabletop.campaign.redact.SECRET_OBJECTIVE`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tabletop.campaign.model import Inject, Objective
from tabletop.campaign.plural import is_are, noted
from tabletop.campaign.secrets import SECRET_OBJECTIVE
from tabletop.engine import events as E
from tabletop.engine.rules import Engine
from tabletop.engine.standing import (
    EndingNear,
    ObjectiveStanding,
    endings_near,
    objective_standing,
)
from tabletop.engine.state import Outcome
from tabletop.engine.views import View
from tabletop.tui.text import plural, reflow

#: how a seat's own secret objective is marked (in brackets after its title: :func:`noted`)
SECRET_MINE = "secret: only you know"
#: how its side's secret objective is marked
SECRET_SIDE = "secret: only your side knows"


def private_inject_line(ev: E.InjectFired) -> str:
    """``For you only: <title> — <text>``."""
    text = " ".join(ev.text.split())
    return f"For you only: {ev.title}" + (f" — {text}" if text else "")


def values_line(engine: Engine, values: Mapping[str, int | str], verb: str = "You know") -> str:
    """``You know: Northmark's red line is 8`` (empty if no value is known)."""
    if not values:
        return ""
    return f"{verb}: " + ", ".join(f"{engine.value_name(k)} {is_are(engine.campaign.names_many(k))} {v}" for k, v in values.items())


def _known(objectives: Sequence[Objective]) -> list[Objective]:
    return [o for o in objectives if not (o.secret and o.title == SECRET_OBJECTIVE)]


def objective_lines(engine: Engine, seat: str) -> list[str]:
    """The objectives ``seat`` works for: its side's, then its own actor's (secret ones marked)."""
    if seat not in engine.side_of:
        return []
    c = engine.campaign
    side = c.side_by_id[engine.side_of[seat]]
    lines = []
    for o in _known(side.objectives):
        lines.append(f"• {noted(o.title, SECRET_SIDE) if o.secret else o.title}")
    for o in _known(c.actor_by_id[seat].objectives):
        lines.append(f"• {noted(o.title, SECRET_MINE if o.secret else 'your own')}")
    return lines


def standing_line(s: ObjectiveStanding) -> str:
    """``✓ Keep the Alliance united (your side) — met: Allied cohesion is at least 6``, or
    ``✗ … — not yet; met when Allied cohesion is at least 7 (now: Allied cohesion 6)``; a
    title that ends in a bracket takes the mark inside it (``Keep the border in crisis
    (integrity 5 or less; your own)``)."""
    o = s.objective
    mark = (SECRET_SIDE if o.secret else "your side") if s.whose == "side" else (SECRET_MINE if o.secret else "your own")
    title = noted(o.title, mark)
    if s.met is None:
        return f"? {title} — cannot tell: {s.why}"
    if s.met:
        return f"✓ {title} — met: {s.why}"
    return f"✗ {title} — not yet; met when {s.why}" + (f" (now: {s.now})" if s.now else "")


def standing_lines(engine: Engine, view: View, seat: str) -> list[str]:
    """Each objective ``seat`` works for, met or not yet, and what would change it."""
    return [standing_line(s) for s in objective_standing(engine, view, seat)]


def ending_line(e: EndingNear) -> str:
    """``Armed conflict — 2 steps away: Military escalation risk is at least 9``."""
    if e.kind == "round":
        if e.steps == 0:
            return "The last round: the exercise ends after this round"
        more = plural(e.steps or 0, 'more round')
        return f"The last round: the exercise ends {e.words} ({more} after this one)"
    if not e.reachable:
        return f"{e.title} — {e.words}"
    how = "" if e.auto else "a card can bring it"
    if e.steps is None:
        near = "you cannot tell how near" if e.words else "a card can bring it at any time"
    elif e.steps == 0:
        near = "its condition holds now" if e.auto else "its condition holds now: a card can bring it"
        how = ""
    else:
        near = f"{plural(e.steps, 'step')} away"
    lead = f"{near}, {how}" if how else near
    return f"{e.title} — {lead}" + (f": {e.words}" if e.words else "")


#: how many steps from an ending the hand-off starts to warn of it
NEAR = 2


def nearest_ending(engine: Engine, view: View) -> str:
    """``Nearest ending: Armed conflict — 2 steps away: …`` from public knowledge, when an
    ending is at most :data:`NEAR` steps away ("" otherwise)."""
    near = [
        e for e in endings_near(engine, view)
        if e.reachable and e.steps is not None and e.steps <= NEAR and e.kind != "round"
    ]
    return f"Nearest ending: {ending_line(near[0])}" if near else ""


def ending_lines(engine: Engine, view: View) -> list[str]:
    """What can end the game, nearest first."""
    return [ending_line(e) for e in endings_near(engine, view)]


#: how a brief may open to say it is private (the brief panel's title says so already)
_PRIVATE_OPENINGS = ("only you read this.", "only you read this:", "only you see this.")


def _unsaid(brief: str) -> str:
    """``brief`` without an opening sentence saying only its seat reads it."""
    text = brief.strip()
    for opening in _PRIVATE_OPENINGS:
        if text.lower().startswith(opening):
            return text[len(opening):].strip()
    return text


def brief_sections(engine: Engine, view: View, seat: str) -> list[tuple[str, str]]:
    """(heading, text) of a seat's brief panel: its brief, what it knows, its objectives."""
    if seat not in engine.side_of:
        return []
    actor = engine.campaign.actor_by_id[seat]
    sections = []
    brief = _unsaid(actor.brief)
    if brief:  # the panel's title says it is for this seat alone; the brief need not say so again
        sections.append(("Your brief", reflow(brief)))
    known = values_line(engine, view.values)
    if known:
        sections.append(("What you know", known))
    standing = standing_lines(engine, view, seat)
    side = engine.side_name(engine.side_of[seat])
    sections.append((f"Objectives ({side}): where you stand", "\n".join(standing) if standing else "None written for you."))
    sections.append(("What can end the game", "\n".join(ending_lines(engine, view))))
    sections.append(("How the result is judged", judging_words(engine, seat)))
    return sections


def judging_words(engine: Engine, seat: str) -> str:
    """The engine's rule for the result (:attr:`~tabletop.engine.state.Outcome.results`), in words."""
    declared = any(p.outcome for p in engine.campaign.phases.states if p.terminal) or any(e.outcome for e in engine.campaign.end)
    lead = "An ending may decide the result itself. Otherwise, when" if declared else "When"
    text = (
        f"{lead} the game ends, the side that has met the larger share of its objectives wins; "
        "sides level at the top draw."
    )
    if engine.campaign.actor_by_id[seat].objectives:
        text += " Your own aims count for you alone, not for your side."
    return text


#: a side's result in words that fit any side's name ("Veldia and Ostrand won")
RESULT_WORDS = {"win": "won", "lose": "lost", "draw": "drew"}


def result_line(engine: Engine, outcome: Outcome) -> str:
    """``Every side loses.``, or each side's result: ``Red lost; Blue won.``"""
    results = outcome.results
    if outcome.verdict() == "none":
        return "Every side loses."
    return "; ".join(f"{engine.side_name(s)} {RESULT_WORDS.get(r, r)}" for s, r in results.items()) + "."


def hidden_values_lines(engine: Engine, values: Mapping[str, int | str]) -> list[str]:
    """``Red line was 8`` for each hidden value (the end reveals them all)."""
    return [f"{engine.value_name(k)} was {v}" for k, v in values.items()]


def audience_names(engine: Engine, ids: Sequence[str]) -> list[str]:
    """Sides and actors, by name."""
    c = engine.campaign
    names = []
    for who in ids:
        side = c.side_by_id.get(who)
        names.append(side.name if side is not None else c.actor_by_id[who].name if who in c.actor_by_id else who)
    return names


def inject_note_lines(engine: Engine, inject: Inject) -> list[str]:
    """What the facilitator reads of an inject beyond its text: its audience (if private),
    the response the evaluators expect, its learning objective (by its words)."""
    learning = {lo.id: lo.text for lo in engine.campaign.learning if lo.id}
    notes = []
    if inject.to:
        notes.append("to " + ", ".join(audience_names(engine, inject.to)) + " only")
    if inject.expected:
        notes.append(f"expected: {' '.join(inject.expected.split())}")
    if inject.objective:
        notes.append(f"objective: {learning.get(inject.objective, inject.objective)}")
    return notes


def inject_notes(engine: Engine) -> list[tuple[str, list[str]]]:
    """(title, notes) of each inject that has notes (see :func:`inject_note_lines`)."""
    return [(inj.title, notes) for inj in engine.campaign.injects if (notes := inject_note_lines(engine, inj))]
