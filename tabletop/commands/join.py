"""`tabletop join URL --code CODE [--bot]`: play one seat (or observe) of a hosted exercise.

Opens the game screen for the seat the code names, over a
:class:`~tabletop.net.client.RemoteSession`. With ``--bot`` a bot plays the seat without
a screen and the command exits 0 when the exercise ends.

Exit codes: 0 when the exercise ended (or the screen was closed), 1 if the connection to
the host was lost for good, 2 when joining failed (a wrong code, an unreachable host, a
version mismatch, a URL that is not ws:// or wss://), with one sentence on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any


def _say(message: str) -> None:
    print(f"tabletop join: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Join the exercise at ``args.url``; returns the exit code."""
    url: str = args.url
    if not url.startswith(("ws://", "wss://")):
        _say(f"{url} is not a websocket address; it starts with ws:// or wss:// (the host prints it).")
        return 2
    logging.basicConfig(level=logging.ERROR, format="tabletop join: %(message)s")
    ssl = None
    if url.startswith("wss://"):
        import ssl as _ssl

        ssl = _ssl.create_default_context()  # SSL_CERT_FILE names a private CA, if the host uses one
    return asyncio.run(_join(url, args.code, bot=args.bot, ssl=ssl))


async def _join(url: str, code: str, *, bot: bool, ssl: Any) -> int:
    from tabletop.net.client import JoinError, RemoteSession, play_as_bot

    try:
        session = await RemoteSession.join(url, code, ssl=ssl)
    except JoinError as e:
        _say(str(e))
        return 2
    try:
        if bot:
            try:
                await play_as_bot(session)
            except JoinError as e:
                _say(str(e))
                return 1
            print(_outcome(session), flush=True)
            return 0
        return await _screen(session)
    finally:
        await session.close()


def _outcome(session: Any) -> str:
    outcome = session.state.outcome
    if outcome is None:
        return "The exercise is not over."
    from tabletop.engine.narrate import Narrator

    return f"The exercise is over: {Narrator(session.engine).end_reason(outcome.reason, outcome.detail)}"


async def _screen(session: Any) -> int:
    """The game screen for the session's seat, or say why it cannot open."""
    try:
        from tabletop.tui.app import build_app

        app = build_app(session, seat_mode="single", bot_delay=0.6, save_path=None)
    except (ModuleNotFoundError, ValueError, TypeError) as e:
        _say(f"the single-seat game screen is not available in this installation ({e}); "
             "use --bot to let a bot play the seat.")
        return 2
    await app.run_async()
    if session.failed and not session.ended:
        _say(session.failed)
        return 1
    return 0
