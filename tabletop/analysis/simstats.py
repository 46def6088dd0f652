"""What a designer must look at in a simulation, as JSON-ready figures.

* win rates with a 95% Wilson interval (the range the true rate lies in, 19 times in 20);
* cards played in fewer than 3% or more than 95% of games, flagged (a card's
  ``design_note`` says why, when that is the point);
* every consensus card: how often it was tabled, and how its votes went;
* near-misses: games that came within one step of an ending without reaching it;
* every learning objective's evidence: how often the debrief will have something to show.

Every figure is a share of the games (or of the votes), rounded to 4 places.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from tabletop.analysis.simwatch import GameResult, WatchSpec, resolved
from tabletop.campaign.model import Campaign

#: A card played in fewer games than this is flagged as rarely played ...
RARE = 0.03
#: ... and in more than this, as almost always played.
ALMOST_ALWAYS = 0.95
#: z for a 95% interval
Z95 = 1.959964


def rate(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``k`` successes in ``n`` trials (95% by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return (round(max(0.0, (centre - spread) / scale), 4), round(min(1.0, (centre + spread) / scale), 4))


def flag(played_in: float) -> str | None:
    """``never``, ``rare``, ``almost_always``, ``always``, or None for a card in neither extreme."""
    if played_in == 0:
        return "never"
    if played_in < RARE:
        return "rare"
    if played_in == 1:
        return "always"
    if played_in > ALMOST_ALWAYS:
        return "almost_always"
    return None


def verdict_intervals(verdicts: dict[str, int], keys: Sequence[str], n: int) -> dict[str, list[float]]:
    return {k: list(wilson(verdicts.get(k, 0), n)) for k in keys}


def card_flags(campaign: Campaign, rs: Sequence[GameResult]) -> dict[str, dict[str, Any]]:
    """Every card: the share of games it was played in at all, its flag and design note."""
    n = len(rs)
    out: dict[str, dict[str, Any]] = {}
    for card in campaign.cards:
        share = rate(sum(1 for r in rs if card.id in r.played), n)
        out[card.id] = {"played_at_all_in": share, "flag": flag(share), "design_note": card.design_note.strip() or None}
    return out


def consensus(campaign: Campaign, rs: Sequence[GameResult]) -> dict[str, dict[str, Any]]:
    """Every consensus card: games it was tabled in, its votes, and how they went."""
    n = len(rs)
    out: dict[str, dict[str, Any]] = {}
    for card in campaign.cards:
        if card.consensus is None:
            continue
        rows = [r.votes[card.id] for r in rs if card.id in r.votes]
        votes = sum(t for t, _, _ in rows)
        passed = sum(p for _, p, _ in rows)
        failed = sum(f for _, _, f in rows)
        out[card.id] = {
            "tabled_in": rate(len(rows), n),
            "tabled_in_ci": list(wilson(len(rows), n)),
            "votes": votes,
            "passed": rate(passed, votes),
            "failed": rate(failed, votes),
            "failed_ci": list(wilson(failed, votes)) if votes else None,
            "games_with_a_failed_vote": rate(sum(1 for _, _, f in rows if f), n),
        }
    return out


def ending_key(r: GameResult) -> str:
    return f"{r.reason}:{r.detail}" if r.reason != "last_round" else "last_round"


def ending_verdicts(rs: Sequence[GameResult]) -> dict[str, dict[str, float]]:
    """Per ending: who won the games that ended so (a share of those games)."""
    by: dict[str, dict[str, int]] = {}
    for r in rs:
        row = by.setdefault(ending_key(r), {})
        row[r.verdict] = row.get(r.verdict, 0) + 1
    return {k: {v: rate(c, sum(row.values())) for v, c in sorted(row.items())} for k, row in sorted(by.items())}


def near_misses(campaign: Campaign, spec: WatchSpec, rs: Sequence[GameResult]) -> dict[str, dict[str, Any]]:
    """Per ending with a condition: games that ended so, and games that came within one step but did not."""
    n = len(rs)
    out: dict[str, dict[str, Any]] = {}
    for key in spec.ending_keys():
        ended = sum(1 for r in rs if ending_key(r) == key)
        close = sum(1 for r in rs if ending_key(r) != key and r.closest.get(key, -1) >= 0)
        read = {name for w in spec.endings if w.key == key for name in w.condition.names}
        out[key] = {
            "ended": rate(ended, n),
            "within_one_step": rate(close, n),
            "tracks": sorted(read & campaign.track_by_id.keys()),
            "hidden": sorted(read & campaign.hidden_by_id.keys()),
        }
    return out


def learning(campaign: Campaign, rs: Sequence[GameResult]) -> list[dict[str, Any]]:
    """Per learning objective: the share of games in which its evidence resolved, and of each item."""
    n = len(rs)
    out = []
    for i, lo in enumerate(campaign.learning):
        seen = [r.evidence[i] for r in rs if i < len(r.evidence)]
        out.append({
            "id": lo.id,
            "text": lo.text,
            "resolved_in": rate(sum(1 for s in seen if resolved(s)), n) if lo.evidence else None,
            "items": [
                {"label": item.label, "observed_in": rate(sum(1 for s in seen if s[k]), n)}
                for k, item in enumerate(lo.evidence)
            ],
        })
    return out


def compare(campaign: Campaign, heuristic: dict[str, Any], random: dict[str, Any],
            side_random: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per side: its win rate with heuristic bots, and with random bots against heuristic ones.

    ``clearly_worse``: the two 95% intervals do not overlap (random's is wholly below).
    ``all_random``: its win rate when every seat plays at random.
    """
    out: dict[str, dict[str, Any]] = {}
    for side in campaign.sides:
        mixed = side_random[side.id]
        h_ci, r_ci = heuristic["verdicts_ci"][side.id], mixed["verdicts_ci"][side.id]
        out[side.id] = {
            "heuristic": heuristic["verdicts"][side.id],
            "heuristic_ci": h_ci,
            "random": mixed["verdicts"][side.id],
            "random_ci": r_ci,
            "all_random": random["verdicts"][side.id],
            "clearly_worse": r_ci[1] < h_ci[0],
        }
    return out
