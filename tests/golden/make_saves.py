"""Make the golden saves in ``tests/golden/saves/`` (run once; the files are checked in).

    .venv/bin/python tests/golden/make_saves.py

Never run this to "fix" a failing golden test: the point of the golden saves is that
saves written by this version keep loading in later ones. Write a new save next to them
instead (and a migration, if the format changed).

- ``tutorial-bots.jsonl``: the tutorial, every seat a bot.
- ``baltic-facilitated.jsonl``: Baltic winter energy, actors played by bots, the
  facilitator scripted: a track adjustment with a reason, a library inject, a pause, an
  annotation, a free-form proposal amended with a rationale, rulings with rationales;
  the bots hold at least one consensus vote.

``manifest.json`` records what each must fold to.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tabletop.bots import FacilitatorBot  # noqa: E402
from tabletop.campaign.validate import load_campaign  # noqa: E402
from tabletop.engine import commands as C  # noqa: E402
from tabletop.journal import Header, JournalWriter, campaign_digest, read_journal  # noqa: E402
from tabletop.session import LocalSession, resolve_controllers  # noqa: E402

OUT = Path(__file__).resolve().parent / "saves"
CREATED = "2025-03-01T09:00:00+00:00"


def header(loaded, seed: int, seats: dict[str, str]) -> Header:  # type: ignore[no-untyped-def]
    rel = Path(loaded.path).resolve().relative_to(ROOT).as_posix()
    return Header(
        campaign_id=loaded.campaign.id, campaign_path=rel, campaign_sha256=campaign_digest(loaded.text),
        campaign_text=loaded.text, seed=seed, seats=seats, created=CREATED,
    )


def tutorial(seed: int = 64) -> Path:
    loaded = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    c = loaded.campaign
    seats = resolve_controllers(c, [s.id for s in c.sides])
    path = OUT / "tutorial-bots.jsonl"
    session = LocalSession(c, seed=seed, controllers=seats, journal=JournalWriter(path, header(loaded, seed, seats)))
    session.run_bots()
    session.close()
    return path


def baltic(seed: int = 11) -> Path:
    loaded = load_campaign(ROOT / "campaigns" / "baltic-winter-energy.yaml")
    c = loaded.campaign
    seats = resolve_controllers(c, [s.id for s in c.sides])
    seats[C.FACILITATOR] = "human"  # scripted below, as a person at the facilitator's console would
    path = OUT / "baltic-facilitated.jsonl"
    s = LocalSession(c, seed=seed, controllers=seats, journal=JournalWriter(path, header(loaded, seed, seats)))
    fac = FacilitatorBot(s.engine, random.Random(seed))
    F = C.FACILITATOR
    s.submit_now(C.AdjustTrack(F, "gas_price", 1, "Forward prices jump on a cold-winter forecast."))
    proposed = injected = paused = False
    for _ in range(10_000):
        if s.ended:
            break
        st = s.state
        if st.round == 2 and not injected and st.turn is not None:
            s.submit_now(C.FireInject(F, "tanker-diverted"))
            s.submit_now(C.Annotate(F, "Watch how the Transit State answers the diverted tanker."))
            injected = True
            continue
        if st.round == 3 and not paused and st.turn is not None:
            s.submit_now(C.Pause(F, "Coffee break: ten minutes."))
            s.submit_now(C.Resume(F))
            paused = True
            continue
        if not proposed and st.turn == "consumer":
            s.submit_now(C.Propose("consumer", "Ask the regional operator to lend gas from its reserve.",
                                   {"tracks": {"storage": 2}}))
            proposed = True
            continue
        if F in s.awaiting():
            pending = [p for p in s.state.proposals if p.verdict is None]
            if pending:
                s.submit_now(C.RuleProposal(F, pending[0].id, "amend",
                                            "A loan is plausible, but only half of what was asked.", {"tracks": {"storage": 1}}))
                continue
            legal = s.engine.legal_commands(s.state, F)
            s.submit_now(fac.choose(s.view(F), legal))
            continue
        if not s.step_bot():
            raise RuntimeError(f"stuck at event {s.state.seq}: awaiting {s.awaiting()}")
    s.close()
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("*.jsonl"):
        p.unlink()
    manifest = {}
    for path in (tutorial(), baltic()):
        from tabletop.analysis.debrief import Debrief
        from tabletop.journal.replay import Replay

        r = Replay.open(path)
        d = Debrief(r)
        o = r.final.outcome
        manifest[path.name] = {
            "events": len(r),
            "outcome": None if o is None else {"reason": o.reason, "detail": o.detail, "objectives": o.objectives},
            "tracks": dict(r.final.tracks),
            "phase": r.final.phase,
            "votes": len(d.votes()),
            "covert": len(d.covert_report()),
            "interventions": sorted({i.kind for i in d.interventions()}),
        }
        assert read_journal(path).damage is None
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(manifest, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
