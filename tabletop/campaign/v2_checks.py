"""The whole-campaign checks of format 2's keys, and the conditions that cannot change.

:mod:`tabletop.campaign.semantics` runs these after its own checks, reporting through its
checker (``error``, ``warn``, ``ref``, ``condition``), so every problem is located the
same way. They cover:

* references of the new keys: consensus advisors and voters (actors of the card's side,
  no actor both), ``Inject.to``, ``HiddenValue.known_by``, ``reveal_values``,
  ``Modifier.of``, evidence ``card``, declared outcomes (every side named once);
* the hidden values themselves (exactly one of ``range``/``values``, a range that is not
  empty, ids that do not clash with tracks);
* what a card's ``requires`` reads that its players could not know; a blank ``design_note``;
* conditions that always or never hold within the names' bounds
  (:mod:`tabletop.campaign.intervals`), and triggers a card promises that can never
  fire from the phases it is played in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any, Protocol

from tabletop.campaign.conditions import Condition, ConditionError
from tabletop.campaign.intervals import ALWAYS, NEVER, Bounds, bounds_of, describe_bounds, truth
from tabletop.campaign.model import RESERVED_TRACK_IDS, Campaign, Card, Effects, Modifier
from tabletop.campaign.wording import DataPath, quote

__all__ = ["Checker", "V2Checks"]


class Checker(Protocol):
    """What these checks need of the semantic checker (:mod:`tabletop.campaign.semantics`)."""

    @property
    def c(self) -> Campaign: ...
    @property
    def side_ids(self) -> Mapping[str, None]: ...
    @property
    def actor_ids(self) -> Mapping[str, None]: ...
    @property
    def track_ids(self) -> Mapping[str, None]: ...
    @property
    def card_ids(self) -> Mapping[str, None]: ...
    @property
    def phase_ids(self) -> Mapping[str, None]: ...
    @property
    def triggers(self) -> Mapping[str, None]: ...
    @property
    def side_of_actor(self) -> Mapping[str, str]: ...
    @property
    def unreachable(self) -> set[str]: ...

    def error(self, path: DataPath, message: str, key: bool = False) -> None: ...
    def warn(self, path: DataPath, message: str, key: bool = False) -> None: ...
    def ref(
        self, path: DataPath, kind: str, value: str, known: Collection[str], where: str, key: bool = False
    ) -> bool: ...
    def condition(self, path: DataPath, text: str) -> None: ...
    def line_of(self, path: DataPath) -> int: ...


class V2Checks:
    """Format 2's checks; :meth:`run` the whole-campaign ones, the checker calls the others per item."""

    def __init__(self, ck: Checker) -> None:
        self.ck = ck
        self.c = ck.c
        self.hidden_ids = dict.fromkeys(h.id for h in self.c.hidden)
        self.owners = {**ck.side_ids, **ck.actor_ids}  # sides and actors, in document order
        self.bounds: Bounds = bounds_of(self.c)

    def run(self) -> None:
        self.actors()
        self.hidden()
        self.outcomes()
        self.cards()
        self.injects()
        self.learning()
        self.constant_conditions()
        self.promised_triggers()

    # ---- actors' objectives

    def actors(self) -> None:
        for i, side in enumerate(self.c.sides):
            for j, actor in enumerate(side.actors):
                first: dict[str, int] = {}
                for k, obj in enumerate(actor.objectives):
                    path = ("sides", i, "actors", j, "objectives", k)
                    if obj.id in first:
                        line = self.ck.line_of(("sides", i, "actors", j, "objectives", first[obj.id], "id"))
                        self.ck.error(
                            path + ("id",),
                            f"duplicate objective id '{obj.id}' in actor '{actor.id}' (first defined on line {line})",
                        )
                    first.setdefault(obj.id, k)
                    self.ck.condition(path + ("when",), obj.when)

    # ---- hidden values

    def hidden(self) -> None:
        first: dict[str, int] = {}
        for i, h in enumerate(self.c.hidden):
            path = ("hidden", i)
            where = f"hidden value '{h.id}'"
            if h.id in first:
                line = self.ck.line_of(("hidden", first[h.id], "id"))
                self.ck.error(path + ("id",), f"duplicate hidden value id '{h.id}' (first defined on line {line})")
            first.setdefault(h.id, i)
            if h.id in self.ck.track_ids:
                self.ck.error(path + ("id",), f"{where} has the id of a track; conditions could not tell them apart")
            elif h.id in RESERVED_TRACK_IDS:
                self.ck.error(path + ("id",), f"'{h.id}' cannot be a hidden value id: it is a reserved word in conditions")
            if h.range is None and h.values is None:
                self.ck.error(path, f"{where} needs `range: [lo, hi]` or `values: [...]` to be drawn from")
            elif h.range is not None and h.values is not None:
                self.ck.error(path + ("values",), f"{where} has both `range` and `values`: keep one", key=True)
            elif h.range is not None and h.range[0] > h.range[1]:
                lo, hi = h.range
                self.ck.error(path + ("range",), f"{where}: range [{lo}, {hi}] is empty; write the smaller number first")
            for k, who in enumerate(h.known_by):
                self.ck.ref(path + ("known_by", k), "side or actor", who, self.owners, where)

    # ---- declared outcomes

    def outcomes(self) -> None:
        for i, phase in enumerate(self.c.phases.states):
            if phase.outcome is None:
                continue
            path = ("phases", "states", i, "outcome")
            self.outcome(phase.outcome, path, f"phase '{phase.id}'")
            if not phase.terminal:
                self.ck.warn(
                    path,
                    f"phase '{phase.id}' declares an outcome but is not terminal, so the outcome never applies "
                    "(add `terminal: true`, or remove the outcome)",
                    key=True,
                )
        for i, end in enumerate(self.c.end):
            if end.outcome is not None:
                self.outcome(end.outcome, ("end", i, "outcome"), f"end condition '{end.id}'")

    def outcome(self, outcome: Any, path: DataPath, where: str) -> None:
        if not isinstance(outcome, dict):
            return
        for side in outcome:
            self.ck.ref(path + (side,), "side", side, self.ck.side_ids, f"the outcome of {where}", key=True)
        missing = [s for s in self.ck.side_ids if s not in outcome]
        if missing:
            names = ", ".join(f"'{s}'" for s in missing)
            self.ck.error(
                path,
                f"the outcome of {where} does not name side {names}: name every side "
                "(or write one result, e.g. `outcome: lose`, for all)",
                key=True,
            )

    # ---- cards

    def cards(self) -> None:
        for i, card in enumerate(self.c.cards):
            path = ("cards", i)
            where = f"card '{card.id}'"
            if card.consensus is not None:
                self.consensus(card, path + ("consensus",), where)
            if card.requires is not None:
                self.requires(card, path + ("requires",), where)
            if card.design_note and not card.design_note.strip():
                self.ck.warn(
                    path + ("design_note",),
                    f"the design_note of {where} is blank: say why the card is rarely or always played, or remove it",
                )

    def consensus(self, card: Card, path: DataPath, where: str) -> None:
        assert card.consensus is not None
        side_of = self.ck.side_of_actor
        voters = set(card.consensus.voters)
        for role, ids in (("voter", card.consensus.voters), ("advisor", card.consensus.advisors)):
            for k, actor in enumerate(ids):
                at = path + (role + "s", k)
                if role == "advisor" and not self.ck.ref(at, "actor", actor, self.ck.actor_ids, f"{where} → consensus"):
                    continue
                side = side_of.get(actor)
                if side is not None and side != card.side and card.side in self.ck.side_ids:
                    self.ck.error(
                        at, f"{role} '{actor}' of {where} is an actor of side '{side}', not of the card's side '{card.side}'"
                    )
                if role == "advisor" and actor in voters:
                    self.ck.error(at, f"'{actor}' is both a voter and an advisor of {where}; an advisor does not vote")

    def requires(self, card: Card, path: DataPath, where: str) -> None:
        compiled = self.compiled(card.requires or "")
        if compiled is None:
            return
        players = self.players(card)
        for name in sorted(compiled.names):
            if name in self.hidden_ids:
                known = set(self.c.hidden_by_id[name].known_by)
                blind = [a for a in players if a not in known and card.side not in known]
                if blind:
                    self.ck.error(
                        path,
                        f"{where} requires {quote(card.requires or '', 60)}, which reads hidden value '{name}' that "
                        f"'{blind[0]}' does not know, so that seat could not tell whether it may play the card "
                        f"(add '{card.side}' to its known_by, or leave it out of `requires`)",
                    )
            elif name.startswith("resources:"):
                actor = name.partition(":")[2]
                side = self.ck.side_of_actor.get(actor)
                if side is not None and side != card.side:
                    self.ck.error(
                        path,
                        f"{where} requires {quote(card.requires or '', 60)}, which reads the resources of '{actor}' "
                        f"of side '{side}': its players cannot see them",
                    )

    def players(self, card: Card) -> list[str]:
        if card.actor is not None:
            return [card.actor]
        holders = [
            a.id for s in self.c.sides if s.id == card.side for a in s.actors if card.id in self.c.deck_of(a.id)
        ]
        return holders or [a.id for s in self.c.sides if s.id == card.side for a in s.actors]

    # ---- modifiers and effects (called by the semantic checks for every one)

    def modifier(self, mod: Modifier, path: DataPath, where: str) -> None:
        if mod.per is not None and mod.of is None:
            self.ck.error(path + ("per",), f"{where}: `per` needs `of`, the track or hidden value it counts", key=True)
        elif mod.of is not None and mod.per is None:
            self.ck.error(path + ("of",), f"{where}: `of` needs `per`, e.g. `per: 2` for +{mod.add} per 2 points", key=True)
        if mod.of is not None:
            known = {**self.ck.track_ids, **self.hidden_ids}
            self.ck.ref(path + ("of",), "track or hidden value", mod.of, known, where)
            if mod.of in self.c.hidden_by_id and self.bounds.texts.get(mod.of) is not None:
                self.ck.error(path + ("of",), f"{where}: hidden value '{mod.of}' is text, so it cannot be counted")

    def effects(self, effects: Effects, path: DataPath, where: str) -> None:
        for k, hid in enumerate(effects.reveal_values):
            self.ck.ref(path + ("reveal_values", k), "hidden value", hid, self.hidden_ids, where)

    # ---- injects and learning objectives

    def injects(self) -> None:
        for i, inj in enumerate(self.c.injects):
            for k, who in enumerate(inj.to):
                self.ck.ref(("injects", i, "to", k), "side or actor", who, self.owners, f"inject '{inj.id}'")
            if inj.to and inj.effects.reveal_values:
                self.ck.error(
                    ("injects", i, "effects", "reveal_values"),
                    f"inject '{inj.id}' is private (`to`), but reveal_values tells every seat the value, and so "
                    f"that the inject fired: reveal it from a public inject, or add the seats to `known_by`",
                )

    def learning(self) -> None:
        for i, lo in enumerate(self.c.learning_objectives):
            if isinstance(lo, str):
                continue
            for k, item in enumerate(lo.evidence):
                path = ("learning_objectives", i, "evidence", k)
                given = [key for key in ("when", "card", "count") if getattr(item, key) is not None]
                if len(given) != 1:
                    self.ck.error(
                        path,
                        f"evidence '{item.label}' needs exactly one of `when`, `card` or `count`"
                        + (f", not {' and '.join(f'`{g}`' for g in given)}" if given else ""),
                    )
                if item.when is not None:
                    self.ck.condition(path + ("when",), item.when)
                if item.card is not None:
                    self.ck.ref(path + ("card",), "card", item.card, self.ck.card_ids, f"evidence '{item.label}'")

    # ---- conditions that cannot change

    def compiled(self, text: str) -> Condition | None:
        try:
            return self.c.condition(text)
        except ConditionError:
            return None  # reported where it is written

    def condition_sites(self) -> Iterator[tuple[DataPath, str, str]]:
        """Every condition: (path, text, what it decides)."""
        c = self.c
        for i, side in enumerate(c.sides):
            for j, obj in enumerate(side.objectives):
                yield ("sides", i, "objectives", j, "when"), obj.when, f"objective '{obj.id}'"
            for j, actor in enumerate(side.actors):
                for k, obj in enumerate(actor.objectives):
                    yield ("sides", i, "actors", j, "objectives", k, "when"), obj.when, f"objective '{obj.id}'"
        for i, t in enumerate(c.phases.transitions):
            if t.when is not None:
                yield ("phases", "transitions", i, "when"), t.when, f"transition '{t.trigger}'"
        for i, card in enumerate(c.cards):
            if card.requires is not None:
                yield ("cards", i, "requires"), card.requires, f"card '{card.id}' → requires"
            mods: list[tuple[DataPath, str, list[Modifier]]] = []
            if card.contest is not None:
                mods.append((("cards", i, "contest", "modifiers"), "contest", card.contest.modifiers))
            if card.covert is not None:
                attribution = card.covert.attribution.modifiers
                mods.append((("cards", i, "covert", "attribution", "modifiers"), "covert", attribution))
            for mpath, part, ms in mods:
                for k, m in enumerate(ms):
                    if m.when is not None:
                        yield mpath + (k, "when"), m.when, f"card '{card.id}' → {part} → modifier {k + 1}"
        for i, inj in enumerate(c.injects):
            if inj.when is not None:
                yield ("injects", i, "when"), inj.when, f"inject '{inj.id}'"
        for i, end in enumerate(c.end):
            yield ("end", i, "when"), end.when, f"end condition '{end.id}'"
        for i, lo in enumerate(c.learning_objectives):
            if not isinstance(lo, str):
                for k, item in enumerate(lo.evidence):
                    if item.when is not None:
                        yield ("learning_objectives", i, "evidence", k, "when"), item.when, f"evidence '{item.label}'"

    def constant_conditions(self) -> None:
        for path, text, what in self.condition_sites():
            compiled = self.compiled(text)
            if compiled is None:
                continue
            bounds = self.bounds
            if path[:2] == ("phases", "transitions"):  # checked only in the phases it leaves
                sources = self.c.phases.transitions[path[2]].sources
                if "*" not in sources:
                    bounds = Bounds(bounds.numbers, {**bounds.texts, "phase": frozenset(sources)})
            verdict = truth(compiled.tree, bounds)
            if verdict not in (ALWAYS, NEVER):
                continue
            why = describe_bounds(compiled.names, self.bounds)
            if bounds is not self.bounds and "phase" in compiled.names:
                left = ", ".join(f"'{p}'" for p in sorted(bounds.texts["phase"]))
                noun = "phase" if len(bounds.texts["phase"]) == 1 else "phases"
                why = ", ".join(w for w in (why, f"it is checked only in {noun} {left}, which it leaves") if w)
            because = f" ({why})" if why else ""
            if verdict == NEVER:
                self.ck.warn(path, f"the condition of {what}, {quote(text, 60)}, can never hold{because}")
            else:
                self.ck.warn(path, f"the condition of {what}, {quote(text, 60)}, always holds{because}")

    # ---- triggers a card promises

    def promised_triggers(self) -> None:
        terminal = {p.id for p in self.c.phases.states if p.terminal}
        unreachable = self.ck.unreachable  # a card only played there is warned about already
        live = [p for p in self.ck.phase_ids if p not in terminal and p not in unreachable]
        for i, card in enumerate(self.c.cards):
            phases = [p for p in (card.phases if card.phases is not None else live) if p in live]
            promised: list[tuple[DataPath, Effects, list[str]]] = [(("cards", i, "effects"), card.effects, phases)]
            if card.contest is not None:
                promised.append((("cards", i, "contest", "success"), card.contest.success, phases))
                promised.append((("cards", i, "contest", "failure"), card.contest.failure, phases))
            if card.covert is not None:  # attributed later: in any phase
                promised.append((("cards", i, "covert", "on_attributed"), card.covert.on_attributed, live))
            for path, fx, where in promised:
                if fx.trigger is None or fx.trigger not in self.ck.triggers or not where:
                    continue
                reason = self.never_fires(fx.trigger, where)
                if reason:
                    shown = ", ".join(f"'{p}'" for p in where)
                    self.ck.warn(
                        path + ("trigger",),
                        f"card '{card.id}' fires trigger '{fx.trigger}', which can never change the phase when the "
                        f"card is played (in {shown}): {reason}",
                    )

    def never_fires(self, trigger: str, phases: list[str]) -> str:
        """Why ``trigger`` can never fire from any of ``phases``, or '' if it may."""
        leaving = [
            t for t in self.c.phases.transitions
            if t.trigger == trigger and any(s == "*" or s in phases for s in t.sources)
        ]
        if not leaving:
            return f"no transition '{trigger}' leaves those phases"
        for t in leaving:
            compiled = self.compiled(t.when) if t.when is not None else None
            if t.when is None or compiled is None:
                return ""
            # it is checked in the phase the card is played in: one of those it leaves
            here = frozenset(p for p in phases if "*" in t.sources or p in t.sources)
            bounds = Bounds(self.bounds.numbers, {**self.bounds.texts, "phase": here})
            if truth(compiled.tree, bounds) != NEVER:
                return ""
        return f"the condition of every transition '{trigger}' from there can never hold"
