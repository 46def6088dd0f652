"""The board at a step, as one viewpoint saw it: plays of the round, every hand, the event."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tabletop.engine.rules import Engine
from tabletop.engine.views import PlayView, View
from tabletop.tui.replay.model import Seat
from tabletop.tui.text import accent_class, contest_mark, seat_name

#: The side accents (as in the game's stylesheet), for text drawn inside a widget.
ACCENTS = {
    "side-red": "#e5534b", "side-blue": "#4f8fe6", "side-green": "#3fb950",
    "side-orange": "#e8912d", "side-purple": "#a371f7", "side-cyan": "#39c5cf",
}


def side_style(engine: Engine, side: str | None, extra: str = "bold") -> str:
    colour = ACCENTS.get(accent_class(engine, side))
    return f"{extra} {colour}" if colour else extra


def play_lines(engine: Engine, p: PlayView, seat: Seat) -> list[Content]:
    """One play as ``seat`` knew it, in one or two lines: face-down if it did not know
    the card; else the card, then its author and (covert plays) who could not see it."""
    if p.card is None or p.actor is None:
        head = Content.assemble(
            Content.styled(f"#{p.id} ", "$text-muted"), Content.styled("▒▒ face-down covert action", "italic $text-muted")
        )
        if p.perceived_author:
            return [head, Content.styled(f"   blamed on {seat_name(engine, p.perceived_author)}", "$text-muted")]
        return [head]
    card = engine.cards[p.card]
    side = engine.side_of.get(p.actor)
    head = Content.assemble(Content.styled(f"#{p.id} ", "$text-muted"), Content.styled(card.title, "bold $foreground"))
    parts: list[Content | str] = ["   ", Content.styled(seat_name(engine, p.actor), side_style(engine, side, ""))]
    if p.covert:
        if p.revealed:
            parts.append(Content.styled(" · covert, revealed", "italic $text-muted"))
        elif seat.everything:
            parts.append(Content.styled(" · covert, face-down to the others", "italic $warning"))
        else:
            parts.append(Content.styled(" · covert, not yet revealed", "italic $text-muted"))
    if p.status == "voting":
        parts.append(Content.styled(" · voting", "$warning"))
    elif p.status == "rejected":
        parts.append(Content.styled(" · no consensus", "$error"))
    mark = contest_mark(card, p.contest)
    if mark is not None:
        parts.append(Content.styled(f" · {mark[0]}", mark[1]))
    return [head, Content.assemble(*parts)]


def fit_blocks(blocks: list[list[Content]], room: int, more: str) -> list[Content]:
    """The last blocks that fit in ``room`` lines, after a line saying how many were left out."""
    lines = [line for block in blocks for line in block]
    if room <= 0 or len(lines) <= room:
        return lines
    kept: list[list[Content]] = []
    used = 1
    for block in reversed(blocks):
        if used + len(block) > room:
            break
        kept.insert(0, block)
        used += len(block)
    left = len(blocks) - len(kept)
    return [Content.styled(more.format(n=left, s="s" if left != 1 else ""), "$text-muted")] + [
        line for block in kept for line in block
    ]


class PlaysPanel(Widget):
    """Plays of the round shown, oldest first, then covert plays of earlier rounds still
    face-down (to someone). When they do not all fit, the latest are kept."""

    DEFAULT_CSS = """
    PlaysPanel { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    view: reactive[View | None] = reactive(None)
    seat: reactive[Seat | None] = reactive(None)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def watch_view(self, view: View | None) -> None:
        if view is not None:
            self.border_title = f"Played in round {view.round}" if view.round else "Played"

    def render(self) -> Content:
        view, seat = self.view, self.seat
        if view is None or seat is None:
            return Content("")
        room = self.content_size.height
        now = [play_lines(self.engine, p, seat) for p in view.plays if p.round == view.round]
        earlier = [play_lines(self.engine, p, seat) for p in view.plays if p.round < view.round and p.covert and not p.revealed]
        if not now:
            now = [[Content.styled("Nothing yet this round.", "$text-muted")]]
        lines = fit_blocks(now, room, "… {n} earlier play{s} this round")
        if earlier and (room <= 0 or room - len(lines) >= 3):
            rest = room - len(lines) - 1 if room > 0 else 0
            lines.append(Content.styled("Earlier, still covert:", "$text-muted"))
            lines.extend(fit_blocks(earlier, rest, "… and {n} more"))
        return Content("\n").join(lines)


class HandsPanel(Widget):
    """Every actor's hand as the viewpoint saw it (a count where it saw none)."""

    DEFAULT_CSS = """
    HandsPanel { height: auto; max-height: 50%; }
    """

    view: reactive[View | None] = reactive(None)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.border_title = "Hands"
        self.set_class(len(engine.actors) > 4, "-many")

    def render(self) -> Content:
        view = self.view
        if view is None:
            return Content("")
        e = self.engine
        lines = []
        for actor in e.actors:
            a = view.actors.get(actor)
            if a is None:
                continue
            name = Content.styled(seat_name(e, actor), side_style(e, a.side))
            res = Content.styled(f" ◆{a.resources}", "$text-muted") if a.resources is not None else Content("")
            name = Content.assemble(name, res)
            if a.hand is None and a.hand_count is None:  # another side's: not even how many
                what = Content.styled(" cards not shown", "italic $text-muted")
            elif a.hand is None:
                count = f"{a.hand_count} card{'s' if a.hand_count != 1 else ''}, not shown"
                what = Content.styled(f" · {count}" if a.resources is not None else f" {count}", "italic $text-muted")
            elif not a.hand:
                what = Content.styled(" no cards", "$text-muted")
            else:
                titles = [e.cards[e.instance_card.get(i, i)].title if e.instance_card.get(i, i) in e.cards else i for i in a.hand]
                what = Content.assemble(Content.styled(": ", "$text-muted"), " · ".join(titles))
            lines.append(Content.assemble(name, what))
        return Content("\n").join(lines) if lines else Content.styled("Nothing dealt yet.", "$text-muted")


class EventDetail(VerticalScroll, can_focus=False):
    """The current event in full, where it sits in its command, and the notes on it."""

    DEFAULT_CSS = """
    EventDetail { height: auto; scrollbar-size-vertical: 1; }
    EventDetail > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-text", markup=False)

    def show(self, content: Content) -> None:
        self.query_one("#detail-text", Static).update(content)
        self.scroll_home(animate=False)
