"""The evaluation commands: observations, the hotwash and seats' names (issue 14).

They never change the game; their events are seen by the facilitator and the evaluators
(a hotwash also by the seat that wrote it; a name by everyone); a save holds them
(format 4) and ``tabletop verify`` re-derives them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from engine_helpers import Game, build_campaign
from save_helpers import campaign, header_for, rewrite

from tabletop.commands.verify import verify
from tabletop.engine import FACILITATOR as F
from tabletop.engine import IllegalCommand, MalformedCommand, event_to_data
from tabletop.engine import commands as C
from tabletop.engine import events as E
from tabletop.engine.queries import options
from tabletop.engine.views import EVALUATOR, OBSERVER, redact, view_for, view_to_data
from tabletop.journal import VERSION, JournalWriter, read_journal
from tabletop.session import LocalSession

EV = EVALUATOR


def drill(objectives: list[object] | None = None) -> Game:
    camp = build_campaign(rounds=2)
    if objectives is not None:
        camp = camp.model_validate({**camp.model_dump(exclude_none=True), "learning_objectives": objectives})
    return Game(camp, seed=5)


def test_an_observation_is_journaled_and_changes_nothing() -> None:
    g = drill(["Talk early", {"id": "coord", "text": "Coordinate"}])
    before = g.state
    [ev] = g.do(C.Observe(EV, "  Red\u202e waited\x1b[2J too long  ", rating="M", kind="improvement", objective="coord"))
    assert ev == E.ObservationRecorded(EV, "Evaluator", "Red waited[2J too long", before.seq, "coord", "M", "improvement")
    assert replace(g.state, seq=before.seq) == before  # nothing but the count moved
    [ev] = g.do(C.Observe(F, "Good call", about=2, objective="#1", author="  Kim\n Lee "))
    assert (ev.author, ev.about, ev.objective) == ("Kim Lee", 2, "#1")  # type: ignore[attr-defined]
    [ev] = g.do(C.Observe(F, "Mine"))
    assert ev.author == "Facilitator"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("cmd", "error", "words"),
    [
        (C.Observe("r1", "Hm"), "IllegalCommand", "Only an evaluator or the facilitator"),
        (C.Observe(OBSERVER, "Hm"), "IllegalCommand", "Only an evaluator or the facilitator"),
        (C.Observe(EV, "   "), "IllegalCommand", "Please write the observation"),
        (C.Observe(EV, "x" * 1001), "MalformedCommand", "at most 1000 characters"),
        (C.Observe(EV, "Hm", about=999), "MalformedCommand", "no event number 999"),
        (C.Observe(EV, "Hm", about=-1), "MalformedCommand", "no event number -1"),
        (C.Observe(EV, "Hm", objective="nope"), "MalformedCommand", "no learning objective 'nope'"),
        (C.Observe(EV, "Hm", rating="X"), "MalformedCommand", "P, S, M, U or none"),
        (C.Observe(EV, "Hm", kind="weakness"), "MalformedCommand", "a strength, an area for improvement"),
        (C.Observe(EV, "Hm", author="A" * 61), "MalformedCommand", "at most 60 characters"),
        (C.Observe(EV, 5), "MalformedCommand", "must be text"),  # type: ignore[arg-type]
        (C.Hotwash("r1", "Fine"), "IllegalCommand", "when the exercise is over"),
        (C.NameSeat("r1", "r1", "Ada"), "IllegalCommand", "Only the facilitator"),
        (C.NameSeat(F, "nobody", "Ada"), "MalformedCommand", "no seat 'nobody'"),
        (C.NameSeat(F, "r1", " "), "IllegalCommand", "Please write the name"),
        (C.NameSeat(F, "r1", "A" * 61), "MalformedCommand", "at most 60"),
    ],
)
def test_evaluation_commands_are_refused_with_a_sentence(cmd: C.Command, error: str, words: str) -> None:
    g = drill()
    message = g.refuse(cmd, {"IllegalCommand": IllegalCommand, "MalformedCommand": MalformedCommand}[error])
    assert words in message


def test_observations_and_names_go_on_while_paused_and_after_the_end() -> None:
    g = drill()
    g.do(C.Pause(F, "Tea"))
    assert g.do(C.Observe(EV, "Paused well"))
    assert g.do(C.NameSeat(F, "b1", "Bo Berg")) == [E.SeatNamed("b1", "Bo Berg")]
    g.do(C.Resume(F))
    g.pass_to_end()
    assert g.do(C.Observe(EV, "Afterwards"))
    assert g.do(C.NameSeat(F, EV, "Kim"))


def test_the_hotwash_is_once_per_seat_and_author_after_the_end() -> None:
    g = drill()
    g.pass_to_end()
    for seat in ("r1", "side:blue", OBSERVER, F, EV):
        [ev] = g.do(C.Hotwash(seat, went_well="Calm", improve="", lesson=" Ask\x07 "))
        assert ev == E.HotwashAnswered(seat, C.DEFAULT_AUTHOR.get(seat, ""), "Calm", "", "Ask")
    assert "The hotwash of R1 is already recorded." == g.refuse(C.Hotwash("r1", lesson="Again"))
    assert "already recorded" in g.refuse(C.Hotwash(EV, lesson="Again"))
    assert g.do(C.Hotwash(EV, lesson="Mine", author="Kim"))  # another evaluator
    assert "The hotwash of Kim is already recorded." == g.refuse(C.Hotwash(EV, improve="x", author="Kim"))
    assert "at least one of the three questions" in g.refuse(C.Hotwash("b1", " ", "\n", ""))
    assert "at most 500" in g.refuse(C.Hotwash("b1", "x" * 501), MalformedCommand)
    assert "no seat 'side:nope'" in g.refuse(C.Hotwash("side:nope", "x"), MalformedCommand)


def test_screens_ask_the_engine_who_may_observe_and_answer() -> None:
    g = drill()
    e = g.engine
    assert [type(c) for c in e.evaluation_commands(g.state, EV)] == [C.Observe]
    assert [type(c) for c in e.evaluation_commands(g.state, F)] == [C.Observe]
    assert e.evaluation_commands(g.state, "r1") == []
    assert options(e, g.state, EV).can_observe and not options(e, g.state, EV).can_hotwash
    assert not options(e, g.state, "r1").can_observe
    assert all(not isinstance(c, C.Observe | C.Hotwash) for c in e.legal_commands(g.state, F))  # bots never pick them
    g.pass_to_end()
    assert options(e, g.state, "r1").can_hotwash and not options(e, g.state, "r1").can_observe
    assert options(e, g.state, EV).can_observe and options(e, g.state, EV).can_hotwash
    assert options(e, g.state, F).can_hotwash and options(e, g.state, "side:red").can_hotwash
    g.do(C.Hotwash("r1", "ok"))
    assert not options(e, g.state, "r1").can_hotwash
    assert e.legal_commands(g.state, "r1") == []


def test_who_sees_what() -> None:
    g = drill()
    g.do(C.Observe(EV, "Secret remark", rating="U"))
    g.do(C.NameSeat(F, "r1", "Ada"))
    g.pass_to_end()
    g.do(C.Hotwash("r1", "Fine"))
    obs, named, hot = (next(ev for ev in g.events if isinstance(ev, t))
                       for t in (E.ObservationRecorded, E.SeatNamed, E.HotwashAnswered))
    for seat in ("r1", "b1", "side:red", OBSERVER):
        assert redact(g.engine, obs, seat, g.state) == E.Hidden()
        assert redact(g.engine, named, seat, g.state) == named
    for seat in (EV, F):
        assert redact(g.engine, obs, seat, g.state) == obs
    for seat, sees in (("r1", True), (EV, True), (F, True), ("b1", False), ("side:red", False), (OBSERVER, False)):
        assert (redact(g.engine, hot, seat, g.state) == hot) is sees, seat
    # the evaluator's board is the observer's (the public picture)
    assert view_to_data(view_for(g.engine, g.state, EV)) == {**view_to_data(view_for(g.engine, g.state, OBSERVER)), "seat": EV}


def frames(g: Game, seat: str) -> list[str]:
    """What ``seat`` is sent, event by event: its redacted event and its view, as bytes."""
    state = g.engine.initial_state()
    out = []
    for ev in g.events:
        state = g.engine.apply(state, ev)
        out.append(json.dumps([event_to_data(redact(g.engine, ev, seat, state)), view_to_data(view_for(g.engine, state, seat))]))
    return out


def test_players_cannot_tell_what_an_evaluator_wrote() -> None:
    """Two games differing only in an observation (its text, rating, objective, author) and
    a hotwash's answers: every seat but the facilitator's and the evaluators' is sent
    byte-identical frames (the hotwash's author aside)."""
    games = []
    for text, rating, kind, author, answer in (("Red hesitated", "U", "improvement", "Kim", "Slow"),
                                               ("Blue shone, well done", "P", "strength", "", "Quick and calm")):
        g = drill([{"id": "lo", "text": "Talk"}])
        g.do(C.Pass("r1"))
        g.do(C.Observe(EV, text, rating=rating, kind=kind, objective="lo" if rating == "U" else "", author=author))
        g.pass_to_end()
        g.do(C.Observe(EV, text + "!", author=author))
        g.do(C.Hotwash(EV, went_well=answer, author=author))
        g.do(C.Hotwash("b1", lesson=answer))
        games.append(g)
    a, b = games
    for seat in ("r1", "side:red", OBSERVER):
        assert frames(a, seat) == frames(b, seat), seat
    assert frames(a, "b1") != frames(b, "b1")  # its own hotwash it sees
    assert frames(a, EV) != frames(b, EV)


def test_a_save_holds_them_and_verify_rederives_them(tmp_path: Path) -> None:
    loaded = campaign("tutorial")
    h = header_for("tutorial", 7)
    path = tmp_path / "ev.jsonl"
    session = LocalSession(loaded.campaign, seed=7, controllers=h.seats, journal=JournalWriter(path, h, durable=False))
    session.submit_now(C.NameSeat(F, EV, "Kim"))
    session.submit_now(C.Observe(EV, "Opening looks tidy", rating="S", author="Kim"))
    session.run_bots()
    assert session.ended
    session.submit_now(C.Hotwash(EV, went_well="Pace", author="Kim"))
    session.close()
    read = read_journal(path)
    assert json.loads(path.read_text().splitlines()[0])["version"] == VERSION == 4
    kinds = [type(e.event) for e in read.entries]
    assert {E.SeatNamed, E.ObservationRecorded, E.HotwashAnswered} <= set(kinds)
    code, text = verify(str(path))
    assert code == 0 and "chain verified" in text, text


def test_an_observation_about_a_later_event_does_not_fit(tmp_path: Path) -> None:
    """A save edited (its chain recomputed) so that an observation is about an event after it."""
    loaded = campaign("tutorial")
    h = header_for("tutorial", 7)
    path = tmp_path / "ev.jsonl"
    session = LocalSession(loaded.campaign, seed=7, controllers=h.seats, journal=JournalWriter(path, h, durable=False))
    session.submit_now(C.Observe(EV, "Early days"))
    session.run_bots()
    session.close()

    def later(i: int, rec: dict[str, object]) -> None:
        event = rec.get("event")
        if isinstance(event, dict) and event["type"] == "observation_recorded":
            event["about"] = 10_000
            rec["command"] = {**rec["command"], "about": 10_000}  # type: ignore[dict-item]

    edited = tmp_path / "later.jsonl"
    rewrite(path, edited, later)
    code, text = verify(str(edited))
    assert code != 0 and "is about event 10000, but" in text, text


def test_the_evaluation_in_words() -> None:
    g = drill(["Talk early"])
    g.do(C.NameSeat(F, "r1", "Ada Lind"))
    g.do(C.NameSeat(F, EV, "Kim Berg"))
    g.do(C.Observe(EV, "Red waited.", 2, "#1", "S", "improvement", "Kim Berg"))
    g.pass_to_end()
    g.do(C.Hotwash("b1", went_well="The vote", lesson="Ask early"))
    g.do(C.Hotwash(EV, improve="Pace", author="Kim Berg"))
    from tabletop.engine.narrate import Narrator

    lines = [line for line in Narrator(g.engine).sentences(g.events)
             if any(w in line for w in ("Ada", "Kim", "Hotwash"))]
    assert lines == [
        "Ada Lind plays R1.",
        "Kim Berg is an evaluator.",
        "Observation by Kim Berg on event 2 (Area for improvement; S: Performed with some challenges; "
        "on “Talk early”): Red waited.",  # the objective by its words, not its number
        "Hotwash, B1 — went well: The vote; lesson: Ask early.",
        "Hotwash, Kim Berg — to improve: Pace.",
    ]
