"""`tabletop host [CAMPAIGN] [--bind ADDR] [--port P] ... [--headless] [--resume SAVE]`.

Runs the authoritative session with a durable journal behind a websocket server and
prints one join code per seat (each actor), one for observers, one for evaluators and
one for the facilitator. Several observers and several evaluators may join with their
code; an evaluator sees the public board and records observations (everything, with
``--evaluators-see-all``). ``--name SEAT=NAME`` records who sits at a seat in the save
(for the debrief); an evaluator's name is recorded when they join with ``--name``. The
codes are kept beside the save (``SAVE.codes.json``, mode 0600) so ``--resume SAVE``
takes the same players back after a restart; ``--codes-file`` writes them to another
file too. Neither replaces a file that was there before, unless it already holds these
codes, it is the resumed game's own codes file, or ``--force`` is given (a save is never
replaced). ``--resume`` of a damaged save continues as ``tabletop resume`` does (in
``<stem>.resumed.jsonl``, the same file every time) and says so on the console.

``--headless`` serves until the exercise ends, then while anyone still connected has not
answered the hotwash, up to ``--hotwash`` seconds, then exits 0. Otherwise the terminal
is the facilitator's console until Ctrl+C: the TUI's facilitator app over the host's
session on a terminal, the line console otherwise (both in :mod:`tabletop.net.console`;
the choice is made here, where both the TUI and the network may be imported).

Exit codes: 0 after serving, 2 for input that cannot be used (a broken campaign or save,
an unknown ``--bot`` or ``--name`` seat, a port that cannot be listened on, TLS files
that do not load, a codes file that is taken), each with one sentence on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabletop.net.host import Host
    from tabletop.session import LocalSession


class _Fail(Exception):
    """Bad input: the message is one sentence for stderr (exit 2); None when already said."""


def _fail(message: str | None) -> int:
    if message is not None:
        print(f"tabletop host: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Host one exercise; returns the exit code."""
    try:
        session, save, text, codes, notice = _open(args)
    except _Fail as e:
        return _fail(e.args[0] if e.args else None)
    try:
        ssl = _tls(args)
        return asyncio.run(_serve(args, session, save, text, codes, ssl, notice))
    except _Fail as e:
        return _fail(e.args[0] if e.args else None)
    except KeyboardInterrupt:
        print(f"\nStopped serving. The game is saved; carry on with: tabletop host --resume {save} --port {args.port}",
              flush=True)
        print(fingerprint_line(session, save), flush=True)
        return 130
    finally:
        session.close()


# ============================================================================ the session


def _open(args: argparse.Namespace) -> tuple[LocalSession, Path, str, dict[str, str], str | None]:
    """The session to serve, its save, the campaign text, the join codes and the notice
    for the console (a resumed save's damage and where play continues, or None)."""
    from tabletop.files import Refused
    from tabletop.net.codes import (
        CodesError,
        codes_path,
        new_codes,
        read_codes,
        write_codes,
    )
    from tabletop.session import HUMAN, SeatError, resolve_controllers

    force = bool(getattr(args, "force", False))

    if args.bot_delay < 0:
        raise _Fail("--bot-delay must be 0 or more seconds.")
    if getattr(args, "hotwash", 0) < 0:
        raise _Fail("--hotwash must be 0 or more seconds.")
    if not 0 <= args.port <= 65535:
        raise _Fail(f"--port must be between 0 and 65535, not {args.port}.")
    if args.resume:
        if args.campaign or args.seed is not None or args.save:
            raise _Fail("--resume carries on a saved session; do not name a campaign, --seed or --save with it.")
        _check_codes_file(args.codes_file, force, same_as=codes_path(args.resume))
        session, save, text, notice, chain = _resume(Path(args.resume))
        try:
            args.names = seat_names(session.campaign, getattr(args, "name", []))
        except _Fail:
            session.close()
            raise
        if args.bot:  # seats handed to bots on top of the save's own
            try:
                bots = resolve_controllers(session.campaign, args.bot)
            except SeatError as e:
                session.close()
                raise _Fail(str(e)) from None
            for seat, who in bots.items():
                if who != HUMAN:
                    session.set_controller(seat, who)
        # the newest codes file of the chain (a damaged save's continuation has its own)
        kept = next((codes_path(p) for p in reversed(chain) if codes_path(p).exists()), codes_path(args.resume))
        try:
            codes = read_codes(kept, session.engine.actors)
        except CodesError as e:
            print(f"tabletop host: {e}; new join codes are made, so hand them out again.", file=sys.stderr)
            codes = new_codes(session.engine.actors)
    else:
        _check_codes_file(args.codes_file, force)
        if args.save:
            _check_codes_file(str(codes_path(args.save)), force)
        session, save, text = _new(args)
        codes = new_codes(session.engine.actors)
        notice = None
    try:
        # the save's own codes file: a resumed game's is its own to rewrite; a new game's is new
        write_codes(codes_path(save), codes, own=bool(args.resume), force=force)
        if args.codes_file:
            write_codes(args.codes_file, codes, force=force)
    except Refused as e:
        session.close()
        raise _Fail(f"{e}.") from None
    except OSError as e:
        session.close()
        raise _Fail(f"cannot write the join codes: {e.strerror or e}") from None
    return session, save, text, codes, notice


def _check_codes_file(path: str | None, force: bool, same_as: Path | None = None) -> None:
    """Fail before anything is written if the codes cannot go to ``path``: it is a save,
    or it exists (unless ``force``, or it is a copy of ``same_as``, the codes to resume)."""
    from tabletop.files import Refused, check_new

    if path is None:
        return
    try:
        check_new(path, force=force or _same_file_content(Path(path), same_as))
    except Refused as e:
        raise _Fail(f"{e}.") from None


def _same_file_content(path: Path, other: Path | None) -> bool:
    try:
        return other is not None and path.read_bytes() == other.read_bytes()
    except OSError:
        return False


def _new(args: argparse.Namespace) -> tuple[LocalSession, Path, str]:
    from tabletop.commands.common import StartError, load_or_exit, start_session

    loaded = load_or_exit(args.campaign, "tabletop host")
    if loaded is None:
        raise _Fail(None)
    args.names = seat_names(loaded.campaign, getattr(args, "name", []))  # before the save is made
    try:
        session, save = start_session(loaded, args.bot, args.seed, args.save)
    except StartError as e:
        raise _Fail(str(e)) from None
    return session, save, loaded.text


def _resume(save: Path) -> tuple[LocalSession, Path, str, str | None, list[Path]]:
    from tabletop.commands.resume import open_session
    from tabletop.journal import JournalError

    try:
        resumed = open_session(save)
    except JournalError as e:
        raise _Fail(f"{save}: {e}") from None
    if resumed.notice:  # on the console too (see _serve)
        print(f"tabletop host: {save}: {resumed.damage}", file=sys.stderr)
        print(f"tabletop host: {resumed.notice}", file=sys.stderr)
    from tabletop.journal import read_journal

    text = read_journal(resumed.path).header.campaign_text
    return resumed.session, resumed.path, text, resumed.notice, resumed.chain


def seat_names(campaign: Any, given: list[str]) -> list[tuple[str, str]]:
    """``--name SEAT=NAME`` options as (seat, name): SEAT an actor's id or name, the
    facilitator or the evaluator. Raises :class:`_Fail` with the sentence for a bad one."""
    from tabletop.engine.commands import EVALUATOR, FACILITATOR
    from tabletop.net.evaluation import clean_name

    actors = list(campaign.actor_by_id.values())
    seats = {a.id.casefold(): a.id for a in actors} | {a.name.casefold(): a.id for a in actors}
    seats |= {FACILITATOR: FACILITATOR, EVALUATOR: EVALUATOR}
    out: list[tuple[str, str]] = []
    for item in given:
        seat, eq, raw = item.partition("=")
        if not eq or not seat.strip():
            raise _Fail(f"--name takes SEAT=NAME, such as --name {actors[0].id}=\"Anna Nowak\"; "
                        f"not {item!r}.")
        target = seats.get(seat.strip().casefold())
        if target is None:
            known = ", ".join([a.id for a in actors] + [FACILITATOR, EVALUATOR])
            raise _Fail(f"--name {item}: there is no seat {seat.strip()!r} (the seats: {known}).")
        try:
            name = clean_name(raw)
        except ValueError as e:
            raise _Fail(f"--name {item}: {e}") from None
        if not name:
            raise _Fail(f"--name {item}: the name is empty.")
        if target != EVALUATOR:
            out = [(t, n) for t, n in out if t != target]  # the last one given counts
        out.append((target, name))
    return out


def _tls(args: argparse.Namespace) -> Any:
    if not args.tls_cert and not args.tls_key:
        return None
    if not (args.tls_cert and args.tls_key):
        raise _Fail("--tls-cert and --tls-key go together (a certificate and its private key).")
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(args.tls_cert, args.tls_key)
    except (OSError, ssl.SSLError) as e:
        raise _Fail(f"cannot load the TLS certificate and key: {getattr(e, 'strerror', None) or e}") from None
    return context


# ============================================================================ serving


def fingerprint_line(session: LocalSession, save: Path) -> str:
    """The save's final chain head, for the host to print when the exercise ends."""
    n = session.state.seq
    return (f"Fingerprint of the save (its chain head after event {n}): {session.fingerprint}\n"
            f"  Keep it: `tabletop verify {save} --receipt {session.fingerprint}` proves the save still holds "
            f"these {n} events, unchanged.")


async def _serve(args: argparse.Namespace, session: LocalSession, save: Path, text: str, codes: dict[str, str],
                 ssl: Any, notice: str | None = None) -> int:
    from tabletop.engine.commands import EVALUATOR
    from tabletop.engine.errors import CommandError
    from tabletop.net.codes import codes_path
    from tabletop.net.console import seat_line
    from tabletop.net.host import Host

    last: list[str] = []

    def status(seats: dict[str, str], observers: int) -> None:
        line = seat_line(host, seats, observers)
        if not last or line != last[0]:
            last[:] = [line]
            print(line, flush=True)

    host = Host(
        session, codes, campaign_text=text, bot_delay=args.bot_delay, console=not args.headless, on_status=status,
        evaluators_see_all=bool(getattr(args, "evaluators_see_all", False)),
    )
    try:
        for target, name in getattr(args, "names", []):
            host.name_seat(target, name)
    except (CommandError, OSError) as e:
        raise _Fail(f"cannot record the seats' names: {getattr(e, 'strerror', None) or e}") from None
    try:
        url = await host.start(args.bind, args.port, ssl)
    except OSError as e:
        raise _Fail(f"cannot listen on {args.bind}:{args.port}: {e.strerror or e}") from None
    args.port = host.port  # what --resume needs to give the players the same address
    try:
        campaign = session.campaign
        width = max(len(host.seat_name(s)) for s in codes)
        print(f"tabletop host: {campaign.title} — saving to {save}")
        if notice:
            print(f"Damaged save: {notice}")
        print(f"Listening on {url}")
        if args.bind in ("0.0.0.0", "::", ""):
            print("(listening on every interface; if participants cannot resolve this machine's name, "
                  "give them its IP address in the URL instead)")
        print(f"Join codes (also in {codes_path(save)}):")
        for seat, code in codes.items():
            line = f"  {host.seat_name(seat):<{width}}  tabletop join {url} --code {code}"
            if seat == EVALUATOR:
                line += " --name NAME"
            print(line)
        sees = "everything, as the facilitator does" if host.evaluators_see_all else "the public board"
        print(f"Several observers and evaluators may join with their code; evaluators see {sees} and "
              "record observations, each under the name they give.")
        status(host.seat_status(), 0)
        sys.stdout.flush()
        if args.headless:
            if session.ended:
                print("The exercise is already over.", flush=True)
            await host.wait_ended()
            # clients try to rejoin every 1.25 s at most: a resumed host waits that long for them
            await host.farewell(at_least=1.5 if args.resume else 0.0)
            if args.hotwash and host.hotwash_due():
                print(f"The exercise is over; serving the hotwash while anyone connected has not answered it "
                      f"(at most {args.hotwash:g} s).", flush=True)
                await host.linger(args.hotwash)
            print(f"The exercise is over. Saved: {save}", flush=True)
            print(fingerprint_line(session, save), flush=True)
            return 0
        return await _console(host, save=save, bot_delay=args.bot_delay, notice=notice)
    finally:
        await host.close()


async def _console(host: Host, *, save: Path, bot_delay: float, notice: str | None = None) -> int:
    """Run the facilitator's console until Ctrl+C (or the app quits); returns the exit code.

    The TUI's facilitator app when standard input and output are a terminal, else the
    line console. ``notice``: a sentence the app shows on its first screen (a resumed save's
    damage and where play continues); the line console has it printed already.
    """
    from tabletop.net.console import LineConsole

    app = _tui_app(host, save, bot_delay, notice) if sys.stdin.isatty() and sys.stdout.isatty() else None
    if app is not None:
        await app.run_async()
        return 0
    return await LineConsole(host).run()


def _tui_app(host: Host, save: Path, bot_delay: float, notice: str | None = None) -> Any:
    """The TUI's facilitator app over the host's session (on a terminal; the line console
    serves where there is none). Textual is a dependency, so a failure here is a bug, and
    is not turned into the line console."""
    from tabletop.net.console import ConsoleSession
    from tabletop.tui.app import build_app

    return build_app(ConsoleSession(host), seat_mode="facilitator", bot_delay=bot_delay, save_path=save, notice=notice)
