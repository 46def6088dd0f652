"""The engine is strictly typed: `mypy --strict` passes on the rules and the crisis machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_engine_passes_mypy_strict(tmp_path: Path) -> None:
    # mypy is in the test extras: without it this fails (No module named mypy), never skips
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
            "--cache-dir", str(tmp_path / "mypy-cache"),
            "tabletop/engine", "tabletop/phases/machine.py",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
