"""Cards played this round, as the shown seat sees them (covert ones face-down)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tabletop.engine.rules import Engine
from tabletop.engine.views import PlayView, View
from tabletop.tui.text import contest_mark, seat_name, shorten_phrase

def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` cells, shortened by whole words (``Fishing fleet…``), never
    mid-word nor after a joining word (``Deepfake…``, not ``Deepfake of the…``)."""
    return shorten_phrase(text, width)


def play_line(engine: Engine, p: PlayView, width: int = 80) -> Content:
    """One line: ``#1 Troll farm posts — Northmark``, ``#3 Leaks — Belarus (Lukashenka
    regime) · revealed`` or ``▒ covert action #2``, with its status. A title too long is
    shortened by whole words (``#4 Fishing fleet… — Northmark``); the actor goes before
    the title's first word would."""
    if p.card is None:
        blame = f" · blamed on {seat_name(engine, p.perceived_author)}" if p.perceived_author else ""
        return Content.styled(_fit(f"▒ covert action #{p.id}{blame}", width), "$text-muted")
    card = engine.cards[p.card]
    marks: list[tuple[str, str]] = []
    if p.covert:
        # after a dot like the other marks: a bracket would follow the name's own (``Belarus
        # (Lukashenka regime) (revealed)``)
        marks.append((" · revealed" if p.revealed else " · covert", "italic $text-muted"))
    if p.status == "voting":
        marks.append((" · voting", "$text-warning"))
    elif p.status == "rejected":
        marks.append((" · no consensus", "$error"))
    mark = contest_mark(card, p.contest)
    if mark is not None:
        marks.append((f" {mark[0]}", mark[1]))
    head = f"#{p.id} "
    actor = f" — {seat_name(engine, p.actor)}"
    room = width - len(head) - sum(len(m) for m, _ in marks)
    if room - len(actor) < 12 or _fit(card.title, room - len(actor)) == "…":
        actor = ""
    title = _fit(card.title, max(room - len(actor), 4))
    parts: list[Content | str] = [
        Content.styled(head, "$text-muted"),
        Content.styled(title, "bold $foreground"),
        Content.styled(actor, "$text-muted"),
    ]
    parts += [Content.styled(m, style) for m, style in marks]
    return Content.assemble(*parts)


def sealed_line(title: str) -> str:
    """What the author of a covert play reads on its own board until the play resolves."""
    return f"You played {title} covertly; it is resolved at the end of your side's step."


class PlayedPanel(Widget):
    """The plays of the current round, oldest first; then ``sealed``: the seat shown's own
    covert plays that wait for its side's step to end (set for that seat alone)."""

    DEFAULT_CSS = """
    PlayedPanel { height: 1fr; }
    """

    view: reactive[View | None] = reactive(None)
    sealed: reactive[tuple[str, ...]] = reactive(())

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def watch_view(self, view: View | None) -> None:
        if view is not None:
            self.border_title = f"Played in round {max(view.round, 1)}"

    def render(self) -> Content:
        view = self.view
        if view is None:
            return Content("")
        plays = [p for p in view.plays if p.round == view.round]
        notes = [Content.styled(sealed_line(self.engine.cards[c].title), "italic $text-accent") for c in self.sealed]
        if not plays and not notes:
            return Content.styled("Nothing yet this round.", "$text-muted")
        width = max(self.content_size.width, 20)
        height = max(self.content_size.height - sum(-(-len(n.plain) // width) for n in notes), 1)
        lines = [play_line(self.engine, p, width) for p in plays]
        if len(lines) > height:  # the newest stay in sight
            hidden = len(lines) - height + 1
            lines = [Content.styled(f"… {hidden} earlier", "$text-muted"), *lines[-(height - 1):]] if height > 1 else lines[-1:]
        return Content("\n").join([*lines, *notes])
