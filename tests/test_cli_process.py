"""The CLI tests' way to run ``tabletop`` (tests/cli_process.py) gives what a newly started
``python -m tabletop`` gives: the same output, errors and exit status, in the folder and
environment asked for, and a timeout that stops the process."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import cli_process
from cli_process import ROOT, run_tabletop


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),  # exit 0, stdout
        ("validate", "campaigns/tutorial.yaml"),  # 0, nothing printed
        ("validate", "no-such-campaign.yaml"),  # 1, one sentence on stderr
        ("no-such-command",),  # 2, argparse's usage
        ("phases", "tutorial", "--format", "mermaid"),
    ],
)
def test_a_forked_run_gives_what_a_fresh_interpreter_gives(args: tuple[str, ...]) -> None:
    forked = run_tabletop(*args)
    fresh = run_tabletop(*args, fresh=True)
    assert (forked.returncode, forked.stdout, forked.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert forked.stdout or forked.stderr or args[0] == "validate"


def test_the_folder_and_environment_are_the_runs_own(tmp_path: Path, minimal_campaign_text: str) -> None:
    (tmp_path / "drill.yaml").write_text(minimal_campaign_text.replace("name:", "nmae:", 1), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COLUMNS": "60"}
    done = run_tabletop("validate", "drill.yaml", cwd=tmp_path, env=env)
    assert done.returncode == 1 and done.stdout.startswith("drill.yaml:"), done.stdout + done.stderr
    (tmp_path / "drill.yaml").write_text(minimal_campaign_text, encoding="utf-8")
    fixed = run_tabletop("validate", "drill.yaml", cwd=tmp_path, env=env)
    assert (fixed.returncode, fixed.stdout, fixed.stderr) == (0, "", "1 file ok\n"), fixed.stdout + fixed.stderr
    assert os.getcwd() != str(tmp_path)  # the test's own process did not move
    narrow = run_tabletop("--help", env={**env, "COLUMNS": "40"})
    wide = run_tabletop("--help", env={**env, "COLUMNS": "200"})
    assert max(map(len, narrow.stdout.splitlines())) <= 40 < max(map(len, wide.stdout.splitlines()))


def test_a_run_past_its_timeout_is_stopped_and_raises_as_subprocess_run_does() -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        run_tabletop("simulate", "baltic-winter-energy", "--games", "100000", timeout=0.5)


def test_an_environment_that_changes_how_python_starts_gets_a_fresh_interpreter() -> None:
    assert cli_process._starts_alike(dict(os.environ))
    assert not cli_process._starts_alike({**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert not cli_process._starts_alike({**os.environ, "LC_ALL": "de_DE.ISO-8859-1"})
    assert cli_process._starts_alike({"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
                                      **{k: v for k, v in os.environ.items() if k.startswith("PYTHON")}})


def test_runs_taken_in_turn_do_not_share_a_hash_seed() -> None:
    run_tabletop("--help")
    run_tabletop("--help")
    seeds = {z.hash_seed for z in cli_process._zygotes}
    assert len(cli_process._zygotes) == 2 and len(seeds) == 2
