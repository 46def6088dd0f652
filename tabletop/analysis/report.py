"""The after-action report of a saved session, in Markdown or standalone HTML.

A debrief document for the facilitator and trainers: it tells the whole truth (hands,
covert authors, the seed). :func:`build_report` turns a :class:`Replay` into a list of
:class:`Section` made of a few kinds of block (paragraphs, tables, lists, checklists,
track charts: :mod:`tabletop.analysis.document`); :func:`render_markdown` and
:func:`render_html` (:mod:`tabletop.analysis.render`) write the same document in each
format, so the two never drift apart; :func:`report_text` does both steps.

The HTML is one file with no external assets: inline ``<style>`` (screen and print)
and inline SVG charts; no script. Every piece of text from the save (names, rationales,
proposals, annotations, notes) is escaped.
"""

from __future__ import annotations

from dataclasses import replace

from tabletop.analysis.debrief import Debrief
from tabletop.analysis.document import Block, Bullets, Charts, Heading, Para, Report, Section, Table
from tabletop.analysis.evaluation import verify_replay
from tabletop.analysis.evidence import Evidence
from tabletop.analysis.report_v2 import (
    Format2Sections,
    uses_learning_evidence,
    uses_msel,
    uses_reasons,
    uses_secrets,
)
from tabletop.analysis.render import html_to_text, render_html, render_markdown
from tabletop.analysis.timing import clock, span, timing
from tabletop.analysis.words import day
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.grammar import succeeds_from
from tabletop.engine.narrate import Narrator, actor_name
from tabletop.engine.state import GameState
from tabletop.journal.notes import NotesRead
from tabletop.journal.replay import Replay

YES, NO = "✓", "✗"


# ====================================================================== building


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _once(headline: str, rationale: str) -> tuple[str, str]:
    """What happened and its rationale, the rationale said once: out of the headline if it ends with it."""
    if not rationale:
        return headline, "—"
    tail = f": {rationale}"
    head = headline[: -len(tail)] if headline.endswith(tail) else ""
    if " " in head:  # "The facilitator adjusted Tension +1 (now 4): why" (not "Note: text")
        return head.rstrip(".") + ".", rationale
    if rationale in headline:
        return headline, "—"
    return headline, rationale


class _Builder:
    def __init__(self, replay: Replay, save_name: str, notes: NotesRead | None) -> None:
        self.r = replay
        self.d = Debrief(replay)
        self.c = replay.campaign
        self.engine = replay.engine
        self.final: GameState = replay.final
        self.save_name = save_name
        self.notes = notes
        self.narrator = Narrator(replay.engine)
        self.v2 = Format2Sections(Evidence(self.d), self)

    # ---- names

    def actor(self, actor: str | None) -> str:
        if actor is None:
            return "—"
        if actor == FACILITATOR:
            return "Facilitator"
        return actor_name(self.engine, actor)

    def side(self, side: str) -> str:
        s = self.c.side_by_id.get(side)
        return s.name if s else side

    def card(self, card: str | None) -> str:
        if card is None:  # hidden from a viewpoint; the report's is the facilitator's, who sees every card
            return "—"
        c = self.c.card_by_id.get(card)
        return c.title if c else card

    def date(self, round_: int) -> str:
        """The in-game date of a round: ``2 Mar 2031``, as the board shows it (format 1's reports keep ISO dates)."""
        d = self.engine.date_of(round_)
        return day(d) if self.c.format >= 2 else d.isoformat()

    @staticmethod
    def controller(who: str) -> str:
        if who == "human":
            return "Human"
        if who.startswith("bot:"):
            return f"Bot ({who[4:]})"
        return who

    # ---- sections

    def build(self) -> Report:
        # what format 2 adds is shown only when the campaign uses it: a format-1 report is as it was
        c = self.c
        sections = [
            self.summary(),
            self.outcome(),
            *([self.secrets()] if uses_secrets(c) else []),
            self.phases(),
            self.tracks(),
            self.decisions(),
            *([self.v2.reasons()] if uses_reasons(c) or self.v2.ev.reasons() else []),
            self.covert(),
            self.interventions(),
            self.votes(),
            *([self.v2.msel()] if uses_msel(c) else []),
            self.notes_section(),
            self.v2.learning() if uses_learning_evidence(c) else self.learning(),
        ]
        return Report(f"After-action report: {self.c.title}", tuple(sections))

    def _objectives_now(self) -> tuple[dict[str, dict[str, bool]], dict[str, dict[str, bool]]]:
        f = self.final
        o = f.outcome if f.outcome is not None else self.engine.outcome_now(f, "", "") if f.seq else None
        if o is None:
            return {}, {}
        return ({k: dict(v) for k, v in o.objectives.items()}, {k: dict(v) for k, v in o.actor_objectives.items()})

    def secrets(self) -> Section:
        return self.v2.secrets(*self._objectives_now())

    def summary(self) -> Section:
        h = self.r.header
        blocks: list[Block] = []
        if self.r.damage:
            blocks.append(Para(
                f"Warning: {self.r.damage}. This report covers the {_plural(len(self.r), 'event')} before the damage.",
                "warning",
            ))
        if self.r.repair:
            blocks.append(Para(f"Note: {self.r.repair}.", "warning"))
        if h.parent:
            p = h.parent
            blocks.append(Para(
                f"This session is a fork (a “what if”) of the save {p.get('save', '?')} at event {p.get('seq', '?')}: "
                f"the first {p.get('seq', '?')} events are the parent's, the rest were played afresh.",
                "lead",
            ))
        rounds = [s for s in self.r.rounds() if s.round > 0]
        last_round = rounds[-1].round if rounds else 0
        start = self.date(1)
        end = self.date(last_round) if last_round else start
        rows = [
            ("Campaign", f"{self.c.title} ({self.c.id}, version {self.c.version})"),
            ("Save", self.save_name),
            *self._real_time(),
            ("In-game dates", f"{start} to {end} ({_plural(last_round, 'round')} played of {self.c.calendar.rounds}, "
                              f"{self.c.calendar.round_days} days each)"),
            ("Events", str(len(self.r))),
            ("Fingerprint", f"{self.r.fingerprint} (the save's chain head after event {len(self.r)})"),
            ("Verification", verify_replay(self.r).sentence),
            ("Seed", str(h.seed)),
            ("Recorded by", f"tabletop {h.engine}" if h.engine else "unknown"),
            ("Campaign hash", f"sha256 {h.campaign_sha256[:16]}…"),
        ]
        blocks.append(Table(("", ""), tuple(rows)))
        blocks.append(Heading("Seats"))
        seat_rows = []
        for s in self.c.sides:
            for a in s.actors:
                seat_rows.append((a.name, s.name, self.controller(h.seats.get(a.id, "human"))))
        seat_rows.append(("Facilitator", "White cell", self.controller(h.seats.get(FACILITATOR, "human"))))
        blocks.append(Table(("Seat", "Side", "Played by"), tuple(seat_rows)))
        return Section("summary", "Summary", tuple(blocks))

    def _real_time(self) -> list[tuple[str, str]]:
        t = timing(self.r)
        if not t.timed or t.start is None or t.end is None:
            return [("Started (real time)", self.r.header.created or "not recorded")]
        paused = f", of which {span(t.paused)} paused" if t.paused else ""
        return [("Started (real time)", clock(t.start)), ("Ended (real time)", clock(t.end)),
                ("Duration", f"{span(t.end - t.start)}{paused}")]

    def outcome(self) -> Section:
        f = self.final
        blocks: list[Block] = []
        if f.outcome is not None:
            o = f.outcome
            why = self.narrator.end_reason(o.reason, o.detail)
            blocks.append(Para(
                f"The exercise ended in round {f.round} ({self.date(f.round)}), in the phase "
                f"{self.engine.phase_name(f.phase)}: {why}.", "lead",
            ))
            verdict = o.verdict()
            if o.declared or verdict == "none" or (self.c.format >= 2 and len(self.c.sides) > 2):
                blocks.append(Para(self.v2.result_words(o.results, bool(o.declared), self.v2.ender(o.reason, o.detail))))
            else:
                blocks.append(Para(
                    "Result: a draw (no side met a larger share of its objectives than the others)." if verdict == "draw"
                    else f"Result: {self.side(verdict)} won, with the largest share of objectives met."
                ))
            objectives = o.objectives
            label = "Objectives"
        elif not f.seq:
            blocks.append(Para("The save holds no events: the exercise had not begun.", "lead"))
            objectives = {}
            label = "Objectives"
        else:
            waiting = ", ".join(self.actor(s) for s in self.engine.awaiting(f)) or "nobody"
            blocks.append(Para(
                f"The exercise had not ended when the save was last written: round {f.round} "
                f"({self.date(f.round)}), phase {self.engine.phase_name(f.phase)}, waiting for {waiting}.", "lead",
            ))
            objectives = self.engine.outcome_now(f, "", "").objectives
            label = "Objectives as things stood at the last event"
        blocks.append(Heading(label))
        rows = []
        words = self.c.format >= 2  # format 2's reports say conditions in words
        for s in self.c.sides:
            for obj in s.objectives:
                met = objectives.get(s.id, {}).get(obj.id)
                cond = self.v2.condition(obj.when) if words else obj.when
                rows.append((s.name, YES if met else NO, self.v2.objective_title(obj), cond))
        if rows:
            blocks.append(Table(("Side", "Met", "Objective", "Condition"), tuple(rows)))
        elif not any(a.objectives for s in self.c.sides for a in s.actors):
            blocks.append(Para("The campaign sets no objectives."))
        blocks += self.v2.actor_objectives(self._objectives_now()[1], YES, NO)
        return Section("outcome", "Outcome", tuple(blocks))

    def phases(self) -> Section:
        steps = self.d.phase_timeline()
        blocks: list[Block] = [Para(f"The crisis began in the phase {self.engine.phase_name(self.r.initial_phase)}.")]
        if steps:
            rows = tuple(
                (str(s.seq), str(s.round), self.date(s.round), f"{s.source_name} → {s.dest_name}", s.because) for s in steps
            )
            blocks.append(Table(("Event", "Round", "Date", "Change", "Because of"), rows, numeric=(0, 1)))
        else:
            blocks.append(Para("The phase never changed."))
        blocks += self.v2.unmet()
        return Section("phases", "Phase timeline", tuple(blocks))

    def tracks(self) -> Section:
        series = self.d.track_series()
        names = {t.id: t.name for t in self.c.tracks}
        headers = ("Round", *(names[t] for t in series.tracks))
        rows = []
        for i, rnd in enumerate(series.rounds):
            label = "Start" if rnd == 0 else f"{rnd} ({self.date(rnd)})"
            rows.append((label, *(str(series.per_round[t][i]) for t in series.tracks)))
        table = Table(headers, tuple(rows), numeric=tuple(range(1, len(headers))))
        spec = tuple(
            (t.id, t.name, t.min, t.max, tuple((th.at, th.label) for th in t.thresholds)) for t in self.c.tracks
        )
        starts = tuple((s.round, s.first) for s in self.r.rounds() if s.round > 0)
        blocks: list[Block] = [
            Para("Each track's value at the end of every round (the charts show every change, event by event)."),
            Charts(series, table, spec, starts, len(self.r)),
        ]
        favours = [
            f"{t.name}: {t.min} to {t.max}" + (f", a rise favours {self.side(t.favours)}" if t.favours else "")
            for t in self.c.tracks
        ]
        blocks.append(Bullets(tuple((x, ()) for x in favours)))
        return Section("tracks", "Tracks", tuple(blocks))

    def decisions(self) -> Section:
        blocks: list[Block] = [Para(
            "Every command in order, with what followed from it. Covert plays are shown as they really were."
        )]
        by_round: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
        sealed = {r.seq: r.text for r in self.v2.ev.reasons() if r.kind == "covert"}  # the narration leaves them out
        for d in self.d.decisions():
            span = f"event {d.first}" if d.first == d.last else f"events {d.first}–{d.last}"
            who = "Opening" if d.seat is None else self.actor(d.seat)
            headline = d.headline
            why = next((sealed[k] for k in range(d.first, d.last + 1) if k in sealed), None)
            if why is not None:
                headline += f" Reason (told to its own side only): {why}"
            by_round.setdefault(d.round, []).append((f"{who} ({span}): {headline}", d.consequences))
        for rnd, items in by_round.items():
            blocks.append(Heading("The deal" if rnd == 0 else f"Round {rnd} ({self.date(rnd)})"))
            blocks.append(Bullets(tuple(items)))
        return Section("decisions", "Decisions by round", tuple(blocks))

    def covert(self) -> Section:
        recs = self.d.covert_report()
        if not recs:
            return Section("covert", "Covert actions", (Para("No card was played covertly."),))
        rows = []
        for c in recs:
            accusations = []
            for a in c.accusations:
                roll = f"{a.total} ({succeeds_from(a.target)})"
                result = "held" if a.success else "inconclusive"
                right = "right" if a.correct else "wrong" if a.correct is False else "unknown"
                accusations.append(
                    f"{self.actor(a.by)} accused {self.actor(a.accused)} (event {a.seq}, round {a.round}): "
                    f"rolled {roll}, {result}; the accusation was {right}"
                )
            if c.revealed_seq is not None:
                how = {"attributed": "attributed", "effect": "exposed by a card", "timer": "came to light in time"}
                revealed = f"event {c.revealed_seq}, round {c.revealed_round}: {how.get(c.revealed_how or '', c.revealed_how)}"
            else:
                revealed = "never"
            if c.perceived is None:
                perceived = "nobody was blamed"
            elif c.correctly_blamed:
                perceived = f"{self.actor(c.perceived)} (right)"
            else:
                perceived = f"{self.actor(c.perceived)} (wrong: it was {self.actor(c.actor)})"
            seen = "; ".join(f"{self.side(s)}: {text}" for s, text in c.seen_by.items())
            rows.append((
                f"#{c.play}", f"event {c.seq}, round {c.round}", f"{self.actor(c.actor)}: {self.card(c.card)}",
                seen, "; ".join(accusations) or "none", revealed, perceived,
            ))
        blocks: list[Block] = [
            Para("Perceived against actual: who played each covert card, what the other sides were told, who "
                 "accused whom, and whom the public record blamed in the end."),
            Table(("Play", "Played", "Actually", "The other sides saw", "Accusations", "Revealed", "Blamed at the end"),
                  tuple(rows)),
        ]
        return Section("covert", "Covert actions", tuple(blocks))

    def interventions(self) -> Section:
        items = self.d.interventions()
        if not items:
            return Section("interventions", "Facilitator interventions", (Para("The facilitator did not intervene."),))
        kinds = {
            "adjust": "Track adjusted", "inject": "Inject fired", "adjudicate": "Contest ruled", "rule": "Proposal ruled",
            "trigger": "Phase trigger", "pause": "Paused", "resume": "Resumed", "annotate": "Annotation",
            "advance": "Moved the game on",
        }
        rows = tuple(
            (str(i.first), str(i.round), kinds.get(i.kind, i.kind), *_once(i.headline, i.rationale)) for i in items
        )
        return Section("interventions", "Facilitator interventions", (
            Table(("Event", "Round", "Kind", "What happened", "Rationale"), rows, numeric=(0, 1)),
        ))

    def votes(self) -> Section:
        votes = self.d.votes()
        if not votes:
            return Section("votes", "Votes", (Para("No consensus card was put to a vote."),))
        blocks: list[Block] = []
        for v in votes:
            blocks.append(Heading(
                f"{self.card(v.card)} (#{v.play}), tabled by {self.actor(v.actor)} in round {v.round}"
            ))
            if v.advisors or any(b.rationale for b in (*v.ballots, *v.advice)):  # format 2: advice and reasons
                entries = sorted(
                    [(b, "yes" if b.yes else "no", self.actor(b.actor)) for b in v.ballots]
                    + [(b, "advised for" if b.yes else "advised against", f"{self.actor(b.actor)} (advisor)")
                       for b in v.advice],
                    key=lambda x: x[0].seq,
                )
                rows4 = tuple((str(b.seq), who, said, b.rationale or "—") for b, said, who in entries)
                if rows4:
                    blocks.append(Table(("Event", "Voter", "Ballot", "Reason"), rows4, numeric=(0,)))
                silent = [self.actor(a) for a in v.advisors if a not in {b.actor for b in v.advice}]
                if silent:
                    blocks.append(Para(f"Not heard before the vote closed: {', '.join(silent)} (advisor)."))
            else:
                rows = tuple((str(b.seq), self.actor(b.actor), "yes" if b.yes else "no") for b in v.ballots)
                if rows:
                    blocks.append(Table(("Event", "Voter", "Ballot"), rows, numeric=(0,)))
            if v.passed is None:
                result = "The vote was still open at the end of the save."
            elif v.passed:
                result = f"Agreed (event {v.closed}): the card took effect."
            elif v.missing:
                result = (f"Closed by the facilitator (event {v.closed}) without the vote of "
                          f"{', '.join(self.actor(m) for m in v.missing)}: no effect.")
            else:
                result = f"No consensus (event {v.closed}): the card had no effect."
            blocks.append(Para(result))
        return Section("votes", "Votes", tuple(blocks))

    def notes_section(self) -> Section:
        blocks: list[Block] = []
        ann = self.r.annotations()
        blocks.append(Heading("Annotations made during play"))
        if ann:
            blocks.append(Bullets(tuple(
                (f"Event {a.at} (round {a.round}): {a.text}", ()) for a in ann
            )))
        else:
            blocks.append(Para("None."))
        blocks.append(Heading("Debrief notes"))
        notes = self.notes
        if notes is not None and notes.damage:
            blocks.append(Para(f"Warning: {notes.damage}.", "warning"))
        if notes is not None and len(notes):
            items = []
            for n in sorted(notes, key=lambda n: n.seq):
                by = ", ".join(x for x in (n.author, n.created) if x)
                items.append((f"Event {n.seq}: {n.text}" + (f" ({by})" if by else ""), ()))
            blocks.append(Bullets(tuple(items)))
        else:
            blocks.append(Para("None."))
        return Section("notes", "Notes and annotations", tuple(blocks))

    def learning(self) -> Section:
        objs = self.c.learning_objectives
        if not objs:
            return Section("learning", "Learning objectives", (Para("The campaign lists no learning objectives."),))
        return Section("learning", "Learning objectives", (
            Para("For the debrief: tick each objective the exercise met."),
            Bullets(tuple((o.text, ()) for o in self.c.learning), checklist=True),
        ))


#: how the reports name things and build their common sections (the AAR reuses it)
Builder = _Builder


def build_report(replay: Replay, *, save_name: str | None = None, notes: NotesRead | None = None) -> Report:
    """The report of ``replay`` as a document (see :func:`render_markdown`, :func:`render_html`).

    ``save_name`` is how the save is named in it (default: the file's name); ``notes``
    the trainers' notes (default: read from the save's sidecar).
    """
    if save_name is None:
        save_name = replay.path.name if replay.path is not None else "(unsaved)"
    if notes is None:
        notes = replay.notes()
    return _Builder(replay, save_name, notes).build()


def report_text(
    replay: Replay, fmt: str = "md", *, save_name: str | None = None, notes: NotesRead | None = None,
    marking: str = "",
) -> str:
    """The report of ``replay`` as ``md`` or ``html`` text (``save_name``, ``notes``: see
    :func:`build_report`); raises ``ValueError`` for another ``fmt``."""
    report = build_report(replay, save_name=save_name, notes=notes)
    if marking:
        report = replace(report, marking=marking)
    if fmt == "html":
        return render_html(report)
    if fmt == "md":
        return render_markdown(report)
    raise ValueError(f"unknown report format {fmt!r} (md or html)")


__all__ = ["Builder", "Report", "Section", "build_report", "html_to_text", "render_html", "render_markdown", "report_text"]
