"""Textual CSS parsed once per test process, not once per app and screen.

Textual keeps parsed rules per stylesheet, and ``Stylesheet.reparse`` (run whenever a
screen or widget class brings CSS of its own) parses every source again into a fresh
stylesheet, so one app parses the same hundred-odd rule sets about ten times: a tenth of
an app's start-up. A person starts the app once; the suite starts it hundreds of times.
Here the parsed rules are kept for the whole process, keyed as Textual keys them plus the
CSS variables (the theme) they were parsed with. Rule sets are not changed after parsing
(a stylesheet's own cache already hands out the same ones again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

_parsed: dict[tuple[object, ...], list[RuleSet]] = {}


def _parse_rules_once(original: Callable[..., list[RuleSet]]) -> Callable[..., list[RuleSet]]:
    def parse_rules(
        self: Stylesheet, css: str, read_from: CSSLocation, is_default_rules: bool = False,
        tie_breaker: int = 0, scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(self._variables.items()))
        rules = _parsed.get(key)
        if rules is None:
            rules = _parsed[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    return parse_rules


@pytest.fixture(autouse=True, scope="session")
def css_parsed_once() -> Iterator[None]:
    """Every stylesheet in the suite parses through the process-wide cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", _parse_rules_once(Stylesheet._parse_rules))
        yield
