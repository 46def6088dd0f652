"""`tabletop simulate` as text: what a designer must look at first, then the detail tables.

Reads the summary of :func:`tabletop.analysis.simulate.summarize` (the ``--json`` data)
and names everything as the campaign does: sides, cards, endings and tracks by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from tabletop.campaign.model import Campaign


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def interval(ci: list[float]) -> str:
    return f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}%"


def games(n: int) -> str:
    return f"{n} game" if n == 1 else f"{n} games"


def listing(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


class Names:
    """The campaign's names for what a summary holds by id."""

    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        self.sides = {s.id: s.name for s in campaign.sides}

    def verdict(self, key: str) -> str:
        return f"{self.sides[key]} won" if key in self.sides else {"draw": "a draw", "none": "every side lost"}.get(key, key)

    def ending(self, key: str, reached: bool = True) -> str:
        """``reached Armed conflict``, an end condition's title, or ``last round played``."""
        reason, _, detail = key.partition(":")
        if reason == "terminal_phase":
            phase = self.c.phase_by_id.get(detail)
            name = phase.name if phase else detail
            return f"reached {name}" if reached else name
        if reason == "end_condition":
            end = next((e for e in self.c.end if e.id == detail), None)
            return end.title if end else detail
        return "last round played"

    def card(self, card_id: str) -> str:
        return self.c.card_by_id[card_id].title

    def holder(self, card_id: str) -> str:
        """Who plays it: its actor, else its side."""
        card = self.c.card_by_id[card_id]
        return self.c.actor_by_id[card.actor].name if card.actor else self.sides.get(card.side, card.side)


def print_summary(summary: dict[str, Any], campaign: Campaign) -> None:
    from rich.console import Console

    console = Console()
    names = Names(campaign)
    n = summary["games"]
    console.print(
        f"[bold]{campaign.title}[/]: {games(n)}, seed {summary['seed']}, {summary['bot']} bots; "
        f"{summary['mean_rounds']} rounds and {summary['mean_events']} events on average"
    )
    _who_won(console, summary, names)
    _endings(console, summary, names)
    _near_misses(console, summary, names)
    _consensus(console, summary, names)
    _flagged(console, summary, names)
    _learning(console, summary)
    _details(console, summary, campaign, names)


def _who_won(console: Console, summary: dict[str, Any], names: Names) -> None:
    from rich.table import Table

    t = Table(title="Who won", title_justify="left")
    t.add_column("result")
    t.add_column("rate", justify="right")
    t.add_column("95% interval", justify="right")
    for k, v in summary["verdicts"].items():
        t.add_row(names.verdict(k), pct(v), interval(summary["verdicts_ci"][k]))
    console.print(t)
    console.print("[dim]The true rate lies in its 95% interval 19 times in 20; more games narrow it.[/]")


def _endings(console: Console, summary: dict[str, Any], names: Names) -> None:
    from rich.table import Table

    t = Table(title="How games ended", title_justify="left")
    t.add_column("ending")
    t.add_column("rate", justify="right")
    t.add_column("who won those games")
    for k, v in summary["endings"].items():
        who = summary["ending_verdicts"].get(k, {})
        shown = ", ".join(f"{names.verdict(w)} {pct(r)}" for w, r in sorted(who.items(), key=lambda kv: -kv[1]))
        t.add_row(names.ending(k), pct(v), shown)
    console.print(t)


def _near_misses(console: Console, summary: dict[str, Any], names: Names) -> None:
    from rich.table import Table

    rows = summary["near_misses"]
    if not rows:
        return
    t = Table(title="How close games came to each ending", title_justify="left")
    t.add_column("ending")
    t.add_column("what it reads")
    t.add_column("reached", justify="right")
    t.add_column("within one step, not reached", justify="right")
    for k, row in rows.items():
        hidden = [f"hidden {names.c.hidden_by_id[h].name}" for h in row.get("hidden", [])]
        read = listing([names.c.track_by_id[tr].name for tr in row["tracks"]] + hidden)
        t.add_row(names.ending(k, reached=False), read or "nothing that changes", pct(row["ended"]),
                  pct(row["within_one_step"]))
    console.print(t)


def _consensus(console: Console, summary: dict[str, Any], names: Names) -> None:
    from rich.table import Table

    rows = summary["consensus"]
    if not rows:
        return
    t = Table(title="Consensus cards (passed and failed: shares of the votes)", title_justify="left")
    t.add_column("card")
    t.add_column("played by")
    t.add_column("tabled in", justify="right")
    t.add_column("votes", justify="right")
    t.add_column("passed", justify="right")
    t.add_column("failed", justify="right")
    for card_id, row in rows.items():
        votes = row["votes"]
        t.add_row(
            names.card(card_id), names.holder(card_id), pct(row["tabled_in"]), str(votes),
            pct(row["passed"]) if votes else "no vote", pct(row["failed"]) if votes else "no vote",
        )
    console.print(t)


#: what a flag means, in words, and what to check
FLAG_WORDS = {
    "never": ("never played", "a dead card: check its cost, phases, requires and who holds it"),
    "rare": ("played in only {share} of games", "nearly dead: is it worth its cost?"),
    "almost_always": ("played in {share} of games", "nearly automatic: is it a real choice?"),
    "always": ("played in every game", "automatic: is it a real choice?"),
}


def flag_sentence(flag: str, share: float, note: str | None) -> str:
    """``never played: a dead card: ...``, or with a design note: ``never played, by design: <note>``."""
    what, advice = FLAG_WORDS[flag]
    what = what.format(share=pct(share))
    return f"{what}, by design: {note}" if note else f"{what}: {advice}"


def _flagged(console: Console, summary: dict[str, Any], names: Names) -> None:
    from rich.table import Table

    flagged = [(k, row) for k, row in summary["card_flags"].items() if row["flag"] is not None]
    if not flagged:
        console.print("[bold]Cards[/]: every card was played in 3% to 95% of games.")
        return
    warned = sum(1 for _, row in flagged if not row["design_note"])
    head = f"{warned} card{'s' if warned != 1 else ''} to look at" if warned else "each one explained by its design note"
    t = Table(title=f"Cards played in fewer than 3% or more than 95% of games: {head}", title_justify="left")
    t.add_column("card")
    t.add_column("played by")
    t.add_column("played in", justify="right")
    t.add_column("warning, or the card's design note")
    for card_id, row in flagged:
        sentence = flag_sentence(row["flag"], row["played_at_all_in"], row["design_note"])
        t.add_row(names.card(card_id), names.holder(card_id), pct(row["played_at_all_in"]),
                  sentence if row["design_note"] else f"[yellow]{sentence}[/]")
    console.print(t)


def _learning(console: Console, summary: dict[str, Any]) -> None:
    from rich.table import Table

    rows = summary["learning_evidence"]
    if not rows:
        return
    t = Table(title="Learning objectives: games whose debrief has evidence to show", title_justify="left")
    t.add_column("objective")
    t.add_column("evidence", justify="right")
    for row in rows:
        if row["resolved_in"] is None:
            t.add_row(row["text"], "none listed")
            continue
        items = "; ".join(f"{item['label']} {pct(item['observed_in'])}" for item in row["items"])
        t.add_row(f"{row['text']}\n[dim]{items}[/]", pct(row["resolved_in"]))
    console.print(t)


def _details(console: Console, summary: dict[str, Any], campaign: Campaign, names: Names) -> None:
    from rich.table import Table

    t = Table(title="Phases", title_justify="left")
    t.add_column("phase")
    t.add_column("reached", justify="right")
    t.add_column("final", justify="right")
    for p in campaign.phases.states:
        t.add_row(p.name, pct(summary["phases_reached"][p.id]), pct(summary["final_phase"][p.id]))
    console.print(t)

    t = Table(title="Objectives met", title_justify="left")
    t.add_column("side")
    t.add_column("objective")
    t.add_column("rate", justify="right")
    for side in campaign.sides:
        for o in side.objectives:
            t.add_row(side.name, o.title, pct(summary["objectives_met"][side.id][o.id]))
    console.print(t)

    t = Table(title="Mean final tracks", title_justify="left")
    t.add_column("track")
    t.add_column("mean", justify="right")
    t.add_column("range", justify="right")
    for tr in campaign.tracks:
        t.add_row(tr.name, f"{summary['mean_final_tracks'][tr.id]:.2f}", f"{tr.min} to {tr.max}")
    console.print(t)

    t = Table(title="Card impact (own side's win rate when played minus when not)", title_justify="left")
    t.add_column("card")
    t.add_column("side")
    t.add_column("played in", justify="right")
    t.add_column("impact", justify="right")
    rows = sorted(
        summary["card_impact"].items(), key=lambda kv: -(kv[1]["impact"] if kv[1]["impact"] is not None else -9)
    )
    for card_id, row in rows:
        impact = row["impact"]
        if impact is not None:
            shown = f"{100 * impact:+.1f} pts"
        else:  # nothing to compare with
            shown = "never took effect" if row["played_in"] == 0 else "took effect in every game"
        t.add_row(campaign.card_by_id[card_id].title, names.sides.get(row["side"], row["side"]),
                  pct(row["played_in"]), shown)
    console.print(t)


def print_comparison(comparison: dict[str, dict[str, Any]], random_all: dict[str, Any], campaign: Campaign,
                     n: int) -> None:
    """Heuristic against random bots, side by side."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    names = Names(campaign)
    t = Table(
        title=f"Heuristic or random bots ({games(n)} each): a side's win rate with heuristic bots, and with random "
        "bots against heuristic ones", title_justify="left",
    )
    t.add_column("side")
    t.add_column("heuristic", justify="right")
    t.add_column("random", justify="right")
    t.add_column("every seat random", justify="right")
    t.add_column("random clearly worse?")
    for side_id, row in comparison.items():
        t.add_row(
            names.sides[side_id],
            f"{pct(row['heuristic'])} ({interval(row['heuristic_ci'])})",
            f"{pct(row['random'])} ({interval(row['random_ci'])})",
            pct(row["all_random"]),
            "yes" if row["clearly_worse"] else "no: the intervals overlap",
        )
    console.print(t)
    endings = ", ".join(f"{names.ending(k)} {pct(v)}" for k, v in random_all["endings"].items())
    console.print(f"With every seat random: {endings}.")
