"""Layers are enforced by a test, not by hope: the import-linter contracts in pyproject.toml.

The contracts (``[tool.importlinter]``) say which package may import which: the layers
from ``__main__`` down to ``campaign``, no cycles between siblings at any depth, the TUI's
apps above their screens above their widgets, and which packages may load textual, rich,
YAML or websockets. The graph is grimp's: every import statement counts, those inside
functions and under ``TYPE_CHECKING`` too. test_import_hygiene.py checks what a fresh
interpreter actually loads; this checks what the code says it may import.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The contracts this test stands for; removing one from pyproject.toml fails here too.
CONTRACTS = {"layers", "acyclic", "tui-layers", "pure-engine", "headless", "sockets", "yaml"}


def test_the_contracts_are_configured() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert config["root_package"] == "tabletop"
    assert config.get("exclude_type_checking_imports", False) is False  # a type named is an arrow too
    assert CONTRACTS <= {c["id"] for c in config["contracts"]}


def test_imports_keep_the_contracts() -> None:
    assert importlib.util.find_spec("importlinter") is not None, (
        "import-linter is missing: install the test extras (pip install -e '.[test]')"
    )
    # lint-imports in a subprocess from the checkout: it reads the contracts from
    # pyproject.toml there and puts the working directory first on sys.path, so it reads
    # this tree's modules, not an installed copy. No cache: nothing is written here.
    proc = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, f"import contracts broken:\n{proc.stdout}\n{proc.stderr}"
