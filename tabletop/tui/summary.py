"""A round in review, for the table: what was played, votes, dice and rulings, how each
track moved and why, the crisis phase, and the injects.

Plain words from the public :class:`~tabletop.tui.chronicle.Chronicle` (so no secret),
grouped by what the table asks after a round; no Textual, so it is tested as text.
"""

from __future__ import annotations

from tabletop.engine.narrate import signed
from tabletop.engine.rules import Engine
from tabletop.tui.chronicle import Chronicle

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


def round_summary(engine: Engine, chronicle: Chronicle, rnd: int) -> list[tuple[str, list[str]]]:
    """(heading, lines) for round ``rnd``, the sections that have something to say."""
    lines = [line for line in chronicle.lines if line.round == rnd]
    sections: list[tuple[str, list[str]]] = []
    for heading, kinds in SECTIONS:
        picked = [line.text for line in lines if line.kind in kinds]
        if heading == "Dice and rulings":
            picked = [t for t in picked if not t.startswith("The facilitator adjusted")]  # in Tracks
        if picked:
            sections.append((heading, picked))
        if heading == "Dice and rulings":
            moved = track_lines(engine, chronicle, rnd)
            sections.append(("Tracks", moved or ["No track moved."]))
    return sections
