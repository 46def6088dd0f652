"""What `tabletop simulate` tells a designer: flagged cards and design notes, votes,
near-misses, intervals, learning evidence, random against heuristic bots.

The command is run as a user runs it (a subprocess); what a game's watch measured is
checked against the debrief's own measure of the saved game.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples

from cli_process import run_tabletop
from tabletop.analysis import simulate as S
from tabletop.analysis.debrief import Debrief
from tabletop.analysis.evidence import Evidence
from tabletop.analysis.simstats import flag, wilson
from tabletop.analysis.simwatch import WatchSpec
from tabletop.campaign.validate import load_campaign, load_campaign_text
from tabletop.journal.replay import Replay

ROOT = Path(__file__).resolve().parents[1]

#: One track, a war every side loses at 9, a consensus card, a dead card and a dead card
#: with a design note. Random bots go to war in some games and come close in others.
STANDOFF = """\
format: 2
id: standoff
title: Standoff
briefing: Two sides and a tension track; a war every side loses.
learning_objectives:
  - id: restraint
    text: Keep tension down.
    evidence:
      - {label: "Tension at 7 or more", when: tension >= 7}
      - {label: "Allies asked", card: ask-allies}
      - {label: "Votes lost", count: rejected_votes}
  - Know when to stop.
calendar: {start: 2031-01-05, round_days: 7, rounds: 6}
sides:
  - id: blue
    name: The Alliance
    actors:
      - {id: ana, name: Ana, resources: 2, income: 1}
      - {id: bo, name: Bo, resources: 2, income: 1}
    objectives:
      - {id: calm, title: Keep it calm, when: tension <= 4}
  - id: red
    name: The Pressure
    actors:
      - {id: rex, name: Rex, resources: 2, income: 1}
    objectives:
      - {id: tense, title: Keep it tense, when: tension >= 7}
tracks:
  - {id: tension, name: Tension, start: 6, favours: red}
phases:
  initial: calm
  states:
    - {id: calm, name: Standoff}
    - {id: war, name: War, terminal: true, outcome: lose}
  transitions:
    - {trigger: war, source: calm, dest: war, when: tension >= 9}
cards:
  - {id: calm-words, title: Calming words, side: blue, actor: ana, effects: {tracks: {tension: -1}}}
  - {id: mothball, title: Mothballed plan, side: blue, actor: ana, cost: 50, effects: {tracks: {tension: -3}}}
  - id: last-resort
    title: Last resort
    side: blue
    actor: ana
    cost: 50
    effects: {tracks: {tension: -5}}
    design_note: Kept for a war that never comes.
  - id: ask-allies
    title: Ask the allies
    side: blue
    actor: ana
    consensus: {voters: [ana, bo]}
    effects: {tracks: {tension: -1}}
  - {id: bo-statement, title: A statement, side: blue, actor: bo, effects: {tracks: {tension: -1}}}
  - {id: push, title: Push, side: red, actor: rex, effects: {tracks: {tension: 1}}}
  - {id: saber, title: Rattle the sabre, side: red, actor: rex, effects: {tracks: {tension: 2}}}
"""


def tabletop(*args: str) -> subprocess.CompletedProcess[str]:
    """Run it as a user does; tables as wide as a wide terminal, so no cell wraps a phrase."""
    return run_tabletop(*args, cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "220"})


@pytest.fixture(scope="module")
def standoff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("campaign") / "standoff.yaml"
    path.write_text(STANDOFF, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the command


def test_the_text_report_flags_dead_cards_and_prints_a_design_note_instead(standoff: Path) -> None:
    out = tabletop("simulate", str(standoff), "--games", "40", "--bots", "random")
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "Mothballed plan │ Ana │ 0.0% │ never played: a dead card" in text
    assert "Last resort │ Ana │ 0.0% │ never played, by design: Kept for a war that never comes." in text
    warnings = text.count("a dead card") + text.count("a real choice?") + text.count("nearly dead")
    assert f"{warnings} card{'s' if warnings != 1 else ''} to look at" in text  # the noted one is not counted
    for section in ("Who won", "95% interval", "How games ended", "How close games came to each ending",
                    "Consensus cards", "Ask the allies │ Ana", "Learning objectives", "none listed"):
        assert section in text, section
    assert "—" not in out.stdout  # no silent dash: a card never played says so


def test_the_json_report_holds_every_figure_and_they_add_up(standoff: Path) -> None:
    out = tabletop("simulate", str(standoff), "--games", "60", "--bot", "random", "--seed", "2", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["bot"] == "random"
    for key, share in data["verdicts"].items():
        lo, hi = data["verdicts_ci"][key]
        assert lo <= share <= hi
    war = data["near_misses"]["terminal_phase:war"]
    assert war["tracks"] == ["tension"] and war["hidden"] == []
    assert war["ended"] == data["endings"].get("terminal_phase:war", 0.0) > 0
    assert war["within_one_step"] > 0  # random bots come close without going to war
    assert war["ended"] + war["within_one_step"] <= 1
    assert data["ending_verdicts"]["terminal_phase:war"] == {"none": 1.0}  # every side lost it
    vote = data["consensus"]["ask-allies"]
    assert vote["votes"] > 0 and 0 < vote["failed"] < 1 and abs(vote["passed"] + vote["failed"] - 1) < 1e-3
    flags = data["card_flags"]
    assert flags["mothball"] == {"design_note": None, "flag": "never", "played_at_all_in": 0.0}
    assert flags["last-resort"]["design_note"] == "Kept for a war that never comes."
    assert flags["ask-allies"]["played_at_all_in"] == vote["tabled_in"]
    restraint, bare = data["learning_evidence"]
    assert bare["resolved_in"] is None and bare["items"] == []
    observed = [item["observed_in"] for item in restraint["items"]]
    assert restraint["resolved_in"] >= max(observed) and 0 < observed[0] < 1
    assert observed[2] == vote["games_with_a_failed_vote"]


def test_compare_plays_random_against_heuristic_and_is_the_same_whatever_the_jobs() -> None:
    one = tabletop("simulate", "tutorial", "--games", "10", "--seed", "5", "--compare", "--json")
    two = tabletop("simulate", "tutorial", "--games", "10", "--seed", "5", "--compare", "--json", "--jobs", "2")
    assert one.returncode == 0, one.stderr
    assert one.stdout == two.stdout
    data = json.loads(one.stdout)
    assert data["heuristic"]["bot"] == "heuristic" and data["random"]["bot"] == "random"
    sides = set(data["heuristic"]["verdicts"]) - {"draw", "none"}
    assert set(data["side_random"]) == set(data["comparison"]) == sides and len(sides) == 2
    for side, row in data["comparison"].items():
        assert row["heuristic"] == data["heuristic"]["verdicts"][side]
        assert row["random"] == data["side_random"][side]["verdicts"][side]
        assert row["clearly_worse"] == (row["random_ci"][1] < row["heuristic_ci"][0])
    for side, summary in data["side_random"].items():  # each side's run says who played at random
        assert summary["bot"].count("random") == 1 and summary["bot"].count("heuristic") == 1


def test_compare_as_text_and_what_it_refuses(tmp_path: Path) -> None:
    out = tabletop("simulate", "tutorial", "--games", "4", "--compare")
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "Heuristic or random bots (4 games each)" in text and "With every seat random:" in text
    refused = tabletop("simulate", "tutorial", "--games", "3", "--compare", "--save-dir", str(tmp_path / "runs"))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "--compare" in refused.stderr and not (tmp_path / "runs").exists()


# --------------------------------------------------------------------------- the measures


def test_wilson_intervals() -> None:
    assert wilson(0, 10) == (0.0, 0.2775)
    assert wilson(5, 10) == (0.2366, 0.7634)
    assert wilson(10, 10) == (0.7225, 1.0)
    assert wilson(0, 0) == (0.0, 1.0)
    lo, hi = wilson(300, 1000)
    assert lo < 0.3 < hi and hi - lo < 0.06


@settings(max_examples=examples(200))
@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_a_wilson_interval_holds_the_observed_rate_and_narrows_with_more_games(kn: tuple[int, int]) -> None:
    k, n = kn
    lo, hi = wilson(k, n)
    assert 0 <= lo <= round(k / n, 4) <= hi <= 1
    lo4, hi4 = wilson(4 * k, 4 * n)  # the same rate over four times the games
    assert hi4 - lo4 <= hi - lo + 1e-4


@pytest.mark.parametrize(("share", "expected"), [
    (0.0, "never"), (0.0299, "rare"), (0.03, None), (0.5, None), (0.95, None), (0.9501, "almost_always"),
    (1.0, "always"),
])
def test_flags_at_3_and_95_percent(share: float, expected: str | None) -> None:
    assert flag(share) == expected


def _observed(evidence: Evidence) -> tuple[tuple[bool, ...], ...]:
    """Each evidence item as the debrief measures it: observed or not."""
    return tuple(
        tuple(m.held is not None if m.item.when else bool(m.uses) if m.item.card else m.total > 0 for m in lo.evidence)
        for lo in evidence.learning()
    )


#: The standoff with evidence that reads resources (which a card's cost changes with no
#: event of its own) and what was played: the watch must fold the game to see them.
CALLS = STANDOFF.replace(
    '      - {label: "Votes lost", count: rejected_votes}\n',
    '      - {label: "Votes lost", count: rejected_votes}\n'
    '      - {label: "Ana saved up", when: resources("ana") >= 6}\n'
    '      - {label: "Ana spent", when: resources("ana") <= 1 and played("calm-words")}\n',
).replace("actor: ana, effects: {tracks: {tension: -1}}}", "actor: ana, cost: 1, effects: {tracks: {tension: -1}}}")


@pytest.mark.parametrize("name", ["standoff", "calls", "tutorial", "baltic-winter-energy"])
def test_the_watch_measures_evidence_as_the_debrief_does(name: str, tmp_path: Path) -> None:
    if name in ("standoff", "calls"):
        loaded = load_campaign_text(STANDOFF if name == "standoff" else CALLS, f"{name}.yaml")
        assert WatchSpec.of(loaded.campaign).light == (name == "standoff")
    else:
        loaded = load_campaign(ROOT / "campaigns" / f"{name}.yaml")
    c = loaded.campaign
    seen = set()
    for i in range(12 if name == "calls" else 6):  # enough games that the resources go each way
        r = S.play_game(c, loaded.text, loaded.path, 7, i, "random", str(tmp_path))
        debrief = Debrief(Replay.open(S.journal_path(tmp_path, c.id, 7, i)))
        assert r.evidence == _observed(Evidence(debrief)), f"game {i}"
        seen |= {(k, j, v) for k, items in enumerate(r.evidence) for j, v in enumerate(items)}
    assert any(v for _, _, v in seen)
    if name == "calls":  # each way the resources went, in some game and not in another
        assert {(0, 3, True), (0, 3, False), (0, 4, True), (0, 4, False)} <= seen


def test_the_light_watch_and_the_full_fold_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_campaign_text(STANDOFF, "standoff.yaml")
    c = loaded.campaign
    light = [S.play_game(c, loaded.text, loaded.path, 3, i, "random") for i in range(10)]
    assert WatchSpec.of(c).light
    full = dataclasses.replace(WatchSpec.of(c), light=False)
    engine = S._engine(c)
    monkeypatch.setattr(S, "_prepared", lambda campaign: (engine, full))
    folded = [S.play_game(c, loaded.text, loaded.path, 3, i, "random") for i in range(10)]
    assert [(r.closest, r.evidence) for r in light] == [(r.closest, r.evidence) for r in folded]
    assert any(r.reason == "terminal_phase" for r in light) and any(r.reason == "last_round" for r in light)
    for r in light:  # a war came when its condition held; a game without one never got there
        if r.reason == "terminal_phase":
            assert r.closest["terminal_phase:war"] >= 1
        else:
            assert r.closest["terminal_phase:war"] <= 0


def test_the_design_targets_bench_judges_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("design_targets", ROOT / "bench" / "design_targets.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    code = bench.main(["tutorial", "--games", "3", "--jobs", "1", "--war", "breakdown"])
    lines = capsys.readouterr().out.splitlines()
    judged = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    failed = sum(line.startswith("FAIL") for line in judged)
    assert lines[-1] == (f"{failed} targets failed" if failed > 1 else "1 target failed" if failed else "every target holds")
    assert code == (1 if failed else 0)
    text = "\n".join(lines)
    assert "Breakdown ends 3-15% of games" in text and "no side wins Breakdown" in text  # the phase chosen
    assert "no consensus card named like Article 4 (use --art4)" in text  # the tutorial has none
    assert sum("wins clearly less with random bots" in line for line in judged) == 2  # one per side
