"""Problems found in a campaign file, each with the place it was found.

Every check in :mod:`tabletop.campaign` reports through :class:`Problem`, so the
CLI can print ``path:line:col: severity: message`` for all of them at once.
Lines and columns are 1-based, as editors count them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a campaign, located in its source file."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class CampaignError(ValueError):
    """A campaign could not be loaded; ``problems`` lists every reason, errors first.

    This is the only exception that loading a campaign raises, whatever the input.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (not p.is_error, p.line, p.col))
        errors = [p for p in self.problems if p.is_error]
        head = str(errors[0]) if errors else "campaign has problems"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(head + more)
