"""An evaluated exercise for the AAR/ODCR tests: the drill (tests/test_report_v2.py) played
with a fake wall clock, named seats, two evaluators' observations, a pause, reasons, a
hotwash after the end, and the trainer's ratings and improvement plan in the sidecar."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from tabletop.campaign.validate import load_campaign_text
from tabletop.engine import FACILITATOR as F
from tabletop.engine import commands as C
from tabletop.journal import JournalWriter
from tabletop.journal.notes import add_note, save_action, set_rating
from tabletop.session import LocalSession

from test_report_v2 import drill_data

START = 1_790_000_000.0  # 2026-09-21 14:13:20 UTC
EV = "evaluator"
NOW = dt.datetime(2026, 9, 22, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, t: float = START) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def wait(self, seconds: float) -> None:
        self.t += seconds


def play_evaluated(path: Path, seed: int = 3, *, notes: bool = True) -> Path:
    """The drill, evaluated: see the module."""
    data = drill_data()
    data["end"] = [{"id": "collapse", "title": "The alliance collapses", "when": "trust <= 3"}]
    text = json.dumps(data, indent=1)
    camp = load_campaign_text(text, "drill.yaml").campaign
    seats = {a.id: "human" for s in camp.sides for a in s.actors} | {F: "human"}
    seats["r2"] = "bot:heuristic"
    h = replace(LocalSession.new_header(camp, text, "drill.yaml", seed, seats), created="2026-09-21T12:50:00+00:00")
    clock = Clock()
    s = LocalSession(camp, seed=seed, controllers=seats, journal=JournalWriter(path, h, durable=False), clock=clock)

    def inst(a: str, cid: str) -> str:
        return next(i for i in s.state.actors[a].hand if s.engine.instance_card[i] == cid)

    def do(cmd: C.Command, wait: float = 20.0) -> None:
        clock.wait(wait)
        s.submit_now(cmd)

    def latest() -> int:
        return s.state.seq

    # the table, named by the host
    do(C.NameSeat(F, "r1", "Ivan Petrov"), 0)
    do(C.NameSeat(F, "b1", "Anna Kowalska"), 0)
    do(C.NameSeat(F, "b2", "Jonas Vilkas"), 0)
    do(C.NameSeat(F, F, "Col. Maria Berg"), 0)
    do(C.NameSeat(F, EV, "Dr. Lena Ott"), 0)
    # round 1
    do(C.PlayCard("r1", inst("r1", "threat")), 45)
    do(C.PlayCard("r1", inst("r1", "sabotage"), True, "Deniable pressure on the alliance"), 30)
    do(C.Pass("r2"), 2)
    do(C.PlayCard("b1", inst("b1", "board"), None, "The vessel cut the cable"), 150)
    board = latest()
    do(C.Observe(EV, "Poland moved to board before consulting its allies.", board, "lo-share", "M", "improvement",
                 "Dr. Lena Ott"), 10)
    assert s.state.vote is not None
    play_id = s.state.vote.play
    do(C.Advise("b3", play_id, False, "Legal risk under UNCLOS"), 60)
    do(C.CastVote("b2", play_id, False, "Too risky"), 95)
    do(C.Observe(EV, "Lithuania weighed the legal risk aloud and voted on it.", latest(), "lo-share", "S",
                 "strength", "Maj. Tom Reed"), 5)
    if s.state.turn == "b1":
        do(C.Pass("b1"), 10)
    covert = next(p.id for p in s.state.plays if p.covert)
    do(C.Attribute("b2", covert, "r2"), 40)
    do(C.Observe(EV, "Lithuania blamed Belarus on thin evidence.", latest(), "lo-attr", "U", "improvement",
                 "Dr. Lena Ott"), 5)
    do(C.Pause(F, "Coffee break"), 30)
    do(C.Resume(F), 600)
    while s.state.round == 1 and not s.state.ended:
        assert s.state.turn is not None
        do(C.Pass(s.state.turn), 15)
    # round 2
    do(C.PlayCard("r1", inst("r1", "threat")), 70)
    if s.state.turn == "r1":
        do(C.Pass("r1"), 8)
    do(C.Pass("r2"), 2)
    do(C.PlayCard("b1", inst("b1", "board"), None, "Now with the allies' support"), 120)
    assert s.state.vote is not None
    play_id = s.state.vote.play
    do(C.Advise("b3", play_id, True, "Within the law now"), 30)
    do(C.CastVote("b2", play_id, True, "Agreed"), 25)
    do(C.Observe(EV, "The second boarding was agreed with the allies first.", latest(), "lo-share", "P",
                 "strength", "Dr. Lena Ott"), 5)
    do(C.PlayCard("b1", inst("b1", "leak")), 50)
    while s.state.round == 2 and not s.state.ended:
        assert s.state.turn is not None
        do(C.Pass(s.state.turn), 12)
    # round 3: the war
    do(C.AdjustTrack(F, "tension", 4, "A fishing boat was sunk"), 40)
    do(C.PlayCard("r1", inst("r1", "threat")), 35)
    assert s.state.ended
    # after the end: an observation and the hotwash
    do(C.Observe(EV, "Nobody asked for a pause to de-escalate before the war.", latest(), "", "", "improvement",
                 "Maj. Tom Reed"), 60)
    do(C.Hotwash("b1", "We kept the alliance talking", "Consult before boarding", "Share the tip first"), 90)
    do(C.Hotwash("r1", "Deniability held for a round", "", "Pressure works until it does not"), 30)
    do(C.Hotwash(EV, "Clear decisions, stated reasons", "Attribution was guesswork", "Train attribution",
                 "Dr. Lena Ott"), 45)
    s.close()
    if notes:
        add_note(path, board, "Ask Poland why it did not wait for Latvia's advice.", "Col. Maria Berg", now=NOW)
        set_rating(path, "lo-share", "S", "Recovered in round 2", "Col. Maria Berg", now=NOW)
        set_rating(path, "lo-attr", "M", "", "Col. Maria Berg", now=NOW)
        save_action(path, "Brief a consult-before-acting drill for the boarding team", "J3 Operations",
                    "2026-12-01", "lo-share", "Col. Maria Berg", now=NOW)
        save_action(path, "Attribution workshop with the intelligence cell", "J2", "Q1 2027", "lo-attr",
                    "Col. Maria Berg", now=NOW)
    return path
