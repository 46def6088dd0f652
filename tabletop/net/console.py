"""The host's facilitator console (``tabletop host`` without ``--headless``).

If the TUI offers a facilitator seat mode, the console is that app over the host's
session (the host keeps moving the bots, so the app is given a session that never
offers it a bot move). Otherwise it is a line console: the log of the exercise as the
facilitator sees it, seat status lines as they change, and a few typed commands
(``help`` lists them). Ctrl+C stops serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError
from tabletop.engine.narrate import Narrator
from tabletop.net.host import Host

HELP = """\
Commands (the game log and seat changes print as they happen):
  status                      who is at which seat, and who is missing
  bot SEAT | human SEAT       hand a seat to a bot, or back to its player
  yes [RATIONALE]             rule the first pending contest a success / accept the first proposal
  no [RATIONALE]              rule it a failure / reject the proposal
  advance                     move the game on (end the current turn or vote)
  pause [REASON] | resume     pause or resume the exercise
  note TEXT                   a facilitator note in the record
  help                        this list
Ctrl+C stops serving (the game is saved after every move; `tabletop host --resume` carries on)."""


class _ConsoleSession:
    """The host's session as a console app sees it: the same, minus bot moves (the host makes them)."""

    def __init__(self, host: Host) -> None:
        self._host = host
        self._session = host.session

    def host_seats(self) -> list[tuple[str, str, str, str]]:
        """(seat, seat name, status, join command) for every seat and the observers."""
        h = self._host
        status = h.seat_status()
        return [
            (seat, h.seat_name(seat), status.get(seat, ""), f"tabletop join {h.url} --code {code}")
            for seat, code in h.codes.items()
        ]

    def hand_seat(self, seat: str, controller: str) -> None:
        """Give an actor's seat to a host-run bot (``"bot"``) or back to its player (``"human"``)."""
        self._host.set_control(seat, controller)

    def bot_command(self) -> None:
        return None

    def step_bot(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def _tui_app(host: Host, save: Path, bot_delay: float, notice: str | None = None) -> Any:
    """The TUI's facilitator app, or None while the TUI has no such seat mode."""
    try:
        from tabletop.tui.app import build_app
    except ModuleNotFoundError:
        return None
    try:
        return build_app(_ConsoleSession(host), seat_mode="facilitator", bot_delay=bot_delay, save_path=save,
                         notice=notice)
    except (TypeError, ValueError):
        return None


async def run_console(host: Host, *, save: Path, bot_delay: float, notice: str | None = None) -> int:
    """Run the console until Ctrl+C (or the app quits); returns the exit code.

    ``notice``: a sentence the console app shows on its first screen (a resumed save's
    damage and where play continues); the line console has it printed already.
    """
    app = _tui_app(host, save, bot_delay, notice) if sys.stdin.isatty() and sys.stdout.isatty() else None
    if app is not None:
        await app.run_async()
        return 0
    return await LineConsole(host).run()


class LineConsole:
    """A plain-text facilitator console on standard input and output."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.session = host.session
        self.engine = host.engine
        self.narrator = Narrator(self.engine)
        self.narrator.sentences(e.event for e in self.session.entries)  # learn the plays so far
        self._asked = -1

    def _heard(self, entries: Any) -> None:
        for line in self.narrator.sentences(e.event for e in entries):
            print(f"  {line}")
        self._prompt_if_needed()
        sys.stdout.flush()

    def _prompt_if_needed(self) -> None:
        s = self.session
        if s.ended:
            print("The exercise is over. Ctrl+C stops serving.")
            return
        if s.awaiting() == (C.FACILITATOR,) and not s.is_bot(C.FACILITATOR) and self._asked != s.state.seq:
            self._asked = s.state.seq
            print(f"The game waits for the facilitator: {self._pending() or 'type advance or resume'}.")

    def _pending(self) -> str:
        state = self.session.state
        if state.paused:
            return "the exercise is paused (type resume)"
        for pid in state.pending:
            play = state.play(pid)
            contest = self.engine.cards[play.card].contest
            if contest is not None and contest.by == "facilitator":
                prompt = getattr(contest, "prompt", None) or "success?"
                return f"rule on {self.engine.cards[play.card].title} (#{pid}): {prompt} (yes/no RATIONALE)"
        for p in state.proposals:
            if p.verdict is None:
                return f"proposal {p.id} by {self.host.seat_name(p.actor)}: “{p.text}” (yes/no RATIONALE)"
        return ""

    def do(self, line: str) -> str | None:
        """Carry out one typed command; returns what to print (None: nothing)."""
        word, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        word = word.lower()
        if not word:
            return None
        if word == "help":
            return HELP
        if word == "status":
            from tabletop.commands.host import seat_line

            return seat_line(self.host, self.host.seat_status(), len(self.host.conns["observer"]))
        try:
            if word in ("bot", "human"):
                self.host.set_control(rest, word)
                return None
            command = self._command(word, rest)
            if command is None:
                return f"Unknown command {word!r}; type help."
            self.session.submit_now(command)
        except (CommandError, ValueError) as e:
            return f"Not done: {e}"
        except OSError as e:  # the journal could not be written: the game did not move
            return f"Not done: the move could not be saved ({e.strerror or e}), so nothing changed."
        return None

    def _command(self, word: str, rest: str) -> C.Command | None:
        F = C.FACILITATOR
        state = self.session.state
        if word in ("yes", "no"):
            ok = word == "yes"
            why = rest or ("Ruled by the facilitator." if ok else "Ruled against by the facilitator.")
            for pid in state.pending:
                contest = self.engine.cards[state.play(pid).card].contest
                if contest is not None and contest.by == "facilitator":
                    return C.Adjudicate(F, pid, ok, why)
            for p in state.proposals:
                if p.verdict is None:
                    return C.RuleProposal(F, p.id, "accept" if ok else "reject", why)
            raise ValueError("nothing waits for a ruling")
        if word == "advance":
            return C.Advance(F)
        if word == "pause":
            return C.Pause(F, rest)
        if word == "resume":
            return C.Resume(F)
        if word == "note":
            return C.Annotate(F, rest)
        return None

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        reading = False
        try:
            fd = sys.stdin.fileno()
            loop.add_reader(fd, lambda: lines.put_nowait(sys.stdin.readline() or None))
            reading = True
        except (OSError, ValueError, NotImplementedError, AttributeError):
            pass
        print("Type help for the console's commands.", flush=True)
        self.session.add_listener(self._heard)
        self._prompt_if_needed()
        try:
            while reading:
                line = await lines.get()
                if line is None:  # end of input: keep serving without a keyboard
                    loop.remove_reader(fd)
                    reading = False
                    break
                out = self.do(line)
                if out:
                    print(out, flush=True)
            await asyncio.Event().wait()  # until Ctrl+C
            return 0
        finally:
            self.session.remove_listener(self._heard)
            if reading:
                with contextlib.suppress(Exception):
                    loop.remove_reader(fd)
