"""Words of the facilitator console and its forms: the menu's labels, what waits, the
options each form lists.

Plain strings from the facilitator's view and options (no Textual), so the console's
sentences are tested without an app; :mod:`tabletop.tui.screens.facilitator` and
:mod:`~tabletop.tui.screens.facilitator_forms` only style and lay them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tabletop.campaign.model import Inject, Track, Transition
from tabletop.engine.narrate import awaited_names, whose
from tabletop.engine.queries import Options
from tabletop.engine.rules import Engine
from tabletop.engine.views import ProposalView, View
from tabletop.tui.roles import audience_names, inject_note_lines, inject_notes
from tabletop.tui.text import (
    condition_text,
    effects_text,
    first_line,
    seat_name,
    step_words,
    trigger_title,
)

#: (option id, key, label) of each tool, in menu order
TOOLS = (
    ("contest", "c", "Rule on a contest"),
    ("proposal", "o", "Rule on a proposal"),
    ("inject", "i", "Fire a library inject"),
    ("free", "n", "Fire a free-text inject"),
    ("adjust", "t", "Adjust a track"),
    ("trigger", "g", "Fire a phase trigger"),
    ("note", "m", "Annotate the latest event"),
    ("observe", "r", "Record an observation"),
    ("pause", "space", "Pause / resume"),
    ("advance", "a", "Advance"),
    ("clock", "k", "Set the clock"),
    ("extend", "plus", "One more minute for this turn"),
)
#: the secrets tool, in the menu of a console whose screen the players share
SECRETS_TOOL = ("secrets", "h", "Show secrets")

#: a row of the console's summary: (text, style); the style is the screen's to apply
Row = tuple[str, str]
#: what the console says instead of its secrets while the players share the screen
COVERED = ("The players share this screen, so the hidden values and the injects' audiences and expected responses "
           "are covered. Press h to show them when only you can see the screen.")
HEAD, MUTED, BOLD, PLAIN, NOTE, WARN = "head", "muted", "bold", "", "note", "warn"


def advance_label(engine: Engine, view: View, opts: Options) -> str | None:
    """What advance would move on, or None when the engine would not take it."""
    if not opts.can_advance:
        return None
    if view.vote is not None:
        return f"Advance: close the vote on #{view.vote.play}"
    if view.turn is not None:
        return f"Advance: end {whose(seat_name(engine, view.turn), 'turn')}"
    return None


def tool_labels(engine: Engine, view: View, opts: Options, revealed: bool) -> dict[str, str]:
    """The menu's label for each tool whose label says how it stands now."""
    contests, proposals = opts.contests, opts.proposals
    return {
        "contest": f"Rule on a contest ({len(contests)} waiting)" if contests else "Rule on a contest (none)",
        "proposal": f"Rule on a proposal ({len(proposals)} waiting)" if proposals else "Rule on a proposal (none)",
        "pause": "Resume the exercise" if opts.can_resume else "Pause the exercise",
        "advance": advance_label(engine, view, opts) or "Advance (nothing to skip)",
        "secrets": "Cover the secrets" if revealed else "Show the secrets",
    }


def summary_rows(
    engine: Engine, view: View, opts: Options, *, public_values: Mapping[str, int | str],
    is_bot: Callable[[str], bool], revealed: bool,
) -> list[Row]:
    """The console's right pane: now, what waits, contests and proposals, tracks, and (when
    ``revealed``) the hidden values and the injects' notes. ``public_values``: the hidden
    values everyone knows (revealed)."""
    e = engine
    rows: list[Row] = [
        ("Now", HEAD),
        (f"Round {max(view.round, 1)}/{e.campaign.calendar.rounds} · {e.phase_name(view.phase)} · now: {step_words(e, view.step)}",
         PLAIN),
    ]
    if view.outcome is not None:
        rows.append(("The exercise is over; you can still annotate and record observations.", NOTE))
    elif view.paused:
        rows.append(("Paused — press space to resume.", WARN))
    awaiting = ", ".join(awaited_names(e, view.awaiting, is_bot, facilitator="you")) or "nobody"
    rows.append((f"Waiting for: {awaiting}", PLAIN))
    if opts.contests:
        rows += [("", PLAIN), (f"Contests waiting for your ruling ({len(opts.contests)})", HEAD)]
        for pid in opts.contests:
            play = next(p for p in view.plays if p.id == pid)
            card = e.cards[play.card or ""]
            rows.append((f"#{pid} {card.title} ({seat_name(e, play.actor)})", BOLD))
            if card.contest and card.contest.prompt:
                rows.append((first_line(card.contest.prompt, 400), MUTED))
    proposals = [p for p in view.proposals if p.verdict is None]
    if proposals:
        rows += [("", PLAIN), (f"Proposals waiting ({len(proposals)})", HEAD)]
        for p in proposals:
            rows.append((f"#{p.id} {seat_name(e, p.actor)}: {first_line(p.text, 400)}", BOLD))
            rows.append((f"intends: {effects_text(e, p.effects)}", MUTED))
    rows += [("", PLAIN), ("Tracks", HEAD)]
    rows += [(f"{t.name} {view.tracks.get(t.id, t.start)}/{t.max}", PLAIN) for t in e.campaign.tracks]
    notes = inject_notes(e)
    if not revealed:
        if view.values or notes:
            rows += [("", PLAIN), ("Secrets covered", HEAD),
                     (COVERED, MUTED)]
        return rows
    if view.values:
        rows += [("", PLAIN), ("Hidden values", HEAD)]
        for h in e.campaign.hidden:
            if h.id in view.values:
                known = ", ".join(audience_names(e, h.known_by)) or "nobody"
                told = " · revealed to all" if h.id in public_values else f" · known to {known}"
                rows.append((f"{h.name} = {view.values[h.id]}{told}", PLAIN))
    if notes:
        rows += [("", PLAIN), ("Injects: audience, expected response, learning objective", HEAD)]
        for title, lines in notes:
            rows.append((title, BOLD))
            rows += [(f"  {line}", MUTED) for line in lines]
    return rows


# ---------------------------------------------------------------- the forms' options


def contest_choice(engine: Engine, view: View, pid: int) -> str:
    """``#3 Press conference — Veldia`` over the contest's question."""
    play = next(p for p in view.plays if p.id == pid)
    card = engine.cards[play.card or ""]
    prompt = first_line((card.contest.prompt if card.contest else "") or "Does it work?", 200)
    return f"#{pid} {card.title} — {seat_name(engine, play.actor)}\n  {prompt}"


def proposal_choice(engine: Engine, p: ProposalView) -> str:
    """``#1 Veldia: <its text>`` over what it intends."""
    return f"#{p.id} {seat_name(engine, p.actor)}: {first_line(p.text, 120)}\n  intends: {effects_text(engine, p.effects)}"


def inject_choice(inject: Inject) -> str:
    """An inject's title over the start of its text."""
    return f"{inject.title}\n  {first_line(inject.text, 160)}"


def inject_preview(engine: Engine, inject: Inject, notes: bool) -> str:
    """What firing ``inject`` does, and (``notes``) its audience, expected response and
    objective, or that they are covered."""
    lines = inject_note_lines(engine, inject)
    if notes:
        told = "".join(f"\n{line[:1].upper()}{line[1:]}" for line in lines)
    else:
        told = "\nAudience and expected response covered (h in the console shows them)." if lines else ""
    return f"Effects: {effects_text(engine, inject.effects)}{told}"


def track_choice(view: View, track: Track) -> str:
    """``Public trust  5/10``."""
    return f"{track.name}  {view.tracks.get(track.id, track.start)}/{track.max}"


def trigger_choice(engine: Engine, t: Transition) -> str:
    """``Mass crossing: → Border crisis, if Border integrity is at most 4`` (the trigger by
    its name in words, never its id)."""
    when = f", if {condition_text(engine, t.when)}" if t.when else ""
    return f"{trigger_title(t.trigger)}: → {engine.phase_name(t.dest)}{when}"
