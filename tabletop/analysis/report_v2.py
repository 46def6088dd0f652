"""The after-action report's sections for what campaign format 2 adds (issue 11).

:mod:`tabletop.analysis.report` asks these only when the campaign uses the keys, so a
format-1 save's report stays exactly as it was. Each reads an
:class:`~tabletop.analysis.evidence.Evidence` and says it in plain words: names, never
ids; conditions as sentences; "from round 6", not "round >= 6".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from tabletop.analysis.document import Block, Bullets, Heading, Para, Section, Table
from tabletop.analysis.evidence import COUNTS, Evidence, Measured, Moment
from tabletop.analysis.words import capital, condition_text
from tabletop.campaign.model import Campaign, Objective
from tabletop.campaign.plural import noted


#: a count's instances listed under a learning objective, at most
_DETAILS = 12


class Names(Protocol):
    """How the report names things (the report's builder)."""

    def actor(self, actor: str | None) -> str: ...
    def side(self, side: str) -> str: ...
    def card(self, card: str | None) -> str: ...
    def date(self, round_: int) -> str: ...


# ====================================================================== when the keys are used


def uses_reasons(c: Campaign) -> bool:
    return any(card.rationale == "ask" or (card.consensus and card.consensus.advisors) for card in c.cards)


def uses_secrets(c: Campaign) -> bool:
    return bool(c.hidden) or any(o.secret for s in c.sides for o in s.objectives) or any(
        a.brief.strip() or any(o.secret for o in a.objectives) for s in c.sides for a in s.actors
    )


def uses_msel(c: Campaign) -> bool:
    return any(i.to or i.expected or i.objective for i in c.injects)


def uses_learning_evidence(c: Campaign) -> bool:
    return any(lo.evidence for lo in c.learning) or any(i.objective for i in c.injects)


def declares_outcomes(c: Campaign) -> bool:
    return any(p.outcome is not None for p in c.phases.states) or any(e.outcome is not None for e in c.end)


# ====================================================================== the sections


class Format2Sections:
    def __init__(self, evidence: Evidence, names: Names) -> None:
        self.ev = evidence
        self.n = names
        self.c = evidence.c
        self.engine = evidence.engine

    # ---- small words

    def tracks(self, values: Mapping[str, int]) -> str:
        return ", ".join(f"{t.name} {values[t.id]}" for t in self.c.tracks if t.id in values)

    def when(self, round_: int) -> str:
        return "at the deal, before round 1" if round_ < 1 else f"round {round_} ({self.n.date(round_)})"

    def moment(self, m: Moment) -> str:
        when = "at the deal, before round 1" if m.round < 1 else f"in {self.when(m.round)}"
        return f"{when}, in {self.engine.phase_name(m.phase)} (event {m.seq}); tracks then: {self.tracks(m.tracks)}"

    def who(self, ids: tuple[str, ...]) -> str:
        return self.ev.who(ids) if ids else "every seat"

    def condition(self, text: str) -> str:
        """A condition as a sentence (capitalised, for a table cell or a line of its own)."""
        return capital(condition_text(self.c, text))

    # ---- outcome

    def result_words(self, results: Mapping[str, str], declared: bool, by: str) -> str:
        """``Result (declared by the phase Armed conflict): every side lost.``"""
        if results and all(r == "lose" for r in results.values()):
            what = "every side lost"
        elif results and all(r == "draw" for r in results.values()):
            what = "a draw for every side"
        else:
            verbs = {"win": "won", "lose": "lost", "draw": "drew"}
            what = ", ".join(f"{self.n.side(s)} {verbs.get(r, r)}" for s, r in results.items())
        how = f"declared by {by}" if declared else "judged on each side's share of its objectives met"
        return f"Result ({how}): {what}."

    def ender(self, reason: str, detail: str) -> str:
        if reason == "terminal_phase":
            return f"the phase {self.engine.phase_name(detail)}"
        end = next((e for e in self.c.end if e.id == detail), None)
        return f"the end condition “{end.title}”" if end else "the ending"

    def objective_title(self, o: Objective) -> str:
        return noted(o.title, "secret") if o.secret else o.title

    def actor_objectives(self, met: Mapping[str, Mapping[str, bool]], yes: str, no: str) -> list[Block]:
        rows = []
        for s in self.c.sides:
            for a in s.actors:
                for o in a.objectives:
                    got = met.get(a.id, {}).get(o.id)
                    rows.append((a.name, s.name, yes if got else no, self.objective_title(o), self.condition(o.when)))
        if not rows:
            return []
        return [
            Heading("Actor objectives (reported, not counted in the result)"),
            Table(("Actor", "Side", "Met", "Objective", "Condition"), tuple(rows)),
        ]

    # ---- secrets

    def secrets(self, objectives: Mapping[str, Mapping[str, bool]], actor_met: Mapping[str, Mapping[str, bool]]) -> Section:
        blocks: list[Block] = [Para(
            "What some seats knew and others did not, told now: hidden values, secret objectives and private briefs."
        )]
        values = self.ev.hidden_values()
        if values:
            blocks.append(Heading("Hidden values"))
            rows = []
            for h in values:
                known = self.who(h.known_by) if h.known_by else "nobody"
                if h.revealed_seq is not None and h.revealed_round is not None:
                    revealed = f"{self.when(h.revealed_round)}, by {h.revealed_cause} (event {h.revealed_seq})"
                else:
                    revealed = "not during play: only at the end"
                value = "not recorded in the save" if h.value is None else str(h.value)
                rows.append((h.name, value, f"{known} (and the facilitator)", revealed, h.description or "—"))
            blocks.append(Table(("Value", "Drawn", "Known from the start by", "Revealed", "What it is"), tuple(rows)))
        secret = []
        for s in self.c.sides:
            for o in s.objectives:
                if o.secret:
                    met = "met" if objectives.get(s.id, {}).get(o.id) else "missed"
                    secret.append((f"{s.name}: {o.title} — {met}", (self.condition(o.when),)))
            for a in s.actors:
                for o in a.objectives:
                    if o.secret:
                        met = "met" if actor_met.get(a.id, {}).get(o.id) else "missed"
                        secret.append((f"{a.name} ({s.name}): {o.title} — {met}", (self.condition(o.when),)))
        if secret:
            blocks.append(Heading("Secret objectives"))
            blocks.append(Bullets(tuple(secret)))
        briefs = [(f"{a.name} ({s.name})", (a.brief.strip(),)) for s in self.c.sides for a in s.actors if a.brief.strip()]
        if briefs:
            blocks.append(Heading("Private briefs"))
            blocks.append(Bullets(tuple(briefs)))
        return Section("secrets", "Secrets revealed", tuple(blocks))

    # ---- reasons

    def reasons(self) -> Section:
        items = self.ev.reasons()
        if not items:
            return Section("reasons", "Reasons given", (Para("No player gave a reason with a card, a vote or advice."),))
        by_round: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
        for r in items:
            by_round.setdefault(r.round, []).append((f"{self.ev.reason_sentence(r)} (event {r.seq})", ()))
        blocks: list[Block] = [Para(
            "Every reason a player gave with a card it played, a vote it cast or advice it gave, in order."
        )]
        for rnd, rows in by_round.items():
            blocks.append(Heading(f"Round {rnd} ({self.n.date(rnd)})"))
            blocks.append(Bullets(tuple(rows)))
        return Section("reasons", "Reasons given", tuple(blocks))

    # ---- unmet triggers (in the phase timeline)

    def unmet(self) -> list[Block]:
        items = self.ev.unmet_triggers()
        if not items:
            return []
        rows = tuple(
            (str(u.seq), str(u.round), self.n.date(u.round), u.cause, u.reason[:1].upper() + u.reason[1:])
            for u in items
        )
        return [
            Heading("Triggers that did not move the crisis"),
            Table(("Event", "Round", "Date", "Fired by", "Why not"), rows, numeric=(0, 1)),
        ]

    # ---- the MSEL

    def msel(self) -> Section:
        fired = self.ev.injects_fired()
        blocks: list[Block] = [Para(
            "Each inject that fired, whom it reached, the response the evaluators looked for, and what its "
            "audience did in the rest of that round."
        )]
        if fired:
            rows = tuple(
                (
                    str(i.seq), self.when(i.round), i.title, self.who(i.to), i.expected or "—", i.objective or "—",
                    "; ".join(i.responses) or "nothing",
                )
                for i in fired
            )
            blocks.append(Table(
                ("Event", "When", "Inject", "To", "Expected response", "Learning objective", "What its audience did"),
                rows, numeric=(0,),
            ))
        else:
            blocks.append(Para("No inject fired."))
        unfired = self.ev.injects_unfired()
        if unfired:
            blocks.append(Heading("Scheduled injects that never fired"))
            items = []
            for iid in unfired:
                inj = self.c.inject_by_id[iid]
                when = f"in round {inj.round}" if inj.round is not None else f"when {condition_text(self.c, inj.when or '')}"
                subs = tuple(x for x in (
                    f"Expected response: {inj.expected}" if inj.expected else "",
                    f"Learning objective: {self.ev.objective_words(inj.objective)}" if inj.objective else "",
                ) if x)
                items.append((f"{inj.title} (due {when})", subs))
            blocks.append(Bullets(tuple(items)))
        return Section("msel", "Injects against expected responses (MSEL)", tuple(blocks))

    # ---- learning objectives

    def learning(self) -> Section:
        objs = self.ev.learning()
        fired = self.ev.injects_fired()
        items = []
        for lo in objs:
            subs = [line for m in lo.evidence for line in self.measured(m)]
            for i in fired:
                if i.objective and i.objective == lo.text:
                    subs.append(f"Exercised by the inject “{i.title}” in {self.when(i.round)}"
                                + (f"; expected: {i.expected}" if i.expected else ""))
            items.append((lo.text, tuple(subs)))
        return Section("learning", "Learning objectives", (
            Para("For the debrief: tick each objective the exercise met. The evidence under each was measured "
                 "from the save."),
            Bullets(tuple(items), checklist=True),
        ))

    def measured(self, m: Measured) -> list[str]:
        item = m.item
        if item.when is not None:
            what = condition_text(self.c, item.when)
            if m.held is None:
                return [f"{item.label} ({what}): never held"]
            return [f"{item.label} ({what}): first held {self.moment(m.held)}"]
        if item.card is not None:
            title = self.n.card(item.card)
            if not m.uses:
                return [f"{item.label}: {title} was never played"]
            out = []
            for u in m.uses:
                how = " covertly" if u.covert else ""
                line = (f"{item.label}: {self.n.actor(u.actor)} played {title}{how} (#{u.play}) in "
                        f"{self.when(u.round)}, in {self.engine.phase_name(u.phase)}; tracks then: "
                        f"{self.tracks(u.tracks)}; {u.result}")
                if u.rationale:
                    line += f"; reason given: {u.rationale}"
                out.append(line)
            return out
        count = item.count or ""
        head = f"{item.label}: {m.total} ({COUNTS.get(count, count)})"
        shown = list(m.details[:_DETAILS])
        if len(m.details) > _DETAILS:
            shown.append(f"and {len(m.details) - _DETAILS} more")
        return [head + (": " + "; ".join(shown) if shown else "")]


__all__ = [
    "Format2Sections", "Names", "declares_outcomes", "uses_learning_evidence", "uses_msel", "uses_reasons",
    "uses_secrets",
]
