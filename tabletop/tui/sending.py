"""Sending a command from a screen: a refusal, a lost connection or a failed save becomes a notification."""

from __future__ import annotations

from typing import Any

from textual.notifications import SeverityLevel
from textual.screen import Screen

from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError
from tabletop.session import Session, TransportError


async def send(
    screen: Screen[Any], session: Session, command: C.Command, *,
    refused: str = "Not allowed", severity: SeverityLevel = "warning",
) -> bool:
    """Submit ``command``; True if accepted. Nothing changes when it is refused.

    A connection problem is not a refusal: it is shown as what it is ("Connection lost"),
    with what became of the command.
    """
    try:
        await session.submit(command)
    except CommandError as e:
        screen.notify(str(e), title=refused, severity=severity)
        return False
    except TransportError as e:
        screen.notify(str(e), title="Connection lost", severity="error")
        return False
    except OSError as e:
        screen.notify(f"Could not save the move, so nothing changed: {e}", title="Save failed", severity="error")
        return False
    return True
