"""A resumed damaged save says on the game screen what was damaged and where play
continues (the people are looking at the board, not at stderr)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets._toast import Toast

from tabletop.commands.resume import open_session
from tabletop.tui.app import build_app

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "saves" / "tutorial-bots.jsonl"


async def test_the_damage_and_where_play_continues_are_on_the_first_screen(tmp_path: Path) -> None:
    save = tmp_path / GOLDEN.name
    shutil.copyfile(GOLDEN, save)
    save.write_bytes(save.read_bytes()[:-40])
    resumed = open_session(save)
    assert resumed.notice is not None
    app = build_app(resumed.session, bot_delay=3600, save_path=resumed.path, notice=resumed.notice)
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            shown = [str(t.render()) for t in app.screen.query(Toast)]
            assert any("was damaged after event 124 (5792 bytes ignored)" in text for text in shown), shown
            assert any("tutorial-bots.resumed.jsonl" in text for text in shown), shown
    finally:
        resumed.session.close()
