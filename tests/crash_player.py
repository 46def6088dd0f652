"""Plays an all-bot game with a durable journal, printing each acknowledged seq.

Used by ``test_crash.py``, which kills it with SIGKILL at random moments::

    python tests/crash_player.py SAVE CAMPAIGN SEED DELAY

After each command's events are journalled (``JournalWriter.append`` has returned, so
they are on disk), the listener prints the last seq and flushes: anything printed is
acknowledged. ``ready`` is printed once the game is about to start, ``done`` at the end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabletop.campaign.validate import load_campaign  # noqa: E402
from tabletop.journal import JournalWriter  # noqa: E402
from tabletop.session import LocalSession, resolve_controllers  # noqa: E402


def play(save: str, campaign_path: str, seed: int, delay: float, out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    """Play the game into ``save``, writing ``ready``, each acknowledged seq, then ``done`` to ``out``."""
    loaded = load_campaign(campaign_path)
    c = loaded.campaign
    seats = resolve_controllers(c, [s.id for s in c.sides])
    header = LocalSession.new_header(c, loaded.text, loaded.path, seed, seats)

    def acknowledge(entries):  # type: ignore[no-untyped-def]
        out.write(f"{entries[-1].seq}\n")
        out.flush()

    out.write("ready\n")
    out.flush()
    writer = JournalWriter(save, header, durable=True)
    # The opening deal is journalled by the constructor, before a listener can be added:
    # acknowledge it once the constructor returns (it is on disk by then).
    session = LocalSession(c, seed=seed, controllers=seats, journal=writer)
    acknowledge(session.entries)
    session.add_listener(acknowledge)
    while not session.ended:
        time.sleep(delay)
        if not session.step_bot():
            break
    session.close()
    out.write("done\n")
    out.flush()


def main() -> None:
    play(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))


if __name__ == "__main__":
    main()
