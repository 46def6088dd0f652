"""The journal: the save format, its damage detection, and the writer's guarantees.

Damage cases use a copy of the golden tutorial save (139 events), so every sentence is
asserted word for word. Line ``n`` of a save holds event ``n - 1`` (line 1 is the header).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
import tabletop.journal as J
import tabletop.journal.lines as JL
import tabletop.journal.writer as JW
from save_helpers import GOLDEN_SAVES, TUTORIAL_SAVE, bot_save, copy_golden, header_for
from tabletop.commands.verify import verify
from tabletop.engine import events as E
from tabletop.journal import (
    Entry,
    HeaderDamaged,
    JournalError,
    JournalWriter,
    Migration,
    NotASave,
    UnsupportedVersion,
    read_journal,
)


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    return copy_golden(TUTORIAL_SAVE, tmp_path)


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def _write_lines(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")


def _damaged(path: Path) -> tuple[str | None, str]:
    """(read_journal's damage sentence, verify's sentence about it) for ``path``; the file is never changed."""
    before = path.read_bytes()
    damage = read_journal(path).damage
    code, text = verify(str(path))
    assert path.read_bytes() == before, "reading must never rewrite a save"
    assert code == 1
    return damage, next(x for x in text.split("\n") if x.startswith(f"{path}: save damaged")).removeprefix(f"{path}: ")


OK_TUTORIAL = (  # a format-1 game: its covert play was made by the rules of the time, which format 3 changed
    "ok, 139 events, chain verified, every event fits the game (not re-derived: the game began under format 1, "
    "whose rules this tabletop no longer plays); the game ended in round 4: the last round is over"
)


# ====================================================================== round trip


def test_a_save_reads_back_exactly_what_the_session_wrote(tmp_path: Path) -> None:
    session = bot_save(tmp_path / "g.jsonl")
    read = read_journal(tmp_path / "g.jsonl")
    assert read.damage is None and read.problem is None
    assert read.entries == session.entries
    assert read.header.seed == 64 and read.header.campaign_id == "tutorial"
    assert read.good_bytes == (tmp_path / "g.jsonl").stat().st_size
    assert read.offsets[-1] == read.good_bytes and len(read.offsets) == len(read.entries) + 1
    # every command's events end at a decision point; the points are increasing and end at the last event
    assert read.decision_points[0] == 0 and read.decision_points[-1] == len(read.entries)
    assert read.decision_points == sorted(set(read.decision_points))


def test_each_command_is_one_group_and_only_its_first_line_says_how_many(tmp_path: Path) -> None:
    bot_save(tmp_path / "g.jsonl", until=3)
    records = [json.loads(x) for x in _lines(tmp_path / "g.jsonl")[1:]]
    read = read_journal(tmp_path / "g.jsonl")
    points = read.decision_points
    for a, b in zip(points, points[1:]):
        first = records[a]
        assert first.get("group", 1) == b - a
        assert all("group" not in r for r in records[a + 1 : b])


def test_crlf_line_ends_are_tolerated(tutorial: Path) -> None:
    tutorial.write_bytes(tutorial.read_bytes().replace(b"\n", b"\r\n"))
    read = read_journal(tutorial)
    assert read.damage is None and len(read.entries) == 139
    code, text = verify(str(tutorial))
    assert code == 0 and text.split("\n")[0] == f"{tutorial}: {OK_TUTORIAL}"


# ====================================================================== damage, sentence by sentence


def test_a_torn_last_line(tutorial: Path) -> None:
    tutorial.write_bytes(tutorial.read_bytes()[:-40])
    damage, sentence = _damaged(tutorial)
    assert damage == "save damaged after event 124: 5792 bytes ignored"
    assert sentence == (
        "save damaged after event 124: 5792 bytes ignored (line 140, event 139: torn line; "
        "events 125-138 belong to the same command and are left out too)"
    )
    assert read_journal(tutorial).problem.torn_tail_only


def _flip(line: bytes, at: int = 100) -> bytes:
    b = bytearray(line)
    b[at] ^= 0x01
    return bytes(b)


def test_a_flipped_byte_that_its_command_re_derives_is_repaired_in_memory(tutorial: Path) -> None:
    lines = _lines(tutorial)
    lines[39] = _flip(lines[39])
    _write_lines(tutorial, lines)
    read = read_journal(tutorial)
    assert read.damage is None and len(read.entries) == 139 and read.repaired == [40]
    assert read.entries == read_journal(TUTORIAL_SAVE).entries
    code, text = verify(str(tutorial))
    assert (code, text) == (1, f"{tutorial}: {read.repairs[0]}")
    assert read.repairs[0] == (
        "line 40 (event 39) is damaged; it was rebuilt in memory from its command, and the rebuilt line's sha256 "
        "is the one line 41 names (the file is unchanged)"
    )


def test_two_flipped_lines_in_a_row(tutorial: Path) -> None:
    """The first cannot be proved (the line that names its hash is damaged too): reading stops there."""
    lines = _lines(tutorial)
    lines[39], lines[40] = _flip(lines[39]), _flip(lines[40])
    _write_lines(tutorial, lines)
    damage, sentence = _damaged(tutorial)
    assert damage == "save damaged after event 18: 40675 bytes ignored"
    assert sentence == (
        "save damaged after event 18: 40675 bytes ignored (line 40, event 39: checksum mismatch; "
        "events 19-38 belong to the same command and are left out too); beyond it, lines 42-140 (events 41-139) "
        "are intact (checksums good, each naming the line before it) but not loaded: nothing proves what the "
        "damaged line held"
    )


def test_reordered_lines(tutorial: Path) -> None:
    lines = _lines(tutorial)
    lines[39], lines[40] = lines[40], lines[39]
    _write_lines(tutorial, lines)
    damage, sentence = _damaged(tutorial)
    assert damage == "save damaged after event 18: 40675 bytes ignored"
    assert sentence.startswith("save damaged after event 18: 40675 bytes ignored (line 40, event 39: out of sequence;")


def test_a_duplicated_line(tutorial: Path) -> None:
    lines = _lines(tutorial)
    lines.insert(40, lines[39])
    _write_lines(tutorial, lines)
    damage, sentence = _damaged(tutorial)
    assert damage == "save damaged after event 18: 40948 bytes ignored"
    assert sentence.startswith("save damaged after event 18: 40948 bytes ignored (line 41, event 40: out of sequence;")


def test_a_deleted_middle_line(tutorial: Path) -> None:
    lines = _lines(tutorial)
    del lines[39]
    _write_lines(tutorial, lines)
    damage, sentence = _damaged(tutorial)
    assert damage == "save damaged after event 18: 40402 bytes ignored"
    assert sentence.startswith("save damaged after event 18: 40402 bytes ignored (line 40, event 39: out of sequence;")


def test_an_edited_line_with_a_recomputed_checksum_breaks_the_chain(tutorial: Path) -> None:
    """Someone edits event 14 (a command's last event) and fixes its checksum: line 16 no longer chains."""
    lines = _lines(tutorial)
    rec = json.loads(lines[14])
    assert rec["seq"] == 14
    del rec["sum"]
    rec["phase"] = rec["phase"]  # same content, but re-serialised with a changed seat
    rec["seat"] = "veldia" if rec["seat"] != "veldia" else "ostrand"
    lines[14] = JL._line(rec).rstrip(b"\n")
    _write_lines(tutorial, lines)
    damage, sentence = _damaged(tutorial)
    assert damage is not None and damage.startswith("save damaged after event 14: ")
    assert sentence.endswith(
        "(line 16, event 15: chain broken); beyond it, lines 16-140 (events 15-139) are intact (checksums good, "
        "each naming the line before it) but not loaded: nothing proves what the damaged line held"
    )


def test_an_unknown_event_with_a_good_checksum_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    bot_save(path, until=0)
    read = read_journal(path)
    n = len(read.entries)
    line = JL._line({"seq": n + 1, "round": 1, "phase": "calm", "seat": None, "command": None,
                    "event": {"type": "from_the_future"}, "prev": read.last_digest})
    with open(path, "ab") as f:
        f.write(line)
    damage, sentence = _damaged(path)
    assert damage == f"save damaged after event {n}: {len(line)} bytes ignored"
    assert sentence == f"{damage} (line {n + 2}, event {n + 1}: unreadable event)"


def test_a_command_cut_at_a_line_boundary_is_left_out_whole(tutorial: Path) -> None:
    """A power cut may keep some whole lines of a command's write: they are not loaded alone."""
    lines = _lines(tutorial)
    _write_lines(tutorial, lines[:40])  # the header and events 1..39; events 19..40 are one command
    damage, sentence = _damaged(tutorial)
    ignored = sum(len(x) + 1 for x in lines[19:40])  # the lines of events 19..39
    assert damage == f"save damaged after event 18: {ignored} bytes ignored"
    assert sentence == f"{damage} (line 20, event 19: incomplete command)"
    assert read_journal(tutorial).problem.torn_tail_only


def test_a_truncated_header(tutorial: Path) -> None:
    tutorial.write_bytes(tutorial.read_bytes()[:500])
    with pytest.raises(HeaderDamaged) as e:
        read_journal(tutorial)
    assert str(e.value) == "the save's header (line 1) is cut short: nothing in this save can be loaded"
    assert verify(str(tutorial)) == (
        1, f"{tutorial}: the save's header (line 1) is cut short: nothing in this save can be loaded"
    )


def test_a_header_with_a_changed_seed_is_refused(tutorial: Path) -> None:
    lines = _lines(tutorial)
    assert b'"seed":64,' in lines[0]
    lines[0] = lines[0].replace(b'"seed":64,', b'"seed":65,')
    _write_lines(tutorial, lines)
    with pytest.raises(HeaderDamaged, match=r"^the save's header \(line 1\) is damaged \(checksum mismatch\)"):
        read_journal(tutorial)


@given(cut=st.integers(min_value=0, max_value=62561))
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_truncation_loads_a_prefix_or_refuses_with_a_sentence(tmp_path_factory: pytest.TempPathFactory, cut: int) -> None:
    data = TUTORIAL_SAVE.read_bytes()
    path = tmp_path_factory.mktemp("cut") / "g.jsonl"
    path.write_bytes(data[:cut])
    full = read_journal(TUTORIAL_SAVE)
    try:
        read = read_journal(path)
    except JournalError as e:
        assert cut <= full.offsets[0] and str(e)
        return
    assert read.entries == full.entries[: len(read.entries)]
    assert len(read.entries) in full.decision_points
    if cut < len(data):
        assert read.damage is None or read.problem.torn_tail_only
    assert read.good_bytes <= cut


@given(pos=st.integers(min_value=0, max_value=62560), bit=st.integers(min_value=0, max_value=7))
@settings(max_examples=examples(60), deadline=None)
def test_any_flipped_bit_is_caught(pos: int, bit: int) -> None:
    data = bytearray(TUTORIAL_SAVE.read_bytes())
    data[pos] ^= 1 << bit
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "g.jsonl"
        path.write_bytes(bytes(data))
        full = read_journal(TUTORIAL_SAVE)
        try:
            read = read_journal(path)
        except JournalError:
            assert pos < full.offsets[0]  # only a damaged header refuses the whole save
            return
        assert read.damage is not None or read.repaired  # stopped there, or rebuilt and proved by the next line
        assert read.entries == full.entries[: len(read.entries)]
        assert verify(str(path))[0] == 1


# ====================================================================== headers and versions


def test_not_a_save(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("hello\n")
    with pytest.raises(NotASave, match=r"^this is not a tabletop save \(its first line is not a journal header\)$"):
        read_journal(p)
    (tmp_path / "empty.jsonl").write_bytes(b"")
    with pytest.raises(NotASave, match="is empty$"):
        read_journal(tmp_path / "empty.jsonl")
    with pytest.raises(NotASave, match="^there is no file "):
        read_journal(tmp_path / "missing.jsonl")
    with pytest.raises(NotASave, match="is a folder, not a save$"):
        read_journal(tmp_path)


def _with_version(path: Path, version: int) -> None:
    """Rewrite the save as if written with format ``version`` (header changed, every line chained anew)."""
    out = []
    prev = ""
    for i, raw in enumerate(_lines(path)):
        rec = json.loads(raw)
        del rec["sum"]
        if i == 0:
            rec["version"] = version
        else:
            rec["prev"] = prev
        line = JL._line(rec)
        prev = JL._digest(line)
        out.append(line.rstrip(b"\n"))
    _write_lines(path, out)


def test_version_0_is_refused_with_a_sentence(tutorial: Path) -> None:
    _with_version(tutorial, 0)
    with pytest.raises(UnsupportedVersion) as e:
        read_journal(tutorial)
    assert str(e.value) == "this save is format version 0, which this tabletop (0.1.0) cannot read (it reads versions 1 to 4)"


def test_a_newer_version_asks_for_a_newer_tabletop(tutorial: Path) -> None:
    _with_version(tutorial, 5)
    with pytest.raises(UnsupportedVersion) as e:
        read_journal(tutorial)
    assert str(e.value) == (
        "this save is format version 5, written by a newer tabletop; this tabletop (0.1.0) reads versions up to 4: "
        "update tabletop to open it"
    )
    assert verify(str(tutorial))[0] == 2


def test_a_registered_migration_upgrades_an_older_save(tutorial: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook for the day the format changes: version 0 read through a migration (then 1 -> 2)."""
    _with_version(tutorial, 0)
    seen = []

    def header(data: dict) -> dict:
        return {**data, "version": 1}

    def record(data: dict) -> dict:
        seen.append(data["seq"])
        return data

    monkeypatch.setitem(J.MIGRATIONS, 0, Migration(header, record))
    read = read_journal(tutorial)
    assert read.damage is None and len(read.entries) == 139 and seen == list(range(1, 140))
    assert read.header.rng == "v1"  # format 1 drew its dice from the old, guessable derivation


# ====================================================================== the writer


def test_a_save_is_never_overwritten(tutorial: Path) -> None:
    before = tutorial.read_bytes()
    with pytest.raises(FileExistsError):
        JournalWriter(tutorial, read_journal(tutorial).header)
    assert tutorial.read_bytes() == before


def test_append_to_refuses_a_damaged_save(tutorial: Path) -> None:
    tutorial.write_bytes(tutorial.read_bytes()[:-40])
    read = read_journal(tutorial)
    with pytest.raises(JournalError, match=r"^save damaged after event 124: 5792 bytes ignored; it will not be appended to$"):
        JournalWriter.append_to(tutorial, read)


def test_append_to_refuses_a_save_that_changed_since_it_was_read(tutorial: Path) -> None:
    read = read_journal(tutorial)
    with open(tutorial, "ab") as f:
        f.write(b"x")
    with pytest.raises(JournalError, match="changed since it was read"):
        JournalWriter.append_to(tutorial, read)


def test_two_writers_cannot_append_to_one_save(tutorial: Path) -> None:
    read = read_journal(tutorial)
    with JournalWriter.append_to(tutorial, read):
        with pytest.raises(JournalError, match="is being written by another tabletop"):
            JournalWriter.append_to(tutorial, read)
    JournalWriter.append_to(tutorial, read).close()  # released on close


def test_events_out_of_sequence_are_not_written(tmp_path: Path) -> None:
    with JournalWriter(tmp_path / "g.jsonl", header_for("tutorial", 1)) as w:
        with pytest.raises(JournalError, match="event 3 cannot follow event 0"):
            w.append([Entry(3, 0, "calm", None, None, E.Resumed())])
    assert read_journal(tmp_path / "g.jsonl").entries == []


def test_a_failed_write_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "g.jsonl"
    w = JournalWriter(path, header_for("tutorial", 1))
    w.append([Entry(1, 0, "calm", None, None, E.Resumed())])
    size = path.stat().st_size
    real_write = os.write

    def half_then_fail(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(JW.os, "write", half_then_fail)
    with pytest.raises(JournalError, match="could not write to .*No space left on device"):
        w.append([Entry(2, 0, "calm", None, None, E.Resumed())])
    monkeypatch.undo()
    assert path.stat().st_size == size
    w.append([Entry(2, 0, "calm", None, None, E.Resumed())])  # the writer carries on where it was
    w.close()
    assert len(read_journal(path).entries) == 2


def test_a_durable_append_is_synced_before_it_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced = []
    monkeypatch.setattr(JW, "_sync", lambda fd: synced.append(fd))
    w = JournalWriter(tmp_path / "g.jsonl", header_for("tutorial", 1))
    w.append([Entry(1, 0, "calm", None, None, E.Resumed())])
    w.close()
    assert len(synced) == 2  # the header, then the command
    synced.clear()
    w = JournalWriter(tmp_path / "h.jsonl", header_for("tutorial", 1), durable=False)
    w.append([Entry(1, 0, "calm", None, None, E.Resumed())])
    w.close()
    assert synced == []


@pytest.mark.parametrize("name", ["tutorial-bots.jsonl", "baltic-facilitated.jsonl"])
def test_golden_saves_load_fold_to_their_outcome_and_verify(name: str) -> None:
    """Saves written by this version must keep loading in every later one.

    These files were written once (``golden/make_saves.py``) and are never regenerated:
    if this test fails, the change broke old saves. Keep reading them, or bump the
    format version and register a migration (``tabletop.journal.MIGRATIONS``).
    """
    from tabletop.analysis.debrief import Debrief
    from tabletop.journal.replay import Replay

    expected = json.loads((GOLDEN_SAVES / "manifest.json").read_text(encoding="utf-8"))[name]
    path = GOLDEN_SAVES / name
    replay = Replay.open(path)
    assert replay.damage is None and len(replay) == expected["events"]
    outcome = replay.final.outcome
    assert outcome is not None
    assert {"reason": outcome.reason, "detail": outcome.detail, "objectives": outcome.objectives} == expected["outcome"]
    ended = [e.event for e in replay.entries if isinstance(e.event, E.GameEnded)]
    assert len(ended) == 1 and ended[0].objectives == outcome.objectives  # the recorded outcome
    assert dict(replay.final.tracks) == expected["tracks"] and replay.final.phase == expected["phase"]
    debrief = Debrief(replay)
    assert len(debrief.votes()) == expected["votes"] and len(debrief.covert_report()) == expected["covert"]
    assert sorted({i.kind for i in debrief.interventions()}) == expected["interventions"]
    code, text = verify(str(path))
    assert code == 0, text
    assert text.split("\n")[0].startswith(
        f"{path}: ok, {expected['events']} events, chain verified, every event fits the game (not re-derived: "
        f"the game began under format 1, whose rules this tabletop no longer plays); the game ended in round "
    )


def test_the_journal_does_not_load_the_tui() -> None:
    import subprocess
    import sys

    code = (
        "import tabletop.journal, tabletop.journal.replay, tabletop.journal.notes, tabletop.analysis.report, "
        "tabletop.commands.verify, tabletop.commands.report, tabletop.commands.resume, sys; "
        "print(','.join(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == ""
