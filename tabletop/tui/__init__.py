"""The terminal UI (Textual). Display only: it talks to the game through a session.

``build_app(session, ...)`` (in :mod:`tabletop.tui.app`) builds the app for the
command line and the tests alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabletop.tui.app import TabletopApp, build_app

__all__ = ["TabletopApp", "build_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tabletop.tui import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
