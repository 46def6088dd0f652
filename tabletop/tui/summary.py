"""A round in review, for the table: what was played, votes, dice and rulings, how each
track moved and why, the crisis phase, and the injects.

Plain words from the public :class:`~tabletop.tui.chronicle.Chronicle` (so no secret),
grouped by what the table asks after a round; no Textual, so it is tested as text.
"""

from __future__ import annotations

from tabletop.engine.narrate import signed
from tabletop.engine.rules import Engine
from tabletop.tui.chronicle import Chronicle
from tabletop.tui.text import condition_text

#: (heading, the log kinds it gathers), in the order the summary shows them
SECTIONS = (
    ("What was played", ("play",)),
    ("Votes", ("vote",)),
    ("Dice and rulings", ("dice", "facilitator")),
    ("Crisis phase", ("phase",)),
    ("Injects", ("inject",)),
)


def track_lines(engine: Engine, chronicle: Chronicle, rnd: int) -> list[str]:
    """``Border integrity 6 → 4: Steer small groups (#4) -3, Latvian state of emergency (#11) +2``."""
    out = []
    for track in engine.campaign.tracks:
        moves = [m for m in chronicle.moves if m.round == rnd and m.track == track.id]
        if not moves:
            continue
        before, after = moves[0].value - moves[0].delta, moves[-1].value
        causes = ", ".join(f"{m.cause} {signed(m.delta)}" for m in moves)
        out.append(f"{track.name} {before} → {after}: {causes}")
    return out


def phase_lines(engine: Engine, chronicle: Chronicle, rnd: int) -> list[str]:
    """The phase changes of round ``rnd`` and why; or, when there was none, that the crisis
    stayed where it was and what would move it on at a phase check (the table asks "why
    not?" as often as "why?")."""
    told = [line.text for line in chronicle.lines if line.round == rnd and line.kind == "phase"]
    if any(changed_in == rnd for changed_in, _ in chronicle.phase_changes):
        return told
    phase = chronicle.phase_after(rnd)
    name = engine.phase_name
    out = [f"No change: the crisis stays in {name(phase)}.", *told]  # told: a trigger that did not fire
    if phase in engine.terminal:
        return out
    for t in engine.campaign.phases.transitions:
        leaves = phase in t.sources or t.source == "*"
        if t.is_auto and leaves and t.dest != phase and t.when:
            when = condition_text(engine, t.when, chronicle.revealed)  # a revealed red line, with its value
            out.append(f"It moves to {name(t.dest)} at a phase check when: {when}.")
    return out


def round_summary(engine: Engine, chronicle: Chronicle, rnd: int) -> list[tuple[str, list[str]]]:
    """(heading, lines) for round ``rnd``, the sections that have something to say."""
    lines = [line for line in chronicle.lines if line.round == rnd]
    sections: list[tuple[str, list[str]]] = []
    for heading, kinds in SECTIONS:
        picked = [line.text for line in lines if line.kind in kinds]
        if heading == "Crisis phase":
            picked = phase_lines(engine, chronicle, rnd)
        if heading == "Dice and rulings":
            picked = [t for t in picked if not t.startswith("The facilitator adjusted")]  # in Tracks
        if picked:
            sections.append((heading, picked))
        if heading == "Dice and rulings":
            moved = track_lines(engine, chronicle, rnd)
            sections.append(("Tracks", moved or ["No track moved."]))
    return sections
