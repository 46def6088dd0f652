"""The host's line console and a remote player hear a failed save in words: no traceback,
no errno (issue 9: refusals never show Python internals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from net_helpers import hosted, until
from tabletop.engine import commands as C
from tabletop.engine.errors import IllegalCommand
from tabletop.net.client import RemoteSession
from tabletop.net.console import LineConsole


def disk_full(*_: Any, **__: Any) -> None:
    raise OSError(28, "No space left on device")


async def test_the_line_console_reports_a_failed_save_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand"], console=True) as h:
        console = LineConsole(h.host)
        seq = h.session.state.seq
        assert h.session.journal is not None
        monkeypatch.setattr(h.session.journal, "append", disk_full)
        said = console.do("pause Coffee break.")
        assert said == "Not done: the move could not be saved (No space left on device), so nothing changed."
        assert h.session.state.seq == seq and not h.session.state.paused


async def test_a_player_hears_of_a_failed_save_without_an_errno(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with hosted(tmp_path, "tutorial", seed=4, bots=["red", "ostrand", C.FACILITATOR]) as h:
        me = await RemoteSession.join(h.url, h.codes["veldia"])
        try:
            await until(lambda: C.Pass("veldia") in me.legal_commands("veldia"))
            assert h.session.journal is not None
            monkeypatch.setattr(h.session.journal, "append", disk_full)
            with pytest.raises(IllegalCommand) as err:
                await me.submit(C.Pass("veldia"))
            assert str(err.value) == ("The host could not save the move, so nothing changed "
                                      "(No space left on device).")
        finally:
            await me.close()
