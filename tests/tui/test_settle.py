"""The suite's Pilot waits (tests/settle.py) for what a key sets going, not for the clock."""

from __future__ import annotations

import textual.app
import textual.pilot
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from settle import settled


class Later(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("pushed", id="pushed")


class Chain(App[None]):
    """A key starts work that finishes later: a chain of callbacks, a short timer, a
    pushed screen."""

    def __init__(self) -> None:
        super().__init__()
        self.steps = 0
        self.timed = False

    def compose(self) -> ComposeResult:
        yield Static("start")

    def on_key(self, event: events.Key) -> None:
        if event.key == "c":
            self.call_later(self.step)
        elif event.key == "t":
            self.set_timer(0.01, self.ring)
        elif event.key == "s":
            self.push_screen(Later())

    def step(self) -> None:
        self.steps += 1
        if self.steps < 50:
            self.call_later(self.step)

    def ring(self) -> None:
        self.timed = True


def test_the_suite_pilot_uses_it() -> None:
    assert textual.pilot.wait_for_idle is settled
    assert textual.app.wait_for_idle is settled


async def test_a_key_is_done_with_when_press_returns() -> None:
    app = Chain()
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert app.steps == 50  # fifty callbacks, each queued by the one before
        await pilot.press("t")
        assert app.timed  # a timer due within a frame
        await pilot.press("s")
        assert isinstance(app.screen, Later)
        assert app.screen.query_one("#pushed", Static).region.height == 1  # laid out
