"""The host's console session is a typed HostedSession, not a proxy (issue 10)."""

from __future__ import annotations

from pathlib import Path

from net_helpers import hosted
from tabletop.engine import commands as C
from tabletop.net.console import ConsoleSession
from tabletop.session import HostedSession, LocalSession, Session


async def test_the_console_session_is_the_hosts_session_with_its_seats(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red"], console=True) as h:
        console: Session = ConsoleSession(h.host)
        assert isinstance(console, HostedSession)
        assert not isinstance(h.session, HostedSession)  # a plain local game has no seats to show
        assert isinstance(h.session, LocalSession) and console.seat is None
        assert console.engine is h.session.engine and console.campaign is h.session.campaign
        assert console.view(C.FACILITATOR) == h.session.view(C.FACILITATOR)
        assert console.bot_command() is None  # the host moves its bots, never the console
        rows = {seat: (status, join) for seat, _, status, join in console.host_seats()}
        assert rows["veldia"][0] == "waiting" and f"--code {h.codes['veldia']}" in rows["veldia"][1]
        assert rows["evaluator"] == ("0 joined", f"tabletop join {h.url} --code {h.codes['evaluator']} --name NAME")
        assert rows["observer"][0] == "0 joined"
        console.hand_seat("veldia", "bot")
        assert h.session.is_bot("veldia") and console.is_bot("veldia")
