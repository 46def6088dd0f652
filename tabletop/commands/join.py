"""`tabletop join URL --code CODE [--name NAME] [--bot]`: play one seat (or observe, or
evaluate) of a hosted exercise.

Opens the game screen for the seat the code names, over a
:class:`~tabletop.net.client.RemoteSession`. With ``--bot`` a bot plays the seat without
a screen and the command exits 0 when the exercise ends. ``--name`` is said to the host,
which records it for the seat (an evaluator's always; a player's unless the host named
the seat) and signs an evaluator's or observer's observations and hotwash answers with it.

Receipt: the seat keeps the chain head of the last event the host told it of (the host
sends it with every batch of events, once they are on its disk) in
``<campaign>-<seat>.receipt`` in the current folder (``-2``... if that name is taken;
mode 0600), and says where at the end. ``tabletop verify SAVE --receipt FILE`` later
proves the host's save still holds those events unchanged. If the file cannot be
written, the receipt is printed at the end instead.

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
    from tabletop.net.evaluation import clean_name

    try:
        name = clean_name(args.name or "")
    except ValueError as e:
        _say(f"--name: {e}")
        return 2
    logging.basicConfig(level=logging.ERROR, format="tabletop join: %(message)s")
    ssl = None
    if url.startswith("wss://"):
        import ssl as _ssl

        ssl = _ssl.create_default_context()  # SSL_CERT_FILE names a private CA, if the host uses one
    projector = bool(getattr(args, "projector", False))
    if projector and args.bot:
        _say("--projector shows the board to a room; --bot plays a seat without a screen: choose one.")
        return 2
    return asyncio.run(_join(url, args.code, bot=args.bot, ssl=ssl, name=name, projector=projector))


async def _join(url: str, code: str, *, bot: bool, ssl: Any, name: str = "", projector: bool = False) -> int:
    from tabletop.net.client import JoinError, RemoteSession, play_as_bot

    try:
        session = await RemoteSession.join(url, code, ssl=ssl, name=name)
    except JoinError as e:
        _say(str(e))
        return 2
    keeper = _Keeper(session, url)
    try:
        if bot:
            try:
                await play_as_bot(session)
            except JoinError as e:
                _say(str(e))
                return 1
            print(_outcome(session), flush=True)
            return 0
        from tabletop.engine.views import OBSERVER

        if projector and session.seat != OBSERVER:
            _say("--projector shows the public board to a room: join with the observer code the host printed.")
            return 2
        return await _screen(session, projector=projector)
    finally:
        await session.close()
        keeper.close()
        for line in keeper.summary():
            print(line, flush=True)


class _Keeper:
    """Keeps the seat's receipt file up to date as the host names new chain heads."""

    def __init__(self, session: Any, url: str) -> None:
        from pathlib import Path

        from tabletop.journal import campaign_digest
        from tabletop.journal.receipts import ReceiptFile

        self.session, self.url = session, url
        self.digest = campaign_digest(session.campaign_text)
        self.file = ReceiptFile(Path.cwd(), session.campaign.id, session.seat)
        self.problem: str | None = None
        self.last: Any = None
        session.add_receipt_listener(self.update)

    def update(self, seq: int, head: str) -> None:
        from tabletop.engine.commands import FACILITATOR
        from tabletop.journal.receipts import Receipt, now

        # Only the facilitator's events are numbered as the save's: any other seat counts
        # the events it was sent (it must not learn how many it was not), so its receipt
        # names the chain head alone, which verify finds in the save.
        at = seq if self.session.seat == FACILITATOR else None
        receipt = Receipt(head, at, self.session.seat, self.session.campaign.id, self.digest, self.url, now())
        self.last = receipt
        if self.problem is None:
            try:
                self.file.update(receipt)
            except OSError as e:
                self.problem = f"{getattr(e, 'strerror', None) or e}"

    def close(self) -> None:
        self.file.close()

    def summary(self) -> list[str]:
        """What to print at the end: where the receipt is, or the receipt itself."""
        receipt = self.last
        if receipt is None:
            return []
        where = f"{'' if receipt.seq is None else f'event {receipt.seq}, '}fingerprint {receipt.head}"
        if self.problem is None and self.file.path is not None:
            return [f"Receipt ({where}) kept in {self.file.path}; "
                    f"check the host's save with: tabletop verify SAVE --receipt {self.file.path}"]
        return [f"Receipt: {where} (it could not be written to a file: {self.problem}); "
                f"check the host's save with: tabletop verify SAVE --receipt {receipt.head}"]


def _outcome(session: Any) -> str:
    outcome = session.state.outcome
    if outcome is None:
        return "The exercise is not over."
    from tabletop.engine.narrate import Narrator

    return f"The exercise is over: {Narrator(session.engine).end_reason(outcome.reason, outcome.detail)}"


async def _screen(session: Any, *, projector: bool = False) -> int:
    """The game screen for the session's seat (or the projector view); what went wrong
    with the connection, after."""
    from tabletop.tui.app import build_app

    # the dialogs start with the name the host signs this seat's observations and hotwash with
    app = build_app(session, seat_mode="single", bot_delay=0.6, save_path=None, author=session.author,
                    projector=projector, briefing=False if projector else None)
    await app.run_async()
    if session.failed and not session.ended:
        _say(session.failed)
        return 1
    return 0
