"""`tabletop simulate` and `tabletop phases`, run as a user runs them: as subprocesses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_process import run_tabletop
from tabletop.journal import read_journal

ROOT = Path(__file__).resolve().parents[1]


def tabletop(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_tabletop(*args, cwd=cwd, timeout=300)


def test_simulate_json_is_byte_identical_whatever_the_jobs() -> None:
    one = tabletop("simulate", "tutorial", "--games", "40", "--seed", "3", "--json")
    two = tabletop("simulate", "tutorial", "--games", "40", "--seed", "3", "--json", "--jobs", "2")
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    other = tabletop("simulate", "tutorial", "--games", "40", "--seed", "4", "--json")
    assert other.stdout != one.stdout  # the seed matters


def test_simulate_reports_rates_that_add_up() -> None:
    out = tabletop("simulate", "tutorial", "--games", "30", "--seed", "1", "--json")
    data = json.loads(out.stdout)
    assert data["games"] == 30
    assert abs(sum(data["verdicts"].values()) - 1) < 1e-3
    assert abs(sum(data["endings"].values()) - 1) < 1e-3
    assert abs(sum(data["final_phase"].values()) - 1) < 1e-3
    assert data["phases_reached"]["calm"] == 1.0  # every game starts there
    for row in data["card_impact"].values():
        assert 0 <= row["played_in"] <= 1


def test_simulate_text_and_save_dir(tmp_path: Path) -> None:
    out = tabletop("simulate", "tutorial", "--games", "5", "--save-dir", str(tmp_path / "runs"))
    assert out.returncode == 0, out.stderr
    assert "How games ended" in out.stdout and "Card impact" in out.stdout
    saves = sorted((tmp_path / "runs").glob("*.jsonl"))
    assert len(saves) == 5
    read = read_journal(saves[0])
    assert read.damage is None and read.entries
    assert read.entries[-1].event.TYPE == "game_ended"


def test_simulate_refuses_bad_numbers_and_campaigns(tmp_path: Path) -> None:
    for args in (["--games", "0"], ["--games", "3", "--jobs", "0"]):
        out = tabletop("simulate", "tutorial", *args)
        assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.strip()
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [\n")
    out = tabletop("simulate", str(bad), "--games", "3")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{bad}:" in out.stderr


def test_phases_as_text_and_mermaid() -> None:
    text = tabletop("phases", "belarus-border-2021")
    assert text.returncode == 0, text.stderr
    assert "Baseline [baseline] (start)" in text.stdout
    assert "Armed conflict [armed-conflict] (end)" in text.stdout
    mermaid = tabletop("phases", "belarus-border-2021", "--format", "mermaid")
    assert mermaid.returncode == 0, mermaid.stderr
    lines = mermaid.stdout.splitlines()
    assert "flowchart LR" in lines
    assert "  start_(( )) --> p_baseline" in lines
    assert '  p_armed_conflict(["Armed conflict (end)"])' in lines
    # conditions on the arrows; manual transitions dashed
    assert any("-->" in line and "[" in line and "≥" in line for line in lines)
    assert '  p_military_tension -.->|"step_down [escalation ≤ 5]"| p_border_crisis' in lines  # and back down
