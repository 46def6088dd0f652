"""The After-Action Report / Improvement Plan (HSEEP AAR/IP layout) of a save.

Sections, in the HSEEP order: the exercise overview (campaign, the save's fingerprint and
whether it verifies, real start, end and duration, participants by seat with the names
the host entered, evaluators), the outcome (and forks beside it), each learning objective
with its evidence, the evaluators' observations and P/S/M/U ratings and the trainer's
final rating, strengths, areas for improvement with root causes, turning points with
near-misses, decision times and pauses, the hotwash, the improvement plan (from the
notes sidecar), and every observation as an appendix. :func:`build_aar` makes the
document; :mod:`tabletop.analysis.render` writes it as Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from tabletop.analysis.document import Block, Bullets, Heading, Para, Report, Section, Table
from tabletop.analysis.evaluation import Evaluation, Observation, Verified, verify_replay
from tabletop.analysis.report import Builder
from tabletop.analysis.timing import Timing, clock, span, timing
from tabletop.analysis.turning import near_misses, thresholds_crossed
from tabletop.engine.commands import FACILITATOR
from tabletop.journal.notes import RATINGS, NotesRead
from tabletop.journal.replay import Replay

EVALUATOR = "evaluator"
KIND_WORDS = {"strength": "Strength", "improvement": "Area for improvement", "": "Observation"}
#: how the viewer is named where a report asks the trainer to do something there
VIEWER_HINT = "in the replay viewer (tabletop replay SAVE, then a for the assessment)"


@dataclass(frozen=True)
class Fork:
    """A what-if save to put beside the original: its replay and how it is named."""

    replay: Replay
    name: str


class AAR:
    """Builds the AAR (and feeds the ODCR and JSON forms) for one replay."""

    def __init__(self, replay: Replay, save_name: str, notes: NotesRead | None = None,
                 forks: tuple[Fork, ...] = (), verified: Verified | None = None, found: tuple[str, ...] = ()) -> None:
        self.r = replay
        self.save_name = save_name
        self.notes = notes if notes is not None else replay.notes()
        self.b = Builder(replay, save_name, self.notes)
        self.e = Evaluation(replay, self.notes, self.b.d)
        self.t: Timing = timing(replay)
        self.forks = forks
        self.found = found  # forks of this save found beside it, not compared
        self.verified = verified if verified is not None else verify_replay(replay)
        self.names = self.e.names()

    # ---- names

    def actor(self, seat: str | None) -> str:
        return self.b.actor(seat)

    def seat(self, seat: str) -> str:
        """A seat with its participant: ``Poland (Anna Kowalska)``."""
        if seat == EVALUATOR:
            base = "Evaluator"
        elif seat.startswith("side:"):
            base = f"{self.b.side(seat[5:])} (side)"
        elif seat == "observer":
            base = "Observer"
        else:
            base = self.actor(seat)
        name = self.names.get(seat)
        return f"{base} ({name})" if name and seat != EVALUATOR else base

    def by(self, o: Observation) -> str:
        return o.author or ("Facilitator" if o.seat == FACILITATOR else "Evaluator")

    def when(self, o: Observation) -> str:
        at = f" at {clock(o.at)}" if o.at is not None else ""
        if o.after_end:
            return f"after the exercise ended{at}"
        return f"in round {o.round}{at}" if o.round else f"before round 1{at}"

    def objective(self, ref: str) -> str:
        return self.e.objective_words(ref) if ref else "Not tied to a learning objective"

    # ---- the document

    def build(self, marking: str = "") -> Report:
        sections = [
            self.overview(), self.outcome(), self.objectives(), self.strengths(), self.improvements(),
            self.turning_points(), self.times(), self.hotwash(), self.plan(), self.appendix(),
        ]
        return Report(f"After-action report / improvement plan: {self.r.campaign.title}", tuple(sections), marking)

    def overview_rows(self) -> list[tuple[str, str]]:
        c, h, t = self.r.campaign, self.r.header, self.t
        rounds = [s.round for s in self.r.rounds() if s.round > 0]
        last = rounds[-1] if rounds else 0
        rows = [
            ("Exercise", f"{c.title} ({c.id}, version {c.version})"),
            ("Save", self.save_name),
            ("Fingerprint", f"{self.r.fingerprint} (the chain head after event {len(self.r)})"),
            ("Verification", self.verified.sentence),
        ]
        if t.timed and t.start is not None and t.end is not None:
            paused = f", of which {span(t.paused)} paused" if t.paused else ""
            rows += [("Started", clock(t.start)), ("Ended", clock(t.end)),
                     ("Duration", f"{span(t.end - t.start)}{paused}")]
            if t.untimed:
                rows.append(("Times", f"{t.untimed} of {len(self.r)} events carry no time (written before times were recorded)"))
        else:
            rows += [("Started", f"{h.created or 'not recorded'} (the save's creation; its events carry no times)"),
                     ("Duration", "not recorded: the events carry no wall-clock times (a simulated game?)")]
        rows.append(("In-game", f"{self.b.date(1)} to {self.b.date(last or 1)}: {last} of {c.calendar.rounds} "
                                f"round{'s' if c.calendar.rounds != 1 else ''} played"))
        rows.append(("Evaluators", ", ".join(self.e.evaluators()) or "none recorded"))
        forks = [f"compared under Outcome: {', '.join(f.name for f in self.forks)}"] if self.forks else []
        if self.found:
            forks.append(f"found beside the save: {', '.join(self.found)} (--compare FORK puts one beside this)")
        if forks:
            rows.append(("What-if forks", "; ".join(forks)))
        return rows

    def summary(self) -> str:
        """The executive summary, in a few sentences."""
        c, t, h = self.r.campaign, self.t, self.r.header

        def n(k: int, word: str) -> str:
            return f"{k} {word}{'' if k == 1 else 's'}"

        seats = [s for s in h.seats if s in self.r.engine.actors or s == FACILITATOR]
        bots = sum(1 for s in seats if h.seats[s].startswith("bot:"))
        when = f" on {clock(t.start)[:10]} for {span(t.end - t.start)}" if t.start is not None and t.end is not None else ""
        who = n(len(seats), "seat") + (f" ({n(bots, 'bot')})" if bots else "")
        evals = len(self.e.evaluators())
        out = [f"{c.title} ran{when} with {who}" + (f" and {n(evals, 'evaluator')}." if evals else ".")]
        o = self.r.final.outcome
        out.append(f"It ended in round {self.r.final.round}: {self.b.narrator.end_reason(o.reason, o.detail)}." if o
                   else f"It had not ended when the save was last written (round {self.r.final.round}).")
        items = self.e.assessed()
        if items:
            rated = [a.final.rating for a in items if a.final]
            finals = ", ".join(f"{sum(1 for r in rated if r == k)} {k}" for k in RATINGS if k in rated)
            out.append(f"Of {n(len(items), 'learning objective')}, {len(rated)} "
                       f"{'has' if len(rated) == 1 else 'have'} a final rating" + (f" ({finals})." if finals else "."))
        obs = self.e.observations()
        good = sum(1 for o_ in obs if o_.kind == "strength")
        bad = sum(1 for o_ in obs if o_.kind == "improvement")
        out.append(f"The evaluators recorded {n(len(obs), 'observation')}: {n(good, 'strength')} and "
                   f"{n(bad, 'area')} for improvement; the improvement plan has "
                   f"{n(len(self.notes.actions), 'corrective action')}.")
        return " ".join(out)

    def participant_rows(self) -> list[tuple[str, str, str, str]]:
        h = self.r.header
        rows = []
        for s in self.r.campaign.sides:
            for a in s.actors:
                rows.append((a.name, s.name, self.names.get(a.id, "—"), self.b.controller(h.seats.get(a.id, "human"))))
        rows.append(("Facilitator", "White cell", self.names.get(FACILITATOR, "—"),
                     self.b.controller(h.seats.get(FACILITATOR, "human"))))
        for name in self.e.evaluators():
            rows.append(("Evaluator", "Evaluation team", name, "Human"))
        return rows

    def overview(self) -> Section:
        blocks: list[Block] = []
        if self.r.damage:
            blocks.append(Para(f"Warning: {self.r.damage}. This report covers the events before the damage.", "warning"))
        if not self.verified.ok:
            blocks.append(Para(f"Warning: {self.verified.sentence}.", "warning"))
        parent = self.r.header.parent
        if parent:
            blocks.append(Para(f"This exercise is a what-if fork of {parent.get('save', '?')} from event "
                               f"{parent.get('seq', '?')}.", "lead"))
        blocks.append(Para(self.summary(), "lead"))
        blocks.append(Table(("", ""), tuple(self.overview_rows())))
        blocks.append(Heading("Participants"))
        blocks.append(Table(("Seat", "Side", "Participant", "Played by"), tuple(self.participant_rows())))
        return Section("overview", "Exercise overview", tuple(blocks))

    def outcome(self) -> Section:
        sec = self.b.outcome()
        blocks = list(sec.blocks)
        if self.forks:
            blocks.append(Heading("What-if forks beside the original"))
            blocks.append(self.fork_table())
        return Section("outcome", "Outcome", tuple(blocks))

    def fork_table(self) -> Table:
        cols = [("Original", self.r)] + [(f"Fork: {f.name}", f.replay) for f in self.forks]
        rows: list[tuple[str, ...]] = []

        def row(label: str, f: object) -> None:
            rows.append((label, *(str(f(r)) for _, r in cols)))  # type: ignore[operator]

        def start(r: Replay) -> str:
            p = r.header.parent
            return f"event {p.get('seq', '?')} of {PurePath(str(p.get('save', '?'))).name}" if p else "—"

        def ended(r: Replay) -> str:
            o = r.final.outcome
            if o is None:
                return f"not ended (round {r.final.round})"
            return f"round {r.final.round}: {self.b.narrator.end_reason(o.reason, o.detail)}"

        def result(r: Replay) -> str:
            o = r.final.outcome
            if o is None:
                return "—"
            if o.results:
                return ", ".join(f"{self.b.side(s)} {x}" for s, x in o.results.items())
            v = o.verdict()
            return "draw" if v in ("draw", "none") else f"{self.b.side(v)} won"

        def met(r: Replay) -> str:
            f = r.final
            o = f.outcome if f.outcome is not None else r.engine.outcome_now(f, "", "") if f.seq else None
            if o is None:
                return "—"
            return "; ".join(f"{self.b.side(s)} {sum(v.values())} of {len(v)}" for s, v in o.objectives.items())

        row("Starts from", start)
        row("Events", lambda r: len(r))
        row("Ended", ended)
        row("Result", result)
        row("Objectives met", met)
        row("Phase at the end", lambda r: r.engine.phase_name(r.final.phase))
        for t in self.r.campaign.tracks:
            row(t.name, lambda r, t=t: r.final.tracks.get(t.id, "—"))
        return Table(("", *(c for c, _ in cols)), tuple(rows))

    # ---- objectives

    def objectives(self) -> Section:
        items = self.e.assessed()
        if not items:
            return Section("objectives", "Objectives and ratings", (
                Para("The campaign lists no learning objectives: see the strengths and areas for improvement."),))
        rows = []
        for a in items:
            given = ", ".join(f"{r} ×{n}" for r, n in a.ratings) or "none"
            final = self.e.rating_words(a.final.rating) if a.final else "not set yet"
            rows.append((a.text, str(len(a.observations)), given, final))
        blocks: list[Block] = [
            Para("Ratings: P performed without challenges, S with some challenges, M with major challenges, "
                 f"U unable to be performed. The trainer sets each final rating {VIEWER_HINT}."),
            Table(("Learning objective", "Observations", "Evaluators' ratings", "Final rating"), tuple(rows),
                  numeric=(1,)),
        ]
        for a in items:
            blocks.append(Heading(a.text))
            evidence = [line for m in a.evidence.evidence for line in self.b.v2.measured(m)]
            for i in self.e.ev.injects_fired():
                if i.objective and i.objective == a.text:
                    evidence.append(f"Exercised by the inject “{i.title}” in {self.b.v2.when(i.round)}"
                                    + (f"; expected: {i.expected}" if i.expected else ""))
            obs = [f"{self.obs_line(o)}" for o in a.observations]
            final = (f"{self.e.rating_words(a.final.rating)}, set by {a.final.author or 'the trainer'}"
                     + (f": {a.final.why}" if a.final.why else "") if a.final else "not set yet")
            blocks.append(Bullets((
                ("Evidence from the save", tuple(evidence) or ("The campaign names no evidence for it.",)),
                ("Evaluators' observations", tuple(obs) or ("None recorded.",)),
                (f"Final rating: {final}", ()),
            )))
        return Section("objectives", "Objectives and ratings", tuple(blocks))

    def obs_line(self, o: Observation) -> str:
        rating = f"{o.rating}, " if o.rating else ""
        kind = KIND_WORDS.get(o.kind, "Observation").lower() if o.kind else "observation"
        return f"{rating}{kind} by {self.by(o)} ({self.when(o)}, about event {o.about}): {o.text}"

    # ---- strengths and areas for improvement

    def _by_objective(self, kind: str) -> list[tuple[str, list[Observation]]]:
        groups: dict[str, list[Observation]] = {}
        for o in self.e.observations():
            if o.kind == kind:
                groups.setdefault(o.objective, []).append(o)
        order = list(self.e.refs) + [k for k in groups if k not in self.e.refs]
        return [(k, groups[k]) for k in order if k in groups]

    def strengths(self) -> Section:
        groups = self._by_objective("strength")
        if not groups:
            return Section("strengths", "Strengths", (Para("No observation was recorded as a strength."),))
        blocks: list[Block] = []
        for ref, obs in groups:
            blocks.append(Heading(self.objective(ref)))
            blocks.append(Bullets(tuple(
                (o.text, (f"{self.by(o)}, {self.when(o)}; rating: {self.e.rating_words(o.rating)}",
                          f"About {self.e.about_words(o)}")) for o in obs)))
        return Section("strengths", "Strengths", tuple(blocks))

    def improvements(self) -> Section:
        groups = self._by_objective("improvement")
        if not groups:
            return Section("improvements", "Areas for improvement",
                           (Para("No observation was recorded as an area for improvement."),))
        blocks: list[Block] = []
        for ref, obs in groups:
            blocks.append(Heading(self.objective(ref)))
            items = []
            for o in obs:
                causes = self.e.root_causes(o) or ["not in the record: to be found at the debrief"]
                acts = [f"Corrective action {a.id}: {a.action}" for a in self.e.actions_for(o)]
                items.append((o.text, (
                    f"{self.by(o)}, {self.when(o)}; rating: {self.e.rating_words(o.rating)}",
                    f"About {self.e.about_words(o)}",
                    *(f"Root cause — {c}" for c in causes),
                    *acts,
                )))
            blocks.append(Bullets(tuple(items)))
        return Section("improvements", "Areas for improvement", tuple(blocks))

    # ---- turning points

    def turning_points(self) -> Section:
        d = self.b.d
        rows: list[tuple[int, str, str, str]] = []
        for s in d.phase_timeline():
            rows.append((s.seq, str(s.round), "Phase change", f"{s.source_name} to {s.dest_name}, because of {s.because}"))
        names = {t.id: t.name for t in self.r.campaign.tracks}
        seen = {(t.id, th.at) for t in self.r.campaign.tracks for th in t.thresholds if t.start >= th.at}
        for th in thresholds_crossed(d):  # the first time each was reached: the swings after are in the charts
            if th.rising and (th.track, th.at) not in seen:
                seen.add((th.track, th.at))
                rows.append((th.seq, str(th.round), "Threshold",
                             f"{names[th.track]} reached {th.label} ({th.at}) for the first time"))
        for n in near_misses(d):
            during = f"round {n.first_round}" if n.first_round == n.last_round else f"rounds {n.first_round} to {n.last_round}"
            move = "one more" if n.step > 0 else "one less"
            rows.append((n.first, str(n.first_round), "Near-miss",
                         f"{names[n.track]} at {n.value}: {move} would have brought {n.ending} ({n.condition}); "
                         f"it stayed that close through {during} (to event {n.last})"))
        o = self.r.final.outcome
        if o is not None:
            rows.append((len(self.r), str(self.r.final.round), "End", self.b.narrator.end_reason(o.reason, o.detail)))
        rows.sort(key=lambda x: x[0])
        blocks: list[Block] = [Para(
            "The moments the exercise turned: phase changes, each threshold reached for the first time, and "
            "near-misses (a track one step from an ending that did not come).")]
        if rows:
            blocks.append(Table(("Event", "Round", "Kind", "What happened"), tuple((str(a), b, c, d_) for a, b, c, d_ in rows),
                                numeric=(0, 1)))
        else:
            blocks.append(Para("Nothing turned: no phase change, threshold or near-miss."))
        return Section("turning", "Turning points and near-misses", tuple(blocks))

    # ---- decision times

    def times(self) -> Section:
        t = self.t
        if not t.timed:
            return Section("times", "Decision times and pauses", (Para(
                "Not measured: the events carry no wall-clock times (a simulated game, or a save written "
                "before tabletop recorded them)."),))
        blocks: list[Block] = [Para(
            "A decision's latency runs from the moment the game began waiting for the seat to the moment its "
            "command was journaled, less any pause.")]
        if t.seats:
            blocks.append(Table(("Seat", "Played by", "Decisions", "Median", "Longest", "Total"), tuple(
                (self.seat(s.seat), self.b.controller(self.r.header.seats.get(s.seat, "human")), str(s.decisions),
                 span(s.median), f"{span(s.longest)} (event {s.longest_seq})", span(s.total))
                for s in t.seats), numeric=(2, 3, 5)))
        blocks.append(Heading("Pauses"))
        if t.pauses:
            blocks.append(Table(("Event", "Round", "Paused at", "Length", "Reason"), tuple(
                (str(p.seq), str(p.round), clock(p.start),
                 span(p.seconds) if p.seconds is not None else "not resumed by the end of the save", p.reason or "—")
                for p in t.pauses), numeric=(0, 1)))
        else:
            blocks.append(Para("The facilitator did not pause the exercise."))
        return Section("times", "Decision times and pauses", tuple(blocks))

    # ---- hotwash

    def hotwash(self) -> Section:
        items = self.e.hotwash()
        if not items:
            return Section("hotwash", "Hotwash", (Para("Nobody answered the hotwash questions."),))
        rows = tuple(
            (self.seat(h.seat) + (f": {h.author}" if h.author else ""), h.went_well or "—", h.improve or "—",
             h.lesson or "—")
            for h in items)
        return Section("hotwash", "Hotwash", (
            Para("Each seat's answers when the exercise ended: what went well, what to improve, one lesson."),
            Table(("Who", "What went well", "What to improve", "Lesson"), rows),
        ))

    # ---- the improvement plan

    def answers_words(self, answers: str) -> str:
        if answers.startswith("obs:"):
            return f"Observation at event {answers[4:]}"
        return self.objective(answers) if answers else "—"

    def plan(self) -> Section:
        acts = self.notes.actions
        blocks: list[Block] = []
        if self.notes.damage:
            blocks.append(Para(f"Warning: {self.notes.damage}.", "warning"))
        if acts:
            blocks.append(Table(("#", "Corrective action", "Answers", "Owner", "Due"), tuple(
                (str(a.id), a.action, self.answers_words(a.answers), a.owner or "to be named", a.due or "to be set")
                for a in acts), numeric=(0,)))
        else:
            blocks.append(Para(f"No corrective action yet: the trainer adds them {VIEWER_HINT}."))
        covered = {a.answers for a in acts}
        open_ = [a.text for a in self.e.assessed()
                 if a.final and a.final.rating in ("M", "U") and not a.actions and a.ref not in covered]
        open_ += [f"{o.text} (observation at event {o.seq})" for o in self.e.observations()
                  if o.kind == "improvement" and o.ref not in covered and o.objective not in covered]
        if open_:
            blocks.append(Heading("Not yet answered by a corrective action"))
            blocks.append(Bullets(tuple((x, ()) for x in open_)))
        return Section("plan", "Improvement plan", tuple(blocks))

    # ---- appendix

    def appendix(self) -> Section:
        obs = self.e.observations()
        if not obs:
            return Section("observations", "Appendix: every observation", (Para("No observation was recorded."),))
        rows = tuple(
            (str(o.seq), self.when(o), self.by(o), self.objective(o.objective), o.rating or "—",
             KIND_WORDS.get(o.kind, o.kind), o.text)
            for o in obs)
        return Section("observations", "Appendix: every observation", (Table(
            ("Event", "When", "By", "Learning objective", "Rating", "Kind", "Observation"), rows, numeric=(0,)),))


def build_aar(replay: Replay, *, save_name: str | None = None, notes: NotesRead | None = None,
              forks: tuple[Fork, ...] = (), marking: str = "", verified: Verified | None = None) -> Report:
    """The AAR/IP of ``replay`` as a document."""
    name = save_name or (replay.path.name if replay.path is not None else "(unsaved)")
    return AAR(replay, name, notes, forks, verified).build(marking)


__all__ = ["AAR", "Fork", "KIND_WORDS", "RATINGS", "build_aar"]
