"""The footers: every screen's :class:`Footer`, and the game's, which puts help and quit
first and highlights the key the game waits for (a facilitator ruling).

A footer too narrow for its keys leaves out whole keys, the last first (a screen lists
its keys most useful first; every one is in the help, and works unseen): it never cuts a
label (``p Phas``)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """Textual's footer, less the work it does again for nothing.

    A ``FooterKey`` is made compact, then bound to the footer's ``compact``: a class added
    and removed again, each time restyling the key (about 3 ms a key, or a twentieth of a
    second for every screen opened). Here each key is made as compact as its footer
    before it is mounted, so the binding finds nothing to change. (The palette's key is
    not bound: it keeps its own compact look.)

    And Textual rebuilds the footer (its keys unmounted, new ones mounted) whenever the
    screen's bindings may have changed: at every move of the focus, every
    ``refresh_bindings``. Here it is rebuilt only when the keys it shows change.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: what the keys shown were built from (None: rebuild at the next change of bindings)
        self._shown: tuple[object, ...] | None = None

    def _keys_shown(self, screen: Screen[Any]) -> tuple[object, ...]:
        """Everything :meth:`compose` reads of ``screen``'s bindings: each key shown (and
        the palette's), whether it is open, its tooltip."""
        palette = screen.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, b.binding, b.enabled, b.tooltip)
            for key, b in screen.active_bindings.items() if b.binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = self._keys_shown(screen)
        if shown == self._shown and self._bindings_ready:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # Textual's footer rebuilds itself now (else at a later change)
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        self.fit_keys()

    #: the app's keys (every screen has them): shown however narrow the footer
    FIRST = ("help", "quit")

    def keeps(self, key: FooterKey) -> bool:
        """Whether ``key`` shows however narrow the footer: help and quit."""
        return key.action in self.FIRST

    def hidden(self, key: FooterKey) -> bool:
        """Whether the screen's CSS leaves ``key`` out at this size (none here)."""
        return False

    def fit_keys(self) -> None:
        """Show the keys that fit whole: those it :meth:`keeps`, then the others in their
        order until one does not fit; that one and the rest are left out."""
        room = self.content_size.width
        if not room:
            return
        children = [w for w in self.children if not w.has_class("-command-palette")]
        for key in children:
            if isinstance(key, FooterKey) and self.hidden(key):
                key.display = False
        children = [w for w in children if not (isinstance(w, FooterKey) and self.hidden(w))]
        keys = [w for w in children if isinstance(w, FooterKey)]

        def width(w: Widget) -> int:
            margin = w.styles.margin
            size = w.render().cell_len if isinstance(w, FooterKey) else w.outer_size.width
            return size + margin.left + margin.right

        for palette in self.query_children(".-command-palette"):
            room -= width(palette) if palette.display else 0
        room -= sum(width(w) for w in children if not isinstance(w, FooterKey) or self.keeps(w))
        fits = True
        for key in keys:
            if not self.keeps(key):
                fits = fits and width(key) - key.styles.margin.right <= room  # its margin may be off the edge
                room -= width(key) if fits else 0
                key.display = fits

    def watch_show_command_palette(self) -> None:
        self._shown = None  # the palette's key comes or goes at the next rebuild, as in Textual's

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if not widget.has_class("-command-palette"):
                    widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(widget.compact, "-compact", update=False)
            yield widget


class GameFooter(Footer):
    """The footer, with the key the game waits for (a facilitator ruling) highlighted.

    Like every :class:`Footer`, it is rebuilt only when the keys it shows change (not at
    every move of the focus among the cards, which would cost a recompose per key press).
    """

    ATTENTION = frozenset({"facilitator_needed"})

    def __init__(self, *args: Any, narrow: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, compact=narrow, show_command_palette=not narrow, **kwargs)

    def keeps(self, key: FooterKey) -> bool:
        """Help, quit and the key the game waits for show however narrow the footer."""
        return super().keeps(key) or key.action in self.ATTENTION

    def set_narrow(self, narrow: bool) -> None:
        """Compact keys without the palette's key on a narrow screen; full ones else."""
        if self.compact != narrow:
            self.compact = narrow
            self.show_command_palette = not narrow
            if self.is_attached:  # Textual reads the palette's flag only when it rebuilds the footer
                self.call_next(self.recompose)  # in the footer's own task (it binds its keys to itself)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget.action in self.ATTENTION:
                widget.add_class("-attention")
        # help and quit first: a narrow footer leaves out its last keys, and these two must show
        first = [w for w in widgets if isinstance(w, FooterKey) and w.action in self.FIRST]
        first.sort(key=lambda w: self.FIRST.index(w.action))
        yield from first
        yield from (w for w in widgets if w not in first)
