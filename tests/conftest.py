"""Shared fixtures. Append new fixtures; do not rewrite the ones others use."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from hypothesis import settings

from campaign_texts import MINIMAL_CAMPAIGN
from hypothesis_profiles import profile_name
from css_cache import css_parsed_once  # noqa: F401  (an autouse fixture)
from settle import pilot_waits_until_settled  # noqa: F401  (an autouse fixture)

# Before any test module is imported: their @settings inherit from the profile loaded.
settings.load_profile(profile_name())

# The cyclic collector, less eager: a Pilot test makes and drops hundreds of thousands of
# small objects (widgets, strips, styles, events), and at Python's default threshold (700)
# a collection ran every few milliseconds, about a seventh of the TUI tests' CPU. The
# collector still runs, a tenth as often; a worker holds a few tens of MB more.
gc.set_threshold(10_000, 20, 20)


@pytest.fixture
def minimal_campaign_text() -> str:
    """A valid small two-side campaign as YAML text (see ``MINIMAL_CAMPAIGN``)."""
    return MINIMAL_CAMPAIGN


@pytest.fixture
def minimal_campaign_path(tmp_path: Path, minimal_campaign_text: str) -> Path:
    """``minimal_campaign_text`` written to ``tmp_path/border-drill.yaml``."""
    path = tmp_path / "border-drill.yaml"
    path.write_text(minimal_campaign_text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _user_data_folder_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A game started outside a folder with ``saves/`` is saved in the user data folder
    (``tabletop.files.saves_dir``): the tests' go to a temporary one, never the real one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "xdg-data"))


#: The modules whose tests take longest (seconds each): run first, so that when `make test`
#: shares the suite out (pytest-xdist, ``--dist worksteal``) the run ends on short tests and
#: no core waits for another's long last one. Only the order changes; a module not listed
#: keeps its place. Update it from ``--durations`` when the slowest move.
SLOW_FIRST = (
    "tests/tui/test_game.py",
    "tests/test_engine_properties.py",
    "tests/tui/test_replay_viewer.py",
    "tests/test_randomness.py",
    "tests/tui/test_format2_play.py",
    "tests/tui/test_found_by_hand.py",
    "tests/tui/test_snapshots.py",
    "tests/tui/test_plain_screens.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: i for i, module in enumerate(SLOW_FIRST)}
    # a stable sort: the tests of a module stay together and in their order
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (``make test``) starts one worker more than there are cores: a good part
    of the suite waits rather than computes (the CLI tests on their subprocesses, the
    network tests on their sockets, the Pilot on the app's next frame: tests/settle.py),
    and the extra worker runs tests in those gaps. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1
