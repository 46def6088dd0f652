"""`tabletop msel`: the injects as a CSV, edits merged back into a new campaign file.

Run as a user runs it (subprocesses), plus the pure functions of tabletop.campaign.msel.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from campaign_texts import MINIMAL_CAMPAIGN
from cli_process import run_tabletop
from tabletop.campaign.bundled import resolve_campaign
from tabletop.campaign.validate import load_campaign, load_campaign_text, validate_path
from tabletop.journal import read_journal

ROOT = Path(__file__).resolve().parents[1]

#: The minimal campaign with comments and quoting a merge must keep as they are.
COMMENTED = (
    MINIMAL_CAMPAIGN
    .replace("injects:\n", "# ---- injects: the MSEL (kept in round order)\ninjects:\n")
    .replace("  - id: winter\n", "  # the weather inject, by condition\n  - id: winter\n")
    .replace("end:\n", "\n# ---- how it ends   (two spaces, kept)\nend:\n")
    .replace("title: Border drill", "title: 'Border drill'  # quoted on purpose")
)


def tabletop(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_tabletop(
        *args, cwd=cwd, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(cwd / "data")},
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None, bom: bool = False) -> None:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def drill(tmp_path: Path) -> Path:
    path = tmp_path / "drill.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    assert [p for p in validate_path(path) if p.is_error] == []
    return path


# ====================================================================== export


def test_export_writes_the_columns_facilitators_use(drill: Path) -> None:
    done = tabletop("msel", "drill.yaml", "-o", "msel.csv", cwd=drill.parent)
    assert done.returncode == 0, done.stderr
    raw = (drill.parent / "msel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,round,date,when,library,to,title,text,expected,objective\r\n")
    rows = read_csv(drill.parent / "msel.csv")
    assert rows == [
        {"id": "airlift", "round": "2", "date": "2021-11-15", "when": "", "library": "no", "to": "",
         "title": "Airlift from Baghdad", "text": "A charter airline adds flights to Minsk.",
         "expected": "", "objective": ""},
        {"id": "winter", "round": "", "date": "", "when": "round >= 4 and border <= 5", "library": "no",
         "to": "", "title": "Winter sets in", "text": "", "expected": "", "objective": ""},
    ]
    assert "wrote 2 injects to msel.csv" in done.stderr


def test_export_to_standard_output_and_by_bundled_id(tmp_path: Path) -> None:
    done = tabletop("msel", "tutorial", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    campaign = load_campaign(resolve_campaign("tutorial")).campaign
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["id"] for r in rows] == [i.id for i in campaign.injects]
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_to_replace_a_file_unless_forced(drill: Path) -> None:
    target = drill.parent / "msel.csv"
    target.write_text("my own notes\n")
    done = tabletop("msel", "drill.yaml", "-o", "msel.csv", cwd=drill.parent)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("tabletop msel: msel.csv already exists and is left as it is (choose another file, "
                           "or pass --force to replace it).\n")
    assert target.read_text() == "my own notes\n"
    forced = tabletop("msel", "drill.yaml", "-o", "msel.csv", "--force", cwd=drill.parent)
    assert forced.returncode == 0, forced.stderr
    assert read_csv(target)[0]["id"] == "airlift"


def test_to_shows_names_and_an_id_where_a_name_is_shared() -> None:
    from tabletop.campaign.msel import export_csv

    text = COMMENTED.replace("    round: 2\n", "    round: 2\n    to: [poland, blue]\n", 1)
    # a side and an actor of the same name: the id tells them apart
    text = text.replace("name: Russia", "name: The allies")
    campaign = load_campaign_text(text).campaign
    rows = list(csv.DictReader(io.StringIO(export_csv(campaign))))
    assert rows[0]["to"] == "Poland; blue"


# ====================================================================== round trip


def test_round_trip_edit_import_validate_play(tmp_path: Path) -> None:
    """Export the tutorial, move an inject and rewrite its text, add one addressed to a
    side by name, merge, validate, and let bots play the merged campaign: the edits happen."""
    shutil.copy(ROOT / "campaigns" / "tutorial.yaml", tmp_path / "tut.yaml")
    original = (tmp_path / "tut.yaml").read_bytes()
    campaign = load_campaign(tmp_path / "tut.yaml").campaign
    by_round = next(i for i in campaign.injects if i.round is not None)
    assert tabletop("msel", "tut.yaml", "-o", "msel.csv", cwd=tmp_path).returncode == 0
    rows = read_csv(tmp_path / "msel.csv")
    row = next(r for r in rows if r["id"] == by_round.id)
    new_round = 1 if by_round.round != 1 else 2  # early: every bot game reaches it
    row["round"] = str(new_round)  # the date column is left as exported: it follows the round
    row["text"] = "Edited in the spreadsheet: the debate moves, and every rumour is repeated twice."
    side = campaign.sides[1]
    rows.append({"id": "msel-added", "round": "1", "date": "", "when": "", "library": "", "to": side.name,
                 "title": "Added in the MSEL", "text": "A row the facilitator typed.",
                 "expected": "The side calls a meeting.", "objective": ""})
    write_csv(tmp_path / "msel.csv", rows, bom=True)

    done = tabletop("msel", "tut.yaml", "--import", "msel.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    merged = tmp_path / "tut.merged.yaml"
    assert f"1 inject updated ({by_round.id}), 1 added (msel-added)" in done.stderr
    assert str(merged.name) in done.stderr
    assert (tmp_path / "tut.yaml").read_bytes() == original  # the campaign itself is left alone
    assert [p for p in validate_path(merged) if p.is_error] == []
    model = load_campaign(merged).campaign
    assert model.inject_by_id[by_round.id].round == new_round
    assert model.inject_by_id["msel-added"].to == [side.id]
    assert model.inject_by_id["msel-added"].expected == "The side calls a meeting."

    sim = tabletop("simulate", "tut.merged.yaml", "--games", "2", "--seed", "3", "--save-dir", "runs", cwd=tmp_path)
    assert sim.returncode == 0, sim.stderr
    for save in sorted((tmp_path / "runs").glob("*.jsonl")):
        fired = {e.event.inject: (e.round, e.event) for e in read_journal(save).entries
                 if e.event.TYPE == "inject_fired"}
        assert fired[by_round.id][0] == new_round
        assert fired[by_round.id][1].text == row["text"]
        assert fired["msel-added"][0] == 1
        # addressed privately, as the row asked (the event's `to` is the engine's, issue 11)
        assert getattr(fired["msel-added"][1], "to", (side.id,)) == (side.id,)


def test_merge_keeps_everything_else_byte_for_byte(drill: Path) -> None:
    assert tabletop("msel", "drill.yaml", "-o", "msel.csv", cwd=drill.parent).returncode == 0
    rows = read_csv(drill.parent / "msel.csv")
    rows[0]["round"] = "3"
    rows[0]["date"] = ""
    rows[1]["to"] = "poland;Lithuania"
    rows[1]["expected"] = "The allies meet within a day."
    rows.append({"id": "fog", "round": "", "date": "2021-11-29", "when": "", "library": "", "to": "",
                 "title": "Fog: no flights", "text": "", "expected": "", "objective": "LO 2"})
    write_csv(drill.parent / "msel.csv", rows)
    done = tabletop("msel", "drill.yaml", "--import", "msel.csv", "-o", "new.yaml", cwd=drill.parent)
    assert done.returncode == 0, done.stderr
    expected = (
        COMMENTED
        .replace("    round: 2\n    text: A charter", "    round: 3\n    text: A charter")
        .replace(
            "    when: round >= 4 and border <= 5\n",
            "    when: round >= 4 and border <= 5\n    to: [poland, lithuania]\n",
        )
        .replace(
            "      tracks: {cohesion: 1}\n\n# ---- how it ends",
            "      tracks: {cohesion: 1}\n    expected: The allies meet within a day.\n"
            "  - id: fog\n    title: 'Fog: no flights'\n    round: 4\n    objective: LO 2\n\n# ---- how it ends",
        )
    )
    assert (drill.parent / "new.yaml").read_text(encoding="utf-8") == expected
    assert (drill.parent / "drill.yaml").read_text(encoding="utf-8") == COMMENTED


def test_an_unchanged_csv_merges_to_the_same_bytes(drill: Path) -> None:
    assert tabletop("msel", "drill.yaml", "-o", "msel.csv", cwd=drill.parent).returncode == 0
    done = tabletop("msel", "drill.yaml", "--import", "msel.csv", cwd=drill.parent)
    assert done.returncode == 0, done.stderr
    assert "no inject changed" in done.stderr
    assert (drill.parent / "drill.merged.yaml").read_bytes() == drill.read_bytes()


def test_emptied_cells_remove_keys_and_long_text_is_folded() -> None:
    from tabletop.campaign.msel import read_rows
    from tabletop.campaign.msel_merge import merge

    campaign = load_campaign_text(COMMENTED).campaign
    long_text = " ".join(["The charter airline adds more flights to Minsk every week."] * 4)
    csv_text = (
        "id,round,when,library,text\n"
        f"airlift,,,yes,{long_text}\n"
        'winter,,,,"two\nlines"\n'
    )
    edits, problems = read_rows(campaign, csv_text, "m.csv")
    assert problems == []
    merged = merge(COMMENTED, campaign, edits)
    assert merged.updated == ("airlift", "winter")
    model = load_campaign_text(merged.text).campaign
    airlift, winter = model.injects
    assert (airlift.round, airlift.in_library, airlift.text) == (None, True, long_text)
    assert (winter.when, winter.text) == (None, "two\nlines")
    assert "    text: >-\n      The charter" in merged.text
    assert max(len(line) for line in merged.text.splitlines()) <= 100
    assert "    text: |-\n      two\n      lines\n" in merged.text


def test_the_default_output_is_never_replaced_without_force(drill: Path) -> None:
    assert tabletop("msel", "drill.yaml", "-o", "msel.csv", cwd=drill.parent).returncode == 0
    assert tabletop("msel", "drill.yaml", "--import", "msel.csv", cwd=drill.parent).returncode == 0
    merged = drill.parent / "drill.merged.yaml"
    merged.write_text("# edited by hand since\n")
    again = tabletop("msel", "drill.yaml", "--import", "msel.csv", cwd=drill.parent)
    assert again.returncode == 2
    assert "drill.merged.yaml already exists and is left as it is" in again.stderr
    assert merged.read_text() == "# edited by hand since\n"
    # naming the campaign itself with --force is how to edit it in place
    rows = read_csv(drill.parent / "msel.csv")
    rows[0]["title"] = "Airlift from Baghdad and Istanbul"
    write_csv(drill.parent / "msel.csv", rows)
    refused = tabletop("msel", "drill.yaml", "--import", "msel.csv", "-o", "drill.yaml", cwd=drill.parent)
    assert refused.returncode == 2 and drill.read_text(encoding="utf-8") == COMMENTED
    forced = tabletop("msel", "drill.yaml", "--import", "msel.csv", "-o", "drill.yaml", "--force", cwd=drill.parent)
    assert forced.returncode == 0, forced.stderr
    assert drill.read_text(encoding="utf-8") == COMMENTED.replace(
        "title: Airlift from Baghdad\n", "title: Airlift from Baghdad and Istanbul\n")


# ====================================================================== bad rows


def test_bad_rows_are_located_and_nothing_is_written(drill: Path) -> None:
    header = ["id", "round", "to", "title", "when", "library"]
    rows = [
        {"id": "airlift", "round": "three", "to": "", "title": "Airlift", "when": "", "library": ""},
        {"id": "winter", "round": "", "to": "Polnad", "title": "", "when": "", "library": ""},
        {"id": "airlift", "round": "", "to": "", "title": "Again", "when": "", "library": ""},
        {"id": "new-one", "round": "", "to": "", "title": "", "when": "escalation >> 2", "library": "maybe"},
        {"id": "Bad Id", "round": "", "to": "", "title": "x", "when": "", "library": ""},
    ]
    write_csv(drill.parent / "bad.csv", rows, header)
    done = tabletop("msel", "drill.yaml", "--import", "bad.csv", cwd=drill.parent)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "bad.csv:2:2: error: round: 'three' is not a whole number (the round it fires at, 1 to 6; empty for none)"
    assert lines[1].startswith("bad.csv:3:3: error: to: no side or actor is named 'Polnad' (they are: ")
    assert lines[2] == "bad.csv:3:4: error: title: empty: every inject needs a title"
    assert lines[3] == "bad.csv:4:1: error: id: 'airlift' is already on row 2: one row per inject"
    assert lines[4] == "bad.csv:5:4: error: title: empty: a new inject needs a title"
    assert lines[5].startswith("bad.csv:5:5: error: when: 'escalation >> 2': ")
    assert lines[6] == "bad.csv:5:6: error: library: 'maybe': write yes or no (or leave it empty)"
    assert lines[7].startswith("bad.csv:6:1: error: id: 'Bad Id' is not an id")
    assert lines[8] == "tabletop msel: 8 errors in bad.csv; nothing was written."
    assert sorted(p.name for p in drill.parent.iterdir()) == ["bad.csv", "drill.yaml"]


def test_an_unknown_column_and_a_missing_id_column(drill: Path) -> None:
    (drill.parent / "cols.csv").write_text("\ufeffround,Serial,title\n2,7,x\n", encoding="utf-8")
    done = tabletop("msel", "drill.yaml", "--import", "cols.csv", cwd=drill.parent)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        "cols.csv:1:2: error: unknown column 'Serial' (the columns are: id, round, date, when, library, to, "
        "title, text, expected, objective)",
        "cols.csv:1:1: error: there is no `id` column: every row needs the id of its inject",
    ]


def test_rows_count_lines_of_the_file_with_multiline_cells(drill: Path) -> None:
    text = 'id,text,round\nairlift,"one\ntwo\nthree",2\nwinter,,x\n'
    (drill.parent / "m.csv").write_text(text, encoding="utf-8")
    done = tabletop("msel", "drill.yaml", "--import", "m.csv", cwd=drill.parent)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("m.csv:5:3: error: round: 'x' is not a whole number")


def test_a_date_that_disagrees_with_a_changed_round(drill: Path) -> None:
    text = "id,round,date\nairlift,3,2021-11-08\nwinter,,2031-01-01\n"
    (drill.parent / "d.csv").write_text(text, encoding="utf-8")
    done = tabletop("msel", "drill.yaml", "--import", "d.csv", cwd=drill.parent)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        "d.csv:2:3: error: date: 2021-11-08 is not the date of round 3 (2021-11-22): change the round or the date, "
        "not both (or empty the date)",
        "d.csv:3:3: error: date: 2031-01-01 is outside the exercise (2021-11-08 to 2021-12-19)",
    ]


def test_a_merged_campaign_that_does_not_validate_is_not_written(
    drill: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from tabletop.campaign import msel_merge as pure
    from tabletop.commands import msel

    real = pure.merge

    def broken(source: str, campaign: object, edits: object) -> pure.Merged:
        done = real(source, campaign, edits)  # type: ignore[arg-type]
        return pure.Merged(done.text.replace("end:\n", "end: 3\n"), done.updated, done.added, done.untouched)

    monkeypatch.setattr(pure, "merge", broken)
    (drill.parent / "m.csv").write_text("id,title\nairlift,Airlift\n", encoding="utf-8")
    out = drill.parent / "out.yaml"
    args = argparse.Namespace(campaign=str(drill), output=str(out), import_csv=str(drill.parent / "m.csv"), force=False)
    assert msel.run(args) == 1
    err = capsys.readouterr().err
    assert f"{out}:" in err and "nothing was written" in err
    assert not out.exists()


def test_the_msel_command_alone_loads_ruamel() -> None:
    code = "import tabletop.cli, tabletop.commands.validate, tabletop.campaign.validate, sys; print('ruamel' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_a_spreadsheet_saved_with_semicolons_and_local_dates(drill: Path) -> None:
    """Excel in most of Europe saves `;`-separated CSV and shows dates as it reads them."""
    assert tabletop("msel", "drill.yaml", "-o", "msel.csv", cwd=drill.parent).returncode == 0
    rows = read_csv(drill.parent / "msel.csv")
    rows[0]["date"] = "15.11.2021"  # round 2, unchanged
    rows[0]["text"] = "Ä charter airline adds flights to Minsk; Łukasz reports."
    rows[1]["date"] = "29/11/2021"  # moves the conditional inject to round 4 as well
    with open(drill.parent / "excel.csv", "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    done = tabletop("msel", "drill.yaml", "--import", "excel.csv", "-o", "new.yaml", cwd=drill.parent)
    assert done.returncode == 0, done.stderr
    model = load_campaign(drill.parent / "new.yaml").campaign
    airlift, winter = model.injects
    assert (airlift.round, airlift.text) == (2, rows[0]["text"])
    assert (winter.round, winter.when) == (4, "round >= 4 and border <= 5")


def test_an_ambiguous_date_is_asked_for_in_full() -> None:
    from tabletop.campaign.msel import read_rows

    campaign = load_campaign_text(COMMENTED).campaign
    _, problems = read_rows(campaign, "id,date\nwinter,06/12/2021\n", "m.csv")
    assert [str(p) for p in problems] == [
        "m.csv:2:2: error: date: '06/12/2021' could be 2021-06-12 or 2021-12-06: write it as YYYY-MM-DD"
    ]


def test_the_msel_command_loads_no_tui_and_is_in_the_help(tmp_path: Path) -> None:
    code = ("import tabletop.commands.msel, tabletop.campaign.msel, sys; "
            "print(','.join(m for m in ('textual', 'rich') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stderr + done.stdout
    helped = tabletop("--help", cwd=tmp_path)
    assert "msel" in helped.stdout and "spreadsheet" in helped.stdout
