"""Whole games over the network: every actor a remote bot, plus the facilitator and an
observer, to the end; and the leak test that reads every message each seat received."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from net_helpers import hosted, loaded, numbered_apart, told
from tabletop.commands.join import _join
from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.events import event_from_data
from tabletop.engine.rules import HIDDEN, Engine
from tabletop.engine.views import OBSERVER, redact
from tabletop.journal import Entry, read_journal
from tabletop.net.client import RemoteSession, play_as_bot


async def test_a_game_among_remote_bots_reaches_its_end_and_every_mirror_matches_the_host(tmp_path: Path) -> None:
    async with hosted(tmp_path, "tutorial", seed=3) as h:
        clients = [await RemoteSession.join(h.url, h.codes[seat]) for seat in h.codes]
        # a screen may ask for the entries as a seat that sees less (the TUI's log: the public record)
        public_here: list[Entry] = []
        public_there: list[Entry] = []
        clients[0].add_listener(public_here.extend, OBSERVER, replay=True)
        h.session.add_listener(public_there.extend, OBSERVER, replay=True)
        try:
            await asyncio.wait_for(asyncio.gather(*(play_as_bot(c) for c in clients)), 30)
            # a remote seat is sent only what it may see: its stream has no placeholders
            seen = [e.event for e in public_there if not isinstance(e.event, E.Hidden)]
            assert [e.event for e in public_here if not isinstance(e.event, E.Hidden)] == seen
            assert [e.seq for e in public_here] == list(range(1, told(h, clients[0].seat) + 1))
            assert h.session.ended
            for c in clients:
                assert c.state.seq == told(h, c.seat)
                assert c.ended and c.awaiting() == ()
                # what the remote screen shows is what a local screen shows for that seat
                assert numbered_apart(c.view()) == numbered_apart(h.session.view(c.seat)), c.seat
                assert numbered_apart(c.view(OBSERVER)) == numbered_apart(h.session.view(OBSERVER))
            assert next(c for c in clients if c.seat == FACILITATOR).state == h.session.state
        finally:
            for c in clients:
                await c.close()
        read = read_journal(h.save)
        assert read.damage is None and len(read.entries) == h.session.state.seq


async def test_join_bot_clients_play_every_seat_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # each client keeps its receipt in the folder it runs in
    async with hosted(tmp_path, "baltic-winter-energy", seed=11) as h:
        codes = await asyncio.wait_for(
            asyncio.gather(*(_join(h.url, code, bot=True, ssl=None) for code in h.codes.values())), 30
        )
        assert codes == [0] * len(h.codes)
        assert h.session.ended
    out = capsys.readouterr().out
    assert out.count("The exercise is over:") == len(h.codes)
    assert len(list(tmp_path.glob("baltic-winter-energy-*.receipt"))) == len(h.codes)


# =========================================================================== leaks

SEEDS = (982_451_653, 961_748_941, 1_000_000_007)
#: more games to play, one at a time, until the bots have played a covert card (their
#: choices and the dice decide whether they do; the test must see one to prove anything)
MORE_SEEDS = (104_729, 7_919, 15_485_863, 32_452_843)


async def _recorded_game(tmp_path: Path, name: str, seed: int) -> tuple[dict[str, list[str]], Any]:
    frames: dict[str, list[str]] = {}
    async with hosted(tmp_path, name, seed=seed) as h:
        clients = []
        for seat, code in h.codes.items():
            got = frames.setdefault(seat, [])
            clients.append(await RemoteSession.join(h.url, code, trace=lambda raw, got=got: got.append(raw)))
        try:
            await asyncio.wait_for(asyncio.gather(*(play_as_bot(c) for c in clients)), 30)
        finally:
            for c in clients:
                await c.close()
        return frames, h.session


def _events_in(frame: dict[str, Any]) -> list[dict[str, Any]]:
    return list(frame.get("events", ())) if frame["type"] in ("welcome", "events") else []


def _instances(ev: dict[str, Any]) -> list[str]:
    """Every card instance id an event carries."""
    t = ev["type"]
    if t == "game_started":
        return [i for deck in ev["decks"].values() for i in deck]
    if t in ("cards_drawn", "cards_discarded"):
        return list(ev["cards"])
    if t == "deck_reshuffled":
        return list(ev["order"])
    if t == "card_played":
        return [ev["instance"]]
    if t == "table_cleared":
        return [i for _, i in (*ev["discarded"], *ev["removed"])]
    return []


@pytest.mark.parametrize("name", ["tutorial", "baltic-winter-energy"])
async def test_no_seat_ever_receives_another_sides_cards_hidden_covert_plays_or_the_seed(
    tmp_path: Path, name: str
) -> None:
    engine = Engine(loaded(name).campaign)
    hidden_plays_seen = 0
    for n, seed in enumerate(SEEDS + MORE_SEEDS):
        if n >= len(SEEDS) and hidden_plays_seen:
            break
        frames, session = await _recorded_game(tmp_path / str(seed), name, seed)
        # The truth, from the host's journal: each event and the state right after it.
        truth, state = [], engine.initial_state()
        for entry in session.entries:
            state = engine.apply(state, entry.event)
            truth.append((entry.event, state))
        open_instances = {ev.instance for ev, _ in truth if isinstance(ev, E.CardPlayed) and not ev.covert}
        for seat, raws in frames.items():
            if seat == FACILITATOR:
                continue
            side = engine.side_of.get(seat)
            forbidden = {
                i for i, owner in engine.instance_owner.items() if engine.side_of[owner] != side
            } - open_instances
            copies = {i for i in forbidden if "~" in i}  # ids that cannot appear in the campaign text
            stream: list[dict[str, Any]] = []
            for raw in raws:
                assert str(seed) not in raw, f"{seat} received the seed"
                frame = json.loads(raw)
                assert not {"seed", "header", "command", "campaign_sha256"} & set(frame)
                frame.pop("campaign_text", None)
                text = json.dumps(frame)
                assert not [i for i in copies if f'"{i}"' in text], f"{seat} received another side's card"
                stream += _events_in(frame)
            # exactly the events it may see, redacted for it, nothing twice: not even a
            # placeholder for the others (a hidden event's place would say when it happened)
            told_it = [(ev, after) for ev, after in truth if not isinstance(redact(engine, ev, seat, after), E.Hidden)]
            assert [event_from_data(d) for d in stream] == [redact(engine, ev, seat, after) for ev, after in told_it]
            for data, (ev, after) in zip(stream, told_it):
                seen = event_from_data(data)
                leaked = set(_instances(data)) & forbidden
                assert not leaked, f"{seat} saw {leaked} in {data}"
                assert not isinstance(seen, E.Annotated | E.Hidden), f"{seat} was sent {data}"
                if isinstance(ev, E.ResourcesChanged | E.CovertSealed | E.CardsDrawn | E.CardsDiscarded | E.DeckReshuffled):
                    assert engine.side_of[ev.actor] == side, f"{seat} was told another side's secret: {data}"
                if isinstance(ev, E.TurnEnded) and engine.side_of[ev.actor] != side:
                    covert_side = engine.side_of[ev.actor] in engine.covert_sides  # else a pass is public
                    assert seen.passed is (None if covert_side else ev.passed), data  # type: ignore[attr-defined]
                if isinstance(ev, E.CardPlayed) and ev.covert and engine.side_of[ev.actor] != side:
                    hidden_plays_seen += 1
                    assert isinstance(seen, E.CardPlayed)
                    assert (seen.actor, seen.card, seen.instance, seen.cost) == (HIDDEN, HIDDEN, HIDDEN, 0), data
                if isinstance(ev, E.AttributionAttempted):
                    play = after.play(ev.play)
                    # a right accusation that holds is shown whole: the card is revealed with it
                    if engine.side_of[play.actor] != side and not play.revealed and not (ev.success and ev.correct):
                        assert isinstance(seen, E.AttributionAttempted) and seen.correct is None, data
    assert hidden_plays_seen > 0  # the test saw covert play, so it proves something
