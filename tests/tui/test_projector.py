"""The projector view: the public board for a room (phases, tracks, the round in review,
who is awaited), never a hand; a hot-seat key, and a networked observer's --projector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scenario import take_keyboard, to_facilitator_now, wait_for
from textual.widgets import Static

from cli_process import run_tabletop
from tabletop.campaign.validate import load_campaign
from tabletop.engine.views import OBSERVER
from tabletop.journal import JournalWriter
from tabletop.net.client import RemoteSession
from tabletop.net.codes import new_codes
from tabletop.net.host import Host
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import TabletopApp, build_app
from tabletop.tui.widgets.hand import CardWidget
from tabletop.tui.widgets.tracks import TrackGauge

ROOT = Path(__file__).resolve().parents[2]


def _text(screen) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_p_puts_the_public_board_up_for_the_room(new_app: Callable[..., TabletopApp]) -> None:
    app = new_app(briefing=False, moves=to_facilitator_now)
    session = app.session
    async with app.run_test(size=(140, 45)) as pilot:
        # (the rolls made before the app opened were seen then: no dice pop up)
        await wait_for(pilot, "GameScreen")
        await pilot.press("P")
        projector = await wait_for(pilot, "ProjectorScreen")
        assert not projector.query(CardWidget)  # no hand, whoever had the keyboard
        assert len(projector.query(TrackGauge)) == len(session.campaign.tracks)
        assert all(g.size.height >= 3 for g in projector.query(TrackGauge))  # tall gauges for a room
        text = _text(projector)
        assert "Ostrand played" in text and "Waiting for:" in text
        hands = [session.engine.cards[session.engine.instance_card[i]].title
                 for a in session.engine.actors for i in (session.view(a).actors[a].hand or ())]
        assert not any(title in text for title in hands if title not in text.split("played ")[-1])
        await pilot.press("escape")
        await wait_for(pilot, "GameScreen")


async def test_a_networked_observer_joins_as_a_projector(tmp_path: Path) -> None:
    lc = load_campaign(ROOT / "campaigns" / "tutorial.yaml")
    controllers = resolve_controllers(lc.campaign, [])  # people at every seat: round 1 waits for them
    header = LocalSession.new_header(lc.campaign, lc.text, str(lc.path), 4, controllers)
    session = LocalSession(lc.campaign, seed=4, controllers=controllers, journal=JournalWriter(tmp_path / "g.jsonl", header))
    codes = new_codes(session.engine.actors)
    host = Host(session, codes, campaign_text=lc.text)
    url = await host.start("127.0.0.1", 0)
    room = await RemoteSession.join(url, codes[OBSERVER])
    try:
        app = build_app(room, seat_mode="single", projector=True, briefing=False, dice_seconds=None)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await wait_for(pilot, "ProjectorScreen")
            assert not screen.check_action("close", ())  # the projector's only screen
            assert str(screen.query_one("#projector-review").border_title) == "Round 1 so far"
            assert "Waiting for: Northmark's turn" in _text(screen)
    finally:
        await room.close()
        await host.close()


def test_projector_with_bot_is_refused_in_a_sentence() -> None:
    done = run_tabletop("join", "ws://127.0.0.1:9", "--code", "x", "--projector", "--bot", timeout=60)
    assert done.returncode == 2 and "choose one" in done.stderr and "Traceback" not in done.stderr
