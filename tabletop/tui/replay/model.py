"""What the debrief viewer shows, as plain data: viewpoints, timeline rows, chart columns.

No Textual here: these functions read a :class:`~tabletop.journal.replay.Replay` and
return words and numbers, so they are easy to test and the screens stay thin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tabletop.session import LocalSession, unused_path
from tabletop.tui.text import nice_date
from tabletop.engine.commands import EVALUATOR, FACILITATOR
from tabletop.engine.views import OBSERVER
from tabletop.journal.notes import Note
from tabletop.journal.replay import Annotation, Replay

#: The marks in the timeline's marker column.
NOTE_MARK = "✎"  # a trainer's debrief note (the sidecar)
ANNOTATION_MARK = "¶"  # a note the facilitator made during play (the journal)

#: Eighths of a cell, bottom up, for the track charts.
BLOCKS = " ▁▂▃▄▅▆▇█"


# ====================================================================== viewpoints


@dataclass(frozen=True, slots=True)
class Seat:
    """A viewpoint of the debrief: whose knowledge the screen shows."""

    id: str  # "facilitator", "observer", "side:<id>" or an actor id
    name: str  # "Facilitator", "Blue side", "Veldia"
    scope: str  # what this viewpoint sees, as a sentence
    side: str | None  # the side whose accent colours the viewpoint bar (None: no side)

    @property
    def everything(self) -> bool:
        return self.id == FACILITATOR


def viewpoints(replay: Replay) -> list[Seat]:
    """Every viewpoint in the order ``v`` cycles through them: the facilitator, each
    side, each actor, the observer (and the evaluators, if they took part)."""
    c = replay.campaign
    out = [Seat(FACILITATOR, "Facilitator", "sees everything: every hand, the true author of every covert play", None)]
    for s in c.sides:
        members = [a.name for a in s.actors]
        who = f"{', '.join(members[:-1])} and {members[-1]} were" if len(members) > 1 else f"{members[0]} was"
        out.append(Seat(f"side:{s.id}", f"{s.name} (side)", f"only what {who} shown then", s.id))
    for s in c.sides:
        for a in s.actors:
            out.append(Seat(a.id, a.name, f"only what {a.name} was shown then: its side's secrets, its own hand", s.id))
    out.append(Seat(OBSERVER, "Observer", "only the public picture", None))
    if any(e.seat == EVALUATOR for e in replay.entries):  # evaluators took part: their view too
        out.append(Seat(EVALUATOR, "Evaluators", "the public picture and the evaluators' observations", None))
    return out


# ====================================================================== the timeline


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the timeline: a round heading, or an event (``k``) as a sentence."""

    kind: str  # "round" | "event"
    k: int  # the event (for a heading: the first event of its round)
    text: str
    muted: bool = False  # bookkeeping, or not shown to this viewpoint


def event_text(replay: Replay, k: int, seat: str) -> tuple[str, bool]:
    """``(sentence, muted)`` for event ``k`` as ``seat`` was told it; an event with no
    sentence gets a muted placeholder saying why (hidden from the seat, or bookkeeping)."""
    if k == 0:
        return "Start: before the first event.", True
    sentence = replay.sentence(k, seat)
    if sentence:
        return sentence, False
    if seat != FACILITATOR and replay.sentence(k, FACILITATOR):
        return "(not shown to this viewpoint)", True
    event = replay.entry(k).event
    tag = getattr(event, "TYPE", type(event).__name__).replace("_", " ")
    step = getattr(event, "step", None)
    return (f"({tag}: {step})" if step else f"({tag})"), True



def round_heading(replay: Replay, round_: int, date: str) -> str:
    if round_ == 0:
        return "The deal"
    return f"Round {round_} · {nice_date(date)}"


def timeline_rows(replay: Replay, seat: str) -> list[Row]:
    """Every step of the save as ``seat`` was told it, grouped by round (step 0 first)."""
    replay.sentences(seat)  # narrate the whole stream once
    text, muted = event_text(replay, 0, seat)
    rows = [Row("event", 0, text, muted)]
    for span in replay.rounds():
        rows.append(Row("round", span.first, round_heading(replay, span.round, span.date)))
        for k in range(span.first, span.last + 1):
            text, muted = event_text(replay, k, seat)
            rows.append(Row("event", k, text, muted))
    return rows


def markers(notes: Iterable[Note], annotations: Iterable[Annotation]) -> dict[int, str]:
    """Event -> its mark in the timeline: a trainer's note wins over an in-play annotation."""
    out: dict[int, str] = {a.at: ANNOTATION_MARK for a in annotations}
    out.update({n.seq: NOTE_MARK for n in notes})
    return out


# ====================================================================== moving about


def parse_target(text: str, replay: Replay) -> int:
    """The step a "go to" answer names: ``42`` (event 42) or ``r3`` (the first event of
    round 3). Raises ``ValueError`` with a sentence if it names none."""
    t = text.strip().lower().replace(" ", "")
    n = len(replay)
    if t.startswith(("round", "r")):
        digits = t.removeprefix("round").removeprefix("r")
        if not digits.isdigit():
            raise ValueError("type an event number, or r and a round number (r3)")
        r = int(digits)
        span = next((s for s in replay.rounds() if s.round == r), None)
        if span is None:
            last = replay.rounds()[-1].round if replay.rounds() else 0
            raise ValueError(f"there is no round {r} in this save (rounds 0 to {last})")
        return span.first
    if not t.lstrip("#").isdigit():
        raise ValueError("type an event number, or r and a round number (r3)")
    k = int(t.lstrip("#"))
    if k > n:
        raise ValueError(f"there is no event {k}: this save has events 0 to {n}")
    return k


def next_decision(replay: Replay, k: int) -> int | None:
    """The first step after ``k`` where the game waited for a decision (the end of a command)."""
    return next((p for p in replay.decision_points if p > k), None)


def prev_decision(replay: Replay, k: int) -> int | None:
    return next((p for p in reversed(replay.decision_points) if p < k), None)


def fork_points(replay: Replay, k: int) -> tuple[int, int | None]:
    """``(before, after)``: the decision points nearest ``k`` (``after`` None at the end)."""
    before = replay.fork_point(k)
    after = next_decision(replay, k) if before != k else None
    return before, after


@dataclass
class ForkResult:
    """What the viewer exits with after a "what if": the new game, where it is saved,
    and the step of the parent it starts from. The caller runs the game and closes it."""

    session: LocalSession
    path: Path
    at: int


def fork_path(save: Path, k: int, folder: Path) -> Path:
    """``folder/<stem>.fork-<k>.jsonl``, numbered (``-2``, ``-3``...) if taken."""
    stem = save.stem if save.suffix == ".jsonl" else save.name
    return unused_path(folder / f"{stem}.fork-{k}.jsonl")


# ====================================================================== charts


def column_index(points: int, width: int) -> list[int]:
    """For each of ``width`` columns, the point it shows: the last point of its bucket
    when there are more points than columns, each point repeated when there are fewer."""
    if points <= 0 or width <= 0:
        return []
    return [min(points - 1, ((c + 1) * points - 1) // width) for c in range(width)]


def bar_levels(value: int, low: int, high: int, rows: int) -> int:
    """How many eighths of a ``rows``-tall column ``value`` fills (0 at ``low``)."""
    span = max(high - low, 1)
    return max(0, min(rows * 8, round((value - low) / span * rows * 8)))


def level_row(value: int, low: int, high: int, rows: int) -> int:
    """The row (0: bottom) a threshold at ``value`` is drawn on."""
    eighths = bar_levels(value, low, high, rows)
    return max(0, min(rows - 1, (eighths - 1) // 8 if eighths else 0))


def column_cells(levels: int, rows: int) -> list[str]:
    """The block characters of one column, top row first."""
    return [BLOCKS[max(0, min(8, levels - r * 8))] for r in reversed(range(rows))]


def spread(values: Sequence[int], width: int) -> list[int]:
    """``values`` resampled to ``width`` columns (see :func:`column_index`)."""
    return [values[i] for i in column_index(len(values), width)]


__all__ = [
    "ANNOTATION_MARK", "BLOCKS", "NOTE_MARK", "Row", "Seat", "bar_levels", "column_cells", "column_index",
    "event_text", "fork_path", "nice_date", "fork_points", "level_row", "markers", "next_decision", "parse_target",
    "prev_decision", "round_heading", "spread", "timeline_rows", "viewpoints",
]
