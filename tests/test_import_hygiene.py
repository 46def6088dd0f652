"""Layers are enforced by a test, not by hope.

Each import runs in a fresh interpreter and we look at ``sys.modules``: the only way to
prove that a deferred import stays deferred. The campaign package and the headless
commands must not load the TUI (``textual``, ``rich``); the engine must not load the TUI,
YAML or the network either (it is pure rules).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TUI = ("textual", "rich")
#: Not the stdlib ``socket`` itself: pydantic loads it (through ``email.utils``).
ENGINE_FORBIDDEN = (*TUI, "yaml", "websockets")

CAMPAIGN_IMPORTS = [
    "import tabletop.campaign",
    "import tabletop.campaign.model",
    "import tabletop.campaign.problems",
    "import tabletop.campaign.conditions",
    "import tabletop.campaign.yamlsource",
    "import tabletop.campaign.validate",
    "from tabletop.campaign import load_campaign",
    "import tabletop.commands.validate",
    "import tabletop.commands.schema",
]


def _engine_modules() -> list[str]:
    """``tabletop.engine`` and each of its modules."""
    package = ROOT / "tabletop" / "engine"
    assert (package / "__init__.py").is_file(), f"{package} is not a package"
    names = ["tabletop.engine"]
    names += [f"tabletop.engine.{p.stem}" for p in sorted(package.glob("*.py")) if p.stem != "__init__"]
    return names


def _loaded_after(statement: str, watch: tuple[str, ...]) -> list[str]:
    code = (
        f"{statement}\n"
        "import sys\n"
        f"print(','.join(m for m in {watch!r} if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return [m for m in proc.stdout.strip().split(",") if m]


@pytest.mark.parametrize("statement", CAMPAIGN_IMPORTS)
def test_campaign_imports_do_not_load_the_tui(statement: str) -> None:
    leaked = _loaded_after(statement, TUI)
    assert not leaked, f"{statement!r} imported {leaked}"


@pytest.mark.parametrize(
    "statement",
    ["import tabletop.campaign", "import tabletop.campaign.model", "import tabletop.campaign.conditions"],
)
def test_the_model_does_not_load_yaml(statement: str) -> None:
    """The engine imports the model through the package, so neither may load YAML."""
    leaked = _loaded_after(statement, ("yaml",))
    assert not leaked, f"{statement!r} imported {leaked}"


@pytest.mark.parametrize("module", _engine_modules())
def test_the_engine_loads_no_tui_yaml_or_network(module: str) -> None:
    leaked = _loaded_after(f"import {module}", ENGINE_FORBIDDEN)
    assert not leaked, f"import {module} loaded {leaked}"
