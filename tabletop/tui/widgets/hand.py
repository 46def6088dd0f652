"""The active seat's hand: cards to focus (arrows, tab) and play (enter), and a detail pane."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalGroup
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tabletop.campaign.model import Card
from tabletop.engine.rules import Engine
from tabletop.tui.text import card_detail_lines, card_summary, hand_title, shorten_words
from tabletop.tui.widgets.quiet import set_text


def title_lines(card: Card, width: int) -> tuple[list[str], str, bool]:
    """A card's title in ``width`` cells, beside its cost tag: (the title's lines, the tag,
    whether the tag names the kind). ``◆2 action`` if the title fits beside it, else ``◆2``;
    a title too long even for that goes on, at a word, on a second line (shortened there
    by whole words only if it would need a third)."""
    title, full, short = card.title, f"◆{card.cost} {card.kind}", f"◆{card.cost}"
    if len(title) + 1 + len(full) <= width:
        return [title], full, True
    room = max(1, width - len(short) - 1)
    if len(title) <= room:
        return [title], short, False
    cut = title.rfind(" ", 0, room + 1)
    cut = cut if cut > 0 else room
    first, rest = title[:cut].rstrip(), title[cut:].strip()
    rest = shorten_words(rest, width, whole=True)
    return [first, rest], short, False


@dataclass(frozen=True, slots=True)
class CardInfo:
    """A card in a hand, as the screen shows it: ``reason`` is why it cannot be played (or
    None); ``unmet``: why each phase change it may fire would not happen now (the session's
    :meth:`~tabletop.session.Session.unmet_triggers`)."""

    instance: str
    card: str
    reason: str | None
    unmet: Mapping[str, str] = field(default_factory=dict)


class CardWidget(Widget, can_focus=True):
    """One card: its title with cost and kind, then what it does.

    Two lines at the default height. On a short screen the CSS gives it ``height: auto``:
    the title and cost alone (the focused card's rules are in the detail pane), on a
    second line only when the title needs it. A title is never cut: one too long for its
    line goes on at the start of the next. No right padding: the hand ends at the screen's
    edge, and the cell it would take lets a 42-letter title and its cost share a line at
    80 columns. What the second line says of the card is shortened by whole words. A card that cannot be played now is dim and
    marked ``·`` in its margin (``▌`` marks the focused card), so it differs without colour.
    """

    DEFAULT_CSS = """
    CardWidget {
        height: 2;
        padding: 0;
        &.-unplayable { color: $text-disabled; text-style: dim; }
        &:focus { background: $accent 15%; }
        &.-unplayable:focus { background: $boost; }
    }
    """

    #: the margin's mark: the focused card, a card that cannot be played now, any other
    FOCUS_MARK, UNPLAYABLE_MARK, MARGIN = "▌", "·", " "

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
        self.unmet = info.unmet

    def watch_reason(self, reason: str | None) -> None:
        self.set_class(reason is not None, "-unplayable")

    @property
    def compact(self) -> bool:
        """Whether the card shows its title and cost alone (a short screen's hand)."""
        return self.styles.height is not None and self.styles.height.is_auto

    @property
    def tells_kind(self) -> bool:
        """Whether its line in the hand names the card's kind (not when the title takes the room)."""
        return title_lines(self.card, max(self.content_size.width - 1, 10))[2]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(title_lines(self.card, max(width - 1, 10))[0]) if self.compact else 2

    def _margin(self) -> Content:
        if self.has_focus:
            return Content.styled(self.FOCUS_MARK, "$accent" if self.reason is None else "$foreground 40%")
        return Content(self.UNPLAYABLE_MARK if self.reason is not None else self.MARGIN)

    def render(self) -> Content:
        card = self.card
        width = max(self.content_size.width - 1, 10)  # the margin takes a cell
        lines, tag, kind_shown = title_lines(card, width)
        muted = self.reason is not None
        title_style = "bold" if not muted else ""
        rows = [Content.assemble(
            Content.styled(lines[0].ljust(width - len(tag) - 1), title_style), " ",
            Content.styled(tag, "" if muted else "$text-muted"),
        )]
        if self.compact:
            rows += [Content.styled(rest, title_style) for rest in lines[1:]]
        else:
            said = ([] if kind_shown else [card.kind]) + [card_summary(self.engine, card)]
            rest = lines[1] + " — " if len(lines) > 1 else ""
            summary = " · ".join(said)
            summary = shorten_words(summary, width - len(rest), whole=True)
            rows.append(Content.assemble(Content.styled(rest, title_style), Content.styled(summary, "" if muted else "$text-muted")))
        margin = self._margin()
        return Content("\n").join(Content.assemble(margin, row) for row in rows)

    def on_blur(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()
        self.post_message(self.Focused(self))


class HandTitle(Static):
    """The line above a hand: the seat, its resources, the actions it has left and its
    objectives met (:func:`~tabletop.tui.text.hand_title`), fitted to the width, and
    fitted again when the width changes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self._seat: tuple[str, int, int | None, tuple[int, int] | None] | None = None

    def show(self, name: str, resources: int, left: int | None, met: tuple[int, int] | None) -> None:
        """The seat ``name``'s line (see :func:`~tabletop.tui.text.hand_title`)."""
        self._seat = (name, resources, left, met)
        self._fit()

    def say(self, text: str) -> None:
        """A line of its own (no seat's hand is shown)."""
        self._seat = None
        set_text(self, text)

    def _fit(self) -> None:
        if self._seat is not None:
            name, resources, left, met = self._seat
            set_text(self, hand_title(name, resources, left, self.content_size.width, met))

    def on_resize(self) -> None:
        self._fit()


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
                widget.unmet = info.unmet
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
            # At once (Widget.focus would do it later): the board that awaited this shows
            # the focused card's detail before anything is opened over it (a brief).
            self.screen.set_focus(target, scroll_visible=False)

    def action_move(self, step: int) -> None:
        widgets = list(self.query(CardWidget))
        if not widgets:
            return
        focused = self.screen.focused
        index = widgets.index(focused) if focused in widgets else -step
        # At once, not as Widget.focus does (later): the next key of a burst (another
        # arrow, enter) must find the card this one moved to.
        self.screen.set_focus(widgets[(index + step) % len(widgets)])


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

    def page(self) -> int:
        """How many lines of text a page shows: the pane's height less the line that says
        what is above or below."""
        return max(1, self.content_size.height - 1)

    def scroll_by(self, pages: int) -> None:
        """Move the text a page down (the lines shown, so none is skipped or read twice),
        or up for a negative ``pages``."""
        limit = max(0, len(self._lines()) - max(self.content_size.height, 1) + 1)
        self.scrolled = max(0, min(limit, self.scrolled + pages * self.page()))

    def show(
        self, card: Card | None, reason: str | None = None, note: str = "", phase: str | None = None,
        *, kind: bool = False, unmet: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``card`` (and why it cannot be played), or, without a card, ``note``.

        ``phase``: the crisis phase now, so a card that fires a trigger says when it cannot
        move the crisis from there; ``unmet``: why its phase changes would not happen now
        (see :func:`~tabletop.tui.text.card_effect_lines`). ``kind``: say its cost and kind
        first (the hand's line for it has no room for the kind)."""
        self.scrolled = 0
        if card is None:
            self.border_title = "Next" if note else "Card"
            self.content = Content.styled(note, "$foreground")
            return
        self.border_title = card.title
        parts: list[Content] = [Content.styled(f"◆{card.cost} {card.kind}", "$text-muted")] if kind else []
        if reason:
            parts.append(Content.styled(f"Can't play: {reason}", "bold $text-warning"))
        parts.append(Content.styled("\n".join(card_detail_lines(self.engine, card, phase, unmet)), "$foreground"))
        if card.flavour.strip():
            parts.append(Content.styled(" ".join(card.flavour.split()), "italic $text-muted"))
        if card.source.strip():
            parts.append(Content.styled(f"Source: {card.source.strip()}", "$text-muted"))
        self.content = Content("\n").join(parts)
