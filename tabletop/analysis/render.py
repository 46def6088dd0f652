"""Writing an after-action report (:mod:`tabletop.analysis.document`) as Markdown or HTML.

:func:`render_markdown` and :func:`render_html` write the same document in each format,
so the two never drift apart. The HTML is one file with no external assets: inline
``<style>`` (screen and print) and inline SVG charts; no script. Every piece of text
from the save (names, rationales, proposals, annotations, notes) is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from tabletop.analysis.document import Block, Charts, Heading, Para, Report, Table

# ====================================================================== Markdown

_MD_ESCAPE = re.compile(r"([\\<|*`\[\]])")


def _md(text: str) -> str:
    """``text`` safe in Markdown: markup characters escaped, on one line."""
    return _MD_ESCAPE.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(report: Report) -> str:
    """The report as Markdown (GitHub-flavoured tables and task lists)."""
    mark = [f"**{_md(report.marking)}**", ""] if report.marking else []
    out = [*mark, f"# {_md(report.title)}", ""]
    for sec in report.sections:
        out += [f"## {_md(sec.title)}", ""]
        for b in sec.blocks:
            out += _md_block(b)
    text = "\n".join(out).rstrip() + "\n"
    return text + ("\n" + mark[0] + "\n" if mark else "")


def _md_table(t: Table) -> list[str]:
    headers = [_md(h) or " " for h in t.headers]
    align = ["---:" if i in t.numeric else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in t.rows]
    return lines + [""]


def _md_block(b: Block) -> list[str]:
    if isinstance(b, Para):
        text = _md(b.text)
        return [f"> **{text}**" if b.kind == "warning" else text, ""]
    if isinstance(b, Heading):
        return [f"### {_md(b.text)}", ""]
    if isinstance(b, Table):
        return _md_table(b)
    if isinstance(b, Charts):
        return _md_table(b.table)
    lines = []
    for text, subs in b.items:
        lines.append(f"- [ ] {_md(text)}" if b.checklist else f"- {_md(text)}")
        lines += [f"  - {_md(s)}" for s in subs]
    return lines + [""]


# ====================================================================== HTML

_CSS = """
:root { --ink: #1d2430; --muted: #5b6573; --line: #d5dae1; --band: #f4f6f9; --accent: #1f5fa8; --warn: #a8321f; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 70rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
nav ol { columns: 2; color: var(--muted); }
nav a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92em; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: break-word; }
th { white-space: nowrap; }
li, p { overflow-wrap: anywhere; }
.marking { text-align: center; font-weight: 700; letter-spacing: .06em;
           border: 1px solid var(--ink); padding: .15rem .5rem; margin: .5rem 0; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv td:first-child { width: 12rem; font-weight: 600; background: var(--band); }
p.lead { font-size: 1.05rem; }
p.warning { border-left: 4px solid var(--warn); background: #fbeeec; padding: .5rem .8rem; font-weight: 600; }
ul.checklist { list-style: none; padding-left: .2rem; }
ul.checklist li::before { content: "\\2610\\00a0\\00a0"; font-size: 1.1rem; }
ul li ul { color: var(--muted); font-size: .92em; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; border: 1px solid var(--line); padding: .4rem; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; }
svg { width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .round { stroke: #e6e9ee; stroke-width: 1; }
svg .threshold { stroke: var(--warn); stroke-dasharray: 4 3; stroke-width: 1; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg text { fill: var(--muted); }
svg text.threshold-label { fill: var(--warn); }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; color: #000; }
  .marking { display: none; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  table, figure.chart, tr { break-inside: avoid; page-break-inside: avoid; }
  .charts { display: block; }
  figure.chart { width: 48%; display: inline-block; margin: 0 1% 1rem 0; vertical-align: top; }
  a { color: inherit; text-decoration: none; }
  p.warning { background: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_LONG = re.compile(r"(\S{40,})")


def _soft(text: object) -> str:
    """``text`` escaped, with a ``<wbr>`` every 20 characters of a long unbroken run (a
    fingerprint, a URL): it may wrap there instead of widening the page, and copies whole."""
    parts = _LONG.split(str(text))
    return "".join(
        "<wbr>".join(_e(part[i:i + 20]) for i in range(0, len(part), 20)) if n % 2 else _e(part)
        for n, part in enumerate(parts)
    )


def render_html(report: Report) -> str:
    """The report as one standalone HTML page: inline CSS and SVG, no scripts, no external assets."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title>",
        f"<style>{_CSS}{_page_marking(report.marking)}</style>",
        "</head>",
        "<body>",
        "<header>",
        *([f'<div class="marking" role="note">{_e(report.marking)}</div>'] if report.marking else []),
        f"<h1>{_e(report.title)}</h1>",
        "</header>",
        '<nav aria-label="Contents"><ol>',
        *(f'<li><a href="#{_e(s.id)}">{_e(s.title)}</a></li>' for s in report.sections),
        "</ol></nav>",
        "<main>",
    ]
    for sec in report.sections:
        parts.append(f'<section id="{_e(sec.id)}">')
        parts.append(f"<h2>{_e(sec.title)}</h2>")
        for b in sec.blocks:
            parts.append(_html_block(b))
        parts.append("</section>")
    parts.append("</main>")
    if report.marking:
        parts.append(f'<footer><div class="marking" role="note">{_e(report.marking)}</div></footer>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes, ``<`` and controls escaped."""
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\<>' else f"\\{ord(ch):x} " for ch in text) + '"'


def _page_marking(marking: str) -> str:
    """The handling line at the top and bottom of every printed page (CSS page margin boxes)."""
    if not marking:
        return ""
    s = _css_string(marking)
    box = "font: 700 9pt system-ui, sans-serif; letter-spacing: .06em;"
    return (f"\n@page {{ @top-center {{ content: {s}; {box} }} "
            f"@bottom-center {{ content: {s}; {box} }} @bottom-right {{ content: counter(page) \" / \" counter(pages); "
            "font: 8pt system-ui, sans-serif; } }\n")


def _html_table(t: Table) -> str:
    kv = all(not h for h in t.headers)
    cls = ' class="kv"' if kv else ""
    num = ' class="num"'
    out = [f"<table{cls}>"]
    if not kv:
        out.append("<thead><tr>" + "".join(
            f'<th{num if i in t.numeric else ""} scope="col">{_e(h)}</th>' for i, h in enumerate(t.headers)
        ) + "</tr></thead>")
    out.append("<tbody>")
    for row in t.rows:
        out.append("<tr>" + "".join(
            f'<td{num if i in t.numeric else ""}>{_soft(c)}</td>' for i, c in enumerate(row)
        ) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _html_block(b: Block) -> str:
    if isinstance(b, Para):
        cls = f' class="{b.kind}"' if b.kind else ""
        role = ' role="alert"' if b.kind == "warning" else ""
        return f"<p{cls}{role}>{_soft(b.text)}</p>"
    if isinstance(b, Heading):
        return f"<h3>{_e(b.text)}</h3>"
    if isinstance(b, Table):
        return _html_table(b)
    if isinstance(b, Charts):
        figs = [_chart(b, spec) for spec in b.spec]
        return '<div class="charts">\n' + "\n".join(figs) + "\n</div>\n" + _html_table(b.table)
    cls = ' class="checklist"' if b.checklist else ""
    out = [f"<ul{cls}>"]
    for text, subs in b.items:
        if subs:
            inner = "".join(f"<li>{_soft(s)}</li>" for s in subs)
            out.append(f"<li>{_soft(text)}<ul>{inner}</ul></li>")
        else:
            out.append(f"<li>{_soft(text)}</li>")
    out.append("</ul>")
    return "\n".join(out)


# ---------------------------------------------------------------- SVG charts

_W, _H = 640, 200
_L, _R, _T, _B = 44, 12, 14, 30  # margins: left, right, top, bottom


def _chart(b: Charts, spec: tuple[str, str, int, int, tuple[tuple[int, str], ...]]) -> str:
    """One track's value, event by event, as an inline SVG step chart."""
    track, name, lo, hi, thresholds = spec
    values: Sequence[int] = b.series.per_event[track]
    n = max(b.events, 1)
    span = max(hi - lo, 1)
    pw, ph = _W - _L - _R, _H - _T - _B

    def x(k: float) -> float:
        return round(_L + pw * k / n, 1)

    def y(v: float) -> float:
        return round(_T + ph * (hi - v) / span, 1)

    out = [
        f'<figure class="chart"><figcaption>{_e(name)}</figcaption>',
        f'<svg viewBox="0 0 {_W} {_H}" role="img" aria-label="{_e(name)}, from {values[0]} to {values[-1]}" '
        f'focusable="false">',
        f"<title>{_e(name)}</title>",
    ]
    # axes: min, max and a middle gridline
    for v in sorted({lo, hi, lo + span // 2}):
        out.append(f'<line class="grid" x1="{_L}" y1="{y(v)}" x2="{_W - _R}" y2="{y(v)}"/>')
        out.append(f'<text x="{_L - 6}" y="{y(v) + 4}" text-anchor="end">{v}</text>')
    # round ticks: a light line at each round's first event, labelled (thinned when many)
    starts = b.round_starts
    every = max(1, -(-len(starts) // 20))
    for i, (rnd, first) in enumerate(starts):
        xx = x(first - 1)
        out.append(f'<line class="round" x1="{xx}" y1="{_T}" x2="{xx}" y2="{_H - _B}"/>')
        if i % every == 0:
            out.append(f'<text x="{xx}" y="{_H - _B + 14}" text-anchor="middle">R{rnd}</text>')
    out.append(f'<text x="{_W - _R}" y="{_H - 4}" text-anchor="end">event</text>')
    # thresholds
    for at, label in thresholds:
        if lo <= at <= hi:
            out.append(f'<line class="threshold" x1="{_L}" y1="{y(at)}" x2="{_W - _R}" y2="{y(at)}"/>')
            out.append(f'<text class="threshold-label" x="{_W - _R - 2}" y="{y(at) - 3}" text-anchor="end">'
                       f"{_e(label)} ({at})</text>")
    # the value: a step line through every change
    d = [f"M{x(0)},{y(values[0])}"]
    last = values[0]
    for k in range(1, len(values)):
        v = values[k]
        if v != last:
            d.append(f"H{x(k)}V{y(v)}")
            last = v
    d.append(f"H{x(len(values) - 1)}")
    out.append(f'<path class="line" d="{"".join(d)}"/>')
    out.append("</svg></figure>")
    return "\n".join(out)


def html_to_text(page: str) -> str:
    """A plain-text rendering of a report page (tags stripped, one block per line): for tests and diffs."""
    body = page.split("<body>", 1)[-1]
    body = re.sub(r"<(style|title)\b.*?</\1>", "", body, flags=re.S)
    body = re.sub(r"</(p|h[1-6]|li|tr|figcaption|table|ul|ol|section|header|nav|div)>", "\n", body)
    body = re.sub(r"</t[dh]>", " | ", body)
    body = re.sub(r"<[^>]+>", "", body)
    lines = (" ".join(html.unescape(line).split()) for line in body.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


__all__ = ["html_to_text", "render_html", "render_markdown"]
