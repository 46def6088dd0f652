"""The active seat's hand: cards to focus (arrows, tab) and play (enter), and a detail pane."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tabletop.campaign.model import Card
from tabletop.engine.rules import Engine
from tabletop.tui.text import card_detail_lines, card_summary


@dataclass(frozen=True, slots=True)
class CardInfo:
    """A card in a hand, as the screen shows it: ``reason`` is why it cannot be played (or None)."""

    instance: str
    card: str
    reason: str | None


class CardWidget(Widget, can_focus=True):
    """One card: title, cost and kind on the first line, what it does on the second."""

    DEFAULT_CSS = """
    CardWidget {
        height: 2;
        padding: 0 1 0 0;
        border-left: blank;
        &.-unplayable { color: $text-disabled; }
        &:focus { border-left: outer $accent; background: $accent 15%; }
        &.-unplayable:focus { border-left: outer $foreground 40%; background: $boost; }
    }
    """

    class Focused(Message):
        """The card got the focus: the detail pane should show it."""

        def __init__(self, card: CardWidget) -> None:
            super().__init__()
            self.card = card

    reason: reactive[str | None] = reactive(None)

    def __init__(self, engine: Engine, info: CardInfo, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.instance = info.instance
        self.card: Card = engine.cards[info.card]
        self.reason = info.reason

    def watch_reason(self, reason: str | None) -> None:
        self.set_class(reason is not None, "-unplayable")

    def render(self) -> Content:
        card = self.card
        width = max(self.content_size.width, 10)
        tag = f"◆{card.cost} {card.kind}"
        title_w = max(1, width - len(tag) - 1)
        title = card.title if len(card.title) <= title_w else card.title[: title_w - 1] + "…"
        muted = self.reason is not None
        title_style = "bold" if not muted else ""
        summary = card_summary(self.engine, card)
        if len(summary) > width:
            summary = summary[: width - 1] + "…"
        return Content("\n").join(
            [
                Content.assemble(Content.styled(title.ljust(title_w), title_style), " ", Content.styled(tag, "" if muted else "$text-muted")),
                Content.styled(summary, "" if muted else "$text-muted"),
            ]
        )

    def on_focus(self) -> None:
        self.post_message(self.Focused(self))


class HandPanel(VerticalGroup):
    """The cards of the seat shown; arrows move among them."""

    DEFAULT_CSS = """
    HandPanel { height: auto; }
    HandPanel > .hand-empty { color: $text-muted; padding: 0 1; }
    HandPanel > .hand-hint { color: $text-warning; padding: 0 1; }
    """

    BINDINGS = [
        Binding("up,left", "move(-1)", "Previous card", show=False, tooltip="Focus the previous card of your hand."),
        Binding("down,right", "move(1)", "Next card", show=False, tooltip="Focus the next card of your hand."),
    ]

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine
        self.cards: tuple[CardInfo, ...] = ()
        self.note = "No hand to show."
        self.hint = ""

    def compose(self) -> ComposeResult:
        if not self.cards:
            yield Static(self.note, classes="hand-empty", markup=False)
            return
        if self.hint:
            yield Static(self.hint, classes="hand-hint", markup=False)
        for i, info in enumerate(self.cards):
            yield CardWidget(self.engine, info, id=f"card-{i}")

    async def show(self, cards: tuple[CardInfo, ...], note: str = "", hint: str = "") -> None:
        """Show these cards (or ``note`` when there are none) under ``hint`` (what the seat
        can do when no card can be played). Keeps the focus on the same card; a new hand
        focuses its first playable card."""
        if cards and [c.instance for c in cards] == [c.instance for c in self.cards] and hint == self.hint:
            self.cards = cards
            for widget, info in zip(self.query(CardWidget), cards):
                widget.reason = info.reason
            return
        focused = self.screen.focused
        keep = focused.instance if isinstance(focused, CardWidget) and focused.parent is self else None
        had_focus = isinstance(focused, CardWidget) or focused is None
        self.cards, self.note, self.hint = cards, note or "No hand to show.", hint
        await self.recompose()
        widgets = list(self.query(CardWidget))
        if widgets and had_focus:
            playable = next((w for w in widgets if w.reason is None), widgets[0])
            target = next((w for w in widgets if w.instance == keep), playable)
            target.focus(scroll_visible=False)

    def action_move(self, step: int) -> None:
        widgets = list(self.query(CardWidget))
        if not widgets:
            return
        focused = self.screen.focused
        index = widgets.index(focused) if focused in widgets else -step
        widgets[(index + step) % len(widgets)].focus()


class CardDetail(Widget):
    """Everything about the focused card: why it cannot be played, its rules, flavour, source.

    It renders in place (no layout pass) so moving among the cards stays fast. What does
    not fit scrolls by keyboard (page up and down, :meth:`scroll_by`); the last line
    then says that more is below.
    """

    DEFAULT_CSS = """
    CardDetail { height: 1fr; }
    """

    content: reactive[Content] = reactive(Content(""), layout=False)
    scrolled: reactive[int] = reactive(0, layout=False)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def _lines(self) -> list[Content]:
        width = max(self.content_size.width, 1)
        return [piece for line in self.content.split("\n") for piece in line.wrap(width)]

    def render(self) -> Content:
        lines = self._lines()
        height = max(self.content_size.height, 1)
        if len(lines) <= height:
            return Content("\n").join(lines)
        top = max(0, min(self.scrolled, len(lines) - height + 1))
        shown = lines[top: top + height - 1]
        below = len(lines) - top - len(shown)
        more = f"▼ {below} more line{'s' if below != 1 else ''} (PgDn)" if below else "▲ PgUp to read from the top"
        return Content("\n").join([*shown, Content.styled(more, "italic $text-muted")])

    def scroll_by(self, pages: int) -> None:
        """Move the text a page (the height less one line) down, or up for a negative ``pages``."""
        step = max(1, max(self.content_size.height, 2) - 2)
        limit = max(0, len(self._lines()) - max(self.content_size.height, 1) + 1)
        self.scrolled = max(0, min(limit, self.scrolled + pages * step))

    def show(self, card: Card | None, reason: str | None = None, note: str = "", phase: str | None = None) -> None:
        """Show ``card`` (and why it cannot be played), or, without a card, ``note``.

        ``phase``: the crisis phase now, so a card that fires a trigger says when it cannot
        move the crisis from there."""
        self.scrolled = 0
        if card is None:
            self.border_title = "Next" if note else "Card"
            self.content = Content.styled(note, "$foreground")
            return
        self.border_title = card.title
        parts: list[Content] = []
        if reason:
            parts.append(Content.styled(f"Can't play: {reason}", "bold $text-warning"))
        parts.append(Content.styled("\n".join(card_detail_lines(self.engine, card, phase)), "$foreground"))
        if card.flavour.strip():
            parts.append(Content.styled(" ".join(card.flavour.split()), "italic $text-muted"))
        if card.source.strip():
            parts.append(Content.styled(f"Source: {card.source.strip()}", "$text-muted"))
        self.content = Content("\n").join(parts)
