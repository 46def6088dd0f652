"""The crisis machine as a diagram: Mermaid (via transitions' mermaid engine) or text."""

from __future__ import annotations

import re
from collections.abc import Callable

from tabletop.campaign.model import Campaign


def _node(phase_id: str) -> str:
    """A Mermaid-safe state id for a phase id (Mermaid ids cannot hold '-')."""
    return phase_id.replace("-", "_")


def mermaid(campaign: Campaign) -> str:
    """A Mermaid ``stateDiagram-v2`` of the campaign's phases, conditions on the arrows.

    Built with transitions' ``GraphMachine`` and its mermaid engine, so no graphviz is
    needed; guards are named after their conditions so the arrows show them.
    """
    from transitions.extensions import GraphMachine

    class _Model:
        pass

    phases = campaign.phases
    live = [p.id for p in phases.states if not p.terminal]
    machine = GraphMachine(
        model=_Model(),
        states=[_node(p.id) for p in phases.states],
        initial=_node(phases.initial),
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title=campaign.title.replace('"', "'"),
    )
    for t in phases.transitions:
        sources = live if t.source == "*" else list(t.sources)
        conditions: list[str | Callable[..., bool | None]] = []
        if t.when:
            def guard() -> bool:  # never called: it only names the arrow
                return True

            guard.__name__ = " ".join(t.when.split()).replace('"', "'")
            conditions.append(guard)
        machine.add_transition(t.trigger, [_node(s) for s in sources], _node(t.dest), conditions=conditions)
    source = machine.get_graph().draw(None)
    names = {_node(p.id): p.name.replace('"', "'") for p in phases.states}
    out = []
    for line in source.splitlines():
        m = re.match(r'^(\s*)state "([^"]*)" as (\S+)$', line)
        if m and m.group(3) in names:
            suffix = " (end)" if any(_node(p.id) == m.group(3) and p.terminal for p in phases.states) else ""
            line = f'{m.group(1)}state "{names[m.group(3)]}{suffix}" as {m.group(3)}'
        out.append(line.rstrip())
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
                how = f"when {' '.join(t.when.split())}" if t.when else "only when fired"
                auto = "" if t.is_auto or not t.when else ", only when fired"
                label = f" — {t.label}" if t.label else ""
                lines.append(f"  -> {names.get(t.dest, t.dest)}  by {t.trigger}: {how}{auto}{label}")
    return "\n".join(lines) + "\n"
