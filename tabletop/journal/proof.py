"""What a save proves: every event re-derived from its command, and damaged lines rebuilt.

A save records, for each command, the command and the events the engine gave for it
(with every random outcome in them). The engine is deterministic: the events of a
command are ``decide(state, command, rng)``, where ``rng`` is derived from the header's
seed and the ``seq`` the game stood at (:func:`tabletop.engine.randomness.command_rng`),
and the first command's events are the opening deal, ``start(rng)``, with no command.
So the events can be derived again from the header and the commands alone.

- :func:`rederive` does that for a whole save and names the first event that differs
  from what its command gives: an edited die, track change, play or objective shows
  up there, even with the checksums and the chain recomputed (``tabletop verify``).
- :func:`repair_line` rebuilds one damaged line from its command and accepts it only
  if its sha256 is the one the next line names as ``prev``: then it is, byte for byte,
  the line that was written (:func:`tabletop.journal.read_journal` uses it).

Re-deriving uses this tabletop's rules. A game begun under an older format version
may lack fields the engine writes now; :data:`tabletop.journal.WRITTEN_SINCE` says
which, and those are not compared for it (see ``docs/save-format.md``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from tabletop.engine import commands as C
from tabletop.engine.errors import CommandError
from tabletop.engine.events import EVENTS, Event, event_to_data
from tabletop.engine.randomness import command_rng
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.journal.format import WRITTEN_SINCE, Entry, Header, JournalRead
from tabletop.journal.lines import _digest, _line, _read_line, _sum_ok, line_salt


def engine_for(header: Header) -> Engine | None:
    """The engine for the campaign stored in ``header``, or None if it no longer loads."""
    from tabletop.campaign.problems import CampaignError
    from tabletop.campaign.validate import load_campaign_text

    try:
        return Engine(load_campaign_text(header.campaign_text, header.campaign_path or "<campaign>").campaign)
    except CampaignError:
        return None


def _derive(engine: Engine, header: Header, state: GameState, command: Mapping[str, Any] | None) -> tuple[list[Event], list[GameState]]:
    """The events (and the state after each) that ``command`` gives in ``state``; the
    opening deal for ``None`` at the start. Raises ``ValueError`` or ``CommandError``."""
    if command is None:
        if state.seq != 0:
            raise ValueError("only the opening deal has no command")
        events = engine.start(command_rng(header.seed, 0, header.rng))
        states, s = [], state
        for ev in events:
            s = engine.apply(s, ev)
            states.append(s)
        return events, states
    events, states, _ = engine.step(state, C.command_from_data(command), command_rng(header.seed, state.seq, header.rng))
    return events, states


# ====================================================================== re-deriving a save


@dataclass(frozen=True)
class Difference:
    """The first event that is not what its command gives."""

    event: int  # its seq
    why: str  # words that follow "event N": "differs from what its command gives: ..."

    @property
    def sentence(self) -> str:
        return f"event {self.event} (line {self.event + 1}) {self.why}"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= 60 else text[:57] + "..."


_NO_DEFAULT = object()
_DEFAULTS: dict[tuple[str, str], Any] = {}


def _default(tag: str, name: str) -> Any:
    """The default of the field ``name`` of event ``tag`` (what a line without it reads as)."""
    key = (tag, name)
    if key not in _DEFAULTS:
        cls = EVENTS.classes.get(tag)
        found: Any = _NO_DEFAULT
        for f in fields(cls) if cls is not None else ():
            if f.name == name:
                found = f.default
        _DEFAULTS[key] = found
    return _DEFAULTS[key]


def event_difference(recorded: Event, derived: Event, game_version: int) -> str | None:
    """How ``recorded`` differs from ``derived`` (words), or None if it does not.

    A field the engine writes since a later format than ``game_version`` (see
    :data:`~tabletop.journal.WRITTEN_SINCE`) is not compared where the save has its
    default (it was written before the engine wrote it).
    """
    if recorded == derived:
        return None
    r, d = event_to_data(recorded), event_to_data(derived)
    if r["type"] != d["type"]:
        return f"the save has a {r['type']} event where its command gives a {d['type']} event"
    for name in d:
        if r.get(name) == d[name]:
            continue
        since = WRITTEN_SINCE.get((d["type"], name))
        if since is not None and game_version < since and r.get(name) == _default(d["type"], name):
            continue  # recorded before the engine wrote this field
        return f"its {name} is {_show(r.get(name))} in the save, but its command gives {_show(d[name])}"
    return None


def rederive(read: JournalRead, engine: Engine) -> Difference | None:
    """Re-derive every event of ``read`` from the header and the recorded commands;
    the first event that differs from what its command gives, or None.

    Checks, command by command: that the opening deal has no command and every later
    command's events all carry it and name its seat; that the command is one the
    rules accept at that point; that it gives as many events as the save holds, each
    equal to the one recorded, with the round and phase recorded.
    """
    h = read.header
    version = h.game_version
    state = engine.initial_state()
    points = read.decision_points
    entries = read.entries
    for a, b in zip(points, points[1:]):
        group = entries[a:b]
        head = group[0]
        if a == 0:
            if head.command is not None or head.seat is not None:
                return Difference(head.seq, "names a command, but the game's opening deal has none")
        elif head.command is None:
            return Difference(head.seq, "has no command, so nothing re-derives it (only the opening deal has none)")
        elif head.seat != head.command.get("seat"):
            return Difference(head.seq, f"is recorded as sent by {_show(head.seat)}, but its command is "
                                        f"{_show(head.command.get('seat'))}'s")
        for e in group[1:]:
            if e.command != head.command or e.seat != head.seat:
                return Difference(e.seq, f"names another command or seat than event {head.seq}, the first of its command")
        try:
            events, states = _derive(engine, h, state, head.command)
        except CommandError as e:
            return Difference(head.seq, f"has a command the rules refuse at that point: {e}")
        except ValueError as e:  # _derive's own refusal: a command where only the opening deal may stand
            # Nothing broader: the state is derived, not read, and the command was read by
            # command_from_data and judged by decide, which refuse (CommandError) what they
            # cannot mean; anything else is a bug of ours, to surface, not a difference.
            return Difference(head.seq, f"has a command that cannot be carried out ({type(e).__name__}: {e})")
        for rec, ev, st in zip(group, events, states):
            why = event_difference(rec.event, ev, version)
            if why is not None:
                return Difference(rec.seq, f"differs from what its command gives: {why}")
            if (rec.round, rec.phase) != (st.round, st.phase):
                return Difference(rec.seq, f"says round {rec.round}, {rec.phase}, but its command gives round "
                                           f"{st.round}, {st.phase}")
        if len(events) != len(group):
            n = len(events)
            if n > len(group):
                return Difference(b, f"is the last of its command's {len(group)} events in the save, but the "
                                     f"command gives {n}")
            return Difference(a + n + 1, f"should not be there: its command gives only {n} event{'s' if n != 1 else ''}")
        state = states[-1] if states else state
    return None


# ====================================================================== repairing a line


def repair_line(
    engine: Engine, header: Header, lines: list[bytes], i: int, seq: int, prev: str, entries: list[Entry], first: int,
) -> tuple[Entry, bytes, int, str] | None:
    """Rebuild the damaged line ``lines[i]`` (event ``seq``) from its command.

    ``prev`` is the sha256 of the line before it; ``entries[first:]`` are the good
    events of its command read so far (none if the damaged line is the first of a
    command). The line is re-derived, written as the writer writes it, and accepted
    only if its sha256 is the ``prev`` the next line names (so the next line must be
    intact). Which command: the one its command's other lines carry; for the first
    line of a command, the command the damaged line still shows, the next line's (the
    same command, if it caused more events), or any the rules allowed then. Returns
    ``(entry, line, group, sentence)``, or None.
    """
    last = len(lines) - 1  # lines[last] is what follows the final newline
    if i + 1 >= last:
        return None  # nothing after it names its hash
    nxt = lines[i + 1][:-1] if lines[i + 1].endswith(b"\r") else lines[i + 1]
    if not _sum_ok(nxt):
        return None
    try:
        want = json.loads(nxt).get("prev")
    except (ValueError, RecursionError, AttributeError):
        return None
    if not isinstance(want, str):
        return None
    try:
        state = engine.fold(e.event for e in entries[:first])
    except Exception:  # noqa: BLE001 - the last net: see below
        # These events are read but not yet checked (the fit checks run after reading,
        # on the whole save), and a save edited with its checksums recomputed may hold
        # any value: folding them can trip on anything (a KeyError, a TypeError...).
        # Then there is nothing to derive from, and reading a damaged save must go on.
        return None
    candidates: list[Mapping[str, Any] | None] = []
    if first == 0:
        candidates.append(None)  # the opening deal
    elif first < len(entries):
        candidates.append(entries[first].command)
    else:
        for raw in (lines[i], nxt):
            try:
                command = json.loads(raw).get("command")
            except (ValueError, RecursionError, AttributeError, UnicodeDecodeError):
                continue
            if isinstance(command, dict):
                candidates.append(command)
        try:
            for awaited in engine.awaiting(state):
                candidates.extend(C.command_to_data(c) for c in engine.legal_commands(state, awaited))
        except Exception:  # noqa: BLE001 - the last net: a state folded from unchecked events (above)
            pass  # no legal commands to try
    k = seq - 1 - first  # the damaged event's place among its command's events
    tried: set[str] = set()
    for command in candidates:
        key = json.dumps(command, sort_keys=True, default=str)
        if key in tried:
            continue
        tried.add(key)
        try:
            events, states = _derive(engine, header, state, command)
        except Exception:  # noqa: BLE001 - not this command; the last net, as the state is folded from unchecked events (above)
            continue
        if k >= len(events):
            continue
        seat = None if command is None else (entries[first].seat if first < len(entries) else command.get("seat"))
        payload: dict[str, Any] = {
            "seq": seq, "round": states[k].round, "phase": states[k].phase, "seat": seat,
            "command": command, "event": event_to_data(events[k]),
        }
        if k == 0 and len(events) > 1:
            payload["group"] = len(events)
        raw = b""
        # the first line of a command carries a salt (saves written before salts: none)
        for salt in ((line_salt(header.seed, seq), None) if k == 0 else (None,)):
            line = dict(payload, salt=salt) if salt is not None else dict(payload)
            line["prev"] = prev
            raw = _line(line).rstrip(b"\n")
            if _digest(raw) == want:
                break
        if _digest(raw) != want:
            continue
        reason, entry, group = _read_line(raw, seq, prev, ())
        if entry is None:  # pragma: no cover - the writer's own line always reads
            continue
        sentence = (
            f"line {i + 1} (event {seq}) is damaged; it was rebuilt in memory from its command, and the rebuilt "
            f"line's sha256 is the one line {i + 2} names (the file is unchanged)"
        )
        return entry, raw, group, sentence
    return None


__all__ = ["Difference", "engine_for", "event_difference", "rederive", "repair_line"]
