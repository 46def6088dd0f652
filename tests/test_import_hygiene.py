"""Layers are enforced by a test, not by hope.

Imports run in a fresh interpreter and we look at ``sys.modules``: the only way to
prove that a deferred import stays deferred. A group of imports shares one interpreter
(one start-up instead of thirty): they run one after the other and ``sys.modules`` is
read after each, so the first import that loads a watched module is named — any import
that leaks fails the test, and once it is fixed, the next leak shows. The campaign package and the headless
commands must not load the TUI (``textual``, ``rich``); the engine must not load the TUI,
YAML or the network either (it is pure rules).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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


def _first_leak(statements: list[str], watch: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """Run ``statements`` in order in one fresh interpreter; the first that loads any of
    ``watch``, with what it loaded, or None if none does."""
    code = "import sys, importlib\n" + "".join(
        f"{stmt}\nprint(repr(({stmt!r}, [m for m in {watch!r} if m in sys.modules])))\n" for stmt in statements
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    import ast

    lines = [ast.literal_eval(line) for line in proc.stdout.splitlines()]
    assert [stmt for stmt, _ in lines] == statements, proc.stdout
    return next(((stmt, leaked) for stmt, leaked in lines if leaked), None)


def test_campaign_imports_do_not_load_the_tui() -> None:
    leak = _first_leak(CAMPAIGN_IMPORTS, TUI)
    assert leak is None, f"{leak[0]!r} imported {leak[1]}"


def test_the_model_does_not_load_yaml() -> None:
    """The engine imports the model through the package, so neither may load YAML."""
    statements = ["import tabletop.campaign", "import tabletop.campaign.model", "import tabletop.campaign.conditions"]
    leak = _first_leak(statements, ("yaml",))
    assert leak is None, f"{leak[0]!r} imported {leak[1]}"


def test_the_engine_loads_no_tui_yaml_or_network() -> None:
    leak = _first_leak([f"import {m}" for m in _engine_modules()], ENGINE_FORBIDDEN)
    assert leak is None, f"{leak[0]} loaded {leak[1]}"


def test_a_leak_is_named_by_the_first_import_that_made_it() -> None:
    """The grouping still points at the import that leaks (a stand-in: the stdlib's wave)."""
    leak = _first_leak(["import tabletop.engine.state", "import wave", "import tabletop.engine.serial"], ("wave",))
    assert leak == ("import wave", ["wave"])
