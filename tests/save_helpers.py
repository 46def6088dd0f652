"""Helpers for the save, replay and report tests: campaigns, bot-played saves, golden saves."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tabletop.campaign.validate import LoadedCampaign, load_campaign
from tabletop.journal import Header, JournalWriter, campaign_digest
from tabletop.session import LocalSession, resolve_controllers

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGNS = ROOT / "campaigns"
GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_SAVES = GOLDEN / "saves"
TUTORIAL_SAVE = GOLDEN_SAVES / "tutorial-bots.jsonl"
BALTIC_SAVE = GOLDEN_SAVES / "baltic-facilitated.jsonl"


@functools.cache
def campaign(name: str) -> LoadedCampaign:
    """A bundled campaign, loaded once per test run."""
    return load_campaign(CAMPAIGNS / f"{name}.yaml")


def header_for(name: str, seed: int, seats: dict[str, str] | None = None, created: str = "2025-01-01T00:00:00+00:00") -> Header:
    loaded = campaign(name)
    c = loaded.campaign
    if seats is None:
        seats = resolve_controllers(c, [s.id for s in c.sides])
    return Header(c.id, f"campaigns/{name}.yaml", campaign_digest(loaded.text), loaded.text, seed, seats, created)


def bot_save(path: Path, name: str = "tutorial", seed: int = 64, *, durable: bool = False,
             until: int | None = None) -> LocalSession:
    """Play an all-bot game of ``name`` into the save at ``path`` (stop after ``until`` commands)."""
    c = campaign(name).campaign
    h = header_for(name, seed)
    session = LocalSession(c, seed=seed, controllers=h.seats, journal=JournalWriter(path, h, durable=durable))
    if until is None:
        session.run_bots()
    else:
        for _ in range(until):
            if session.ended or not session.step_bot():
                break
    session.close()
    return session


def copy_golden(src: Path, folder: Path) -> Path:
    """A copy of a golden save in ``folder`` (tests never touch the golden files themselves)."""
    dst = folder / src.name
    shutil.copyfile(src, dst)
    return dst


def rewrite(src: Path, dst: Path, edit: Callable[[int, dict[str, Any]], None]) -> None:
    """Copy the save ``src`` to ``dst`` with ``edit(i, record)`` applied to every line's
    record (``i`` 0 is the header), every checksum and the whole chain recomputed: what
    someone editing a save by hand, and covering their tracks, would write."""
    import json

    from tabletop.journal.lines import _digest, _line

    out, prev = [], ""
    for i, raw in enumerate(src.read_bytes().split(b"\n")[:-1]):
        rec = json.loads(raw)
        del rec["sum"]
        edit(i, rec)
        if i:
            rec["prev"] = prev
        line = _line(rec)
        prev = _digest(line)
        out.append(line)
    dst.write_bytes(b"".join(out))
