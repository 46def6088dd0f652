"""Bot-played games in bulk: outcome rates, phases reached, tracks, card impact, and what a
designer must look at (:mod:`tabletop.analysis.simstats`): flagged cards, votes, near-misses.

Game ``i`` of a run with seed ``S`` uses the game seed ``S * 1_000_000 + i``, so the
results depend only on the campaign, the seed, the number of games and the bot kind
— never on how many processes shared the work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from tabletop.analysis.simwatch import GameResult, GameWatch, WatchSpec
from tabletop.campaign.model import Campaign
from tabletop.engine.rules import Engine
from tabletop.journal import JournalWriter
from tabletop.session import LocalSession, resolve_controllers


__all__ = ["BOT_KINDS", "GameResult", "Lineup", "game_seed", "journal_path", "play_game", "run_games", "summarize"]

_ENGINES: dict[int, tuple[Engine, WatchSpec]] = {}


def _engine(campaign: Campaign) -> Engine:
    """One engine per campaign per process: building the crisis machine is the costly part."""
    return _prepared(campaign)[0]


def _prepared(campaign: Campaign) -> tuple[Engine, WatchSpec]:
    got = _ENGINES.get(id(campaign))
    if got is None or got[0].campaign is not campaign:
        got = _ENGINES[id(campaign)] = (Engine(campaign), WatchSpec.of(campaign))
    return got


#: Bot kinds, and a lineup: the kind for every seat, or per side (the facilitator's: heuristic).
BOT_KINDS = ("heuristic", "random")
Lineup = str | Mapping[str, str]


def lineup_label(campaign: Campaign, lineup: Lineup) -> str:
    """``heuristic``, or per side: ``Blue random, Red heuristic``."""
    if isinstance(lineup, str):
        return lineup
    return ", ".join(f"{s.name} {lineup.get(s.id, 'heuristic')}" for s in campaign.sides)


def controllers_for(campaign: Campaign, lineup: Lineup) -> dict[str, str]:
    """Who plays each seat: one bot kind everywhere, or one per side."""
    if isinstance(lineup, str):
        return resolve_controllers(campaign, [s.id for s in campaign.sides], lineup)
    controllers = resolve_controllers(campaign, [s.id for s in campaign.sides], "heuristic")
    for side in campaign.sides:
        for actor in side.actors:
            controllers[actor.id] = f"bot:{lineup.get(side.id, 'heuristic')}"
    return controllers


def game_seed(seed: int, index: int) -> int:
    return seed * 1_000_000 + index


def journal_path(save_dir: str | Path, campaign_id: str, seed: int, index: int) -> Path:
    """Where game ``index`` of a run is journalled: ``<save_dir>/<campaign>-<seed>-<index>.jsonl``."""
    return Path(save_dir) / f"{campaign_id}-{seed}-{index:05d}.jsonl"


def play_game(campaign: Campaign, text: str, path: str, seed: int, index: int, bot: Lineup = "heuristic",
              save_dir: str | None = None) -> GameResult:
    """Play one all-bot game; journal it in ``save_dir`` if given.

    The journal is a new file: raises ``FileExistsError`` if it exists (a save is never
    overwritten, not even an earlier run's of the same simulation).
    """
    gseed = game_seed(seed, index)
    controllers = controllers_for(campaign, bot)
    engine, spec = _prepared(campaign)
    journal = None
    if save_dir is not None:
        header = LocalSession.new_header(campaign, text, path, gseed, controllers)
        target = journal_path(save_dir, campaign.id, seed, index)
        journal = JournalWriter(target, header, durable=False)
    session = LocalSession(campaign, seed=gseed, controllers=controllers, journal=journal, engine=engine)
    watch = GameWatch(spec, engine)
    watch.feed(session.entries)  # the deal
    session.add_listener(watch.feed)
    try:
        session.run_bots()
    finally:
        session.close()
    state = session.state
    assert state.outcome is not None, "a bot game always ends"
    phases = [campaign.phases.initial] + [c.dest for c in state.phase_history]
    cards = sorted({p.card for p in state.plays if p.status == "resolved"})
    votes: dict[str, list[int]] = {}
    for p in state.plays:
        if campaign.card_by_id[p.card].consensus is not None:
            row = votes.setdefault(p.card, [0, 0, 0])
            row[0] += 1
            row[1] += p.status == "resolved"
            row[2] += p.status == "rejected"
    watched = watch.result()
    return GameResult(
        index=index,
        seed=gseed,
        reason=state.outcome.reason,
        detail=state.outcome.detail,
        verdict=state.outcome.verdict(),
        objectives={k: dict(v) for k, v in state.outcome.objectives.items()},
        phases=tuple(dict.fromkeys(phases)),
        final_phase=state.phase,
        tracks=dict(state.tracks),
        cards=tuple(cards),
        rounds=state.round,
        events=state.seq,
        played=tuple(sorted({p.card for p in state.plays})),
        votes={k: (v[0], v[1], v[2]) for k, v in sorted(votes.items())},
        closest=watched.closest,
        evidence=watched.evidence,
    )


# ---------------------------------------------------------------- running many

_WORKER: dict[str, Any] = {}


def _init_worker(text: str, path: str, bot: Lineup, save_dir: str | None) -> None:
    from tabletop.campaign.validate import load_campaign_text

    _WORKER.update(campaign=load_campaign_text(text, path).campaign, text=text, path=path, bot=bot, save_dir=save_dir)


def _run_chunk(args: tuple[int, Sequence[int]]) -> list[GameResult]:
    seed, indices = args
    w = _WORKER
    return [play_game(w["campaign"], w["text"], w["path"], seed, i, w["bot"], w["save_dir"]) for i in indices]


def run_games(campaign: Campaign, text: str, path: str, *, games: int, seed: int, jobs: int = 1,
              bot: Lineup = "heuristic", save_dir: str | None = None) -> Iterator[GameResult]:
    """Yield every game's result in game order (whatever ``jobs`` is)."""
    if save_dir is not None:
        Path(save_dir).mkdir(parents=True, exist_ok=True)
    if jobs <= 1:
        for i in range(games):
            yield play_game(campaign, text, path, seed, i, bot, save_dir)
        return
    chunk = max(1, min(50, games // (jobs * 8) or 1))
    chunks = [(seed, range(start, min(games, start + chunk))) for start in range(0, games, chunk)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(text, path, bot, save_dir)) as pool:
        for results in pool.map(_run_chunk, chunks):
            yield from results


# ---------------------------------------------------------------- summary


def _rate(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def _rate_or_none(n: int, total: int) -> float | None:
    return round(n / total, 4) if total else None


def _declares(campaign: Campaign) -> bool:
    """Whether a terminal phase or an end condition declares the result (so every side may lose)."""
    return any(p.outcome is not None for p in campaign.phases.states) or any(e.outcome is not None for e in campaign.end)


def summarize(campaign: Campaign, results: Iterable[GameResult], *, seed: int, bot: str) -> dict[str, Any]:
    """The figures ``tabletop simulate`` prints, as JSON-ready data (deterministic)."""
    from tabletop.analysis import simstats

    rs = list(results)
    n = len(rs)
    sides = [s.id for s in campaign.sides]
    verdicts = Counter(r.verdict for r in rs)
    verdict_keys = [*sides, "draw", *(["none"] if _declares(campaign) else [])]
    endings = Counter(f"{r.reason}:{r.detail}" if r.reason != "last_round" else "last_round" for r in rs)
    reached = Counter(p for r in rs for p in r.phases)
    final = Counter(r.final_phase for r in rs)
    objectives: dict[str, dict[str, float]] = {}
    for side in campaign.sides:
        objectives[side.id] = {
            o.id: _rate(sum(1 for r in rs if r.objectives.get(side.id, {}).get(o.id)), n) for o in side.objectives
        }
    tracks = {t.id: round(sum(r.tracks[t.id] for r in rs) / n, 3) if n else 0.0 for t in campaign.tracks}
    impact: dict[str, dict[str, Any]] = {}
    for card in campaign.cards:
        played = [r for r in rs if card.id in r.cards]
        not_played = [r for r in rs if card.id not in r.cards]
        win_with = _rate_or_none(sum(1 for r in played if r.verdict == card.side), len(played))
        win_without = _rate_or_none(sum(1 for r in not_played if r.verdict == card.side), len(not_played))
        impact[card.id] = {
            "side": card.side,
            "played_in": _rate(len(played), n),
            "side_wins_when_played": win_with,
            "side_wins_when_not": win_without,
            "impact": round(win_with - win_without, 4) if win_with is not None and win_without is not None else None,
        }
    return {
        "campaign": campaign.id,
        "games": n,
        "seed": seed,
        "bot": bot,
        # "none": every side lost (a declared outcome); listed only for campaigns that declare one
        "verdicts": {k: _rate(verdicts.get(k, 0), n) for k in verdict_keys},
        "verdicts_ci": simstats.verdict_intervals(dict(verdicts), verdict_keys, n),
        "endings": {k: _rate(v, n) for k, v in sorted(endings.items())},
        "ending_verdicts": simstats.ending_verdicts(rs),
        "near_misses": simstats.near_misses(campaign, _prepared(campaign)[1], rs),
        "phases_reached": {p.id: _rate(reached.get(p.id, 0), n) for p in campaign.phases.states},
        "final_phase": {p.id: _rate(final.get(p.id, 0), n) for p in campaign.phases.states},
        "objectives_met": objectives,
        "mean_final_tracks": tracks,
        "mean_rounds": round(sum(r.rounds for r in rs) / n, 3) if n else 0.0,
        "mean_events": round(sum(r.events for r in rs) / n, 3) if n else 0.0,
        "card_impact": impact,
        "card_flags": simstats.card_flags(campaign, rs),
        "consensus": simstats.consensus(campaign, rs),
        "learning_evidence": simstats.learning(campaign, rs),
    }
