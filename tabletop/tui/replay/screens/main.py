"""The replay screen: the timeline on the left, the board at the current step on the right.

The screen holds two things only, the step and the viewpoint (reactive); everything on
screen is derived from them through the :class:`~tabletop.journal.replay.Replay`. Keys
move the step, switch the viewpoint, or open the charts, a note, a fork.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen

from tabletop.engine.views import View
from tabletop.journal import JournalError
from tabletop.journal.notes import NotesRead, notes_path
from tabletop.journal.replay import Annotation, Replay
from tabletop.session import fork
from tabletop.tui.replay.model import (
    ANNOTATION_MARK, NOTE_MARK, ForkResult, Row, Seat, event_text, fork_path, fork_points, markers, next_decision,
    prev_decision, timeline_rows, viewpoints,
)
from tabletop.tui.replay.widgets.bars import DamageBanner, ReplayFooter, ReplayHeader, ViewpointBar
from tabletop.tui.replay.widgets.board import EventDetail, HandsPanel, PlaysPanel
from tabletop.tui.replay.widgets.timeline import Timeline
from tabletop.tui.text import and_list, seat_name
from tabletop.tui.widgets.ladder import PhaseLadder
from tabletop.tui.widgets.tracks import TrackPanel


def detail_content(
    replay: Replay, k: int, seat: Seat, view: View, notes: NotesRead, annotations: list[Annotation]
) -> Content:
    """The detail pane: event ``k`` in full as ``seat`` was told it, where it sits in its
    command (and so whether a fork may start there), and the notes about it."""
    e = replay.engine
    lines: list[Content] = []
    if k == 0:
        lines.append(Content.styled("Step 0 · before the first event", "bold"))
        lines.append(Content("Nothing is dealt yet. A fork from here replays the whole exercise with the same seed."))
    else:
        entry = replay.entry(k)
        when = "the deal" if entry.round == 0 else f"round {entry.round}"
        head = f"Event {k} · {when}"
        if seat.everything and entry.seat:
            kind = str((entry.command or {}).get("type", "")).replace("_", " ")
            head += f" · {seat_name(e, entry.seat)}" + (f": {kind}" if kind else "")
        lines.append(Content.styled(head, "bold"))
        text, muted = event_text(replay, k, seat.id)
        lines.append(Content.styled(text, "italic $text-muted" if muted else "$foreground"))
    if k in replay.decision_points:
        waits = [seat_name(e, s) for s in view.awaiting] if view.outcome is None else []
        who = f" for {and_list(waits)}" if waits else ""
        if view.outcome is not None:
            lines.append(Content.styled("The exercise is over here.", "$success"))
        else:
            lines.append(
                Content.assemble(
                    Content.styled(f"Decision point: the game waited here{who}.", "$success"),
                    Content.styled("  f: what if…", "$text-muted"),
                )
            )
    else:
        first, last = replay.group_of(k)
        before, after = fork_points(replay, k)
        options = f"{before} or {after}" if after is not None else f"{before}"
        lines.append(
            Content.styled(f"Part of one command (events {first}–{last}); a fork may start at event {options}.", "$text-muted")
        )
    parent = replay.header.parent
    if parent and k <= int(parent.get("seq", 0)):
        lines.append(
            Content.styled(
                f"A what-if save: events 1–{parent['seq']} are those of {Path(str(parent['save'])).name}.", "$text-muted"
            )
        )
    for a in annotations:
        lines.append(
            Content.assemble(
                Content.styled(f"{ANNOTATION_MARK} In play, the facilitator noted (event {a.seq}): ", "bold $warning"),
                a.text,
            )
        )
    for n in notes.at(k):
        by = n.author or "a trainer"
        day = f", {n.created[:10]}" if n.created else ""
        lines.append(Content.assemble(Content.styled(f"{NOTE_MARK} Note by {by}{day}: ", "bold $accent"), n.text))
    return Content("\n").join(lines)


class ReplayScreen(Screen[None]):
    """The debrief: step through the save, as any seat saw it."""

    HELP_TITLE = "the debrief replay"

    BINDINGS = [
        Binding("right,l", "step(1)", "Event", key_display="←→", tooltip="Next event (one event forward)."),
        Binding("left,h", "step(-1)", "Back", show=False, tooltip="Previous event (one event back)."),
        Binding(
            "down,j", "decision(1)", "Decision", key_display="↑↓",
            tooltip="Next decision point: the end of the next command, where the game waited for someone.",
        ),
        Binding("up,k", "decision(-1)", "Previous decision", show=False, tooltip="Previous decision point."),
        Binding("pagedown", "round(1)", "Round", key_display="PgUp/Dn", tooltip="The first event of the next round."),
        Binding("pageup", "round(-1)", "Previous round", show=False,
                tooltip="The first event of this round (or of the round before, if already there)."),
        Binding("home", "first", "Start", show=False, tooltip="Step 0: before the first event."),
        Binding("end", "last", "End", show=False, tooltip="The last event of the save."),
        Binding("g", "goto", "Go to", tooltip="Go to an event by number (or r3 for the start of round 3)."),
        Binding("v", "next_viewpoint", "View",
                tooltip="Next viewpoint: facilitator, each side, each actor, observer (what each was shown then)."),
        Binding("V", "pick_viewpoint", "Choose viewpoint", show=False, tooltip="Choose a viewpoint from a list."),
        Binding("c", "charts", "Charts",
                tooltip="Charts: tracks over time, phases and their causes, covert plays, facilitator, votes."),
        Binding("n", "note", "Note", tooltip="Add a debrief note about this event (kept beside the save, never in it)."),
        Binding("f", "fork", "Fork", tooltip="What if? Start a new game from this step, saved as a new file."),
        Binding("a", "assess", "Assess",
                tooltip="The assessment: each learning objective's final rating (P/S/M/U) and the improvement plan "
                        "(kept beside the save, for tabletop report --format aar)."),
        Binding("right_square_bracket", "mark(1)", "Next note", show=False,
                tooltip=f"The next event with a note ({NOTE_MARK}) or an in-play annotation ({ANNOTATION_MARK})."),
        Binding("left_square_bracket", "mark(-1)", "Previous note", show=False,
                tooltip="The previous event with a note or annotation."),
    ]

    step: reactive[int] = reactive(0, init=False)
    seat: reactive[str] = reactive("facilitator", init=False)
    #: derived from step and seat; bound to the header, ladder and board
    view: reactive[View | None] = reactive(None, always_update=True)
    seat_info: reactive[Seat | None] = reactive(None)

    def __init__(self, replay: Replay, save_path: Path, *, fork_dir: Path, start: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.replay = replay
        self.save_path = save_path
        self.fork_dir = fork_dir
        self.seats = viewpoints(replay)
        self._seat_by_id = {s.id: s for s in self.seats}
        self._rows: dict[str, list[Row]] = {}
        self.notes: NotesRead = replay.notes()
        self.annotations = replay.annotations()
        self.author = ""
        self.set_reactive(ReplayScreen.step, len(replay) if start is None else start)
        self.set_reactive(ReplayScreen.seat, self.seats[0].id)

    # ================================================================ layout

    def compose(self) -> ComposeResult:
        r, e = self.replay, self.replay.engine
        parent = r.header.parent
        fork = f"what if from {Path(parent['save']).name} at event {parent['seq']}" if parent else ""
        yield ReplayHeader(e, self.save_path.name, len(r), fork, id="rp-header").data_bind(ReplayScreen.view)
        yield ViewpointBar(e, id="rp-viewpoint").data_bind(seat=ReplayScreen.seat_info)
        problems = [f"⚠ {r.damage}. Shown: the {len(r)} events before the damage."] if r.damage else []
        if r.repair:
            problems.insert(0, f"⚠ {r.repair}.")
        if self.notes.damage:
            problems.append(f"⚠ {self.notes.damage} in {notes_path(self.save_path).name}.")
        if problems:
            yield DamageBanner("\n".join(problems), id="rp-damage", markup=False)
        yield PhaseLadder(e, id="rp-ladder").data_bind(ReplayScreen.view)
        with Horizontal(id="rp-body"):
            with Vertical(id="rp-left"):
                yield Timeline(id="rp-timeline")
                yield EventDetail(id="rp-detail")
            with Vertical(id="rp-board"):
                yield TrackPanel(e, id="rp-tracks").data_bind(ReplayScreen.view)
                yield PlaysPanel(e, id="rp-plays", classes="pane").data_bind(ReplayScreen.view, seat=ReplayScreen.seat_info)
                yield HandsPanel(e, id="rp-hands", classes="pane").data_bind(ReplayScreen.view)
        yield ReplayFooter(id="rp-footer", compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._viewpoint_changed()

    # ================================================================ what is shown

    def rows(self, seat: str) -> list[Row]:
        if seat not in self._rows:
            self._rows[seat] = timeline_rows(self.replay, seat)
        return self._rows[seat]

    @property
    def current_seat(self) -> Seat:
        return self._seat_by_id[self.seat]

    def watch_step(self) -> None:
        self._show()

    def watch_seat(self) -> None:
        self._viewpoint_changed()

    def _viewpoint_changed(self) -> None:
        seat = self.current_seat
        self.seat_info = seat
        timeline = self.query_one(Timeline)
        timeline.border_title = "Timeline" if seat.everything else f"Timeline — as told to {seat.name}"
        self.query_one("#rp-hands", HandsPanel).border_title = "Hands" if seat.everything else f"Hands — as {seat.name} saw them"
        timeline.show(self.rows(seat.id), self._marks())
        self._show()

    def _marks(self) -> dict[int, str]:
        return markers(self.notes, self.annotations)

    def _show(self) -> None:
        k, seat = self.step, self.current_seat
        view = self.replay.view_at(k, seat.id)
        self.view = view
        self.query_one(Timeline).current = k
        about = [a for a in self.annotations if a.at == k]
        self.query_one(EventDetail).show(detail_content(self.replay, k, seat, view, self.notes, about))

    # ================================================================ moving

    def go(self, k: int | None) -> None:
        if k is not None:
            self.step = max(0, min(len(self.replay), k))

    def action_step(self, delta: int) -> None:
        self.go(self.step + delta)

    def action_decision(self, delta: int) -> None:
        k = self.step
        self.go(next_decision(self.replay, k) if delta > 0 else prev_decision(self.replay, k))

    def action_round(self, delta: int) -> None:
        k = self.step
        self.go(self.replay.next_round_start(k) if delta > 0 else self.replay.prev_round_start(k))

    def action_first(self) -> None:
        self.go(0)

    def action_last(self) -> None:
        self.go(len(self.replay))

    def action_mark(self, delta: int) -> None:
        marked = sorted(self._marks())
        k = self.step
        target = next((m for m in marked if m > k), None) if delta > 0 else next((m for m in reversed(marked) if m < k), None)
        if target is None:
            self.notify("No further notes that way.", timeout=2)
        self.go(target)

    @on(Timeline.Picked)
    def _picked(self, event: Timeline.Picked) -> None:
        self.go(event.k)

    def action_goto(self) -> None:
        from tabletop.tui.replay.screens.dialogs import JumpScreen

        self.app.push_screen(JumpScreen(self.replay, self.step), self.go)

    # ================================================================ viewpoints

    def action_next_viewpoint(self) -> None:
        ids = [s.id for s in self.seats]
        self.seat = ids[(ids.index(self.seat) + 1) % len(ids)]

    def action_pick_viewpoint(self) -> None:
        from tabletop.tui.replay.screens.dialogs import ViewpointScreen

        def chosen(seat: str | None) -> None:
            if seat is not None:
                self.seat = seat

        self.app.push_screen(ViewpointScreen(self.seats, self.seat), chosen)

    # ================================================================ charts, notes, forks

    def action_charts(self) -> None:
        from tabletop.tui.replay.screens.charts import ChartsScreen

        self.app.push_screen(ChartsScreen(self.replay, self.step, self.save_path.name, self.seat), self.go)

    def action_note(self) -> None:
        from tabletop.tui.replay.screens.dialogs import NoteDraft, NoteScreen

        k = self.step
        text, _ = event_text(self.replay, k, self.seat)

        def save(draft: NoteDraft | None) -> None:
            if draft is None:
                return
            try:
                self.replay.add_note(k, draft.text, draft.author)
            except (ValueError, OSError) as e:
                self.notify(f"The note was not saved: {e}", severity="error")
                return
            self.author = draft.author
            self.notes = self.replay.notes()
            self.query_one(Timeline).set_marks(self._marks())
            self._show()
            self.notify(f"Note on event {k} saved in {notes_path(self.save_path).name}.", timeout=3)

        self.app.push_screen(NoteScreen(k, text, self.author), save)

    def action_assess(self) -> None:
        from tabletop.tui.replay.screens.assessment import AssessmentScreen

        def back(author: str | None) -> None:
            if author:
                self.author = author  # the next note is signed alike

        self.app.push_screen(AssessmentScreen(self.replay, self.save_path, self.author), back)

    def action_fork(self) -> None:
        from tabletop.tui.replay.screens.dialogs import ForkPointScreen

        k = self.step
        if self.replay.state_at(k).ended:
            self.notify("The exercise is over at this step: go back to a decision to play it differently.", timeout=4)
            return
        if k in self.replay.decision_points:
            self._ask_fork_path(k)
            return
        before, after = fork_points(self.replay, k)

        def chosen(point: int | None) -> None:
            if point is not None:
                self.go(point)
                self._ask_fork_path(point)

        self.app.push_screen(ForkPointScreen(k, before, after), chosen)

    def _ask_fork_path(self, k: int) -> None:
        from tabletop.tui.replay.screens.dialogs import ForkRequest, ForkScreen

        default = fork_path(self.save_path, k, self.fork_dir)

        def start(request: ForkRequest | None) -> None:
            if request is not None:
                self.fork(k, request.path, request.controllers)

        self.app.push_screen(ForkScreen(k, self.replay, default), start)

    def fork(self, k: int, path: Path, controllers: dict[str, str] | None = None) -> None:
        """Write the fork's save and leave the viewer with it (the command starts the game)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            session = fork(
                self.replay.read, k, path, campaign=self.replay.campaign, controllers=controllers, clock=time.time,
            )
        except (JournalError, ValueError, OSError) as e:
            self.notify(f"No fork: {e}", severity="error", timeout=6)
            return
        self.app.exit(ForkResult(session, path, k))
