"""The checks that need the whole, well-shaped campaign, each problem located in the file.

Once the model (:mod:`tabletop.campaign.model`) has accepted the shape, :func:`check_campaign`
checks what no single field can: duplicate ids; references between ids (sides, actors,
cards, tracks, phases, triggers); every condition, compiled with the campaign's names;
bounds (track ranges, thresholds, dice targets, the calendar); the round order; which
phases can be reached and which cards can ever be played; and what covert cards give
away (:mod:`tabletop.campaign.covert_checks`); format 2's keys, conditions that always or
never hold and triggers a card can never fire are checked by
:mod:`tabletop.campaign.v2_checks`. Errors stop a campaign from loading, warnings point at
what would never happen in play.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import cached_property

from tabletop.campaign.conditions import ConditionError
from tabletop.campaign.covert_checks import covert_signature_warnings
from tabletop.campaign.model import FIXED_STEPS, Campaign, Card, Contest, Effects, Modifier
from tabletop.campaign.problems import Problem, Severity
from tabletop.campaign.v2_checks import V2Checks
from tabletop.campaign.wording import DataPath, quote, suggest
from tabletop.campaign.yamlsource import SourceMap

__all__ = ["check_campaign"]

ERROR = Severity.ERROR
WARNING = Severity.WARNING


def check_campaign(campaign: Campaign, source_map: SourceMap, path: str = "<campaign>") -> list[Problem]:
    """The checks that need the whole campaign: references, conditions, bounds, reachability.

    ``campaign`` must have passed the model's validation and ``source_map`` must map the
    data it was built from. Returns the problems found (errors and warnings, unsorted).
    """
    return _Checker(campaign, source_map, path).run()


#: Trigger names the state machine (the ``transitions`` library) cannot take: its model's
#: attribute. ``tabletop.phases`` raises on them.
_RESERVED_TRIGGERS = frozenset({"state"})


class _Checker:
    """The checks that need the whole, well-shaped campaign."""

    def __init__(self, campaign: Campaign, smap: SourceMap, path: str) -> None:
        self.c = campaign
        self.smap = smap
        self.path = path
        self.problems: list[Problem] = []
        # Ids in document order, without repeats; dicts for O(1) membership.
        self.card_ids = dict.fromkeys(card.id for card in campaign.cards)
        self.side_ids = dict.fromkeys(s.id for s in campaign.sides)
        self.actor_ids = dict.fromkeys(a.id for s in campaign.sides for a in s.actors)
        self.track_ids = dict.fromkeys(t.id for t in campaign.tracks)
        self.phase_ids = dict.fromkeys(p.id for p in campaign.phases.states)
        self.triggers = dict.fromkeys(t.trigger for t in campaign.phases.transitions)
        # First definition wins, as the duplicate-id errors say.
        self.side_of_actor: dict[str, str] = {}
        for side in campaign.sides:
            for actor in side.actors:
                self.side_of_actor.setdefault(actor.id, side.id)
        self.card_by_id: dict[str, Card] = {}
        for card in campaign.cards:
            self.card_by_id.setdefault(card.id, card)
        self.card_actors = {card.actor for card in campaign.cards if card.actor is not None}
        self._condition_cache: dict[str, ConditionError | None] = {}
        self.v2 = V2Checks(self)

    # ---- reporting

    def error(self, path: DataPath, message: str, key: bool = False) -> None:
        self._add(path, message, ERROR, key)

    def warn(self, path: DataPath, message: str, key: bool = False) -> None:
        self._add(path, message, WARNING, key)

    def _add(self, path: DataPath, message: str, severity: Severity, key: bool) -> None:
        line, col = self.smap.locate_key(path) if key else self.smap.locate(path)
        self.problems.append(Problem(self.path, line, col, severity, message))

    def line_of(self, path: DataPath) -> int:
        return self.smap.locate(path)[0]

    def ref(self, path: DataPath, kind: str, value: str, known: Collection[str], where: str, key: bool = False) -> bool:
        """Report ``value`` at ``path`` unless it is in ``known``; True if known."""
        if value in known:
            return True
        self.error(path, f"unknown {kind} '{value}' in {where}{suggest(value, known)}", key=key)
        return False

    # ---- the checks, in document order

    def run(self) -> list[Problem]:
        self.duplicates()
        self.calendar()
        self.rules()
        self.sides()
        self.tracks()
        self.phases()
        self.cards()
        self.covert_signatures()
        self.injects()
        self.end()
        self.v2.run()
        return self.problems

    def duplicates(self) -> None:
        c = self.c

        def check(kind: str, items: Iterable[tuple[str, DataPath]], scope: str = "") -> None:
            first: dict[str, DataPath] = {}
            for ident, path in items:
                if ident in first:
                    line = self.line_of(first[ident] + ("id",))
                    self.error(path + ("id",), f"duplicate {kind} id '{ident}'{scope} (first defined on line {line})")
                else:
                    first[ident] = path

        check("side", ((s.id, ("sides", i)) for i, s in enumerate(c.sides)))
        check(
            "actor",
            ((a.id, ("sides", i, "actors", j)) for i, s in enumerate(c.sides) for j, a in enumerate(s.actors)),
        )
        for i, s in enumerate(c.sides):
            check(
                "objective",
                ((o.id, ("sides", i, "objectives", j)) for j, o in enumerate(s.objectives)),
                f" in side '{s.id}'",
            )
        check("track", ((t.id, ("tracks", i)) for i, t in enumerate(c.tracks)))
        check("phase", ((p.id, ("phases", "states", i)) for i, p in enumerate(c.phases.states)))
        check("card", ((card.id, ("cards", i)) for i, card in enumerate(c.cards)))
        check("inject", ((inj.id, ("injects", i)) for i, inj in enumerate(c.injects)))
        check("end condition", ((e.id, ("end", i)) for i, e in enumerate(c.end)))

    def calendar(self) -> None:
        cal = self.c.calendar
        try:
            cal.start + dt.timedelta(days=(cal.rounds - 1) * cal.round_days)
        except OverflowError:
            self.error(("calendar", "rounds"), "the calendar runs past the year 9999; start earlier or play fewer rounds")

    def rules(self) -> None:
        rules = self.c.rules
        self.effects(rules.misattribution, ("rules", "misattribution"), "rules → misattribution")
        if rules.order is None:
            return
        seen: dict[str, int] = {}
        allowed = [*FIXED_STEPS, *self.side_ids]
        for i, step in enumerate(rules.order):
            path = ("rules", "order", i)
            if step not in allowed:
                self.error(
                    path,
                    f"unknown step '{step}' in rules → order{suggest(step, allowed)}; the steps are "
                    f"{', '.join(FIXED_STEPS)} and the side ids ({', '.join(self.side_ids)})",
                )
                continue
            if step in self.side_ids and step in seen:
                self.error(path, f"side '{step}' has two turns in rules → order; list each side once")
            seen.setdefault(step, i)
        for side in self.side_ids:
            if side not in seen:
                self.error(("rules", "order"), f"side '{side}' never gets a turn: add '{side}' to rules → order")
        consequences = {
            "adjudication": "contests resolve as soon as their card does",
            "phase_check": "automatic phase transitions never fire",
            "upkeep": "actors never gain income or draw cards, and end conditions are never checked",
        }
        for step, why in consequences.items():
            if step not in seen:
                self.warn(("rules", "order"), f"rules → order has no '{step}' step: {why}")
        if "injects" not in seen and any(inj.round is not None or inj.when is not None for inj in self.c.injects):
            self.warn(("rules", "order"), "rules → order has no 'injects' step: injects due by round or condition never fire")

    def sides(self) -> None:
        for i, side in enumerate(self.c.sides):
            if not side.objectives:
                self.warn(("sides", i), f"side '{side.id}' has no objectives, so the debrief cannot say how it did")
            for j, obj in enumerate(side.objectives):
                self.condition(("sides", i, "objectives", j, "when"), obj.when)
            for j, actor in enumerate(side.actors):
                self.deck(i, j)

    def deck(self, i: int, j: int) -> None:
        actor = self.c.sides[i].actors[j]
        where = f"side '{self.c.sides[i].id}' → actor '{actor.id}'"
        path = ("sides", i, "actors", j)
        if actor.deck is None:
            if actor.id not in self.card_actors:
                self.warn(
                    path,
                    f"actor '{actor.id}' starts with an empty deck: no card names it as `actor` and it has no `deck`",
                )
            return
        if not actor.deck:
            self.warn(path + ("deck",), f"actor '{actor.id}' starts with an empty deck")
        side = self.c.sides[i].id
        by_id = self.card_by_id
        for k, card_id in enumerate(actor.deck):
            at = path + ("deck", k)
            if not self.ref(at, "card", card_id, self.card_ids, f"the deck of {where}"):
                continue
            card = by_id[card_id]
            if card.side != side:
                self.error(at, f"card '{card_id}' belongs to side '{card.side}', so it cannot be in the deck of {where}")
            elif card.actor is not None and card.actor != actor.id:
                self.error(
                    at,
                    f"card '{card_id}' may be played only by actor '{card.actor}', so it cannot be in the deck of {where}",
                )

    def tracks(self) -> None:
        for i, track in enumerate(self.c.tracks):
            path = ("tracks", i)
            if track.min >= track.max:
                self.error(path + ("max",), f"track '{track.id}': max ({track.max}) must be greater than min ({track.min})")
                continue
            if not track.min <= track.start <= track.max:
                self.error(
                    path + ("start",),
                    f"track '{track.id}': start ({track.start}) must be between min ({track.min}) and max ({track.max})",
                )
            for k, th in enumerate(track.thresholds):
                if not track.min <= th.at <= track.max:
                    self.error(
                        path + ("thresholds", k, "at"),
                        f"track '{track.id}': threshold at {th.at} is outside the track ({track.min} to {track.max})",
                    )
            if track.favours is not None:
                self.ref(path + ("favours",), "side", track.favours, self.side_ids, f"track '{track.id}'")

    # ---- phases

    def phases(self) -> None:
        ph = self.c.phases
        known = self.phase_ids
        terminal = {p.id for p in ph.states if p.terminal}
        self.ref(("phases", "initial"), "phase", ph.initial, known, "phases → initial")
        if ph.initial in terminal:
            self.warn(("phases", "initial"), f"the initial phase '{ph.initial}' is terminal, so the exercise ends at once")
        fired_by = self._triggers_fired()
        for i, t in enumerate(ph.transitions):
            path = ("phases", "transitions", i)
            where = f"transition '{t.trigger}'"
            if t.trigger in _RESERVED_TRIGGERS:
                self.error(path + ("trigger",), f"the trigger name '{t.trigger}' is reserved by the crisis state machine; choose another")
            if isinstance(t.source, str):
                if t.source != "*":
                    self.ref(path + ("source",), "phase", t.source, known, where)
            else:
                for k, s in enumerate(t.source):
                    self.ref(path + ("source", k), "phase", s, known, where)
            self.ref(path + ("dest",), "phase", t.dest, known, where)
            for k, s in enumerate(t.sources):
                if s in terminal:
                    at = path + ("source",) if isinstance(t.source, str) else path + ("source", k)
                    self.warn(at, f"{where} leaves terminal phase '{s}', which ends the exercise, so it never fires from there")
            if t.when is not None:
                self.condition(path + ("when",), t.when)
            elif t.trigger not in fired_by:
                self.warn(
                    path,
                    f"{where} has no condition and no card or inject fires it (effects: {{trigger: {t.trigger}}}), so it never fires",
                )
        unreachable = self.unreachable
        for i, p in enumerate(ph.states):
            if p.id in unreachable:
                self.warn(("phases", "states", i), f"phase '{p.id}' can never be reached from the initial phase '{ph.initial}'")

    def _triggers_fired(self) -> set[str]:
        fired: set[str] = set()
        for effects, _, _ in self._all_effects():
            if effects.trigger:
                fired.add(effects.trigger)
        return fired

    @cached_property
    def unreachable(self) -> set[str]:
        """Phase ids no chain of transitions leads to from the initial phase."""
        ph = self.c.phases
        if ph.initial not in self.phase_ids:  # reported as an error; do not pile warnings on it
            return set()
        terminal = {p.id for p in ph.states if p.terminal}
        reached = {ph.initial}
        changed = True
        while changed:
            changed = False
            live = reached - terminal
            for t in ph.transitions:
                if t.dest in reached:
                    continue
                if any((s == "*" and live) or s in live for s in t.sources):
                    reached.add(t.dest)
                    changed = True
        return set(self.phase_ids) - reached

    # ---- cards

    def cards(self) -> None:
        default_deck = {a.id for s in self.c.sides for a in s.actors if a.deck is None}
        in_a_deck = {card.id for card in self.c.cards if card.actor in default_deck}
        for side in self.c.sides:
            for actor in side.actors:
                if actor.deck is not None:
                    in_a_deck.update(actor.deck)
        unreachable = self.unreachable
        terminal = {p.id for p in self.c.phases.states if p.terminal}
        for i, card in enumerate(self.c.cards):
            path = ("cards", i)
            where = f"card '{card.id}'"
            side_ok = self.ref(path + ("side",), "side", card.side, self.side_ids, where)
            actor_ok = True
            if card.actor is not None:
                actor_ok = self.ref(path + ("actor",), "actor", card.actor, self.actor_ids, where)
                if actor_ok and side_ok and self.side_of_actor.get(card.actor) != card.side:
                    self.error(
                        path + ("actor",),
                        f"actor '{card.actor}' of {where} is on side '{self.side_of_actor.get(card.actor)}', not '{card.side}'",
                    )
                    actor_ok = False
            phases_ok = True
            if card.phases is not None:
                for k, ph in enumerate(card.phases):
                    if not self.ref(path + ("phases", k), "phase", ph, self.phase_ids, where):
                        phases_ok = False
                    elif ph in terminal and len(card.phases) > 1:
                        self.warn(path + ("phases", k), f"phase '{ph}' in {where} is terminal: no card is played once it is reached")
            if card.requires is not None:
                self.condition(path + ("requires",), card.requires)
            self.effects(card.effects, path + ("effects",), where)
            if card.contest is not None:
                self.contest(card.contest, path + ("contest",), where)
            if card.consensus is not None:
                for k, voter in enumerate(card.consensus.voters):
                    self.ref(path + ("consensus", "voters", k), "actor", voter, self.actor_ids, f"{where} → consensus")
            if card.covert is not None and card.consensus is not None:
                self.error(
                    path + ("consensus",),
                    f"{where} is covert and needs a consensus vote: a vote is public, so it would show who "
                    "played the card (its author votes first); make it covert or put it to a vote, not both",
                    key=True,
                )
            if card.covert is not None:
                cov = card.covert
                cpath = path + ("covert",)
                self.modifiers(cov.attribution.modifiers, cpath + ("attribution", "modifiers"), f"{where} → covert")
                self.dice_target(cov.attribution.dice, cov.attribution.target, cov.attribution.modifiers,
                                 cpath + ("attribution", "target"), f"the attribution roll of {where}")
                self.effects(cov.on_attributed, cpath + ("on_attributed",), f"{where} → covert")
            # can it ever be played?
            if not (side_ok and actor_ok and phases_ok):
                continue
            if card.id not in in_a_deck:
                hint = "give it an `actor` or list it in an actor's `deck`"
                self.warn(path + ("id",), f"{where} is in no actor's deck, so it can never be played ({hint})")
            elif card.phases is not None and all(p in unreachable or p in terminal for p in card.phases):
                self.warn(
                    path + ("phases",),
                    f"{where} can never be played: its phases are never reached or end the exercise",
                )


    def covert_signatures(self) -> None:
        """Warn where a covert card's public effects single it out (see :mod:`~tabletop.campaign.covert_checks`)."""
        for path, message in covert_signature_warnings(self.c, self.card_by_id, self.side_of_actor):
            self.warn(path, message, key=True)

    def contest(self, contest: Contest, path: DataPath, where: str) -> None:
        if contest.by == "dice":
            if contest.target is None:
                self.error(path, f"{where}: a dice contest needs a `target` (the total to reach)")
            else:
                self.dice_target(contest.dice, contest.target, contest.modifiers, path + ("target",), f"the contest of {where}")
        self.modifiers(contest.modifiers, path + ("modifiers",), f"{where} → contest")
        self.effects(contest.success, path + ("success",), f"{where} → contest → success")
        self.effects(contest.failure, path + ("failure",), f"{where} → contest → failure")

    def dice_target(self, dice: str, target: int, modifiers: Sequence[Modifier], path: DataPath, what: str) -> None:
        count, _, sides = dice.partition("d")
        n, s = int(count), int(sides)  # the model's pattern makes both whole numbers
        best = n * s + sum(m.add for m in modifiers if m.add > 0)
        worst = n + sum(m.add for m in modifiers if m.add < 0)
        if target > best:
            self.warn(path, f"{what} can never succeed: {dice} with its modifiers makes at most {best}, the target is {target}")
        elif target <= worst:
            self.warn(path, f"{what} always succeeds: {dice} with its modifiers makes at least {worst}, the target is {target}")

    def modifiers(self, modifiers: Sequence[Modifier], path: DataPath, where: str) -> None:
        for k, mod in enumerate(modifiers):
            if mod.when is not None:
                self.condition(path + (k, "when"), mod.when)
            if mod.if_played is not None:
                self.ref(path + (k, "if_played"), "card", mod.if_played, self.card_ids, f"{where} → modifier {k + 1}")
            self.v2.modifier(mod, path + (k,), f"{where} → modifier {k + 1}")

    def effects(self, effects: Effects, path: DataPath, where: str) -> None:
        for track in effects.tracks:
            self.ref(path + ("tracks", track), "track", track, self.track_ids, where, key=True)
        for actor in effects.resources_of:
            self.ref(path + ("resources_of", actor), "actor", actor, self.actor_ids, where, key=True)
        for actor in effects.discard:
            self.ref(path + ("discard", actor), "actor", actor, self.actor_ids, where, key=True)
        if effects.trigger is not None and effects.trigger not in self.triggers:
            self.error(
                path + ("trigger",),
                f"unknown trigger '{effects.trigger}' in {where}: no transition has it{suggest(effects.trigger, self.triggers)}",
            )
        self.v2.effects(effects, path, where)

    def _all_effects(self) -> Iterator[tuple[Effects, DataPath, str]]:
        yield self.c.rules.misattribution, ("rules", "misattribution"), "rules"
        for i, card in enumerate(self.c.cards):
            yield card.effects, ("cards", i, "effects"), card.id
            if card.contest is not None:
                yield card.contest.success, ("cards", i, "contest", "success"), card.id
                yield card.contest.failure, ("cards", i, "contest", "failure"), card.id
            if card.covert is not None:
                yield card.covert.on_attributed, ("cards", i, "covert", "on_attributed"), card.id
        for i, inj in enumerate(self.c.injects):
            yield inj.effects, ("injects", i, "effects"), inj.id

    # ---- injects and the end

    def injects(self) -> None:
        rounds = self.c.calendar.rounds
        for i, inj in enumerate(self.c.injects):
            path = ("injects", i)
            where = f"inject '{inj.id}'"
            if inj.round is not None and inj.round > rounds:
                self.warn(path + ("round",), f"{where} is due in round {inj.round}, but the exercise has only {rounds} rounds")
            if inj.when is not None:
                self.condition(path + ("when",), inj.when)
            if inj.round is None and inj.when is None and inj.library is False:
                self.warn(path + ("library",), f"{where} has no round, no condition and is not in the library, so it never fires")
            self.effects(inj.effects, path + ("effects",), where)

    def end(self) -> None:
        for i, cond in enumerate(self.c.end):
            self.condition(("end", i, "when"), cond.when)

    # ---- conditions

    def condition(self, path: DataPath, text: str) -> None:
        """Compile ``text``; an error points at the offending token inside the string."""
        if text in self._condition_cache:
            err = self._condition_cache[text]
        else:
            try:
                self.c.condition(text)  # compiled once, and cached on the campaign for the engine
                err = None
            except ConditionError as e:
                err = e
            self._condition_cache[text] = err
        if err is None:
            return
        line, col = self.smap.locate_in_scalar(path, err.offset)
        self.problems.append(Problem(self.path, line, col, ERROR, f"in condition {quote(text, 60)}: {err.message}"))
