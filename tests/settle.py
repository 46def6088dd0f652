"""How the tests wait for an app to finish its work: until nothing is left to run.

Textual's Pilot, after every key and in ``pause()``, waits for the app to go idle with
``textual._wait.wait_for_idle``: it sleeps 20 ms at a time until a sleep passes in which
the process used almost no CPU. So every key costs at least two idle 20 ms sleeps (about
a third of the TUI tests' time went there), and on a loaded machine a process that waits
for a core looks idle too.

:func:`settled` asks the event loop instead: the app is idle when no callback is ready
to run and no timer is due within a frame (Textual paints from a timer, and a screen
that has just been pushed is painted on the next one). It does not wait for sleeps longer
than a frame (a dice panel's 3 s, a notice's timeout) nor for threads or sockets: a test
that needs those waits for its own condition (``tests/tui/scenario.py``'s ``until``).
"""

from __future__ import annotations

import asyncio

import pytest

#: Timers due sooner than this are waited for: Textual's screen refresh runs at 60 Hz.
FRAME = 1 / 60


async def settled(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    """Return once the running loop has nothing ready and no timer due within a frame
    (or after ``max_sleep`` seconds); the signature is ``wait_for_idle``'s."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    if min_sleep:
        await asyncio.sleep(min_sleep)
    while loop.time() - start < max_sleep:
        await asyncio.sleep(0)  # let every callback ready now run first
        if loop._ready:  # type: ignore[attr-defined]  # callbacks queued meanwhile: go round again
            continue
        now = loop.time()
        due = [h.when() for h in loop._scheduled if not h.cancelled() and h.when() - now < FRAME]  # type: ignore[attr-defined]
        if not due:
            return
        await asyncio.sleep(max(0.0, min(due) - now))


@pytest.fixture(autouse=True, scope="session")
def pilot_waits_until_settled() -> object:
    """Every Pilot in the suite waits with :func:`settled` (Textual imports
    ``wait_for_idle`` by name into ``textual.app`` and ``textual.pilot``)."""
    import textual.app
    import textual.pilot

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual.app, "wait_for_idle", settled)
        patch.setattr(textual.pilot, "wait_for_idle", settled)
        yield
