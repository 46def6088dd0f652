"""The replay viewer never crashes on an event it cannot show: it is damage, said where.

A play of a card the campaign does not have, written with every checksum and the chain
recomputed, used to pass ``verify`` and then crash the viewer (``KeyError`` in the board
when the play was on the table). Now the replay stops before that event's command and
the viewer opens on the good part with a banner naming the event and why.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.content import Content
from textual.widgets import Static

from save_helpers import TUTORIAL_SAVE, rewrite
from tabletop.journal import read_journal
from tabletop.journal.replay import Replay
from tabletop.tui.replay.app import build_replay_app
from tabletop.tui.replay.screens.main import ReplayScreen
from tabletop.tui.replay.widgets.bars import DamageBanner


def _no_such_card(dst: Path) -> int:
    seq = next(
        rec["seq"] for rec in (json.loads(x) for x in TUTORIAL_SAVE.read_bytes().split(b"\n")[1:-1])
        if rec["event"]["type"] == "card_played" and not rec["event"]["covert"]
    )

    def edit(i: int, rec: dict) -> None:  # type: ignore[type-arg]
        if i == seq:
            rec["event"]["card"] = rec["event"]["instance"] = "no-such-card"

    rewrite(TUTORIAL_SAVE, dst, edit)
    return int(seq)


async def test_a_card_the_campaign_does_not_have_is_damage_in_the_viewer(tmp_path: Path) -> None:
    save = tmp_path / "g.jsonl"
    seq = _no_such_card(save)
    assert read_journal(save).damage is None  # every checksum and the chain hold
    replay = Replay.open(save)
    app = build_replay_app(replay, save, fork_dir=tmp_path, start=0)
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:  # it used to fail here, with a KeyError
        await pilot.pause()
        screen = next(s for s in app.screen_stack if isinstance(s, ReplayScreen))
        for _ in range(seq + 2):  # step through to the play, and past it
            await pilot.press("right")
            await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert screen.step <= len(replay) < seq
        assert replay.damage is not None and f"event {seq} names a card this campaign does not have" in replay.damage
        banner = screen.query_one(DamageBanner)
        shown = banner.content.plain if isinstance(banner, Static) and isinstance(banner.content, Content) else str(banner.render())
        assert replay.damage in shown


def test_the_replay_command_says_where_and_opens(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import argparse

    from tabletop.commands import replay as command
    from tabletop.tui.replay import app as viewer

    save = tmp_path / "g.jsonl"
    seq = _no_such_card(save)
    opened = []

    class Stub:
        def __init__(self, r: Replay, *a: object, **k: object) -> None:
            opened.append(r)
            self.return_code = 0

        def run(self) -> None:
            return None

    monkeypatch.setattr(viewer, "build_replay_app", Stub)
    assert command.run(argparse.Namespace(save=str(save))) == 0
    assert len(opened) == 1 and opened[0].damage is not None
    err = capsys.readouterr().err
    assert err.startswith(f"tabletop replay: {save}: save damaged after event ")
    assert f"(event {seq} names a card this campaign does not have (\"no-such-card\"))" in err
