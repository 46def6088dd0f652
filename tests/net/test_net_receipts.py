"""Receipts: every networked seat keeps the chain head of the last event it was told of,
the host prints the final one, and `tabletop verify --receipt` proves a save holds it.

A real host on 127.0.0.1, real clients (one a `tabletop join --bot` process writing its
receipt file), and saves rewritten after the receipt: consistent in themselves (verify
alone says ok), but not the save the seats were told of.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import sys
from pathlib import Path

from net_helpers import LOCAL, ROOT, hosted, told
from save_helpers import rewrite
from cli_process import run_tabletop
from tabletop.commands.verify import verify
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.views import OBSERVER
from tabletop.journal import read_journal
from tabletop.journal.receipts import Receipt, ReceiptFile, load_receipt
from tabletop.net.client import RemoteSession, play_as_bot

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


async def test_every_seat_keeps_a_receipt_and_verify_proves_the_save_against_it(tmp_path: Path) -> None:
    seat_dir = tmp_path / "veldia"
    seat_dir.mkdir()
    theirs = seat_dir / "tutorial-veldia.receipt"
    theirs.write_text("a file this run did not make\n")
    async with hosted(tmp_path, "tutorial", seed=4) as h:
        joiner = await asyncio.create_subprocess_exec(
            PY, "-m", "tabletop", "join", h.url, "--code", h.codes["veldia"], "--bot", cwd=seat_dir, env=ENV,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        clients = [await RemoteSession.join(h.url, h.codes[s]) for s in ("northmark", "ostrand", FACILITATOR, OBSERVER)]
        try:
            await asyncio.wait_for(asyncio.gather(*(play_as_bot(c) for c in clients)), 60)
            out, err = await asyncio.wait_for(joiner.communicate(), 60)
        finally:
            for c in clients:
                await c.close()
            if joiner.returncode is None:
                joiner.kill()
                await joiner.wait()
        final = (h.session.state.seq, h.session.fingerprint)
        assert h.session.ended
        # the observer's too; each seat counts the events it was sent (only the
        # facilitator is sent them all: another seat must not learn how many it was not)
        assert all(c.receipt == (told(h, c.seat), final[1]) for c in clients)
        assert told(h, FACILITATOR) == final[0]
    assert joiner.returncode == 0, err.decode()
    save = h.save
    assert read_journal(save).fingerprint == final[1]

    # the seat's receipt file: a new name beside the one it did not make, for the owner only
    receipt = seat_dir / "tutorial-veldia-2.receipt"
    assert theirs.read_text() == "a file this run did not make\n"
    assert stat.S_IMODE(receipt.stat().st_mode) == 0o600
    data = json.loads(receipt.read_text())
    assert (data["format"], data["seat"], data["campaign"], data["seq"], data["head"]) == (
        "tabletop-receipt", "veldia", "tutorial", None, final[1],  # a player's receipt: the head, found by verify
    )
    assert out.decode().splitlines()[-1] == (
        f"Receipt (fingerprint {final[1]}) kept in {receipt}; "
        f"check the host's save with: tabletop verify SAVE --receipt {receipt}"
    )

    code, text = verify(str(save), str(receipt))
    assert code == 0, text
    assert text.split("\n")[-1] == (
        f"receipt: veldia's receipt matches: events 1-{final[0]} are exactly as they were when it was given, "
        f"and the save ends there"
    )

    # rewritten after the receipt: a header field changed, every checksum and the chain recomputed
    rewritten = tmp_path / "rewritten.jsonl"
    rewrite(save, rewritten, lambda i, rec: rec.update(created="2020-01-01T00:00:00+00:00") if i == 0 else None)
    assert verify(str(rewritten))[0] == 0  # consistent in itself: only the receipt tells
    code, text = verify(str(rewritten), str(receipt))  # a player's receipt names no event: its head is looked for
    assert (code, text) == (1, (
        f"{rewritten}: no line of this save has the fingerprint {final[1]}: the save was changed or cut "
        f"before the point it names"
    ))
    code, text = verify(str(rewritten), final[1])  # the host's final fingerprint, as printed
    assert code == 1 and "no line of this save has the fingerprint" in text

    # cut after a whole command: also consistent in itself, but shorter than the receipt
    full = read_journal(save)
    k = full.decision_points[-3]
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(x + b"\n" for x in save.read_bytes().split(b"\n")[: k + 1]))
    assert verify(str(cut))[0] == 0
    code, text = verify(str(cut), str(receipt))
    assert (code, text) == (1, (
        f"{cut}: no line of this save has the fingerprint {final[1]}: the save was changed or cut "
        f"before the point it names"
    ))
    # a receipt of an earlier event still holds for the cut save, and says what it does not cover
    early = tmp_path / "early.receipt"
    early.write_text(json.dumps({**data, "seq": k, "head": full.digests[k]}))
    assert verify(str(cut), str(early))[0] == 0
    code, text = verify(str(save), str(early))
    assert code == 0 and text.split("\n")[-1] == (
        f"receipt: veldia's receipt matches event {k}: events 1-{k} are exactly as they were when it was given; "
        f"events {k + 1}-{final[0]} came after it and are proved only consistent"
    )


def test_a_receipt_file_is_rewritten_in_place_and_never_replaces_another(tmp_path: Path) -> None:
    (tmp_path / "c-s.receipt").write_text("other\n")
    keeper = ReceiptFile(tmp_path, "c", "s")
    keeper.update(Receipt("a" * 64, 10, "s", "c"))
    keeper.update(Receipt("b" * 64, 9, "s", "c"))  # a shorter line: the file is trimmed to it
    keeper.close()
    assert keeper.path == tmp_path / "c-s-2.receipt"
    assert (tmp_path / "c-s.receipt").read_text() == "other\n"
    got = load_receipt(str(keeper.path))
    assert (got.seq, got.head, got.seat) == (9, "b" * 64, "s")
    assert keeper.path.read_text().count("\n") == 1


def test_the_host_prints_the_final_fingerprint(tmp_path: Path) -> None:
    save = tmp_path / "game.jsonl"
    done = run_tabletop(
        "host", "tutorial", "--headless", "--bind", LOCAL, "--port", "0", "--seed", "3",
        "--bot", "red", "--bot", "blue", "--bot-delay", "0", "--save", str(save), cwd=tmp_path, env=ENV, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    read = read_journal(save)
    found = re.search(r"Fingerprint of the save \(its chain head after event (\d+)\): ([0-9a-f]{64})", done.stdout)
    assert found and (int(found.group(1)), found.group(2)) == (len(read.entries), read.fingerprint)
    code, text = verify(str(save), found.group(2))
    assert code == 0 and text.endswith("and the save ends there")
