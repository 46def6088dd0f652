"""Does an event fit the game? The checks a save's events pass before anything shows them.

The checksums and the chain prove a line is as written; they cannot prove that what was
written makes sense. A save edited with its checksums and chain recomputed may hold an
event that names a card the campaign does not have, a play that never happened, or a
number where a name belongs. :func:`fold` folds a save's events with these checks, so
that replay, report and resume treat such an event as damage at that event (and say
where) instead of failing later, deep in a screen.

These checks are cheap, made on every load. They do not prove the events are the ones
the game gave: ``tabletop verify`` does that, by re-deriving every event from its
command (:mod:`tabletop.journal.proof`).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any

from tabletop.engine import events as E
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.journal import UNFIT, Damage, Entry, JournalRead

#: A check: (state before the event, the field's value) -> what is wrong (words that
#: follow "event N"), or None.
Check = Callable[[GameState, Any], "str | None"]

#: Which fields of which events name things of the campaign or the game so far. A
#: field an event class does not have is skipped, so a renamed field costs a check,
#: never a failure.
_REFERENCES: dict[str, dict[str, str]] = {
    "game_started": {"decks": "decks"},
    "turn_started": {"actor": "actor"},
    "turn_ended": {"actor": "actor"},
    "cards_drawn": {"actor": "actor", "cards": "instances"},
    "deck_reshuffled": {"actor": "actor", "order": "instances"},
    "cards_discarded": {"actor": "actor", "cards": "instances"},
    "card_played": {"play": "new_play", "actor": "actor", "card": "card", "instance": "instance"},
    "covert_sealed": {"actor": "actor", "card": "card", "instance": "instance"},
    "track_changed": {"track": "track"},
    "resources_changed": {"actor": "actor"},
    "contest_pending": {"play": "play"},
    "contest_rolled": {"play": "play"},
    "contest_adjudicated": {"play": "play"},
    "vote_opened": {"play": "play", "voters": "actors"},
    "ballot_cast": {"play": "play", "actor": "actor"},
    "vote_closed": {"play": "play", "missing": "actors"},
    "attribution_attempted": {"play": "play", "by": "actor", "accused": "actor"},
    "covert_revealed": {"play": "play", "card": "card", "actor": "actor"},
    "proposal_submitted": {"proposal": "new_proposal", "actor": "actor"},
    "proposal_ruled": {"proposal": "proposal"},
    "inject_fired": {"inject": "inject"},
    "phase_changed": {"source": "phase", "dest": "phase"},
    "table_cleared": {"discarded": "pairs", "removed": "pairs"},
    "observation_recorded": {"about": "earlier"},
}


#: annotations checked by the exact type of the value (bool is not an int here)
_SCALARS: dict[str, type] = {"int": int, "str": str, "bool": bool}


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------- kinds of value


def _kind(annotation: str) -> Callable[[Any], bool] | None:
    """A test for values of the field annotation ``annotation`` (a string, as the event
    classes are written), or None for one this does not know (then anything passes)."""
    a = annotation.replace(" ", "")
    union = _split(a, "|")
    if len(union) > 1:
        parts = [_kind(p) for p in union]
        if any(p is None for p in parts):
            return None
        return lambda v: any(p(v) for p in parts)  # type: ignore[misc]
    if a == "None":
        return lambda v: v is None
    if a == "int":
        return lambda v: type(v) is int
    if a == "str":
        return lambda v: type(v) is str
    if a == "bool":
        return lambda v: type(v) is bool
    if a == "Any":
        return lambda v: True
    if a.startswith("tuple[") and a.endswith("]"):
        inner = _split(a[6:-1], ",")
        if len(inner) == 2 and inner[1] == "...":
            item = _kind(inner[0])
            if item is None:
                return None
            return lambda v: type(v) is tuple and all(item(x) for x in v)
        items = [_kind(x) for x in inner]
        if any(i is None for i in items):
            return None
        return lambda v: type(v) is tuple and len(v) == len(items) and all(i(x) for i, x in zip(items, v))  # type: ignore[misc]
    if a.startswith("Mapping[") and a.endswith("]"):
        inner = _split(a[8:-1], ",")
        if len(inner) != 2:
            return None
        key, val = _kind(inner[0]), _kind(inner[1])
        if key is None or val is None:
            return None
        return lambda v: isinstance(v, Mapping) and all(key(k) and val(x) for k, x in v.items())
    return None


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside brackets."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


# ---------------------------------------------------------------- the checks


class Fit:
    """The checks for one campaign's events: :meth:`problem` says what is wrong with one."""

    def __init__(self, engine: Engine) -> None:
        c = engine.campaign
        actors, cards, instances = engine.side_of, engine.cards, engine.instance_card
        tracks, phases, injects = engine.tracks, c.phase_by_id, c.inject_by_id

        def one(known: Mapping[str, Any], what: str) -> Check:
            return lambda s, v: None if v in known else f"names {what} this campaign does not have ({_show(v)})"

        def many(known: Mapping[str, Any], what: str) -> Check:
            def check(s: GameState, v: Any) -> str | None:
                for x in v:
                    if x not in known:
                        return f"names {what} this campaign does not have ({_show(x)})"
                return None
            return check

        def pairs(s: GameState, v: Any) -> str | None:
            for actor, iid in v:
                if actor not in actors:
                    return f"names an actor this campaign does not have ({_show(actor)})"
                if iid not in instances:
                    return f"names a card this campaign does not have ({_show(iid)})"
            return None

        def decks(s: GameState, v: Any) -> str | None:
            for actor, deck in v.items():
                if actor not in actors:
                    return f"deals to an actor this campaign does not have ({_show(actor)})"
                for iid in deck:
                    if iid not in instances:
                        return f"deals a card this campaign does not have ({_show(iid)})"
            return None

        def play(s: GameState, v: Any) -> str | None:
            n = len(s.plays)
            return None if 1 <= v <= n else f"names play #{v}, but {n} card{'s' if n != 1 else ''} had been played"

        def new_play(s: GameState, v: Any) -> str | None:
            return None if v == len(s.plays) + 1 else f"numbers its play #{v}, but it is play #{len(s.plays) + 1}"

        def proposal(s: GameState, v: Any) -> str | None:
            n = len(s.proposals)
            return None if 1 <= v <= n else f"names proposal {v}, but {n} had been made"

        def new_proposal(s: GameState, v: Any) -> str | None:
            n = len(s.proposals) + 1
            return None if v == n else f"numbers its proposal {v}, but it is proposal {n}"

        def earlier(s: GameState, v: Any) -> str | None:
            return None if 1 <= v <= s.seq else f"is about event {v}, but {s.seq} came before it"

        def inject(s: GameState, v: Any) -> str | None:
            return None if v is None or v in injects else f"names an inject this campaign does not have ({_show(v)})"

        domains: dict[str, Check] = {
            "actor": one(actors, "an actor"), "actors": many(actors, "an actor"), "card": one(cards, "a card"),
            "instance": one(instances, "a card"), "instances": many(instances, "a card"), "pairs": pairs,
            "decks": decks, "track": one(tracks, "a track"), "phase": one(phases, "a phase"), "inject": inject,
            "play": play, "new_play": new_play, "proposal": proposal, "new_proposal": new_proposal,
            "earlier": earlier,
        }
        names: dict[str, tuple[Mapping[str, Any], str]] = {"actor": (actors, "an actor"), "card": (cards, "a card"), "instance": (instances, "a card"),
                 "track": (tracks, "a track"), "phase": (phases, "a phase")}
        self._instances = instances
        # Per event class, cheapest first (this runs for every event of every save loaded):
        # fields of one exact type; names that must be known; then the rest. Each class's
        # checks become one straight-line function (see _Source): a third of the time a
        # loop over the same checks takes, which keeps loading within its budget.
        self._checks: dict[type, Callable[[GameState, E.Event], str | None]] = {}
        source = _Source()
        for tag, cls in E.EVENTS.classes.items():
            refs = _REFERENCES.get(tag, {})
            scalars: list[tuple[str, type]] = []
            members: list[tuple[str, Mapping[str, Any], str]] = []
            others: list[tuple[str, Callable[[Any], bool] | None, Check | None]] = []
            for f in fields(cls):
                annotation = f.type.replace(" ", "") if isinstance(f.type, str) else ""
                domain = refs.get(f.name, "")
                if annotation in _SCALARS:
                    scalars.append((f.name, _SCALARS[annotation]))
                    if domain in names:
                        members.append((f.name, *names[domain]))
                        continue
                    kind = None
                else:
                    kind = _kind(annotation) if annotation else None
                ref = domains.get(domain)
                if kind is not None or ref is not None:
                    others.append((f.name, kind, ref))
            source.add(cls, scalars, members, others, self._played_as if cls is E.CardPlayed else None)
        self._checks = source.compile()

    @classmethod
    def of(cls, engine: Engine) -> Fit:
        """The checks for ``engine``'s campaign, made once per engine."""
        fit = _FITS.get(engine)
        if fit is None:
            fit = _FITS[engine] = cls(engine)
        return fit

    def _played_as(self, event: E.CardPlayed) -> str | None:
        real = self._instances.get(event.instance)
        if real != event.card:
            return f"plays {_show(event.instance)} as the card {_show(event.card)}, but it is a copy of {_show(real)}"
        return None

    def problem(self, state: GameState, event: E.Event) -> str | None:
        """What is wrong with ``event`` in ``state`` (words that follow "event N"), or None."""
        check = self._checks.get(type(event))
        if check is None:
            return f"is of a kind this tabletop does not know ({type(event).__name__})"
        return check(state, event)


class _Source:
    """Each event class's checks, written out as one straight-line function per class.

    The source holds only the field names of engine event classes (identifiers) and
    names of values in its own namespace; nothing from a save is ever part of it. All of
    it is compiled at once (a few milliseconds, once per engine).
    """

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"kind_wrong": _kind_wrong, "unknown": _unknown}
        self.lines: list[str] = []
        self.classes: list[type] = []

    def add(
        self, cls: type, scalars: list[tuple[str, type]], members: list[tuple[str, Mapping[str, Any], str]],
        others: list[tuple[str, Callable[[Any], bool] | None, Check | None]], last: Callable[[Any], str | None] | None,
    ) -> None:
        i = len(self.classes)
        self.classes.append(cls)
        ns, body = self.ns, self.lines
        body.append(f"def check_{i}(s, ev):")
        for name, t in scalars:
            ns[f"T{i}_{name}"] = t
            body.append(f"    if type(ev.{name}) is not T{i}_{name}: return kind_wrong({name!r}, ev.{name})")
        for name, known, what in members:
            ns[f"K{i}_{name}"], ns[f"W{i}_{name}"] = known, what
            body.append(f"    if ev.{name} not in K{i}_{name}: return unknown(W{i}_{name}, ev.{name})")
        for name, kind, ref in others:
            if kind is not None:
                ns[f"P{i}_{name}"] = kind
                body.append(f"    if not P{i}_{name}(ev.{name}): return kind_wrong({name!r}, ev.{name})")
            if ref is not None:
                ns[f"R{i}_{name}"] = ref
                body.append(f"    w = R{i}_{name}(s, ev.{name})")
                body.append("    if w: return w")
        if last is not None:
            ns[f"L{i}"] = last
            body.append(f"    return L{i}(ev)")
        else:
            body.append("    return None")

    def compile(self) -> dict[type, Callable[[GameState, E.Event], str | None]]:
        exec(compile("\n".join(self.lines) + "\n", "<fit checks>", "exec"), self.ns)  # noqa: S102 - see the docstring
        return {cls: self.ns[f"check_{i}"] for i, cls in enumerate(self.classes)}


#: one Fit per engine (see Fit.of)
_FITS: weakref.WeakKeyDictionary[Engine, Fit] = weakref.WeakKeyDictionary()


def _kind_wrong(name: str, value: Any) -> str:
    return f"has a {name} of the wrong kind ({_show(value)})"


def _unknown(what: str, value: Any) -> str:
    return f"names {what} this campaign does not have ({_show(value)})"


def fold(
    read: JournalRead, engine: Engine, *, every: int = 0, fit: Fit | None = None,
) -> tuple[JournalRead, GameState, list[GameState]]:
    """Fold ``read``'s events with ``engine``, checking each (:class:`Fit`) and that the
    round and phase each line records are the ones folding gives.

    Returns ``(read, final state, snapshots)``: ``snapshots`` holds the state every
    ``every`` events (``every`` 0: only the initial one). At the first event that does
    not fit, the read is cut back to the end of the command before it, with
    :class:`~tabletop.journal.Damage` saying which event and why (``UNFIT``), and the
    state is the state there. Never raises for what is in the save.
    """
    fit = fit or Fit.of(engine)
    apply, checks = engine.apply, fit._checks
    state = engine.initial_state()
    snapshots = [state]
    entries: list[Entry] = read.entries
    step = every or 1 << 62
    k = 0
    why: str | None = None
    # the loop runs for every event of every save loaded: kept lean
    for k, entry in enumerate(entries, 1):
        ev = entry.event
        check = checks[type(ev)]  # every event class has its checks (a KeyError here is a bug)
        try:
            why = check(state, ev)
            if why is not None:
                break
            after = apply(state, ev)
        except Exception as e:  # noqa: BLE001 - the last net, around the save's values only
            # The checks test kinds and names, not every way an edited save's values can
            # disagree with the game so far; what checking or applying them trips on (an
            # IndexError, a KeyError, a TypeError in a field the checks cannot type) is
            # damage at this event, as a save from a user must never end in a traceback.
            why = f"cannot be applied to the game at that point ({type(e).__name__}: {e})"
            break
        if after.round != entry.round or after.phase != entry.phase:
            why = f"says round {entry.round}, {entry.phase}, but folding gives round {after.round}, {after.phase}"
            break
        state = after
        if k % step == 0:
            snapshots.append(state)
    else:
        return read, state, snapshots
    # cut back to the last decision point before event k
    keep = max(p for p in read.decision_points if p < k)
    # the bytes from that command on are ignored, and any the reader had already left out
    ignored = (read.problem.ignored if read.problem else 0) + read.good_bytes - read.offsets[keep]
    damage = Damage(keep, k + 1, k, UNFIT, ignored, why or "")
    start = 0
    if every:
        del snapshots[keep // every + 1 :]
        start = (keep // every) * every
    state = snapshots[-1]
    for entry in entries[start:keep]:
        state = apply(state, entry.event)
    return read.cut(keep, damage), state, snapshots


__all__ = ["Fit", "fold"]
