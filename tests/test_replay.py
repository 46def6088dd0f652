"""Replay: seeking, seat views and sentences, forks, notes; and the debrief's series and timelines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from save_helpers import BALTIC_SAVE, TUTORIAL_SAVE, copy_golden
from tabletop.analysis.debrief import Debrief
from tabletop.engine import command_from_data
from tabletop.engine import events as E
from tabletop.engine.commands import FACILITATOR, Annotate
from tabletop.engine.views import OBSERVER, Viewpoint
from tabletop.journal import JournalError, read_journal
from tabletop.journal.notes import add_note, notes_path, read_notes
from tabletop.journal.replay import Replay, open_save
from tabletop.session import fork

_CACHE: dict[tuple[Path, int], Replay] = {}


def replay(path: Path = TUTORIAL_SAVE, every: int = 256) -> Replay:
    key = (path, every)
    if key not in _CACHE:
        _CACHE[key] = Replay.open(path, every=every)
    return _CACHE[key]


def _seats(r: Replay) -> list[str]:
    c = r.campaign
    return [a.id for s in c.sides for a in s.actors] + [f"side:{s.id}" for s in c.sides] + [OBSERVER, FACILITATOR]


# ====================================================================== seeking


@given(ks=st.lists(st.integers(min_value=0, max_value=139), min_size=1, max_size=6))
@settings(max_examples=examples(40), deadline=None)
def test_state_at_k_is_the_fold_of_the_first_k_events(ks: list[int]) -> None:
    r = replay(every=7)  # small snapshots, so seeks cross them
    for k in ks:  # in any order: forwards, backwards, the same twice
        assert r.state_at(k) == r.engine.fold(e.event for e in r.entries[:k])


def test_seeking_is_bounded_by_the_snapshot_distance(monkeypatch: pytest.MonkeyPatch) -> None:
    r = Replay.open(BALTIC_SAVE, every=32)
    calls = []
    real = r.engine.apply
    monkeypatch.setattr(r.engine, "apply", lambda s, e: calls.append(1) or real(s, e))
    for k in (500, 3, 257, 256, 100, 101, 102, 526, 0):
        calls.clear()
        r.state_at(k)
        assert len(calls) < 32, k
    calls.clear()
    r.state_at(101)
    r.state_at(102)
    assert len(calls) == 5 + 1  # from the snapshot at 96, then one more step forward


def test_seeking_outside_the_save_is_an_index_error() -> None:
    with pytest.raises(IndexError):
        replay().state_at(140)
    with pytest.raises(IndexError):
        replay().state_at(-1)


def test_an_inconsistent_save_is_damage_at_that_event(tmp_path: Path) -> None:
    """It used to be refused whole; now the replay stops before the command of the event
    that does not fit and says which and why, as for a damaged line."""
    r = read_journal(TUTORIAL_SAVE)
    r.entries[10] = r.entries[10].__class__(11, 3, "calm", None, None, r.entries[10].event)  # a lie about the round
    damaged = Replay(r, replay().engine)
    keep = max(p for p in r.decision_points if p < 11)
    assert len(damaged) == keep and damaged.read.problem is not None and damaged.read.problem.event == 11
    assert damaged.damage == (
        f"save damaged after event {keep}: {r.good_bytes - r.offsets[keep]} bytes ignored "
        f"(event 11 says round 3, calm, but folding gives round 1, calm)"
    )


# ====================================================================== views and sentences


def test_seat_views_never_show_another_seats_hand() -> None:
    r = replay()
    engine = r.engine
    for k in range(0, len(r) + 1, 5):
        state = r.state_at(k)
        for seat in _seats(r):
            vp = Viewpoint.of(engine, seat)
            view = r.view_at(k, seat)
            for actor, av in view.actors.items():
                if actor in vp.hands:
                    assert av.hand == state.actors[actor].hand
                else:
                    assert av.hand is None
            for pv, play in zip(view.plays, state.plays):
                if play.hidden and not vp.everything and engine.side_of[play.actor] not in vp.sides:
                    assert pv.card is None and pv.actor is None


def test_a_seat_is_told_of_a_covert_play_only_what_it_saw() -> None:
    r = replay()
    played = next(k for k, e in enumerate(r.entries, 1) if isinstance(e.event, E.CardPlayed) and e.event.covert)
    assert r.sentence(played) == "Northmark played Trawler drags its anchor over the cable covertly (#4)."
    assert r.sentence(played, "northmark") == r.sentence(played)
    for seat in ("veldia", "ostrand", "side:blue", OBSERVER):
        assert r.sentence(played, seat) == "A covert action was taken (#4)."
        assert r.event_for(played, seat).card == "?"
    assert r.sentence(93, "veldia") == "Covert action #4 attributed: Northmark played Trawler drags its anchor over the cable."


def test_sentences_and_the_log() -> None:
    r = replay()
    all_ = r.sentences()
    assert len(all_) == len(r) and all_[0] == "The exercise begins: Tutorial: Harbour Town."
    log = r.log(20, limit=3)
    assert len(log) == 3 and all(seq <= 20 and text for seq, text in log)
    assert [s for s in r.sentences("veldia") if s and "Trawler" in s] == [
        "Covert action #4 attributed: Northmark played Trawler drags its anchor over the cable."
    ]


# ====================================================================== rounds, series, timelines


def test_rounds_index_covers_every_event_once() -> None:
    r = replay()
    spans = r.rounds()
    assert [s.round for s in spans] == [0, 1, 2, 3, 4]
    assert spans[0].first == 1 and spans[-1].last == len(r)
    assert all(a.last + 1 == b.first for a, b in zip(spans, spans[1:]))
    assert all(isinstance(r.entry(s.first).event, E.RoundStarted) for s in spans[1:])
    second = spans[2]
    assert r.next_round_start(second.first) == spans[3].first
    assert r.prev_round_start(second.first + 3) == second.first
    assert r.prev_round_start(second.first) == spans[1].first
    assert r.next_round_start(len(r)) is None and r.prev_round_start(1) == 0
    assert r.round_at(second.first + 1) == second


def test_track_series_match_the_states() -> None:
    r = replay()
    ts = Debrief(r).track_series()
    for k in range(0, len(r) + 1, 9):
        state = r.state_at(k)
        for t in ts.tracks:
            expected = state.tracks[t] if state.tracks else r.campaign.track_by_id[t].start
            assert ts.per_event[t][k] == expected
    assert ts.rounds == (0, 1, 2, 3, 4)
    for i, end in enumerate(ts.round_ends):
        assert all(ts.per_round[t][i] == ts.per_event[t][end] for t in ts.tracks)


def test_phase_timeline_names_each_change_and_its_cause() -> None:
    r = replay()
    steps = Debrief(r).phase_timeline()
    changes = [(k, e.event) for k, e in enumerate(r.entries, 1) if isinstance(e.event, E.PhaseChanged)]
    assert [(s.seq, s.source, s.dest) for s in steps] == [(k, ev.source, ev.dest) for k, ev in changes]
    assert steps[0].because == "the tracks: tension >= 4 or connectivity <= 5"
    assert [s.dest_name for s in steps] == ["Crisis"]


def test_covert_report_sets_perceived_against_actual() -> None:
    [c] = Debrief(replay()).covert_report()
    assert (c.play, c.actor, c.card, c.seq, c.round) == (4, "northmark", "anchor-drag", 41, 2)
    assert c.seen_by == {"blue": "A covert action was taken (#4)."}
    assert [(a.seq, a.by, a.accused, a.success, a.correct) for a in c.accusations] == [
        (92, "ostrand", "northmark", True, True),
    ]
    assert (c.revealed_seq, c.revealed_round, c.revealed_how) == (93, 3, "attributed")
    assert c.perceived == "northmark" and c.correctly_blamed


def test_interventions_votes_and_annotations_of_a_facilitated_game() -> None:
    r = replay(BALTIC_SAVE)
    d = Debrief(r)
    kinds = {i.kind: i for i in d.interventions()}
    assert set(kinds) == {"adjust", "inject", "annotate", "pause", "resume", "rule", "adjudicate"}
    assert kinds["adjust"].rationale == "Forward prices jump on a cold-winter forecast."
    assert kinds["adjust"].headline.startswith("The facilitator adjusted ")
    assert kinds["rule"].rationale == "A loan is plausible, but only half of what was asked."
    assert kinds["pause"].rationale == "Coffee break: ten minutes."
    votes = d.votes()
    assert votes and all(v.closed is not None for v in votes)
    for v in votes:
        assert {b.actor for b in v.ballots} <= set(v.voters) and not {b.actor for b in v.ballots} & set(v.missing)
        assert all(b.seq > v.opened for b in v.ballots)
    [note] = r.annotations()
    assert note.text == "Watch how the Transit State answers the diverted tanker."
    assert r.entry(note.seq).event.at == note.at


# ====================================================================== forks


def test_fork_at_a_decision_point_continues_like_the_parent(tmp_path: Path) -> None:
    parent = copy_golden(TUTORIAL_SAVE, tmp_path)
    r = Replay.open(parent)
    k = r.fork_point(60)
    session = fork(r.read, k, tmp_path / "what-if.jsonl", durable=False)
    assert session.state == r.state_at(k)
    # the same decisions give the same game, dice included
    for first, last in r.groups():
        if first <= k:
            continue
        e = r.entry(first)
        session.submit_now(command_from_data(e.command))
    session.close()
    assert [e.event for e in session.entries] == [e.event for e in r.entries]
    child = read_journal(tmp_path / "what-if.jsonl")
    assert child.damage is None and child.decision_points == r.read.decision_points
    import hashlib

    assert child.header.parent == {
        "save": "tutorial-bots.jsonl", "seq": k,
        "sha256": hashlib.sha256(parent.read_bytes()[: r.read.offsets[k]]).hexdigest(),
    }
    assert child.header.seed == r.header.seed and child.header.seats == r.header.seats


def test_fork_at_the_start_and_at_the_end(tmp_path: Path) -> None:
    r = Replay.open(copy_golden(TUTORIAL_SAVE, tmp_path))
    at0 = fork(r.read, 0, tmp_path / "a.jsonl", durable=False)
    assert at0.entries == r.entries[:8]  # the same deal
    at_end = fork(r.read, len(r), tmp_path / "b.jsonl", durable=False)
    assert at_end.ended and at_end.state == r.final
    at_end.submit_now(Annotate(FACILITATOR, "What if the patrol had gone out a round earlier?"))
    at_end.close()
    assert Replay.open(tmp_path / "b.jsonl").annotations()[-1].text.startswith("What if")


def test_fork_in_the_middle_of_a_command_is_refused(tmp_path: Path) -> None:
    r = Replay.open(copy_golden(TUTORIAL_SAVE, tmp_path))
    with pytest.raises(ValueError, match=r"^step 30 is in the middle of a command; fork at step 18 or 40$"):
        fork(r.read, 30, tmp_path / "x.jsonl")
    with pytest.raises(ValueError, match="there is no step 999"):
        fork(r.read, 999, tmp_path / "x.jsonl")
    assert not (tmp_path / "x.jsonl").exists()
    with pytest.raises(JournalError, match="already exists"):
        fork(r.read, 18, r.path)


def test_open_save_refuses_a_campaign_that_no_longer_loads(tmp_path: Path) -> None:
    from tabletop.journal import JournalWriter
    from save_helpers import header_for

    h = header_for("tutorial", 1)
    text = h.campaign_text.replace("rounds: 4", "rounds: 0")
    import dataclasses

    from tabletop.journal import campaign_digest

    bad = dataclasses.replace(h, campaign_text=text, campaign_sha256=campaign_digest(text))
    JournalWriter(tmp_path / "old.jsonl", bad, durable=False).close()
    with pytest.raises(JournalError, match=r"^the campaign stored in this save \(tutorial\) is no longer valid"):
        open_save(tmp_path / "old.jsonl")


# ====================================================================== notes


def test_notes_round_trip(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    assert notes_path(save) == tmp_path / "tutorial-bots.notes.jsonl"
    assert len(read_notes(save)) == 0 and read_notes(save).damage is None
    a = add_note(save, 41, "Nobody asked who owns the trawler.", author="Trainer A")
    b = add_note(save, 0, "Set-up took too long — brief the seats first.")
    notes = read_notes(save)
    assert list(notes) == [a, b] and notes.at(41) == [a]
    assert a.created and a.author == "Trainer A"
    assert [n.text for n in Replay.open(save).notes()] == [a.text, b.text]
    assert save.read_bytes() == TUTORIAL_SAVE.read_bytes()  # the journal itself is untouched


def test_notes_survive_damage(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    add_note(save, 1, "first")
    with open(notes_path(save), "ab") as f:
        f.write(b'{"seq": "x"}\nnot json\n{"seq": 3, "text": "torn')
    add_note(save, 2, "after the tear")
    notes = read_notes(save)
    assert [n.text for n in notes] == ["first", "after the tear"]
    assert notes.damage == "notes damaged: 3 lines ignored"


def test_bad_notes_are_refused(tmp_path: Path) -> None:
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    with pytest.raises(ValueError):
        add_note(save, -1, "x")
    with pytest.raises(ValueError):
        add_note(save, 1, "   ")
    assert not notes_path(save).exists()
    assert json.loads(json.dumps(add_note(save, 1, "ok").to_data()))["seq"] == 1
