"""The debrief replay viewer (``tabletop replay SAVE``): step through a saved session as
any seat saw it, chart it, annotate it, and fork a "what if" game from any decision.

``build_replay_app(replay, save_path)`` (in :mod:`tabletop.tui.replay.app`) builds it
for the command line and the tests alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabletop.tui.replay.app import ForkResult, ReplayApp, build_replay_app

__all__ = ["ForkResult", "ReplayApp", "build_replay_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tabletop.tui.replay import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
