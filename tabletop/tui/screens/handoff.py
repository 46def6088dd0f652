"""The hot-seat hand-off: hides every hand until the next player is at the keyboard.

Two quick keys must not do two things: the key that ends one player's move must not
also take the next player's keyboard, and the key that takes it must not also act on a
hand its player has not seen yet. So keys are not used for :data:`OPEN_GUARD` seconds
after a hand-off opens (longer: it may open by itself, after a bot's move, or at once
under the key that closed the dice, pressed twice), for :data:`KEY_GUARD` seconds (by
the board) after it closes, and the player is told
(:func:`tabletop.tui.keygate.drop`); taking the keyboard happens once, however many
keys or clicks ask for it, and a key pressed with the one that took it is not the
board's (:mod:`tabletop.tui.keygate`). While the keyboard waits, ``s``,
``l`` and ``P`` open what the whole room may read (the round in review, the log, the
public board) over the hand-off; every other key takes the keyboard.

The box is never cut, whatever it says and however short the terminal: the "Just
happened" panel under it gets the rows it leaves, and if even those are too few, the
box's lines of :data:`GIVE_WAY` go, in turn (the seat's name and the key to press stay).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from tabletop.tui import keygate

#: Seconds during which keys are ignored after a hand-off closes (on the new player's board).
KEY_GUARD = 0.4
#: Seconds during which keys are ignored after a hand-off opens: a key pressed for the
#: screen before it (the dice, pressed twice; the board, as a bot's move opens the
#: hand-off) must not hand the keyboard, and the next player's secrets, to a seat whose
#: player is not yet at it.
OPEN_GUARD = 1.0
#: The clock the guard reads (tests put a clock of their own here).
clock = time.monotonic


def side_note(seat_title: str, side_name: str) -> str:
    """What to add after a seat's name to say its side, in one form for every seat:
    `` · Blue``, or ``""`` when the side's name already names the seat (``Veldia`` of
    ``Veldia and Ostrand``)."""
    if re.search(rf"\b{re.escape(seat_title.strip())}\b", side_name, re.IGNORECASE):
        return ""
    return f" · {side_name}"


def guarding(since: float, seconds: float | None = None) -> bool:
    """Whether a key now is ignored, ``since`` being when a hand-off closed (or opened,
    with ``seconds`` its :data:`OPEN_GUARD`)."""
    return clock() - since < (KEY_GUARD if seconds is None else seconds)


#: the keys of the hand-off that open a public view instead of taking the keyboard
VIEW_KEYS = {"s": "round in review", "l": "log", "P": "public board"}

#: the hand-off box's lines that go, in turn, when the box is taller than the screen (what
#: the log holds, the room's manners, the public views' keys, the nearest ending, the task):
#: never the seat's name or the key to press
GIVE_WAY = ("handoff-context", "handoff-away", "handoff-views", "handoff-near", "handoff-what")
#: the fewest rows of the "Just happened" panel worth showing (its border and a line), and the most
RECENT_LEAST, RECENT_MOST = 2, 8


class HandOffScreen(Screen[None]):
    """``Pass the keyboard to Lithuania — press any key when ready``.

    ``on_taken`` is called (before the screen goes) when the player takes the keyboard.
    ``views``: what the keys of :data:`VIEW_KEYS` open over the hand-off (public things,
    no hand: the round in review, the log, the public board); any other key takes the
    keyboard.
    """

    def __init__(
        self, seat: str, name: str, side_name: str, accent: str, what: str, recent: list[str], context: str = "",
        on_taken: Callable[[], None] | None = None, *, near: str = "",
        views: Mapping[str, Callable[[], object]] | None = None, **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.on_taken = on_taken
        self.views = {k: v for k, v in (views or {}).items() if k in VIEW_KEYS}
        self.near = near  # the nearest ending, public: the whole room may read it
        self.context = context
        self.seat = seat
        self.seat_title = name
        self.side_name = side_name
        self.accent = accent
        self.what = what
        self.recent = recent
        self.opened = clock()
        self.taken = False  # the keyboard has been taken: the screen is on its way out

    def compose(self) -> ComposeResult:
        with Center(id="handoff-center"):
            with Vertical(id="handoff-box", classes=f"{self.accent} -views" if self.views else self.accent):
                if self.context:
                    yield Static(self.context, id="handoff-context", markup=False)
                yield Static("Pass the keyboard to", id="handoff-pass")
                yield Static(self._seat_line(), id="handoff-seat", classes=self.accent)
                yield Static(self.what, id="handoff-what", markup=False)
                yield Static("Everyone else, please look away.", id="handoff-away")
                yield Static("Press any key when ready", id="handoff-key")
                if self.views:
                    said = " · ".join(f"{k}: {VIEW_KEYS[k]}" for k in self.views)
                    yield Static(said, id="handoff-views", markup=False)
                if self.near:
                    yield Static(self.near, id="handoff-near", markup=False)
        if self.recent:
            recent = Static("\n".join(self.recent), id="handoff-recent", markup=False)
            recent.border_title = "Just happened"
            yield recent

    def _seat_line(self) -> Content:
        """``Lithuania · Border states and the Alliance``; ``Veldia`` alone when its side's
        name says it (``Veldia and Ostrand``), or is the seat's own."""
        return Content.assemble(self.seat_title, Content.styled(side_note(self.seat_title, self.side_name), "not bold $text-muted"))

    def on_mount(self) -> None:
        self.opened = clock()
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)  # once the box has its new width

    def _box_height(self, box: Widget, shown: Sequence[Widget]) -> int:
        """The rows ``box`` takes with the lines ``shown`` (margins between two lines
        collapse to the larger, as Textual lays them out)."""
        width = box.content_size.width
        size = Size(width, self.size.height)
        rows = sum(w.get_content_height(size, self.size, width) for w in shown)
        margins = [w.styles.margin for w in shown]
        gaps = sum(max(a.bottom, b.top) for a, b in pairwise(margins))
        ends = (margins[0].top + margins[-1].bottom) if margins else 0
        return rows + gaps + ends + box.styles.gutter.height

    def fit(self) -> None:
        """Fit the box whole in the screen (see the module): the "Just happened" panel
        gets the rows the box leaves, at most :data:`RECENT_MOST`, hidden under
        :data:`RECENT_LEAST`; a box taller
        than the screen even so gives up its lines of :data:`GIVE_WAY`, in turn."""
        box = self.query_one("#handoff-box", Vertical)
        if not box.content_size.width:
            return
        lines = list(box.query_children(Static))
        gone: set[str] = set()
        height = self._box_height(box, lines)
        for name in GIVE_WAY:
            if height <= self.size.height:
                break
            gone.add(name)
            height = self._box_height(box, [w for w in lines if w.id not in gone])
        for line in lines:
            line.display = line.id not in gone
        for recent in self.query("#handoff-recent"):
            room = self.size.height - height
            recent.display = room >= RECENT_LEAST
            recent.styles.max_height = min(room, RECENT_MOST)

    def take_keyboard(self) -> None:
        """Close the hand-off (once: asking again does nothing, rather than pop the board)."""
        if self.taken or guarding(self.opened, OPEN_GUARD):
            return
        self.taken = True
        if self.on_taken is not None:  # now, not after the pop: the board resumes knowing who took it
            self.on_taken()
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        if self.taken or keygate.stale(self.app, event) or guarding(self.opened, OPEN_GUARD):
            keygate.drop(self.app, event)  # a key after the one that took it, or the last player's
            return
        event.stop()
        event.prevent_default()
        view = self.views.get(event.key)
        if view is None:
            self.take_keyboard()
        else:
            view()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.take_keyboard()
