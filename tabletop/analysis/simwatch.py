"""One bot game watched event by event, for what ``tabletop simulate`` tells a designer,
and what the game came to (:class:`GameResult`).

A :class:`GameWatch` folds a game's events as they come (the engine's own fold) and keeps:

* how close each ending came: the highest :meth:`margin
  <tabletop.campaign.conditions.Condition.margin>` of every condition that ends the game
  (a transition into a terminal phase, checked only in the phases it leaves, and every
  end condition). A margin of 0 is one step short (``escalation >= 10`` at 9);
* every learning objective's evidence, observed or not, as the debrief measures it
  (:mod:`tabletop.analysis.evidence`): a ``when`` that held at some moment, a ``card``
  that was played (tabled counts, whatever the vote), a ``count`` of at least one.

:class:`WatchSpec` is built once per campaign; a watch per game.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tabletop.campaign.conditions import Condition
from tabletop.campaign.model import Campaign, EvidenceItem
from tabletop.engine import events as E
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState
from tabletop.journal import Entry

# When no condition it watches reads a call (``played``, ``resources``: a cost paid
# changes resources with no event of its own), what they read changes only by events that
# carry the new value (a track's), and every entry carries the round and phase after it:
# the watch reads them off the entries ("light" mode) instead of folding the game a
# second time. Otherwise it folds, and measures after every event, as the debrief does.

#: A ``count`` evidence item: the event it counts, and whether this one counts.
_COUNTS: dict[str, tuple[type[E.Event], Callable[[Any], bool]]] = {
    "misattributions": (E.AttributionAttempted, lambda ev: ev.success and ev.correct is False),
    "attributions": (E.AttributionAttempted, lambda ev: True),
    "covert_plays": (E.CardPlayed, lambda ev: ev.covert),
    "proposals": (E.ProposalSubmitted, lambda ev: True),
    "rejected_votes": (E.VoteClosed, lambda ev: not ev.passed),
    "phase_changes": (E.PhaseChanged, lambda ev: True),
}
#: One evidence item to look for in events: (objective, item, does this event show it?)
Lookout = tuple[int, int, Callable[[Any], bool]]


def _card_played(card: str) -> Callable[[Any], bool]:
    return lambda ev: ev.card == card


@dataclass(frozen=True)
class GameResult:
    """What one bot game came to."""

    index: int
    seed: int
    reason: str
    detail: str
    verdict: str
    objectives: dict[str, dict[str, bool]]
    phases: tuple[str, ...]  # every phase visited, in order of first visit
    final_phase: str
    tracks: dict[str, int]
    cards: tuple[str, ...]  # card ids that took effect (sorted, unique)
    rounds: int
    events: int
    played: tuple[str, ...] = ()  # card ids played at all, a consensus card's whatever the vote (sorted, unique)
    votes: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)  # consensus card -> tabled, passed, failed
    closest: Mapping[str, int] = field(default_factory=dict)  # ending -> highest margin of its condition
    evidence: tuple[tuple[bool, ...], ...] = ()  # per learning objective, per evidence item: observed?


@dataclass(frozen=True)
class EndingWatch:
    """One condition that ends the game: the ending's key as ``summarize`` names it."""

    key: str  # "terminal_phase:<phase>" or "end_condition:<id>"
    condition: Condition
    sources: frozenset[str] | None  # the phases it is checked in (None: every non-terminal phase)


@dataclass(frozen=True)
class WatchSpec:
    """What to watch in every game of a campaign."""

    endings: tuple[EndingWatch, ...]
    evidence: tuple[tuple[EvidenceItem, ...], ...]  # per learning objective
    terminal: frozenset[str]
    light: bool  # no watched condition makes a call (played, resources): no second fold needed
    light_changes: frozenset[type[E.Event]]  # in light mode: the events after which to measure
    reads_resources: bool  # some watched condition reads resources(...)
    reads_plays: bool  # ... or played(...), played_this_round(...)
    lookouts: Mapping[type[E.Event], tuple[Lookout, ...]]  # card and count evidence, by the event that shows it

    @classmethod
    def of(cls, campaign: Campaign) -> WatchSpec:
        terminal = frozenset(p.id for p in campaign.phases.states if p.terminal)
        endings: list[EndingWatch] = []
        for t in campaign.phases.transitions:
            if t.dest in terminal and t.when is not None:
                sources = None if "*" in t.sources else frozenset(t.sources)
                endings.append(EndingWatch(f"terminal_phase:{t.dest}", campaign.condition(t.when), sources))
        for end in campaign.end:
            endings.append(EndingWatch(f"end_condition:{end.id}", campaign.condition(end.when), None))
        evidence = tuple(tuple(lo.evidence) for lo in campaign.learning)
        read = {n for w in endings for n in w.condition.names}
        read |= {n for items in evidence for i in items if i.when is not None for n in campaign.condition(i.when).names}
        light = not any(":" in n for n in read)  # a call's key: "played:art-4", "resources:poland"
        changes: set[type[E.Event]] = {E.TrackChanged, E.PhaseChanged}  # the phase decides which endings apply
        if "round" in read:
            changes.add(E.RoundStarted)
        lookouts: dict[type[E.Event], list[Lookout]] = {}
        for i, items in enumerate(evidence):
            for k, item in enumerate(items):
                if item.card is not None:
                    lookouts.setdefault(E.CardPlayed, []).append((i, k, _card_played(item.card)))
                elif item.count is not None:
                    kind, test = _COUNTS[item.count]
                    lookouts.setdefault(kind, []).append((i, k, test))
        return cls(
            tuple(endings), evidence, terminal, light, frozenset(changes),
            any(n.startswith("resources:") for n in read), any(n.startswith("played") and ":" in n for n in read),
            {k: tuple(v) for k, v in lookouts.items()},
        )

    def ending_keys(self) -> list[str]:
        """Every ending with a condition, once each, in campaign order."""
        return list(dict.fromkeys(w.key for w in self.endings))


@dataclass(frozen=True)
class Watched:
    """What a watched game showed."""

    closest: dict[str, int]  # ending key -> its highest margin (0: one step short; > 0: it held)
    evidence: tuple[tuple[bool, ...], ...]  # per learning objective, per item: observed?


class GameWatch:
    """Fold one game's entries as they come; :meth:`result` when it is over."""

    def __init__(self, spec: WatchSpec, engine: Engine) -> None:
        self.spec = spec
        self.engine = engine
        self.state: GameState = engine.initial_state()
        self.closest: dict[str, int] = {}
        c = engine.campaign
        self._when: list[list[Condition | None]] = [
            [c.condition(item.when) if item.when is not None else None for item in items] for items in spec.evidence
        ]
        self._seen = [[False] * len(items) for items in spec.evidence]
        self._env: dict[str, int | str] | None = None  # light mode, once dealt: what conditions read
        self._ended = False

    def feed(self, entries: Iterable[Entry]) -> None:
        if self._env is not None:
            self._feed_light(entries)
            return
        spec = self.spec
        lookouts = spec.lookouts
        for entry in entries:
            ev = entry.event
            before = self.state
            self.state = state = self.engine.apply(before, ev)
            if type(ev) in lookouts:
                self._observe(ev)
            # what a condition reads is unchanged when the fold kept these very objects
            if state.tracks and not (
                state.tracks is before.tracks and state.round == before.round and state.phase == before.phase
                and state.ended == before.ended and (state.actors is before.actors or not spec.reads_resources)
                and (state.plays is before.plays or not spec.reads_plays)
            ):
                self._measure(state.env(), state.phase, state.ended)
        if self.spec.light and self.state.tracks and not self.state.ended:
            state = self.state
            self._env = {**state.tracks, **state.hidden, "round": state.round, "phase": state.phase}

    def _feed_light(self, entries: Iterable[Entry]) -> None:
        env = self._env
        assert env is not None
        lookouts, changes = self.spec.lookouts, self.spec.light_changes
        for entry in entries:
            ev = entry.event
            kind = type(ev)
            if kind in lookouts:
                self._observe(ev)
            if self._ended:
                continue
            if kind is E.GameEnded:
                self._ended = True
            elif kind in changes:
                if kind is E.TrackChanged:
                    env[ev.track] = ev.value  # type: ignore[attr-defined]
                env["round"] = entry.round
                env["phase"] = entry.phase
                self._measure(env, entry.phase, False)

    def _measure(self, env: Mapping[str, int | str], phase: str, ended: bool) -> None:
        if self.spec.endings and not ended and phase not in self.spec.terminal:
            closest = self.closest
            for w in self.spec.endings:
                if w.sources is not None and phase not in w.sources:
                    continue
                m = int(w.condition.margin(env))
                if w.key not in closest or m > closest[w.key]:
                    closest[w.key] = m
        for conds, seen in zip(self._when, self._seen):
            for k, cond in enumerate(conds):
                if cond is not None and not seen[k] and cond.evaluate(env):
                    seen[k] = True

    def _observe(self, ev: E.Event) -> None:
        seen = self._seen
        for i, k, shows in self.spec.lookouts[type(ev)]:
            if not seen[i][k] and shows(ev):
                seen[i][k] = True

    def result(self) -> Watched:
        return Watched(dict(self.closest), tuple(tuple(s) for s in self._seen))


def resolved(items: Sequence[bool]) -> bool:
    """An objective's evidence resolves when at least one of its items was observed."""
    return any(items)
