"""The debrief viewer's app, kept thin: it opens the replay screen and owns the app-wide
keys. :func:`build_replay_app` builds it for ``tabletop replay`` and for the tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from tabletop.journal.notes import notes_path
from tabletop.journal.replay import Replay
from tabletop.tui.replay.model import ANNOTATION_MARK, NOTE_MARK, ForkResult

__all__ = ["ForkResult", "ReplayApp", "build_replay_app"]  # ForkResult: from model.py, where the screen makes it


class ReplayApp(App[ForkResult | None]):
    """One saved session, replayed for the debrief."""

    CSS_PATH = "replay.tcss"
    TITLE = "tabletop replay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, key_display="^q", tooltip="Leave the viewer (notes are already saved)."),
        Binding("question_mark", "help", "Help", tooltip="List every key of this screen with what it does."),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (28, "-medium"), (40, "-tall")]

    def __init__(self, replay: Replay, save_path: Path, *, fork_dir: Path, start: int | None) -> None:
        super().__init__()
        self.replay = replay
        self.save_path = save_path
        self.fork_dir = fork_dir
        self.start = start

    def on_mount(self) -> None:
        from tabletop.tui.replay.screens.main import ReplayScreen

        self.title = f"tabletop replay — {self.replay.campaign.title}"
        self.sub_title = self.save_path.name
        self.push_screen(ReplayScreen(self.replay, self.save_path, fork_dir=self.fork_dir, start=self.start))

    def action_help(self) -> None:
        from tabletop.tui.replay.screens.dialogs import ReplayHelpScreen

        screen = self.screen
        if isinstance(screen, ReplayHelpScreen):
            return
        title = getattr(screen, "HELP_TITLE", type(screen).__name__.removesuffix("Screen"))
        notes = (
            f"In the timeline, {NOTE_MARK} marks an event with a debrief note and {ANNOTATION_MARK} one the "
            "facilitator annotated during play; the pane under the timeline shows them. Notes, and the assessment "
            "(a: each learning objective's final rating and the improvement plan), are kept in "
            f"{notes_path(self.save_path).name}, beside the save; the save itself is never changed. "
            "ctrl+p opens the command palette (themes too)."
        )
        self.push_screen(ReplayHelpScreen(title, self.help_keys(screen), notes))

    def help_keys(self, screen: Any) -> list[tuple[str, str]]:
        """(keys, sentence) for every binding of ``screen`` and the app, grouped by action."""
        sources: list[BindingType] = [*getattr(type(screen), "BINDINGS", []), *self.BINDINGS]
        grouped: dict[str, tuple[list[str], str]] = {}
        for binding in Binding.make_bindings(sources):
            keys, text = grouped.setdefault(binding.action, ([], binding.tooltip or binding.description))
            display = self.get_key_display(replace(binding, key_display=None))
            if display not in keys:
                keys.append(display)
        return [(" / ".join(keys), text) for keys, text in grouped.values()]


def build_replay_app(
    replay: Replay, save_path: Path, *, fork_dir: Path | None = None, start: int | None = None
) -> ReplayApp:
    """The viewer for ``replay`` (read from ``save_path``), used by ``tabletop replay`` and the tests.

    ``fork_dir``: where a "what if" save is proposed (default: where new games are saved,
    :func:`tabletop.files.saves_dir`). ``start``: the step shown first (default: the last event).
    """
    from tabletop.files import saves_dir

    return ReplayApp(replay, Path(save_path), fork_dir=saves_dir() if fork_dir is None else fork_dir, start=start)
