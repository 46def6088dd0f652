"""The crisis machine as a diagram: a Mermaid flowchart, or text."""

from __future__ import annotations

from tabletop.campaign.model import Campaign


def _node(phase_id: str) -> str:
    """A Mermaid-safe node id for a phase id (ids cannot hold '-', and ``end`` is a keyword)."""
    return "p_" + phase_id.replace("-", "_")


def _label(text: str) -> str:
    """``text`` for inside a quoted Mermaid label: no double quotes, no HTML brackets."""
    text = " ".join(text.split()).replace(">=", "≥").replace("<=", "≤")
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


#: The arrows: automatic transitions (checked at every phase check, and fired by their
#: trigger too) are solid; manual ones (``auto: false``, or no ``when``) are dashed.
_AUTO_ARROW = "-->"
_MANUAL_ARROW = "-.->"


def mermaid(campaign: Campaign) -> str:
    """A Mermaid flowchart of the campaign's phases: one arrow per transition, never merged.

    Each arrow is labelled with its trigger and, if it has one, its condition. Automatic
    transitions are solid arrows; manual ones (``auto: false``, or no condition: they fire
    only when a card, an inject or the facilitator fires their trigger) are dashed. A legend
    says so. Two transitions between the same phases are two arrows.
    """
    phases = campaign.phases
    live = [p.id for p in phases.states if not p.terminal]
    title = " ".join(campaign.title.split()).replace('"', "'")
    out = [
        "---",
        f'title: "{title}"',
        "---",
        "flowchart LR",
        "  %% Solid arrow (-->): automatic, taken at the phase check when its condition holds",
        "  %% (its trigger fires it too). Dashed arrow (-.->): manual, taken only when a card,",
        "  %% an inject or the facilitator fires its trigger (and its condition, if any, holds).",
    ]
    for p in phases.states:
        name = _label(p.name)
        if p.terminal:
            out.append(f'  {_node(p.id)}(["{name} (end)"])')
        else:
            out.append(f'  {_node(p.id)}["{name}"]')
    out.append(f"  start_(( )) --> {_node(phases.initial)}")
    for t in phases.transitions:
        sources = live if t.source == "*" else list(t.sources)
        arrow = _AUTO_ARROW if t.is_auto else _MANUAL_ARROW
        label = t.trigger + (f" [{t.when}]" if t.when else "")
        for s in sources:
            out.append(f'  {_node(s)} {arrow}|"{_label(label)}"| {_node(t.dest)}')
    out += [
        '  subgraph legend ["Legend"]',
        "    direction LR",
        '    legend_a[" "] -->|"automatic: at the phase check, when its condition holds"| legend_b[" "]',
        '    legend_c[" "] -.->|"manual: only when a card, an inject or the facilitator fires it"| legend_d[" "]',
        "  end",
    ]
    return "\n".join(out) + "\n"


def text(campaign: Campaign) -> str:
    """The phases and their transitions as plain, indented text."""
    phases = campaign.phases
    names = {p.id: p.name for p in phases.states}
    lines = [f"Crisis phases of {campaign.title}", ""]
    for p in phases.states:
        tags = [t for t, on in (("start", p.id == phases.initial), ("end", p.terminal)) if on]
        lines.append(f"{p.name} [{p.id}]" + (f" ({', '.join(tags)})" if tags else ""))
        for t in phases.transitions:
            if t.source == "*" and not p.terminal or p.id in t.sources:
                when = " ".join(t.when.split()) if t.when else ""
                if t.is_auto:
                    how = f"automatic, when {when}" if when else "automatic, at the next phase check"
                else:
                    how = "manual, only when fired" + (f", if {when}" if when else "")
                label = f" — {t.label}" if t.label else ""
                lines.append(f"  -> {names.get(t.dest, t.dest)}  by {t.trigger}: {how}{label}")
    lines += [
        "",
        "automatic: taken at the phase check when its condition holds (its trigger fires it too);",
        "manual: taken only when a card, an inject or the facilitator fires its trigger.",
    ]
    return "\n".join(lines) + "\n"
