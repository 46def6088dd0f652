"""A joined seat asks what it may do of its RemoteSession, as a local screen asks a LocalSession:
the same Options, computed from the mirror and the host's word on who is awaited."""

from __future__ import annotations

from pathlib import Path

from net_helpers import hosted, until
from tabletop.engine import commands as C
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.queries import Wait
from tabletop.net.client import RemoteSession

PLAYER = "veldia"


async def test_a_remote_seat_is_offered_what_the_host_would_accept(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand", FACILITATOR]) as h:
        me = await RemoteSession.join(h.url, h.codes[PLAYER])
        try:
            await until(lambda: me.options(PLAYER).my_turn)
            local = h.session.options(PLAYER)
            remote = me.options(PLAYER)
            assert remote.legal == local.legal and remote.hand == local.hand and remote.need == "turn"
            assert me.waits() == h.session.waits() == (Wait(PLAYER, "turn"),)
            assert me.options("northmark").legal == (), "a host bot's seat offers nothing here"
            await me.submit(C.Pass(PLAYER))
            assert not me.options(PLAYER).my_turn
        finally:
            await me.close()
