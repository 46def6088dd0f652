"""Each journaled line carries the wall-clock time it was written (``at``): metadata for the
debrief (decision times, pauses), never game state."""

from __future__ import annotations

import itertools
import json

import pytest

from tabletop.campaign.validate import load_campaign
from tabletop.journal import JournalWriter, read_journal
from tabletop.journal.format import wall_time
from tabletop.session import LocalSession, resolve_controllers

from save_helpers import CAMPAIGNS


def _session(tmp_path, clock):
    lc = load_campaign(CAMPAIGNS / "tutorial.yaml")
    campaign = lc.campaign
    controllers = resolve_controllers(campaign, ("red", "blue"))
    header = LocalSession.new_header(campaign, lc.text, str(lc.path), 7, controllers)
    save = tmp_path / "g.jsonl"
    journal = JournalWriter(save, header, durable=False)
    return LocalSession(campaign, seed=7, controllers=controllers, journal=journal, clock=clock), save


def test_lines_carry_the_clock_and_a_game_without_one_has_none(tmp_path):
    ticks = itertools.count(1_790_000_000.0, 1.5)
    timed, save = _session(tmp_path, lambda: next(ticks))
    timed.run_bots(40)
    timed.close()
    read = read_journal(save)
    times = [e.at for e in read.entries]
    assert None not in times and times == sorted(times) and times[0] == 1_790_000_000.0
    # one command's events share the time it was journaled
    groups = {}
    for e in read.entries:
        groups.setdefault(e.at, []).append(e.seq)
    assert any(len(v) > 1 for v in groups.values())
    lines = save.read_text().splitlines()[1:]
    assert all('"at":' in line for line in lines)

    (tmp_path / "b").mkdir()
    untimed, save2 = _session(tmp_path / "b", None)
    untimed.run_bots(40)
    untimed.close()
    assert all(e.at is None for e in read_journal(save2).entries)
    assert '"at"' not in save2.read_text()
    # the same game either way: the clock is not game state
    assert [e.event for e in read_journal(save2).entries] == [e.event for e in read.entries][: len(read_journal(save2).entries)]


@pytest.mark.parametrize("bad", [True, "12:00", -1, float("inf"), [1]])
def test_a_time_that_is_not_a_time_is_refused(bad):
    with pytest.raises(ValueError):
        wall_time(bad)


def test_times_survive_a_fork(tmp_path):
    from tabletop.session import fork

    ticks = itertools.count(1_790_000_000.0, 2.0)
    timed, save = _session(tmp_path, lambda: next(ticks))
    timed.run_bots(30)
    timed.close()
    read = read_journal(save)
    k = read.decision_points[len(read.decision_points) // 2]
    child = fork(read, k, tmp_path / "fork.jsonl", durable=False)
    child.close()
    copied = read_journal(tmp_path / "fork.jsonl").entries
    assert [e.at for e in copied] == [e.at for e in read.entries[:k]]
    first = json.loads((tmp_path / "fork.jsonl").read_text().splitlines()[1])
    assert first["at"] == 1_790_000_000.0
