"""The Textual app, kept thin: it opens the game screen (and the briefing) and owns the
app-wide keys. :func:`build_app` builds it for the command line and the tests alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType

from tabletop.engine.commands import FACILITATOR
from tabletop.engine.views import EVALUATOR, OBSERVER
from tabletop.session import Session
from tabletop.tui.keygate import KeyGate, unused

#: hotseat: every human actor at this keyboard, with hand-offs, bots moved here.
#: single: one seat (an actor, or the observer) of a networked game; the host moves bots.
#: facilitator: the white cell's console of a hosted game: everything seen, no hand.
SEAT_MODES = ("hotseat", "single", "facilitator")

#: How long the opening notice (see :func:`build_app`) stays up.
NOTICE_SECONDS = 30.0


class TabletopApp(App[None]):
    """One game on one terminal."""

    CSS_PATH = "tabletop.tcss"
    TITLE = "tabletop"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit at once. The game is already saved after every move."),
        Binding("question_mark", "help", "Help", tooltip="List every key of this screen with what it does."),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (120, "-wider")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (28, "-medium"), (40, "-tall")]

    def __init__(
        self, session: Session, *, bot_delay: float, save_path: Path | None, dice_seconds: float | None,
        briefing: bool, seat_mode: str = "hotseat", seat: str | None = None, notice: str | None = None,
        author: str = "", projector: bool = False,
    ) -> None:
        super().__init__()
        self.author = author
        self.projector = projector
        self.notice = notice
        self.seat_mode = seat_mode
        self.seat = seat
        self.session = session
        self.bot_delay = bot_delay
        self.save_path = save_path
        self.dice_seconds = dice_seconds
        self.briefing = briefing
        #: which screen a key is for (made once the app runs: it listens to screen changes)
        self.key_gate: KeyGate | None = None

    async def on_event(self, event: events.Event) -> None:
        # A key read from the terminal goes to the screen on top only if its player saw it.
        if (isinstance(event, events.Key) and not event.is_forwarded and self.key_gate is not None
                and event.key != "ctrl+q" and self.key_gate.stale(event)):
            self.key_gate.drop(event)
            return
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key back from the screen, for the bindings: not used if the screen changed since
        it was routed; said if no binding takes it."""
        if self.key_gate is not None and self.key_gate.stale(event):
            self.key_gate.drop(event)
        else:
            unused(self, event)

    def on_mount(self) -> None:
        self.key_gate = KeyGate(self)
        campaign = self.session.campaign
        self.title = f"tabletop — {campaign.title}"
        if self.notice:  # e.g. a damaged save and where play continues: said where the eyes are
            self.notify(self.notice, title="Damaged save", severity="warning", timeout=NOTICE_SECONDS, markup=False)
        if not self.briefing:
            self.open_game()
            return
        from tabletop.tui.screens.briefing import BriefingScreen

        seats = {a: ("bot" if self.session.is_bot(a) else "human") for a in (*self.session.engine.actors, FACILITATOR)}
        if self.seat_mode != "hotseat":  # the other people are at their own terminals
            here = {FACILITATOR} if self.seat_mode == "facilitator" else {self.seat}
            seats = {k: ("remote" if v == "human" and k not in here else v) for k, v in seats.items()}
        if self.seat_mode == "hotseat" or self.seat == EVALUATOR:
            seats[EVALUATOR] = "human"  # an evaluator observes at this keyboard (o)
        # The board is built once the briefing is read, so the briefing paints at once.
        self.push_screen(BriefingScreen(self.session.engine, seats), lambda _: self.open_game())

    def open_game(self) -> None:
        """Put the game screen up (it shows the end screen itself if the game is over), or
        the projector view alone."""
        from tabletop.tui.screens.game import GameScreen

        if self.projector:
            from tabletop.tui.screens.projector import ProjectorScreen

            self.push_screen(ProjectorScreen(self.session, closable=False))
            return

        self.push_screen(
            GameScreen(
                self.session, bot_delay=self.bot_delay, dice_seconds=self.dice_seconds,
                save_path=self.save_path, author=self.author, **self._seating(),
            )
        )

    def _seating(self) -> dict[str, Any]:
        """How the game screen seats this keyboard, by seat mode.

        ``attended`` (someone acts here, so a roll waits for a key): a hot-seat table
        with a human actor (the game screen's default), the facilitator's console, a
        joined player or evaluator; not an observer's screen, which may be unattended
        (on a wall) and takes no move: its rolls go by themselves, as in a game of bots
        alone."""
        if self.seat_mode == "facilitator" or (self.seat_mode == "single" and self.seat == FACILITATOR):
            return {
                "seats": [], "idle_seat": FACILITATOR, "drive_bots": False, "facilitator_here": True,
                "log_seat": FACILITATOR, "attended": True,
            }
        if self.seat_mode == "single":
            seat = self.seat or OBSERVER
            actors = [seat] if seat in self.session.engine.side_of else []
            return {
                "seats": actors, "idle_seat": seat, "drive_bots": False, "facilitator_here": False, "log_seat": seat,
                "attended": seat != OBSERVER,
            }
        return {}

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """The palette's Screenshot: an SVG of the screen beside the save (or here), said where."""
        folder = Path(path) if path else (self.save_path.parent if self.save_path is not None else Path.cwd())
        try:
            written = self.save_screenshot(filename, str(folder))
        except OSError as e:
            self.notify(f"Could not save a screenshot in {folder}: {e.strerror or e}", title="Screenshot", severity="error")
            return
        self.notify(f"Saved {written}", title="Screenshot")

    def action_help(self) -> None:
        from tabletop.tui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        title = getattr(screen, "HELP_TITLE", "this screen")  # never a class name ("RoundSummary")
        self.push_screen(HelpScreen(title, self.help_keys(screen), self.save_path, getattr(screen, "HELP_NOTE", "")))

    def help_keys(self, screen: Any) -> list[tuple[str, str]]:
        """(keys, sentence) for every binding of ``screen`` and the app, grouped by action."""
        from tabletop.tui.widgets.hand import HandPanel

        sources: list[BindingType] = list(getattr(type(screen), "BINDINGS", []))
        if type(screen).__name__ == "GameScreen":
            sources += HandPanel.BINDINGS
            sources.append(Binding("tab,shift+tab", "focus", tooltip="Move among your cards."))
        sources += self.BINDINGS
        sources.append(Binding("ctrl+p", "command_palette", tooltip="Open the command palette: every game command by name."))
        grouped: dict[str, tuple[list[str], str]] = {}
        for binding in Binding.make_bindings(sources):
            if binding.action in ("facilitator_needed", "observe_quietly", "advise"):
                continue  # the same key as another action, whose line says it (v: ballot or advice)
            keys, text = grouped.setdefault(binding.action + binding.description, ([], binding.tooltip or binding.description))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [(" / ".join(keys), text) for keys, text in grouped.values()]


def build_app(
    session: Session,
    *,
    seat_mode: str = "hotseat",
    bot_delay: float = 0.6,
    save_path: str | Path | None = None,
    dice_seconds: float | None = 3.0,
    briefing: bool | None = None,
    seat: str | None = None,
    notice: str | None = None,
    author: str = "",
    projector: bool = False,
) -> TabletopApp:
    """The app for ``session``, used by ``tabletop play`` and by the tests.

    ``bot_delay``: seconds between bot moves. ``save_path``: where the journal is being
    written (shown on the end screen and in the help; the session writes it).
    ``dice_seconds``: how long a roll stays up on a screen nobody acts at (a game of
    bots alone, an observer's), unless a key is pressed first (None: until a key there
    too); where someone acts at this keyboard (a hot-seat table with a human actor, a
    joined player or evaluator, the facilitator's console) a roll always waits for a
    key, and that key does nothing else. ``briefing``: show the briefing first (default: only for a game that has not
    begun yet, so a resumed game goes straight to the board). Raises ``ValueError`` for an
    unknown ``seat_mode``: ``hotseat`` (every human actor at this keyboard), ``single``
    (one seat of a networked game, ``seat`` or the session's own) or ``facilitator``.
    ``notice``: a sentence shown on the first screen as a warning (a resumed save's
    damage and where play continues). ``author``: the name this keyboard's observations
    and hotwash are first signed with (an evaluator's ``--name``; the dialogs ask again).
    ``projector``: the public board alone, for a room (an observer's seat), instead of
    the game screen.
    """
    if seat_mode not in SEAT_MODES:
        raise ValueError(f"unknown seat mode {seat_mode!r} (choose from: {', '.join(SEAT_MODES)})")
    if seat is None and seat_mode == "single":
        seat = session.seat or OBSERVER
    if briefing is None:
        public = session.view(OBSERVER)
        briefing = public.outcome is None and not public.plays and public.round <= 1 and not public.proposals
    return TabletopApp(
        session,
        bot_delay=bot_delay,
        save_path=Path(save_path) if save_path is not None else None,
        dice_seconds=dice_seconds,
        briefing=briefing,
        seat_mode=seat_mode,
        seat=seat,
        notice=notice,
        author=author,
        projector=projector,
    )
