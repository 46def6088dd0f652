"""The suite's process-wide cache of parsed CSS (tests/css_cache.py): shared between apps,
never between themes."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.widgets import Static


class Themed(App[None]):
    CSS = "Static { background: $primary; }"

    def __init__(self, theme: str) -> None:
        super().__init__()
        self._theme = theme

    def compose(self) -> ComposeResult:
        yield Static("x")

    def on_mount(self) -> None:
        self.theme = self._theme


async def _background(theme: str) -> str:
    app = Themed(theme)
    async with app.run_test() as pilot:
        await pilot.pause()
        return app.query_one(Static).styles.background.hex


def test_two_apps_share_the_parsed_rules() -> None:
    first, second = Stylesheet(), Stylesheet()
    css = "Static { color: red; }"
    assert first._parse_rules(css, ("", "test")) is second._parse_rules(css, ("", "test"))


async def test_each_theme_has_its_own_colours() -> None:
    dark, light, dark_again = await _background("textual-dark"), await _background("textual-light"), await _background("textual-dark")
    assert dark != light
    assert dark == dark_again
