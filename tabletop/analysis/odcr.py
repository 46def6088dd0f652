"""Observations in the NATO lessons-learned shape, and the whole evaluation as JSON.

:func:`build_odcr` writes each observation as Observation / Discussion / Conclusion /
Recommendation (the ODCR of the NATO lessons-learned process): what was seen; the record
around it (the event it is about, the reasons given, the inject's expected response, the
trainers' notes, the objective's evidence); the conclusion (strength or area for
improvement, the evaluator's rating, the trainer's final rating); and the corrective
actions of the improvement plan that answer it. :func:`aar_data` gives everything the
AAR shows as plain data for analysts (``tabletop report --format json``).
"""

from __future__ import annotations

from typing import Any

from tabletop.analysis.aar import AAR, KIND_WORDS, VIEWER_HINT
from tabletop.analysis.document import Block, Heading, Para, Report, Section, Table
from tabletop.analysis.evaluation import Observation
from tabletop.analysis.timing import iso
from tabletop.analysis.turning import near_misses
from tabletop.journal.notes import RATINGS


def build_odcr(a: AAR, marking: str = "") -> Report:
    """The ODCR report of an :class:`AAR`'s save: the overview, then one ODCR per observation."""
    overview = Section("overview", "Exercise", (
        Table(("", ""), tuple(a.overview_rows())),
        Table(("Seat", "Side", "Participant", "Played by"), tuple(a.participant_rows())),
    ))
    obs = a.e.observations()
    blocks: list[Block] = []
    if not obs:
        blocks.append(Para("No observation was recorded: evaluators record them during play (key o in hot-seat, "
                           "or an evaluator's join code) or after the end."))
    for n, o in enumerate(obs, 1):
        blocks.append(Heading(f"{n}. {a.objective(o.objective).rstrip('.')}: {KIND_WORDS.get(o.kind, o.kind).lower()}"))
        blocks.append(Table(("", ""), odcr_rows(a, o)))
    return Report(f"Observations (ODCR): {a.r.campaign.title}",
                  (overview, Section("odcr", "Observation, discussion, conclusion, recommendation", tuple(blocks))),
                  marking)


def odcr_rows(a: AAR, o: Observation) -> tuple[tuple[str, str], ...]:
    e = a.e
    about = e.about_words(o)
    discussion = [f"About {about.rstrip('.')}."]
    discussion += [c[:1].upper() + c[1:].rstrip(".") + "." for c in e.root_causes(o)
                   if c.rsplit(": ", 1)[-1] not in about]  # a reason the event's sentence already gives
    if o.about >= 1:
        st = e.ev.state_after(o.about)
        discussion.append(f"The crisis then: {a.r.engine.phase_name(st.phase)}; {a.b.v2.tracks(st.tracks)}.")
    assessed = next((x for x in e.assessed() if x.ref == o.objective), None)
    if assessed is not None:
        others = len(assessed.observations) - 1
        if others > 0:
            discussion.append(f"{others} other observation{'s' if others != 1 else ''} about this objective.")
    conclusion = [f"{KIND_WORDS.get(o.kind, o.kind)}."]
    conclusion.append(f"Rated {e.rating_words(o.rating)} by {a.by(o)}." if o.rating else f"Not rated by {a.by(o)}.")
    if assessed is not None:
        final = assessed.final
        conclusion.append(f"Final rating of the objective: {e.rating_words(final.rating)}." if final
                          else "The objective's final rating is not set yet.")
    acts = e.actions_for(o)
    if o.kind != "strength":
        acts += [x for x in (assessed.actions if assessed else ()) if x not in acts]
    if acts:
        rec = " ".join(f"{x.action} (owner: {x.owner or 'to be named'}; due: {x.due or 'to be set'})." for x in acts)
    elif o.kind == "strength":
        rec = "Sustain: keep doing this (no corrective action needed)."
    else:
        rec = f"None yet: the trainer adds corrective actions {VIEWER_HINT}."
    return (
        ("Observation", f"{o.text} ({a.by(o)}, {a.when(o)})"),
        ("Discussion", " ".join(discussion)),
        ("Conclusion", " ".join(conclusion)),
        ("Recommendation", rec),
    )


# ====================================================================== JSON


def aar_data(a: AAR, marking: str = "") -> dict[str, Any]:
    """Everything the AAR shows, as plain data (names and ids both; times in ISO 8601, UTC)."""
    r, t, e = a.r, a.t, a.e
    o = r.final.outcome
    data: dict[str, Any] = {
        "report": "tabletop-aar",
        "version": 1,
        "marking": marking,
        "campaign": {"id": r.campaign.id, "title": r.campaign.title, "version": r.campaign.version},
        "save": a.save_name,
        "fingerprint": r.fingerprint,
        "events": len(r),
        "verified": {"ok": a.verified.ok, "sentence": a.verified.sentence},
        "damage": r.damage,
        "parent": dict(r.header.parent) if r.header.parent else None,
        "time": {
            "start": iso(t.start) if t.start is not None else None,
            "end": iso(t.end) if t.end is not None else None,
            "seconds": t.duration,
            "paused_seconds": t.paused if t.timed else None,
        },
        "participants": [
            {"seat": s, "name": e.names().get(s, ""), "played_by": r.header.seats.get(s, "human")}
            for s in [*(x.id for side in r.campaign.sides for x in side.actors), "facilitator"]
        ],
        "evaluators": e.evaluators(),
        "outcome": None if o is None else {
            "round": r.final.round, "reason": o.reason, "detail": o.detail,
            "results": dict(o.results), "objectives": {k: dict(v) for k, v in o.objectives.items()},
        },
        "objectives": [
            {
                "ref": x.ref, "text": x.text,
                "evidence": [line for m in x.evidence.evidence for line in a.b.v2.measured(m)],
                "ratings": dict(x.ratings),
                "final": None if x.final is None else {
                    "rating": x.final.rating, "words": RATINGS[x.final.rating], "why": x.final.why,
                    "author": x.final.author, "created": x.final.created},
                "observations": [ob.seq for ob in x.observations],
            }
            for x in e.assessed()
        ],
        "observations": [
            {
                "seq": ob.seq, "round": ob.round, "at": iso(ob.at) if ob.at is not None else None, "seat": ob.seat,
                "author": ob.author, "text": ob.text, "about": ob.about, "objective": ob.objective,
                "rating": ob.rating, "kind": ob.kind, "after_end": ob.after_end,
                "root_causes": e.root_causes(ob),
            }
            for ob in e.observations()
        ],
        "hotwash": [
            {"seq": h.seq, "seat": h.seat, "author": h.author, "went_well": h.went_well, "improve": h.improve,
             "lesson": h.lesson}
            for h in e.hotwash()
        ],
        "latency": [
            {"seat": s.seat, "decisions": s.decisions, "median_seconds": s.median, "longest_seconds": s.longest,
             "longest_seq": s.longest_seq, "total_seconds": s.total}
            for s in t.seats
        ],
        "decisions": [{"seq": x.seq, "round": x.round, "seat": x.seat, "seconds": x.seconds} for x in t.latencies],
        "pauses": [
            {"seq": p.seq, "round": p.round, "reason": p.reason, "start": iso(p.start),
             "end": iso(p.end) if p.end is not None else None, "seconds": p.seconds}
            for p in t.pauses
        ],
        "phase_changes": [
            {"seq": s.seq, "round": s.round, "from": s.source, "to": s.dest, "because": s.because}
            for s in a.b.d.phase_timeline()
        ],
        "near_misses": [
            {"first": n.first, "last": n.last, "track": n.track, "value": n.value, "step": n.step,
             "ending": n.ending, "condition": n.condition}
            for n in near_misses(a.b.d)
        ],
        "improvement_plan": [
            {"id": x.id, "action": x.action, "owner": x.owner, "due": x.due, "answers": x.answers,
             "author": x.author, "created": x.created}
            for x in a.notes.actions
        ],
        "forks": [
            {"save": f.name, "fingerprint": f.replay.fingerprint, "events": len(f.replay),
             "parent": dict(f.replay.header.parent) if f.replay.header.parent else None,
             "ended": f.replay.final.outcome is not None,
             "results": dict(f.replay.final.outcome.results) if f.replay.final.outcome else {},
             "tracks": dict(f.replay.final.tracks), "phase": f.replay.final.phase}
            for f in a.forks
        ],
    }
    return data


__all__ = ["aar_data", "build_odcr", "odcr_rows"]
