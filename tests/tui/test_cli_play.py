"""`tabletop play` as a subprocess: bad input gets one sentence and exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_process import run_tabletop

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "campaigns" / "tutorial.yaml"


def play(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_tabletop(
        "play", *args, cwd=cwd, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "TERM": "dumb"},
    )


def test_an_unknown_bot_is_one_sentence(tmp_path: Path) -> None:
    proc = play(str(TUTORIAL), "--bot", "nosuch", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "--bot nosuch" in lines[0] and "red" in lines[0] and "northmark" in lines[0]
    assert not (tmp_path / "saves").exists()  # nothing was written


def test_the_default_campaign_is_used_when_none_is_named(tmp_path: Path) -> None:
    proc = play("--bot", "nosuch", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "belarus-border-2021" in proc.stderr


def test_a_broken_campaign_lists_its_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(TUTORIAL.read_text(encoding="utf-8").replace("rounds: 4", "rounds: many"), encoding="utf-8")
    proc = play(str(broken), cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    line = next(row for row in proc.stderr.splitlines() if row.startswith(str(broken)))
    path, row, col, rest = line.split(":", 3)
    assert row.isdigit() and col.isdigit() and "error" in rest
    assert not (tmp_path / "saves").exists()


def test_a_save_is_never_overwritten(tmp_path: Path) -> None:
    save = tmp_path / "taken.jsonl"
    save.write_text("precious\n", encoding="utf-8")
    proc = play(str(TUTORIAL), "--save", str(save), cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "already exists" in proc.stderr
    assert save.read_text(encoding="utf-8") == "precious\n"


def test_an_unknown_campaign_is_one_sentence(tmp_path: Path) -> None:
    proc = play("no-such-campaign", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "no-such-campaign" in proc.stderr and "tutorial" in proc.stderr


def test_a_bot_is_named_as_the_screen_names_it(tmp_path: Path) -> None:
    """Play-test: `--bot Northmark` was refused though the screen says "Northmark"; a side's
    or actor's display name is taken in any case, an id still is, and a name that fits
    seats apart is refused with the ids that tell them apart."""
    taken = tmp_path / "taken.jsonl"
    taken.write_text("precious\n", encoding="utf-8")
    for name in ("Northmark", "NORTHMARK", "northmark", "red", "Veldia and Ostrand", "facilitator"):
        proc = play(str(TUTORIAL), "--bot", name, "--save", str(taken), cwd=tmp_path)
        # the --bot name was taken: what stops the game is the save that exists
        assert proc.returncode == 2 and "already exists" in proc.stderr and "--bot" not in proc.stderr, (name, proc.stderr)
    proc = play(str(TUTORIAL), "--bot", "Northmarc", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "tabletop play: --bot Northmarc: no such side or actor in tutorial (the sides: red (Northmark), "
        "blue (Veldia and Ostrand); the actors: northmark (Northmark), veldia (Veldia), ostrand (Ostrand); "
        "or facilitator)."
    )
    twin = tmp_path / "twin.yaml"  # Veldia renamed Northmark: the name fits the red side and Veldia
    twin.write_text(TUTORIAL.read_text(encoding="utf-8").replace('name: "Veldia"\n', 'name: "Northmark"\n'), encoding="utf-8")
    proc = play(str(twin), "--bot", "Northmark", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("tabletop play: --bot Northmark: that names the side Northmark (red) and the "
                                   "actor Northmark (veldia); give the id instead.")
    proc = play(str(twin), "--bot", "veldia", "--save", str(taken), cwd=tmp_path)
    assert "already exists" in proc.stderr, "the id still tells them apart"
    assert taken.read_text(encoding="utf-8") == "precious\n"
