"""The evaluator seat over the network (issue 14): evaluators join with the evaluator code
and a name, record observations during play, and every seat answers the hotwash at the
end; real hosts on 127.0.0.1 and real clients.

The secrecy standard is the covert plays' (tests/test_covert_secrecy.py): two games that
differ only in a secret give the other seats byte-identical frames (``head`` aside, see
docs/protocol.md). Here the secret is an observation: game A has one, game B has a
facilitator note at the same point instead (a hidden event too, so both games number
their events alike and draw the same dice afterwards).
"""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import Any

import pytest

from net_helpers import Hosted, hosted, told, until
from tabletop.bots import make_bot
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.commands import EVALUATOR, FACILITATOR, OBSERVER
from tabletop.engine.errors import IllegalCommand
from tabletop.journal import read_journal
from tabletop.net.client import RemoteSession, play_as_bot

SECRET = "Veldia hesitated on the cable cut: ZEBRA-7 (evaluator's eyes only)"


def _frames(got: list[str]) -> list[str]:
    """Frames as a seat received them, without ``head`` (it hashes the whole save)."""
    out = []
    for raw in got:
        msg = json.loads(raw)
        msg.pop("head", None)
        out.append(json.dumps(msg, sort_keys=True))
    return out


async def _table(h: Hosted, frames: dict[str, list[str]]) -> dict[str, RemoteSession]:
    """A client for every seat (the evaluator as "Maria Lind"), each recording its frames."""
    clients = {}
    for seat in (*h.session.engine.actors, OBSERVER, EVALUATOR, FACILITATOR):
        got = frames.setdefault(seat, [])
        name = "Maria Lind" if seat == EVALUATOR else ""
        clients[seat] = await RemoteSession.join(h.url, h.codes[seat], name=name, trace=got.append)
    return clients


async def _caught_up(h: Hosted, clients: dict[str, RemoteSession]) -> None:
    await until(lambda: all(c.state.seq == told(h, s) and c.awaiting() == h.session.awaiting()
                            for s, c in clients.items()))


async def _drive(h: Hosted, clients: dict[str, RemoteSession], steps: int, at: int, secret: Any) -> None:
    """Play ``steps`` commands, each chosen by a bot seeded by its seat and the game's
    ``seq`` (so both games of a pair choose alike), and call ``secret()`` before step ``at``."""
    for step in range(steps):
        await _caught_up(h, clients)
        if h.session.ended:
            return
        if step == at:
            await secret()
            await _caught_up(h, clients)
        seat = next(s for s in h.session.awaiting() if s in clients)
        me = clients[seat]
        bot = make_bot("heuristic", me.engine, seat, random.Random(f"{seat}:{h.session.state.seq}"))
        await me.submit(bot.choose(me.view(seat), me.legal_commands(seat)))


async def _game(tmp_path: Path, with_observation: bool) -> tuple[dict[str, list[str]], list[E.Event]]:
    frames: dict[str, list[str]] = {}
    async with hosted(tmp_path, "tutorial", seed=5) as h:
        clients = await _table(h, frames)
        try:
            async def secret() -> None:
                if with_observation:
                    await clients[EVALUATOR].submit(C.Observe(EVALUATOR, SECRET, rating="M", kind="improvement",
                                                              objective="#2"))
                else:
                    await clients[FACILITATOR].submit(C.Annotate(FACILITATOR, "A facilitator's note."))

            await asyncio.wait_for(_drive(h, clients, steps=200, at=6, secret=secret), 60)
            await _caught_up(h, clients)
        finally:
            for c in clients.values():
                await c.close()
        return frames, [e.event for e in read_journal(h.save).entries]


async def test_players_frames_are_the_same_whether_or_not_an_evaluator_observed(tmp_path: Path) -> None:
    a, journal_a = await _game(tmp_path / "a", with_observation=True)
    b, journal_b = await _game(tmp_path / "b", with_observation=False)
    observed = [e for e in journal_a if isinstance(e, E.ObservationRecorded)]
    assert [(o.author, o.text, o.rating, o.kind, o.objective) for o in observed] == [
        ("Maria Lind", SECRET, "M", "improvement", "#2")
    ]
    at = journal_a.index(observed[0])
    assert isinstance(journal_b[at], E.Annotated)  # the same place in the same game
    assert len(journal_a) == len(journal_b) > at + 20  # play went on well past it ...
    assert isinstance(journal_a[-1], E.GameEnded) and journal_a[-1] == journal_b[-1]  # ... to the same end
    for seat in (*(s for s in a if s not in (EVALUATOR, FACILITATOR)),):
        assert len(a[seat]) > 20 and _frames(a[seat]) == _frames(b[seat]), seat
        assert "ZEBRA-7" not in "".join(a[seat])
    # the evaluator and the facilitator did see it
    assert "ZEBRA-7" in "".join(a[EVALUATOR]) and "ZEBRA-7" in "".join(a[FACILITATOR])
    # an evaluator sees the public board: not the facilitator's note (unless the host lets it see all)
    assert "A facilitator's note." not in "".join(b[EVALUATOR]) and "A facilitator's note." in "".join(b[FACILITATOR])


async def test_evaluators_observe_during_play_and_every_seat_answers_the_hotwash(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=8) as h:
        seats = [*h.session.engine.actors, FACILITATOR]
        players = [await RemoteSession.join(h.url, h.codes[s]) for s in seats]
        watcher = await RemoteSession.join(h.url, h.codes[OBSERVER], name="Sam Watcher")
        maria = await RemoteSession.join(h.url, h.codes[EVALUATOR], name="Maria Lind")
        jonas = await RemoteSession.join(h.url, h.codes[EVALUATOR], name="  Jonas   Berg ")
        everyone = [*players, watcher, maria, jonas]
        try:
            assert maria.author == "Maria Lind" and jonas.author == "Jonas Berg" and maria.evaluators == 2
            assert h.host.evaluators == 2
            # an evaluator sees the public board: no hand, another side's cards as "?"
            view = maria.view()
            assert view.seat == EVALUATOR and all(a.hand is None for a in view.actors.values())
            games = [asyncio.create_task(play_as_bot(p)) for p in players]
            await until(lambda: h.session.state.seq > 15, timeout=20)
            seen = maria.state.seq  # what Maria had seen when she wrote it: the observation is about that
            await maria.submit(C.Observe(EVALUATOR, "Ostrand briefed Veldia before acting.", kind="strength"))
            await until(lambda: any(isinstance(e.event, E.ObservationRecorded) for e in jonas.entries))
            mine = next(e.event for e in maria.entries if isinstance(e.event, E.ObservationRecorded))
            assert mine.author == "Maria Lind" and mine.about == seen  # in Maria's own numbering
            await asyncio.wait_for(asyncio.gather(*games), 40)
            assert h.session.ended
            # after the end: observations still count, and every seat answers the hotwash
            await jonas.submit(C.Observe(EVALUATOR, "The end came from the connectivity track.", rating="S"))
            for c in everyone:
                await c.submit(C.Hotwash(c.seat, went_well=f"{c.seat} kept calm", lesson="Talk early."))
            with pytest.raises(IllegalCommand, match="The hotwash of Maria Lind is already recorded"):
                await maria.submit(C.Hotwash(maria.seat, improve="Once more"))
        finally:
            for c in everyone:
                await c.close()
    journal = [e.event for e in read_journal(h.save).entries]
    named = [(e.target, e.name) for e in journal if isinstance(e, E.SeatNamed)]
    assert named == [(EVALUATOR, "Maria Lind"), (EVALUATOR, "Jonas Berg")]
    observations = [(o.author, o.about > 0) for o in journal if isinstance(o, E.ObservationRecorded)]
    assert observations == [("Maria Lind", True), ("Jonas Berg", True)]
    answered = {(e.seat, e.author) for e in journal if isinstance(e, E.HotwashAnswered)}
    assert answered == {*((s, "Facilitator" if s == FACILITATOR else "") for s in seats),
                        (OBSERVER, "Sam Watcher"), (EVALUATOR, "Maria Lind"), (EVALUATOR, "Jonas Berg")}


async def test_after_the_end_a_headless_host_serves_until_everyone_connected_has_answered(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=8, bots=["red", "blue", "facilitator"]) as h:
        await h.host.wait_ended()
        maria = await RemoteSession.join(h.url, h.codes[EVALUATOR], name="Maria Lind")
        watcher = await RemoteSession.join(h.url, h.codes[OBSERVER])
        try:
            assert {c.seat for c in h.host.hotwash_due()} == {EVALUATOR, OBSERVER}
            await asyncio.wait_for(h.host.linger(0.05), 5)  # bounded: it stops waiting in time
            lingering = asyncio.create_task(h.host.linger(30))
            await maria.submit(C.Hotwash(EVALUATOR, lesson="Name the owner of each action."))
            assert not lingering.done() and [c.seat for c in h.host.hotwash_due()] == [OBSERVER]
            await watcher.close()  # one who leaves without answering is not waited for
            await asyncio.wait_for(lingering, 5)
            assert maria.connected  # still served until the host closes
        finally:
            await maria.close()
            await watcher.close()


async def test_a_client_dropped_after_the_end_rejoins_to_answer_the_hotwash_but_not_a_closed_host(
    tmp_path: Path,
) -> None:
    async with hosted(tmp_path, "tutorial", seed=8, bots=["red", "blue", "facilitator"]) as h:
        await h.host.wait_ended()
        welcomes: list[str] = []
        maria = await RemoteSession.join(h.url, h.codes[EVALUATOR], name="Maria Lind", retry_for=10,
                                         trace=lambda raw: welcomes.append(raw) if '"welcome"' in raw[:20] else None)
        try:
            assert maria.ended and maria._ws is not None and maria._ws.transport is not None
            maria._ws.transport.abort()  # the network drops, no goodbye
            await until(lambda: len(welcomes) == 2 and maria.connected)
            await maria.submit(C.Hotwash(EVALUATOR, went_well="We kept talking."))
            await h.host.close()  # the host stops serving: the client does not try again
            await until(lambda: not maria.connected)
            assert maria._pump is not None
            await asyncio.wait_for(maria._pump, 5)
            assert len(welcomes) == 2 and not maria.failed
        finally:
            await maria.close()
    answers = [e.event for e in read_journal(h.save).entries if isinstance(e.event, E.HotwashAnswered)]
    assert [(a.seat, a.author, a.went_well) for a in answers] == [(EVALUATOR, "Maria Lind", "We kept talking.")]


async def test_a_player_whose_seat_a_bot_finished_still_answers_the_hotwash(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=8, bots=["red", "blue", "facilitator"]) as h:
        await h.host.wait_ended()
        anna = await RemoteSession.join(h.url, h.codes["veldia"])
        try:
            assert anna.is_bot("veldia") and anna.legal_commands("veldia") == []
            assert anna.options("veldia").can_hotwash and not anna.options("veldia").legal
            await anna.submit(C.Hotwash("veldia", improve="I left too early."))
        finally:
            await anna.close()
        assert [(e.event.seat, e.event.author) for e in h.session.entries
                if isinstance(e.event, E.HotwashAnswered)] == [("veldia", "")]
