"""The after-action report: Markdown and standalone HTML, from golden saves.

``golden/report-*.txt`` are text renderings of the HTML reports (tags stripped). If a
change to the report is intended, regenerate them with ``UPDATE_GOLDEN=1`` and read the
diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from save_helpers import BALTIC_SAVE, GOLDEN, TUTORIAL_SAVE, copy_golden
from tabletop.analysis.report import html_to_text, report_text
from tabletop.engine.commands import FACILITATOR, Annotate
from tabletop.journal.notes import add_note
from tabletop.journal.replay import Replay
from tabletop.session import fork

HOSTILE = "<script>alert(1)</script>"


def _snapshot(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 once and check it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("save", [TUTORIAL_SAVE, BALTIC_SAVE], ids=["tutorial", "baltic"])
def test_html_report_matches_its_text_snapshot(save: Path) -> None:
    page = report_text(Replay.open(save), "html")
    _snapshot(f"report-{save.stem}.txt", html_to_text(page))


def test_html_report_is_standalone_and_prints(tmp_path: Path) -> None:
    page = report_text(Replay.open(BALTIC_SAVE), "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower() and "@import" not in page and "url(" not in page
    assert "<style>" in page and "@media print" in page
    assert page.count("<svg") == len(Replay.open(BALTIC_SAVE).campaign.tracks)
    assert _unbalanced(page) == []


def _unbalanced(page: str) -> list[str]:
    """Tags closed out of order or never closed (void and self-closed elements aside)."""
    from html.parser import HTMLParser

    void = {"meta", "br", "img", "input", "hr", "link", "wbr"}
    problems: list[str] = []
    stack: list[str] = []

    class Check(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in void:
                stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if stack and stack[-1] == tag:
                stack.pop()
            else:
                problems.append(f"</{tag}> inside {stack[-3:]}")

    Check().feed(page)
    return problems + [f"<{t}> never closed" for t in stack]


def test_markdown_report_has_every_section() -> None:
    md = report_text(Replay.open(TUTORIAL_SAVE), "md")
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == [
        "## Summary", "## Outcome", "## Phase timeline", "## Tracks", "## Decisions by round", "## Covert actions",
        "## Facilitator interventions", "## Votes", "## Notes and annotations", "## Learning objectives",
    ]
    assert "| Seed | 64 |" in md
    assert "- [ ] Read the board: what the three public tracks mean and which side wants them up." in md
    assert "| Start | 3 | 4 | 6 |" in md


def _hostile_save(tmp_path: Path) -> Path:
    r = Replay.open(copy_golden(TUTORIAL_SAVE, tmp_path))
    session = fork(r.read, len(r), tmp_path / "hostile.jsonl", durable=False)
    session.submit_now(Annotate(FACILITATOR, f"Look here {HOSTILE} & here"))
    session.close()
    add_note(tmp_path / "hostile.jsonl", 3, f"note {HOSTILE}", author='<img src="http://x">')
    return tmp_path / "hostile.jsonl"


def test_user_text_is_escaped_in_html(tmp_path: Path) -> None:
    page = report_text(Replay.open(_hostile_save(tmp_path)), "html")
    assert HOSTILE not in page and "<img" not in page
    assert "Look here &lt;script&gt;alert(1)&lt;/script&gt; &amp; here" in page
    assert "note &lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = html_to_text(page)
    assert f"Look here {HOSTILE} & here" in text


def test_user_text_is_escaped_in_markdown(tmp_path: Path) -> None:
    md = report_text(Replay.open(_hostile_save(tmp_path)), "md")
    assert HOSTILE not in md
    assert r"Look here \<script>alert(1)\</script> & here" in md


def test_a_fork_names_its_parent(tmp_path: Path) -> None:
    md = report_text(Replay.open(_hostile_save(tmp_path)), "md")
    assert "This session is a fork (a “what if”) of the save tutorial-bots.jsonl at event 139" in md


def test_a_damaged_save_gets_a_report_of_its_good_part(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    save.write_bytes(save.read_bytes()[:-40])
    md = report_text(Replay.open(save), "md")
    first = md.split("## Summary", 1)[1].strip().splitlines()[0]
    assert first == ("> **Warning: save damaged after event 124: 5792 bytes ignored. This report covers the 124 "
                     "events before the damage.**")
    assert "The exercise had not ended when the save was last written" in md
    page = report_text(Replay.open(save), "html")
    assert '<p class="warning" role="alert">Warning: save damaged after event 124: 5792 bytes ignored.' in page
