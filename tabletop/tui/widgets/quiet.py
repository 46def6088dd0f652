"""Changing what a widget shows only when it changes.

Textual lays the whole screen out again after a ``Static.update`` (its size may have
changed) and restyles a widget for every class added or removed, even when the text or
the classes end up as they were. The board sets them again at every move, at every
dialog closed and every second (the clock): these helpers skip what would change nothing.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widgets import Static


def set_text(label: Static, text: str) -> None:
    """Show ``text`` (markup, if ``label`` reads markup) in ``label``, unless it shows it already."""
    shown = label.content
    if not (isinstance(shown, str) and shown == text):
        label.update(text)


def set_accent(node: DOMNode, accent: str | None, prefix: str = "side-") -> None:
    """Give ``node`` the class ``accent`` (one of :func:`~tabletop.tui.text.accent_class`'s)
    and no other class starting with ``prefix`` (``None``: none at all), restyling it only
    if that changes its classes."""
    change = {cls: False for cls in node.classes if cls.startswith(prefix)}
    if accent is not None:
        change[accent] = True
    node.update_classes(change)
