"""A dropped connection is not a refusal: the player is told the connection was lost,
that it is being restored, and what became of the command (issue 9: it was shown as
"Not allowed" / "Refused")."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from net_helpers import hosted, told, until
from tabletop.engine import commands as C
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.errors import CommandError
from tabletop.net.client import ConnectionLost, RemoteSession
from tabletop.session import TransportError

PLAYER = "veldia"
OTHERS = ["red", "ostrand", FACILITATOR]


async def my_turn(tmp_path: Path, **join: Any) -> tuple[Any, Any, RemoteSession]:
    """A hosted tutorial whose host bots play everyone but Veldia, and Veldia's session at her turn."""
    context = hosted(tmp_path, "tutorial", seed=4, bots=OTHERS)
    h = await context.__aenter__()
    me = await RemoteSession.join(h.url, h.codes[PLAYER], **join)
    await until(lambda: C.Pass(PLAYER) in me.legal_commands(PLAYER))
    return context, h, me


async def test_a_command_while_the_host_is_gone_is_a_transport_error(tmp_path: Path) -> None:
    context, h, me = await my_turn(tmp_path, retry_for=30)
    try:
        await h.host.close()  # the host stops; the client keeps trying to rejoin
        await until(lambda: not me.connected)
        seq = me.state.seq
        with pytest.raises(TransportError) as err:
            await me.submit(C.Pass(PLAYER))
        assert not isinstance(err.value, CommandError)  # not a refusal: the rules said nothing
        assert isinstance(err.value, ConnectionLost) and err.value.sent is False
        assert str(err.value) == ("Connection lost — reconnecting… Your command was not sent; "
                                  "try again once the board is back.")
        assert me.state.seq == seq == told(h, PLAYER)
    finally:
        await me.close()
        await context.__aexit__(None, None, None)


async def test_a_command_whose_answer_never_came_may_have_counted(tmp_path: Path) -> None:
    context, h, me = await my_turn(tmp_path, retry_for=30)
    arrived = asyncio.Event()
    h.host._command = lambda conn, msg: arrived.set()  # type: ignore[method-assign]  # heard, never answered
    try:
        sending = asyncio.create_task(me.submit(C.Pass(PLAYER)))
        await asyncio.wait_for(arrived.wait(), 5)
        assert me._ws is not None and me._ws.transport is not None
        me._ws.transport.abort()  # the network drops before the answer
        with pytest.raises(ConnectionLost) as err:
            await asyncio.wait_for(sending, 5)
        assert err.value.sent is True
        assert "reconnecting" in str(err.value) and "may or may not have counted" in str(err.value)
    finally:
        await me.close()
        await context.__aexit__(None, None, None)


async def test_once_the_client_gives_up_it_says_so(tmp_path: Path) -> None:
    context, h, me = await my_turn(tmp_path, retry_for=0.3)
    try:
        await h.host.close()
        await until(lambda: me.failed is not None)
        with pytest.raises(ConnectionLost) as err:
            await me.submit(C.Pass(PLAYER))
        message = str(err.value)
        assert "could not rejoin" in message and "not sent" in message and "reconnecting" not in message
    finally:
        await me.close()
        await context.__aexit__(None, None, None)


async def test_the_board_shows_a_lost_connection_not_a_refusal(tmp_path: Path) -> None:
    from tabletop.tui.app import build_app

    context, h, me = await my_turn(tmp_path, retry_for=30)
    try:
        app = build_app(me, seat_mode="single", dice_seconds=None, briefing=False, bot_delay=0)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            if type(app.screen).__name__ == "BriefScreen":  # a joined seat is shown its brief first
                await pilot.press("enter")
                await pilot.pause()
            assert type(app.screen).__name__ == "GameScreen"
            await h.host.close()
            await until(lambda: not me.connected)
            app.clear_notifications()
            await pilot.press("x", "y")  # pass (asked first): the command cannot reach the host
            await pilot.pause()
            shown = [(n.title, n.message) for n in app._notifications]
            assert shown == [("Connection lost", "Connection lost — reconnecting… Your command was not sent; "
                                                 "try again once the board is back.")]
    finally:
        await me.close()
        await context.__aexit__(None, None, None)


@pytest.mark.parametrize("answer", ["close", "garbage"])
async def test_a_host_that_does_not_answer_the_hello_is_described_in_words(answer: str) -> None:
    from websockets.asyncio.server import ServerConnection, serve

    from tabletop.net.client import JoinError

    async def handler(ws: ServerConnection) -> None:
        await ws.recv()
        if answer == "garbage":
            await ws.send("{not a message")
        await ws.close()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        with pytest.raises(JoinError) as err:
            await RemoteSession.join(f"ws://127.0.0.1:{port}", "code", open_timeout=0.1, retry_for=0)
    message = str(err.value)
    assert message.startswith(f"The host at ws://127.0.0.1:{port} did not answer the hello: ") and message.endswith(".")
    assert not any(word in message for word in ("ConnectionClosed", "TimeoutError", "ProtocolError", "Error")), message
