"""The after-action report / improvement plan, the ODCR and the JSON of an evaluated exercise (issue 14).

The save is written in the test (tests/aar_helpers.py): the drill with a fake wall clock,
named seats, two evaluators' observations, a pause, reasons, a hotwash, and the trainer's
ratings and improvement plan in the sidecar. ``golden/aar-drill.md`` and
``golden/odcr-drill.md`` are the reports with the fingerprint (which names the tabletop
version in the header) blanked; regenerate with ``UPDATE_GOLDEN=1`` and read the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from aar_helpers import EV, Clock, play_evaluated
from save_helpers import GOLDEN, TUTORIAL_SAVE
from cli_process import run_tabletop
from tabletop.analysis.aar import AAR, Fork, build_aar
from tabletop.analysis.odcr import aar_data, build_odcr
from tabletop.analysis.render import render_html, render_markdown
from tabletop.analysis.timing import span, timing
from tabletop.engine import commands as C
from tabletop.journal.replay import Replay
from tabletop.session import fork

ROOT = Path(__file__).resolve().parents[1]
MARK = "NATO UNCLASSIFIED"


@pytest.fixture(scope="module")
def save(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return play_evaluated(tmp_path_factory.mktemp("aar") / "drill.jsonl")


@pytest.fixture(scope="module")
def aar(save: Path) -> AAR:
    return AAR(Replay.open(save), save.name)


@pytest.fixture(scope="module")
def md(aar: AAR) -> str:
    return render_markdown(aar.build(MARK))


def _golden(name: str, text: str, fingerprint: str) -> None:
    assert fingerprint in text
    text = text.replace(fingerprint, "<fingerprint>")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 once and check it"
    assert text == path.read_text(encoding="utf-8")


def section(md: str, title: str) -> str:
    return md.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_aar_matches_its_golden(md: str, aar: AAR) -> None:
    _golden("aar-drill.md", md, aar.r.fingerprint)


def test_the_odcr_matches_its_golden(aar: AAR) -> None:
    _golden("odcr-drill.md", render_markdown(build_odcr(aar, MARK)), aar.r.fingerprint)


def test_the_aar_has_the_hseep_sections_in_order(md: str) -> None:
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == [
        "## Exercise overview", "## Outcome", "## Objectives and ratings", "## Strengths",
        "## Areas for improvement", "## Turning points and near-misses", "## Decision times and pauses",
        "## Hotwash", "## Improvement plan", "## Appendix: every observation",
    ]
    lines = md.strip().splitlines()
    assert lines[0] == lines[-1] == f"**{MARK}**"  # the handling line, top and bottom


def test_the_overview_ties_the_report_to_its_save(md: str, aar: AAR) -> None:
    text = section(md, "Exercise overview")
    assert f"| Fingerprint | {aar.r.fingerprint} (the chain head after event {len(aar.r)}) |" in text
    assert "| Verification | verify passed: 88 events, chain verified, every event re-derived from its command |" in text
    assert "| Started | 2026-09-21 14:13 UTC |" in text
    assert "| Duration | 28 min 51 s, of which 10 min paused |" in text
    assert "| Poland | Blue | Anna Kowalska | Human |" in text
    assert "| Belarus | Red | — | Bot (heuristic) |" in text
    assert "| Facilitator | White cell | Col. Maria Berg | Human |" in text
    assert "| Evaluators | Dr. Lena Ott, Maj. Tom Reed |" in text


def test_every_objective_has_evidence_ratings_and_observations(md: str) -> None:
    text = section(md, "Objectives and ratings")
    assert "| Share intelligence before acting | 3 | P ×1, S ×1, M ×1 | S (Performed with some challenges) |" in text
    assert "| Attribute with care | 1 | U ×1 | M (Performed with major challenges) |" in text
    assert "| Keep the alliance together | 0 | none | not set yet |" in text
    assert ("  - M, area for improvement by Dr. Lena Ott (in round 1 at 2026-09-21 14:17 UTC, about event 26): "
            "Poland moved to board before consulting its allies.") in text
    assert "- Final rating: S (Performed with some challenges), set by Col. Maria Berg: Recovered in round 2" in text
    assert "  - Misattributions: 1 (accusations that stuck on the wrong actor)" in text


def test_areas_for_improvement_carry_root_causes_from_the_record(md: str) -> None:
    text = section(md, "Areas for improvement")
    assert "  - Root cause — the reason given: Poland played Board (#3): The vessel cut the cable" in text
    assert "  - Root cause — the reason given: Latvia advised against Board (#3): Legal risk under UNCLOS" in text
    assert ("  - Root cause — the trainer's note by Col. Maria Berg: Ask Poland why it did not wait for Latvia's "
            "advice.") in text
    assert "### Not tied to a learning objective" in text
    strengths = section(md, "Strengths")
    assert "- The second boarding was agreed with the allies first." in strengths
    assert "Poland moved to board" not in strengths


def test_turning_points_include_the_near_miss(md: str) -> None:
    text = section(md, "Turning points and near-misses")
    assert ("| 21 | 1 | Near-miss | Trust at 4: one less would have brought the end condition “The alliance "
            "collapses” (Trust is at most 3); it stayed that close through rounds 1 to 3 (to event 83) |") in text
    assert "| 83 | 3 | Phase change | Calm to Armed conflict" in text


def test_decision_times_leave_out_the_pause(md: str, aar: AAR) -> None:
    text = section(md, "Decision times and pauses")
    assert "| Poland (Anna Kowalska) | Human | 4 | 1 min 28 s | 2 min 30 s (event 24) | 5 min 40 s |" in text
    assert "| 38 | 1 | 2026-09-21 14:21 UTC | 10 min | Coffee break |" in text
    # no latency spans the ten-minute break: the break is not anyone's slow decision
    assert max(x.seconds for x in aar.t.latencies) < 600


def test_hotwash_and_improvement_plan(md: str) -> None:
    hot = section(md, "Hotwash")
    assert "| Poland (Anna Kowalska) | We kept the alliance talking | Consult before boarding | Share the tip first |" in hot
    assert "| Evaluator: Dr. Lena Ott | Clear decisions, stated reasons | Attribution was guesswork |" in hot
    plan = section(md, "Improvement plan")
    assert ("| 1 | Brief a consult-before-acting drill for the boarding team | Share intelligence before acting | "
            "J3 Operations | 2026-12-01 |") in plan
    assert "- Nobody asked for a pause to de-escalate before the war. (observation at event 85)" in plan


def test_odcr_speaks_in_four_parts(aar: AAR) -> None:
    md = render_markdown(build_odcr(aar))
    assert md.count("| Observation |") == md.count("| Discussion |") == md.count("| Recommendation |") == 5
    assert "| Recommendation | Sustain: keep doing this (no corrective action needed). |" in md
    assert "| Recommendation | Attribution workshop with the intelligence cell (owner: J2; due: Q1 2027). |" in md


def test_json_for_analysts(aar: AAR) -> None:
    data = json.loads(json.dumps(aar_data(aar, MARK)))
    assert data["fingerprint"] == aar.r.fingerprint and data["verified"]["ok"] is True
    assert data["time"] == {"start": "2026-09-21T14:13:20+00:00", "end": "2026-09-21T14:42:11+00:00",
                            "seconds": 1731.0, "paused_seconds": 600.0}
    assert [o["rating"] for o in data["observations"]] == ["M", "S", "U", "P", ""]
    assert data["objectives"][0]["final"]["rating"] == "S"
    assert {p["seat"]: p["name"] for p in data["participants"]}["b1"] == "Anna Kowalska"
    assert data["near_misses"][0]["track"] == "trust"
    assert [a["owner"] for a in data["improvement_plan"]] == ["J3 Operations", "J2"]


def test_an_untimed_save_says_times_were_not_measured() -> None:
    r = Replay.open(TUTORIAL_SAVE)
    assert not timing(r).timed
    md = render_markdown(build_aar(r))
    assert "Not measured: the events carry no wall-clock times" in md
    assert "No observation was recorded." in md and "Nobody answered the hotwash questions." in md


def test_span_words() -> None:
    assert [span(x) for x in (0.4, 59, 60, 185, 3600, 4380)] == ["0 s", "59 s", "1 min", "3 min 5 s", "1 h", "1 h 13 min"]


def test_a_fork_is_compared_beside_the_original(save: Path, tmp_path: Path) -> None:
    r = Replay.open(save)
    k = r.fork_point(40)
    child = fork(r.read, k, tmp_path / "drill.fork.jsonl", durable=False, clock=Clock(1_790_001_000.0))
    while child.state.round == 1 and child.state.turn is not None:
        child.submit_now(C.Pass(child.state.turn))
    child.submit_now(C.Observe(EV, "In the fork the table held its nerve.", author="Dr. Lena Ott"))
    child.close()
    md = render_markdown(AAR(r, save.name, forks=(Fork(Replay.open(tmp_path / "drill.fork.jsonl"), "drill.fork.jsonl"),)).build())
    text = section(md, "Outcome")
    assert "| What-if forks | compared under Outcome: drill.fork.jsonl |" in md
    assert "### What-if forks beside the original" in text
    assert "|   | Original | Fork: drill.fork.jsonl |" in text
    assert f"| Starts from | — | event {k} of drill.jsonl |" in text, text
    assert "| Ended | round 3: the crisis reached Armed conflict | not ended (round 2) |" in text


def _tabletop(*args: str) -> subprocess.CompletedProcess[str]:
    return run_tabletop("report", *args, cwd=ROOT, timeout=300)


def test_report_cli_writes_each_form_and_refuses_bad_input(save: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "aar.html"
    p = _tabletop(str(save), "--format", "aar", "--as", "html", "--marking", MARK, "-o", str(out))
    assert p.returncode == 0, p.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count(f'<div class="marking" role="note">{MARK}</div>') == 2 and "@top-center" in page
    beside = save.parent / "drill.fork-39.jsonl"  # a fork the viewer wrote beside the save: named, not compared
    fork(Replay.open(save).read, 39, beside, durable=False).close()
    p = _tabletop(str(save), "--format", "aar")
    beside.unlink()
    assert p.returncode == 0 and ("| What-if forks | found beside the save: drill.fork-39.jsonl (--compare FORK puts "
                                  "one beside this) |") in p.stdout, p.stderr
    p = _tabletop(str(save), "--format", "aar", "--marking", "x" * 121)
    assert p.returncode == 2 and "--marking is at most 120 characters" in p.stderr and "Traceback" not in p.stderr
    # the rest in-process (the same parser and command), to keep the suite quick
    from tabletop.cli import main

    assert main(["report", str(save), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["report"] == "tabletop-aar"
    assert main(["report", str(save), "--format", "odcr"]) == 0
    assert "# Observations (ODCR): Drill" in capsys.readouterr().out
    for args, words in (
        (["--format", "json", "--as", "html"], "--as is for --format aar and odcr"),
        (["--format", "aar", "--marking", "a\x07b"], "--marking must be printable text on one line"),
        (["--format", "aar", "--compare", str(TUTORIAL_SAVE)], "it plays another campaign"),
        (["--format", "aar", "--compare", str(tmp_path / "nothing.jsonl")], "nothing.jsonl"),
        (["--format", "aar", "-o", str(out)], "already exists"),
    ):
        assert main(["report", str(save), *args]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, err


def test_hostile_text_is_escaped(save: Path, tmp_path: Path) -> None:
    page = render_html(build_aar(Replay.open(save), marking='</style><script>x</script>'))
    assert "<script>" not in page and "&lt;/style&gt;&lt;script&gt;" in page
    assert "\\3c /style\\3e " in page  # in the CSS page boxes


def test_the_sidecar_keeps_notes_ratings_and_actions_apart(tmp_path: Path) -> None:
    from tabletop.journal.notes import add_note, notes_path, read_notes, save_action, set_rating

    save = tmp_path / "g.jsonl"
    old = '{"seq":3,"text":"An old note","author":"T","created":"2025-01-01T00:00:00+00:00"}\n'
    notes_path(save).write_text(old, encoding="utf-8")  # a sidecar from before ratings and actions
    assert [n.text for n in read_notes(save)] == ["An old note"] and read_notes(save).damage is None
    set_rating(save, "lo-share", "S")
    set_rating(save, "lo-share", "")  # cleared
    set_rating(save, "#3", "U")
    first = save_action(save, "Drill it", "J3", "2027-01-01", "lo-share")
    second = save_action(save, "Drop it")
    save_action(save, "Drill it twice", "J3", "2027-02-01", "lo-share", id=first.id)
    save_action(save, "", id=second.id, deleted=True)
    add_note(save, 5, "A new note")
    with notes_path(save).open("a", encoding="utf-8") as f:
        f.write('{"kind":"poll","question":"from a newer tabletop"}\n{"kind":"rating","objective":"x","rating":"Z"}\n')
    read = read_notes(save)
    assert [n.text for n in read] == ["An old note", "A new note"]
    assert {k: r.rating for k, r in read.ratings.items()} == {"#3": "U"}
    assert [(a.id, a.action, a.due) for a in read.actions] == [(1, "Drill it twice", "2027-02-01")]
    assert read.damage == "notes damaged: 1 line ignored"  # the bad rating; the unknown kind is not damage
    for bad in (lambda: set_rating(save, "lo", "X"), lambda: save_action(save, "  "),
                lambda: save_action(save, "x" * 1001)):
        with pytest.raises(ValueError):
            bad()


def test_a_damaged_save_gets_an_aar_that_says_so(save: Path, tmp_path: Path) -> None:
    cut = tmp_path / "drill.jsonl"
    cut.write_bytes(save.read_bytes()[:-300])
    md = render_markdown(build_aar(Replay.open(cut)))
    text = section(md, "Exercise overview")
    assert "> **Warning: save damaged after event" in text
    assert "| Verification | verify failed: save damaged after event" in text
    data = aar_data(AAR(Replay.open(cut), cut.name))
    assert data["verified"]["ok"] is False and data["damage"].startswith("save damaged after event")
