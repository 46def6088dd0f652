"""Typing that is true: the rules and the campaign model pass ``mypy --strict`` with their
imports followed (so what they import is held to it too), and the whole package passes
mypy with the project's config (``[tool.mypy]`` in pyproject.toml).

Each check keeps its cache in its own folder under ``.mypy_cache/`` (gitignored; one
each, because the strict and the plain options would otherwise overwrite each other's
entries), so a run after the first rechecks only what changed: under a second where a
cold run takes ten or twenty. In CI the first run is cold.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".mypy_cache"


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    # mypy is in the test extras: without it this fails (No module named mypy), never skips
    return subprocess.run(
        [sys.executable, "-m", "mypy", *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
    )


def test_no_module_of_the_package_is_skipped_or_silenced() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config.get("follow_imports", "normal") == "normal"
    for override in config.get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        if any(m == "tabletop" or m.startswith("tabletop.") for m in modules):
            assert "follow_imports" not in override and not override.get("ignore_errors"), override


def test_engine_and_campaign_pass_mypy_strict() -> None:
    result = _mypy("--strict", "--cache-dir", str(CACHE / "strict"), "tabletop/engine", "tabletop/campaign")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_passes_mypy_with_the_project_config() -> None:
    result = _mypy("--cache-dir", str(CACHE / "package"))  # the files to check are the config's: tabletop
    assert result.returncode == 0, result.stdout + result.stderr
