"""Which screen a key is for: the one its player saw when pressing it.

Keys typed fast reach the app together, and Textual routes each to the focused widget
of the screen on top *when the app reads it*: it queues it there, while the key before
it may still be about to close that screen or open another. So without care a burst
such as enter x enter at a hand-off sends the x to the hand-off that is going away and
the last enter to a board (or a play dialog) its player has not seen yet.

:class:`KeyGate` holds the rule, one for every screen of the app: a key acts on the
screen on top only if that screen was painted before the key was pressed and is still
on top when the key is handled (it is checked when the app routes the key and again
when the key comes back to the app for the bindings). Any other key was meant for a
screen that is gone, or typed before this one could be read: it is not used, and the
player is told so (:meth:`KeyGate.drop`), never silently; so is a key the screen on
top has no use for (:func:`unused`). Screens that act on keys in their own ``on_key``
(the hand-off, the dice) ask :func:`stale` first; a screen may drop a key by its own
rule (the moment after a hand-off) with :func:`drop`.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual._time import get_time  # the clock Key.time is read from
from textual.app import App
from textual.screen import Screen

#: Seconds the dropped keys of one burst are gathered before they are told in one notice.
GATHER = 0.15
#: Seconds the notice stays up.
NOTICE_SECONDS = 5.0


def key_name(event: events.Key) -> str:
    """How a key is named in the notice: ``x``, ``enter``, ``space``."""
    if event.character and event.character.isprintable() and not event.character.isspace():
        return event.character
    return event.key.replace("_", " ")


class KeyGate:
    """Tells, for a key, whether the screen now on top is the one its player saw."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.screen: Screen[Any] | None = None  # the screen on top, as last changed
        self.shown_at: float | None = None  # when it was painted (Textual's clock, as Key.time)
        self._dropped: list[str] = []
        app.screen_change_signal.subscribe(app, self._changed, immediate=True)  # as the stack changes

    def _changed(self, screen: Screen[Any]) -> None:
        self.screen, self.shown_at = screen, None
        # After the screen's own pending messages (a resumed board's settle) and its next paint.
        screen.call_after_refresh(self._painted, screen)

    def _painted(self, screen: Screen[Any]) -> None:
        if screen is self.screen and self.shown_at is None:
            self.shown_at = get_time()

    @property
    def ready(self) -> bool:
        """Whether a key pressed now is for the screen on top (it has been painted)."""
        return self.screen is None or (self.app.screen is self.screen and self.shown_at is not None)

    def stale(self, event: events.Key) -> bool:
        """Whether ``event`` was pressed before the screen now on top was painted, or that
        screen has changed since (the key was meant for another screen)."""
        if self.screen is None:
            return False  # nothing changed since the app began
        if self.app.screen is not self.screen:
            return True
        return self.shown_at is None or event.time < self.shown_at

    def drop(self, event: events.Key) -> None:
        """Do not use ``event``, and say so: one notice for the keys of one burst."""
        event.stop()
        event.prevent_default()
        self.tell(key_name(event))

    def tell(self, key: str) -> None:
        """Say that the key named ``key`` was not used (its binding did nothing): in the
        notice of its burst."""
        if not self._dropped:
            self.app.set_timer(GATHER, self._tell)
        self._dropped.append(key)

    def _tell(self) -> None:
        keys, self._dropped = self._dropped, []
        if not keys:
            return
        said = ", ".join(keys)
        it = "it" if len(keys) == 1 else "them"
        self.app.notify(
            f"Not used: {said} (pressed as this screen opened, before it took keys). Press {it} again if you meant {it}.",
            title="Key ignored" if len(keys) == 1 else "Keys ignored", severity="warning", timeout=NOTICE_SECONDS,
            markup=False,
        )


def unused(app: App[Any], event: events.Key) -> None:
    """Say that ``event``, a key no binding of the screen on top takes now, does nothing
    (a typed letter, enter or space: the keys a player means to act with)."""
    if not (event.is_printable or event.key in ("enter", "space")):
        return
    bound = app.screen.active_bindings.get(event.key)
    if bound is not None and bound.enabled:
        return
    app.notify(f"{key_name(event)} does nothing {'now' if bound else 'here'} (? lists this screen's keys).",
               title="Key not used", timeout=NOTICE_SECONDS, markup=False)


def gate_of(app: App[Any]) -> KeyGate | None:
    """The app's gate (None for an app without one, as a test's bare app)."""
    gate = getattr(app, "key_gate", None)
    return gate if isinstance(gate, KeyGate) else None


def stale(app: App[Any], event: events.Key) -> bool:
    """Whether ``event`` is not for the screen now on top (see :meth:`KeyGate.stale`)."""
    gate = gate_of(app)
    return gate is not None and gate.stale(event)


def dropped(app: App[Any], key: str) -> None:
    """Say that the key named ``key`` was not used, as :func:`drop` does: for a binding
    that runs before the screen's ``on_key`` (a priority one) and drops its key itself."""
    gate = gate_of(app)
    if gate is not None:
        gate.tell(key)


def drop(app: App[Any], event: events.Key) -> None:
    """Do not use ``event``, visibly (see :meth:`KeyGate.drop`)."""
    gate = gate_of(app)
    if gate is not None:
        gate.drop(event)
    else:
        event.stop()
        event.prevent_default()
