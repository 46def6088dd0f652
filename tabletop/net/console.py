"""The host's facilitator console (``tabletop host`` without ``--headless``), the parts
that know the host but not the screen.

:class:`ConsoleSession` is the host's session as the TUI's facilitator app sees it (a
:class:`~tabletop.session.HostedSession`: seats and hand-overs, and never a bot move,
since the host makes them). :class:`LineConsole` is the plain-text console: the log of
the exercise as the facilitator sees it, seat status lines as they change, and a few
typed commands (``help`` lists them). Ctrl+C stops serving. Which of the two a terminal
gets is the command's choice (:mod:`tabletop.commands.host`).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Sequence

from tabletop.campaign.model import Campaign
from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError
from tabletop.engine.narrate import Narrator
from tabletop.engine.queries import Options, Wait
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.journal import Entry
from tabletop.journal.clock import ClockReading
from tabletop.net.host import Host
from tabletop.session import Listener, SeatRow, facilitator_needed

HELP = """\
Commands (the game log and seat changes print as they happen):
  status                      who is at which seat, and who is missing
  bot SEAT | human SEAT       hand a seat to a bot, or back to its player
  yes [RATIONALE]             rule the first pending contest a success / accept the first proposal
  no [RATIONALE]              rule it a failure / reject the proposal
  advance                     move the game on (end the current turn or vote)
  pause [REASON] | resume     pause or resume the exercise
  note TEXT                   a facilitator note in the record
  observe TEXT                an observation (the facilitator's), about the latest event
  name SEAT NAME              record who sits at a seat (an actor, facilitator or evaluator)
  help                        this list
Ctrl+C stops serving (the game is saved after every move; `tabletop host --resume` carries on)."""


def seat_line(host: Host, status: dict[str, str], observers: int) -> str:
    """``Seats: Poland connected · Lithuania waiting · ... · 2 observers · 1 evaluator``."""
    parts = [f"{host.seat_name(seat)} {state}" for seat, state in status.items()]
    parts.append(f"{observers} observer{'s' if observers != 1 else ''}")
    evaluators = host.evaluators
    parts.append(f"{evaluators} evaluator{'s' if evaluators != 1 else ''}")
    missing = [host.seat_name(s) for s, v in status.items() if v == "waiting"]
    tail = f" (missing: {', '.join(missing)})" if missing else ""
    return "Seats: " + " · ".join(parts) + tail


class ConsoleSession:
    """The host's session as the facilitator's console app sees it: the same game, with
    the host's seats, and no bot moves (the host makes them). A
    :class:`~tabletop.session.HostedSession`."""

    #: the console runs no one seat: it sees what the facilitator sees (see :attr:`Session.seat`)
    seat: str | None = None

    def __init__(self, host: Host) -> None:
        self._host = host
        self._session = host.session

    # ---------------------------------------------------------------- the host's seats

    def host_seats(self) -> list[SeatRow]:
        """(seat, seat name, status, join command) for every seat, the observers and the
        evaluators (whose status is how many have joined)."""
        h = self._host
        status = h.seat_status()
        return [
            (seat, h.seat_name(seat), status.get(seat) or f"{len(h.conns[seat])} joined",
             f"tabletop join {h.url} --code {code}" + (" --name NAME" if seat == C.EVALUATOR else ""))
            for seat, code in h.codes.items()
        ]

    def hand_seat(self, seat: str, controller: str) -> None:
        """Give an actor's seat to a host-run bot (``"bot"``) or back to its player (``"human"``)."""
        self._host.set_control(seat, controller)

    # ---------------------------------------------------------------- the session, as it is

    @property
    def campaign(self) -> Campaign:
        return self._session.campaign

    @property
    def engine(self) -> Engine:
        return self._session.engine

    @property
    def fingerprint(self) -> str | None:
        """The save's chain head (see :attr:`tabletop.session.LocalSession.fingerprint`)."""
        return self._session.fingerprint

    def view(self, seat: str) -> View:
        return self._session.view(seat)

    def awaiting(self) -> tuple[str, ...]:
        return self._session.awaiting()

    def add_listener(self, listener: Listener, seat: str | None = None, *, replay: bool = False) -> None:
        self._session.add_listener(listener, seat, replay=replay)

    def remove_listener(self, listener: Listener) -> None:
        self._session.remove_listener(listener)

    async def submit(self, command: C.Command) -> None:
        await self._session.submit(command)

    def why_not_play(self, seat: str, instance: str) -> str | None:
        return self._session.why_not_play(seat, instance)

    def unmet_triggers(self, seat: str, card: str) -> dict[str, str]:
        return self._session.unmet_triggers(seat, card)

    def legal_commands(self, seat: str) -> list[C.Command]:
        return self._session.legal_commands(seat)

    def options(self, seat: str) -> Options:
        return self._session.options(seat)

    def waits(self) -> tuple[Wait, ...]:
        return self._session.waits()

    def aims_against(self, seat: str, card: str) -> tuple[str, ...]:
        return self._session.aims_against(seat, card)

    def is_bot(self, seat: str) -> bool:
        return self._session.is_bot(seat)

    def bot_command(self) -> None:
        """Never a bot move here: the host moves its bots itself."""
        return None

    def time_left(self, now: float) -> ClockReading | None:
        """The host's clock: this console ends a turn whose time is up."""
        return self._session.time_left(now)


class LineConsole:
    """A plain-text facilitator console on standard input and output."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.session = host.session
        self.engine = host.engine
        self.narrator = Narrator(self.engine)
        self.narrator.sentences(e.event for e in self.session.entries)  # learn the plays so far
        self._asked = -1
        self._over_said = False

    def _heard(self, entries: Sequence[Entry]) -> None:
        for line in self.narrator.sentences(e.event for e in entries):
            print(f"  {line}")
        self._prompt_if_needed()
        sys.stdout.flush()

    def _prompt_if_needed(self) -> None:
        s = self.session
        if s.ended:
            if not self._over_said:  # once: the hotwash answers that follow print as they come
                self._over_said = True
                print(f"The exercise is over. Fingerprint of the save (its chain head after event {s.state.seq}): "
                      f"{s.fingerprint}. Every client can answer the hotwash now; Ctrl+C stops serving.")
            return
        if facilitator_needed(s) and self._asked != s.state.seq:
            self._asked = s.state.seq
            print(f"The game waits for the facilitator: {self._pending() or 'type advance or resume'}.")

    def _pending(self) -> str:
        """What the facilitator is asked for first (the ruling ``yes``/``no`` would give)."""
        state, opts = self.session.state, self.session.options(C.FACILITATOR)
        if opts.can_resume:
            return "the exercise is paused (type resume)"
        for pid in opts.contests:
            card = self.engine.cards[state.play(pid).card]
            prompt = (card.contest.prompt if card.contest is not None else None) or "success?"
            return f"rule on {card.title} (#{pid}): {prompt} (yes/no RATIONALE)"
        for n in opts.proposals:
            p = state.proposals[n - 1]
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
            return seat_line(self.host, self.host.seat_status(), len(self.host.conns["observer"]))
        try:
            if word in ("bot", "human"):
                self.host.set_control(rest, word)
                return None
            if word == "name":
                seat, _, name = rest.partition(" ")
                target = self._seat(seat)
                if not self.host.name_seat(target, name.strip()):
                    return f"Already recorded: {name.strip()} at {self.host.seat_name(target)}."
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
        if word in ("yes", "no"):
            ok = word == "yes"
            why = rest or ("Ruled by the facilitator." if ok else "Ruled against by the facilitator.")
            opts = self.session.options(F)
            if opts.contests:
                return C.Adjudicate(F, opts.contests[0], ok, why)
            if opts.proposals:
                return C.RuleProposal(F, opts.proposals[0], "accept" if ok else "reject", why)
            raise ValueError("nothing waits for a ruling")
        if word == "advance":
            return C.Advance(F)
        if word == "pause":
            return C.Pause(F, rest)
        if word == "resume":
            return C.Resume(F)
        if word == "note":
            return C.Annotate(F, rest)
        if word == "observe":
            return C.Observe(F, rest)
        return None

    def _seat(self, word: str) -> str:
        """The seat ``word`` names: an actor's id or name, ``facilitator`` or ``evaluator``."""
        seats = {s.casefold(): s for s in (*self.engine.actors, C.FACILITATOR, C.EVALUATOR)}
        seats |= {self.host.seat_name(a).casefold(): a for a in self.engine.actors}
        if word.casefold() not in seats:
            known = ", ".join((*self.engine.actors, C.FACILITATOR, C.EVALUATOR))
            raise ValueError(f"there is no seat {word!r} (the seats: {known})")
        return seats[word.casefold()]

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
