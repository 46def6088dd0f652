"""Hostile evaluators and players (issue 14): an evaluator cannot play, see a hand or sign
as someone else; an actor cannot observe; garbage observations and names are refused
with a sentence; the rate limit holds. Raw websocket clients against a real host."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from net_helpers import hosted, raw_client, recv, recv_type, until
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.commands import EVALUATOR, FACILITATOR, OBSERVER
from tabletop.engine.errors import IllegalCommand
from tabletop.net import protocol as P
from tabletop.net.client import JoinError, RemoteSession

PYTHON_WORDS = ("__init__", "positional", "argument", "TypeError", "KeyError", "Traceback")


async def _hello(url: str, code: str, name: str | None = None) -> tuple[ClientConnection, dict[str, Any]]:
    ws = await raw_client(url)
    hello: dict[str, Any] = {"type": "hello", "protocol": P.PROTOCOL, "code": code}
    if name is not None:
        hello["name"] = name
    await ws.send(json.dumps(hello))
    return ws, await recv(ws)


async def _send(ws: ClientConnection, seq: int, command: dict[str, Any], ref: int = 1) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "command", "state_seq": seq, "command": command, "id": ref}))
    msg = await recv_type(ws, "refused", "ack")
    assert msg["id"] == ref
    return msg


def _observations(h: Any) -> list[E.ObservationRecorded]:
    return [e.event for e in h.session.entries if isinstance(e.event, E.ObservationRecorded)]


async def test_an_evaluator_cannot_play_name_seats_or_write_for_another(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        ws, welcome = await _hello(h.url, h.codes[EVALUATOR], "Maria Lind")
        assert welcome["seat"] == EVALUATOR and welcome["name"] == "Maria Lind" and welcome["sees"] is None
        seq, journal = welcome["seq"], h.session.state.seq
        for command in ({"type": "pass", "seat": EVALUATOR}, {"type": "advance", "seat": EVALUATOR},
                        {"type": "play", "seat": EVALUATOR, "card": "fact-check"},
                        {"type": "name_seat", "seat": EVALUATOR, "target": "veldia", "name": "Mallory"}):
            msg = await _send(ws, seq, command)
            assert msg["type"] == "refused" and msg["kind"] == "illegal", command
            assert msg["reason"].startswith("Evaluators observe the exercise; they cannot act in it")
        for seat in ("veldia", FACILITATOR):  # speaking for a player, or for the facilitator
            msg = await _send(ws, seq, {"type": "observe", "seat": seat, "text": "x"})
            assert msg["type"] == "refused" and f"you cannot act for '{seat}'" in msg["reason"]
        msg = await _send(ws, seq, {"type": "observe", "seat": EVALUATOR, "text": "As Jonas.", "author": "Jonas Berg"})
        assert msg["reason"] == "You joined as Maria Lind; you cannot write as 'Jonas Berg'."
        assert h.session.state.seq == journal and not _observations(h)  # nothing changed
        msg = await _send(ws, seq, {"type": "observe", "seat": EVALUATOR, "text": "Signed by the host."})
        assert msg["type"] == "ack" and _observations(h)[0].author == "Maria Lind"
        await ws.close()


async def test_an_actor_and_an_observer_cannot_observe(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        actor, welcome = await _hello(h.url, h.codes["veldia"])
        msg = await _send(actor, welcome["seq"], {"type": "observe", "seat": "veldia", "text": "I saw that."})
        assert msg["type"] == "refused"
        assert msg["reason"] == "Only an evaluator or the facilitator can record an observation."
        watcher, welcome = await _hello(h.url, h.codes[OBSERVER])
        msg = await _send(watcher, welcome["seq"], {"type": "observe", "seat": OBSERVER, "text": "I saw that."})
        assert msg["type"] == "refused" and msg["reason"].startswith("Observers watch the exercise")
        # the hotwash waits for the end
        msg = await _send(watcher, welcome["seq"], {"type": "hotwash", "seat": OBSERVER, "lesson": "Early."})
        assert msg["reason"] == "The hotwash opens when the exercise is over."
        assert not _observations(h)
        await actor.close()
        await watcher.close()


@pytest.mark.parametrize("fields, kind, words", [
    ({"text": "x" * 1001}, "malformed", "too long (at most 1000 characters)"),
    ({"text": "   "}, "illegal", "Please write the observation."),
    ({"text": "ok", "about": 10**9}, "malformed", "There is no event 1000000000 to observe"),
    ({"text": "ok", "about": -1}, "malformed", "An observation names its event by number"),
    ({"text": "ok", "about": "latest"}, "malformed", ""),
    ({"text": "ok", "rating": "A+"}, "malformed", "The rating is P, S, M, U or none."),
    ({"text": "ok", "kind": "gossip"}, "malformed", "strength, an area for improvement"),
    ({"text": "ok", "objective": "#99"}, "malformed", "There is no learning objective '#99'."),
    ({"text": 7}, "malformed", ""),
    ({"text": "ok", "mood": "grumpy"}, "malformed", ""),
])
async def test_garbage_observations_are_refused_with_a_sentence(
    tmp_path: Path, fields: dict[str, Any], kind: str, words: str
) -> None:
    async with hosted(tmp_path) as h:
        ws, welcome = await _hello(h.url, h.codes[EVALUATOR], "Maria Lind")
        msg = await _send(ws, welcome["seq"], {"type": "observe", "seat": EVALUATOR, **fields})
        assert msg["type"] == "refused" and msg["kind"] == kind and words in msg["reason"]
        assert msg["reason"].endswith(".") and not any(w in msg["reason"] for w in PYTHON_WORDS)
        assert not _observations(h)
        await ws.close()


async def test_control_and_bidi_characters_never_reach_the_record(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        ws, welcome = await _hello(h.url, h.codes[EVALUATOR], "Maria Lind")
        text = "Calm\x1b[2J under \u202epressure\u202c.\x07"
        assert (await _send(ws, welcome["seq"], {"type": "observe", "seat": EVALUATOR, "text": text}))["type"] == "ack"
        assert _observations(h)[0].text == "Calm[2J under pressure."
        await ws.close()


@pytest.mark.parametrize("name, words", [
    ("Mallory\x1b[31m", "printable characters only"),
    ("Eve\u202eevil", "printable characters only"),
    ("x" * 61, "at most 60 characters; this one has 61"),
])
async def test_a_bad_name_is_refused_and_is_not_a_failed_join(tmp_path: Path, name: str, words: str) -> None:
    async with hosted(tmp_path, join_burst=2) as h:
        for _ in range(4):  # more than the failed joins allowed: a right code with a bad name is not a guess
            ws, msg = await _hello(h.url, h.codes[EVALUATOR], name)
            assert msg["type"] == "error" and msg["code"] == "bad_name" and words in msg["message"]
            with pytest.raises(ConnectionClosed):
                await recv(ws)
        with pytest.raises(JoinError) as err:
            await RemoteSession.join(h.url, h.codes[EVALUATOR], name=name)
        assert err.value.fatal  # the client does not retry it
        ws, welcome = await _hello(h.url, h.codes[EVALUATOR], "Maria Lind")
        assert welcome["type"] == "welcome"
        assert not any(isinstance(e.event, E.SeatNamed) and e.event.name != "Maria Lind" for e in h.session.entries)
        await ws.close()


async def test_an_evaluator_sees_the_public_board_unless_the_host_lets_it_see_all(tmp_path: Path) -> None:
    async with hosted(tmp_path / "public") as h:
        watcher, public = await _hello(h.url, h.codes[OBSERVER])
        ev, welcome = await _hello(h.url, h.codes[EVALUATOR], "Maria Lind")
        # the observer's stream, plus the evaluator's own name (its join is recorded after the watcher's welcome)
        assert welcome["events"][:-1] == public["events"] and welcome["campaign_text"] == public["campaign_text"]
        assert all(set(e["cards"]) <= {"?"} for e in welcome["events"] if e["type"] == "cards_drawn")
        await watcher.close()
        await ev.close()
    async with hosted(tmp_path / "all", evaluators_see_all=True) as h:
        boss, everything = await _hello(h.url, h.codes[FACILITATOR])
        maria = await RemoteSession.join(h.url, h.codes[EVALUATOR], name="Maria Lind")
        try:
            assert maria.sees == FACILITATOR and maria.seat == EVALUATOR
            await until(lambda: maria.state.seq == h.session.state.seq)
            assert maria.state == h.session.state  # everything the facilitator has
            view = maria.view()
            assert view.seat == EVALUATOR and all(a.hand is not None for a in view.actors.values())
            # and it still writes only observations
            with pytest.raises(IllegalCommand, match="Evaluators observe the exercise"):
                await maria.submit(C.Advance(EVALUATOR))
        finally:
            await maria.close()
            await boss.close()
        assert everything["sees"] is None


async def test_an_observation_flood_hits_the_rate_limit(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        ws, welcome = await _hello(h.url, h.codes[EVALUATOR], "Maria Lind")
        for n in range(60):
            await ws.send(json.dumps({"type": "command", "state_seq": welcome["seq"], "id": n,
                                      "command": {"type": "observe", "seat": EVALUATOR, "text": f"Spam {n}."}}))
        msg = await recv_type(ws, "error", timeout=10)
        assert msg["code"] == P.RATE_LIMITED
        await until(lambda: len(_observations(h)) >= P.WRITE_BURST)
        assert len(_observations(h)) < 60
        await ws.close()


async def test_a_player_names_their_seat_once_and_the_hosts_name_comes_first(tmp_path: Path) -> None:
    async with hosted(tmp_path) as h:
        assert h.host.name_seat("ostrand", "Olga Host")  # as `tabletop host --name ostrand=...` does
        for seat, name in (("veldia", "Anna Nowak"), ("veldia", "Eve Again"), ("ostrand", "Oscar Self")):
            ws, welcome = await _hello(h.url, h.codes[seat], name)
            assert welcome["name"] == ""  # a player's hotwash is its seat's: no author
            await ws.close()
        named = [(e.event.target, e.event.name) for e in h.session.entries if isinstance(e.event, E.SeatNamed)]
        assert named == [("ostrand", "Olga Host"), ("veldia", "Anna Nowak")]


async def test_many_evaluator_connections_together_write_no_faster_than_one_seat(tmp_path: Path) -> None:
    """The evaluator code is shared: opening more connections does not buy more writes."""
    async with hosted(tmp_path, clock=lambda: 0.0) as h:  # a frozen clock: no bucket refills
        wires = [await _hello(h.url, h.codes[EVALUATOR], f"Evaluator {n}") for n in range(3)]
        answers = []
        for n in range(15):
            for ws, welcome in wires:
                answers.append(await _send(ws, welcome["seq"], {"type": "observe", "seat": EVALUATOR,
                                                                "text": f"Note {n}."}, ref=n))
        refused = [a for a in answers if a["type"] == "refused"]
        assert len(_observations(h)) == P.WRITE_BURST == len(answers) - len(refused)
        assert refused[0]["reason"] == ("The evaluators are writing faster than the host records (at most 2 a "
                                        "second together); send it again in a moment.")
        for ws, _ in wires:
            await ws.close()
