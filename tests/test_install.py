"""tabletop installs anywhere: the bundled campaigns are package data, and the built wheel,
installed in a fresh virtual environment outside the checkout, validates, simulates and
plays the default campaign from a folder that is not the checkout.

The slow test does what ``pipx install .`` and ``uv tool install .`` do: build the wheel
from the source, install it (dependencies from the package index) into an environment
of its own, and run the ``tabletop`` entry point it made. It is marked ``wheel``: ``make
wheel-check`` runs it, and CI (``.ci/run``) runs that after ``make test``, which leaves
it out.
"""

from __future__ import annotations

import importlib.resources
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tabletop.campaign.bundled import BUNDLED_PACKAGE, bundled_campaigns, bundled_dir, resolve_campaign

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN_FILES = sorted(p.name for p in (ROOT / "campaigns").glob("*.yaml"))


def test_the_bundled_campaigns_are_package_data_read_from_the_one_folder() -> None:
    folder = importlib.resources.files(BUNDLED_PACKAGE)
    assert isinstance(folder, Path) and sorted(p.name for p in folder.glob("*.yaml")) == CAMPAIGN_FILES
    # an editable install (the checkout) reads campaigns/ itself: no copy to drift
    assert folder.resolve() == (ROOT / "campaigns").resolve() == bundled_dir().resolve()  # type: ignore[union-attr]
    assert [p.name for p in bundled_campaigns()][0] == "belarus-border-2021.yaml"
    assert resolve_campaign("tutorial").resolve() == (ROOT / "campaigns" / "tutorial.yaml").resolve()


def _source_copy(dest: Path) -> Path:
    """The source tree without local state (a build never writes into the checkout)."""
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "build", "dist", "*.egg-info", "saves",
                                    ".pytest_cache", ".hypothesis", ".mypy_cache", "snapshot_report.html")
    shutil.copytree(ROOT, dest, ignore=ignore)
    (dest / "saves").mkdir()
    return dest


def _run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


SMOKE = """
import asyncio, sys
from pathlib import Path
import tabletop
from tabletop.campaign.bundled import bundled_campaigns
from tabletop.commands.common import load_or_exit, start_session
from tabletop.tui.app import build_app
from tabletop.tui.launcher import build_launcher

checkout = Path(sys.argv[1])
assert checkout not in Path(tabletop.__file__).resolve().parents, tabletop.__file__
assert [p.stem for p in bundled_campaigns()] == ["belarus-border-2021", "baltic-winter-energy", "tutorial"]

async def main():
    launcher = build_launcher()
    async with launcher.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(launcher.campaigns) == 3 and not any(c.problem for c in launcher.campaigns)
    session, save = start_session(load_or_exit(None), [], None, None)  # the default campaign, people at every seat
    app = build_app(session, save_path=save)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # past the briefing, to the board (and the first hand-off)
            await pilot.pause()
            assert "GameScreen" in [type(s).__name__ for s in app.screen_stack], app.screen_stack
    finally:
        session.close()
    print(save)

asyncio.run(main())
"""


@pytest.mark.wheel
def test_the_built_wheel_installs_and_plays_anywhere(tmp_path: Path) -> None:
    src = _source_copy(tmp_path / "src")
    dist = tmp_path / "dist"
    pip_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src, cwd=tmp_path, env=pip_env)
    [wheel] = dist.glob("tabletop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("tabletop/campaigns/") and n.endswith(".yaml")) \
        == CAMPAIGN_FILES
    assert "tabletop/tui/tabletop.tcss" in names and "tabletop/py.typed" in names

    venv = tmp_path / "venv"  # a fresh environment: nothing from the checkout or its .venv
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path, env=pip_env)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", wheel, cwd=tmp_path, env=pip_env)
    shutil.rmtree(src)  # the source is gone: only the installed package is left

    here = tmp_path / "elsewhere"  # not the checkout, and no saves/ folder
    here.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path / "home"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "TERM": "dumb"}
    tabletop = venv / "bin" / "tabletop"

    checked = _run(tabletop, "validate", "belarus-border-2021", "tutorial", "baltic-winter-energy", cwd=here, env=env)
    assert ": error:" not in checked.stdout and "bundled: none" not in checked.stdout  # warnings may come and go
    simulated = _run(tabletop, "simulate", "--games", "5", "--seed", "1", "--json", cwd=here, env=env)
    assert '"games": 5' in simulated.stdout
    hosted = _run(tabletop, "host", "--headless", "--bot", "red", "--bot", "blue", "--bot-delay", "0",
                  "--bind", "127.0.0.1", "--port", "0", cwd=here, env=env, timeout=120)
    saves = tmp_path / "data" / "tabletop" / "saves"
    [save] = saves.glob("*-belarus-border-2021.jsonl")
    assert f"saving to {save}" in hosted.stdout and "The exercise is over." in hosted.stdout
    report = _run(tabletop, "report", save, cwd=here, env=env)
    assert report.stdout.startswith("# After-action report: Belarus Border Crisis 2021")
    started = _run(python, "-c", SMOKE, ROOT, cwd=here, env=env)
    assert Path(started.stdout.strip()).parent == saves
    assert sorted(p.name for p in here.iterdir()) == []  # nothing was written into the working folder
