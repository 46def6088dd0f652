"""The phase ladder: the crisis phases in campaign order, the current one highlighted."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.tui.text import shorten

TERMINAL_MARK = "■"
_SEP = " › "


class PhaseLadder(Widget):
    """One line: ``Phase  Calm › Crisis › All clear ■ › Breakdown ■``; names shorten to fit
    by whole words, the current phase's never, its neighbours' last; an ending keeps its
    first word until every other phase is down to ``…``."""

    DEFAULT_CSS = """
    PhaseLadder { height: 1; padding: 0 1; color: $text-muted; }
    """

    view: reactive[View | None] = reactive(None)

    def __init__(self, engine: Engine, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.engine = engine

    def render(self) -> Content:
        states = self.engine.campaign.phases.states
        current = self.view.phase if self.view is not None else self.engine.campaign.phases.initial
        marks = [f" {TERMINAL_MARK}" if p.terminal else "" for p in states]
        keep = next((i for i, p in enumerate(states) if p.id == current), -1)
        label = "Phase "
        width = max(self.content_size.width - len(label), 10)
        near = (keep - 1, keep + 1)  # the phases the crisis can move to next stay whole longest
        endings = [i for i, p in enumerate(states) if p.terminal]  # what is at stake keeps a word longest
        names = shorten([p.name for p in states], keep, width, len(_SEP), [len(m) for m in marks], near, endings)
        names = [n + m for n, m in zip(names, marks)]
        parts: list[Content | str] = [Content.styled(label, "dim")]
        for i, (phase, name) in enumerate(zip(states, names)):
            if i:
                parts.append(Content.styled(_SEP, "dim"))
            if i == keep:
                style = "bold $text on $error" if phase.terminal else "bold $text on $accent"
                parts.append(Content.styled(name, style))
            else:
                parts.append(Content.styled(name, "$foreground" if not phase.terminal else "italic $foreground"))
        return Content.assemble(*parts)
