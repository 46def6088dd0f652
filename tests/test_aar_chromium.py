"""The HTML AAR and ODCR rendered by headless Chromium (Debian's ``chromium``): every section
is there and nothing overflows sideways at A4 width, on screen and as printed.

One Chromium run per report (~3 s each on a loaded machine: the reason these tests are
slow). The page under test is a copy of the report with one probe script added (the
report itself has none): it loads the report into two iframes, 794 px wide (A4 at 96 dpi)
with the screen styles and 688 px wide (A4 less the 14 mm print margins) with the print
styles applied, and writes what it measured into the DOM, which ``--dump-dom`` prints.
``.ci/run`` installs chromium when it is missing; without it these tests skip, saying so.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aar_helpers import play_evaluated
from tabletop.analysis.aar import AAR
from tabletop.analysis.odcr import build_odcr
from tabletop.analysis.render import render_html
from tabletop.journal.notes import save_action
from tabletop.journal.replay import Replay

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does it when it can)"
)

PROBE = """
<script>
window.addEventListener("load", () => {
  const out = {};
  for (const f of document.querySelectorAll("iframe")) {
    const d = f.contentDocument, w = d.documentElement.clientWidth;
    const wide = [];
    for (const el of d.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > w + 0.5) wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + " " + Math.round(r.right) + "px: " + (el.textContent || "").slice(0, 60));
    }
    out[f.id] = {width: w, scroll: d.documentElement.scrollWidth, wide: wide.slice(0, 10),
                 sections: [...d.querySelectorAll("section")].map(s => s.id),
                 headings: [...d.querySelectorAll("section > h2")].map(h => h.textContent),
                 markings: d.querySelectorAll(".marking").length};
  }
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def _probe(page: str, tmp_path: Path) -> dict[str, dict[str, object]]:
    printed = page.replace("@media print", "@media all")  # the print styles, applied on screen
    frames = "".join(
        f'<iframe id="{name}" style="width:{width}px;height:1200px;border:0" srcdoc="{html.escape(doc, quote=True)}">'
        "</iframe>"
        for name, width, doc in (("screen", 794, page), ("print", 688, printed))
    )
    probe = tmp_path / "probe.html"
    probe.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{frames}{PROBE}</body></html>", encoding="utf-8")
    assert CHROMIUM is not None
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1600,1300",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"chromium gave no measurement (exit {proc.returncode}): {proc.stderr[-2000:]}"
    data: dict[str, dict[str, object]] = json.loads(html.unescape(found.group(1)))
    return data


@pytest.fixture(scope="module")
def aar(tmp_path_factory: pytest.TempPathFactory) -> AAR:
    save = play_evaluated(tmp_path_factory.mktemp("chromium") / "drill.jsonl")
    # a long unbroken run in a table cell (a URL) must wrap, not widen the page
    save_action(save, "Read https://intranet.example.org/lessons-learned/2026/boarding-operations/consult-first.pdf",
                "https://intranet.example.org/owners/j3-operations-boarding-team", "2027-01-15", "obs:27")
    return AAR(Replay.open(save), save.name)


def _check(page: str, tmp_path: Path, ids: list[str]) -> None:
    data = _probe(page, tmp_path)
    for view in ("screen", "print"):
        m = data[view]
        assert m["sections"] == ids, view
        assert m["wide"] == [] and m["scroll"] == m["width"], f"{view}: wider than A4: {m['wide']}"
        assert m["markings"] == 2


def test_the_aar_renders_whole_and_fits_a4(aar: AAR, tmp_path: Path) -> None:
    report = aar.build("NATO UNCLASSIFIED")
    _check(render_html(report), tmp_path, [s.id for s in report.sections])


def test_the_odcr_renders_whole_and_fits_a4(aar: AAR, tmp_path: Path) -> None:
    report = build_odcr(aar, "NATO UNCLASSIFIED")
    _check(render_html(report), tmp_path, [s.id for s in report.sections])
