"""A networked seat of a format-2 game (the tutorial, hosted on 127.0.0.1): the same
screens over a RemoteSession. The seat reads its own brief on join, its side's objectives
and its own; another seat's secret aim, sent as a placeholder, is not listed at all."""

from __future__ import annotations

import asyncio
from pathlib import Path

from scenario import until, wait_for
from textual.widgets import Static

from tabletop.campaign.secrets import SECRET_OBJECTIVE
from tabletop.campaign.validate import load_campaign
from tabletop.journal import JournalWriter
from tabletop.net.client import RemoteSession
from tabletop.net.codes import new_codes
from tabletop.net.host import Host
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import build_app

ROOT = Path(__file__).resolve().parents[2]
SIZE = (100, 30)


async def test_a_joined_seat_reads_its_brief_and_only_its_own_objectives(tmp_path: Path) -> None:
    lc = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    controllers = resolve_controllers(lc.campaign, ["red", "ostrand", "facilitator"])
    header = LocalSession.new_header(lc.campaign, lc.text, str(lc.path), 4, controllers)
    session = LocalSession(lc.campaign, seed=4, controllers=controllers,
                           journal=JournalWriter(tmp_path / "g.jsonl", header))
    codes = new_codes(session.engine.actors)
    host = Host(session, codes, campaign_text=lc.text)
    url = await host.start("127.0.0.1", 0)
    me = await RemoteSession.join(url, codes["veldia"])
    try:
        assert any(o.title == SECRET_OBJECTIVE for o in me.campaign.actor_by_id["ostrand"].objectives)
        app = build_app(me, seat_mode="single", seat="veldia", dice_seconds=None, briefing=False)
        app.animation_level = "none"
        async with app.run_test(size=SIZE) as pilot:
            brief = await wait_for(pilot, "BriefScreen")
            text = "\n".join(str(w.render()) for w in brief.query(Static))
            assert "It is your town" in text, "Veldia's own brief, on join"
            assert "The crisis ends with All clear" in text
            assert SECRET_OBJECTIVE not in text and "reserve" not in text, "Ostrand's secret aim is not listed"
            # the red line is named where it can end the game, never its value
            assert "red line =" not in text.lower() and "you know" not in text.lower()
            assert "Breakdown — you cannot tell how near" in text
            await pilot.press("enter")
            await until(pilot, lambda: type(app.screen).__name__ == "GameScreen", "the board")
    finally:
        await me.close()
        await host.close()
        session.close()
        await asyncio.sleep(0)
