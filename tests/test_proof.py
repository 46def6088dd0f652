"""A save must prove what happened (issue 9, section 3).

- ``tabletop verify`` re-derives every event from the header and the recorded commands,
  so an edited die, track change, play or objective is found even when the checksums
  and the chain were recomputed after it, and named with its line;
- an event that does not fit the game (a card the campaign does not have) is damage
  there: verify says so, and replay, report and resume do not crash on it;
- checksums compare exactly (an upper-case hex digit is a flipped bit);
- a damaged line no longer hides every good line after it, and a line its command
  re-derives, proved by the next line's ``prev``, is repaired in memory;
- a damaged header is rebuilt from the campaign file whose sha256 it names;
- a save cut after a whole command says the game had not ended, and a receipt or the
  final fingerprint proves the cut.

Edits are made on saves played here by bots (so they re-derive with these rules), with
every checksum and the chain recomputed (``save_helpers.rewrite``).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli_process import run_tabletop
import tabletop.journal as J
import tabletop.journal.lines as JL
from save_helpers import BALTIC_SAVE, ROOT, TUTORIAL_SAVE, bot_save, campaign, copy_golden, header_for, rewrite
from tabletop.commands.verify import verify
from tabletop.engine.randomness import BLAKE2B, HMAC_SHA256
from tabletop.journal import HeaderDamaged, JournalWriter, read_journal
from tabletop.journal.replay import Replay
from tabletop.session import LocalSession, fork


@pytest.fixture(scope="module")
def baltic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole bot-played game of Baltic winter energy: contests, covert plays, votes, accusations."""
    path = tmp_path_factory.mktemp("baltic") / "baltic.jsonl"
    bot_save(path, "baltic-winter-energy", seed=11)
    return path


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tutorial") / "tutorial.jsonl"
    bot_save(path, "tutorial", seed=64)
    return path


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_bytes().split(b"\n")[:-1]]


def _first(path: Path, kind: str, where: Callable[[dict[str, Any]], bool] = lambda ev: True) -> int:
    """The seq of the first event of type ``kind`` (that ``where`` accepts)."""
    for rec in _records(path)[1:]:
        if rec["event"]["type"] == kind and where(rec["event"]):
            return int(rec["seq"])
    raise AssertionError(f"no {kind} event in {path}")


def tabletop(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_tabletop(*args, cwd=cwd, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


# ====================================================================== edits with the tracks covered


def _other_instance(rec: dict[str, Any]) -> None:
    """The play is of another card of the same actor (a real card, so the play itself fits)."""
    from tabletop.engine.rules import Engine

    engine = Engine(campaign("baltic-winter-energy").campaign)
    ev = rec["event"]
    other = next(i for i, owner in engine.instance_owner.items()
                 if owner == ev["actor"] and engine.instance_card[i] != ev["card"])
    ev["instance"], ev["card"] = other, engine.instance_card[other]
    rec["command"]["card"] = rec["command"]["card"]  # the command still names the card really played


def _swap_first_two(seq: list[Any]) -> list[Any]:
    return [seq[1], seq[0], *seq[2:]]


#: (what, event type, which of them, the edit of its record, the field verify names)
EDITS: list[tuple[str, str, Callable[[dict[str, Any]], bool], Callable[[dict[str, Any]], None], str]] = [
    ("a die of a contest", "contest_rolled", lambda ev: True,
     lambda r: r["event"].update(dice=[7 - d for d in r["event"]["dice"]]), "dice"),
    ("a contest's result", "contest_rolled", lambda ev: True,
     lambda r: r["event"].update(success=not r["event"]["success"]), "success"),
    ("a die of an accusation", "attribution_attempted", lambda ev: True,
     lambda r: r["event"].update(dice=[7 - d for d in r["event"]["dice"]]), "dice"),
    ("a track's new value", "track_changed", lambda ev: True,
     lambda r: r["event"].update(value=r["event"]["value"] + 1), "value"),
    ("a track change", "track_changed", lambda ev: True,
     lambda r: r["event"].update(delta=r["event"]["delta"] - 1), "delta"),
    ("which card was played", "card_played", lambda ev: not ev["covert"], _other_instance, "card"),
    ("a play made covert", "card_played", lambda ev: not ev["covert"],
     lambda r: r["event"].update(covert=True), "covert"),
    ("an objective", "game_ended", lambda ev: True,
     lambda r: r["event"]["objectives"]["red"].update({k: not v for k, v in r["event"]["objectives"]["red"].items()}),
     "objectives"),
    ("the shuffle", "game_started", lambda ev: True,
     lambda r: r["event"]["decks"].update({a: _swap_first_two(d) for a, d in r["event"]["decks"].items()}), "decks"),
    ("a ballot", "ballot_cast", lambda ev: True, lambda r: r["event"].update(yes=not r["event"]["yes"]), "yes"),
    ("a side's resources", "resources_changed", lambda ev: True,
     lambda r: r["event"].update(value=r["event"]["value"] + 2), "value"),
]


@pytest.mark.parametrize(("what", "kind", "where", "edit", "field"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_with_checksums_and_chain_recomputed_is_found_and_located(
    baltic: Path, tmp_path: Path, what: str, kind: str, where: Callable[[dict[str, Any]], bool],
    edit: Callable[[dict[str, Any]], None], field: str,
) -> None:
    seq = _first(baltic, kind, where)
    edited = tmp_path / "edited.jsonl"
    rewrite(baltic, edited, lambda i, rec: edit(rec) if i == seq else None)
    assert read_journal(edited).damage is None  # the checksums and the chain hold: only re-deriving tells
    code, text = verify(str(edited))
    assert code == 1, text
    assert text.startswith(f"{edited}: event {seq} (line {seq + 1}) differs from what its command gives: its {field} is ")
    assert "\n" not in text


def test_an_edited_command_is_found(baltic: Path, tmp_path: Path) -> None:
    """A command changed along with its events' copies of it: the rules give other events, or refuse it."""
    seq = _first(baltic, "card_played", lambda ev: not ev["covert"])
    recs = _records(baltic)
    command = recs[seq]["command"]
    edited = tmp_path / "edited.jsonl"

    def edit(i: int, rec: dict[str, Any]) -> None:
        if i and rec["command"] == command:
            rec["command"] = {**command, "covert": True}

    rewrite(baltic, edited, edit)
    code, text = verify(str(edited))
    assert code == 1 and f"(line {seq + 1})" in text or f"line {seq + 1}," in text, text


def test_a_line_whose_seat_is_not_its_commands_is_found(tutorial: Path, tmp_path: Path) -> None:
    seq = _first(tutorial, "card_played")
    edited = tmp_path / "edited.jsonl"
    rewrite(tutorial, edited, lambda i, rec: rec.update(seat="facilitator") if i == seq else None)
    code, text = verify(str(edited))
    assert code == 1 and f"event {seq} (line {seq + 1})" in text, text


def test_an_untouched_save_is_re_derived_whole_and_says_how_it_ended(baltic: Path) -> None:
    code, text = verify(str(baltic))
    n = len(read_journal(baltic).entries)
    first, second = text.split("\n")
    assert code == 0
    assert first.startswith(f"{baltic}: ok, {n} events, chain verified, every event re-derived from its command; "
                            f"the game ended in round ")
    assert second == f"fingerprint: {read_journal(baltic).fingerprint} (the chain head, after event {n})"


@pytest.mark.parametrize("scheme", [BLAKE2B, HMAC_SHA256])
def test_a_save_is_re_derived_with_the_randomness_its_header_names(scheme: str, tmp_path: Path) -> None:
    """New games draw by keyed BLAKE2b; saves begun under HMAC-SHA256 keep theirs: verify
    re-derives each by its own, and the other scheme would not give its events."""
    c = campaign("baltic-winter-energy").campaign
    h = dataclasses.replace(header_for("baltic-winter-energy", 11), rng=scheme)
    save = tmp_path / "game.jsonl"
    s = LocalSession(c, seed=11, controllers=h.seats, journal=JournalWriter(save, h, durable=False), rng=scheme)
    s.run_bots()
    s.close()
    assert read_journal(save).header.rng == scheme and s.ended
    code, text = verify(str(save))
    assert code == 0 and "every event re-derived from its command" in text, text
    other = tmp_path / "other.jsonl"
    swapped = HMAC_SHA256 if scheme == BLAKE2B else BLAKE2B
    rewrite(save, other, lambda i, rec: rec.update(rng=swapped) if i == 0 else None)
    assert read_journal(other).header.rng == swapped
    code, text = verify(str(other))
    assert code != 0 and "event 1 (line 2) differs from what its command gives" in text, text


# ====================================================================== versions


@pytest.mark.parametrize("save", [TUTORIAL_SAVE, BALTIC_SAVE], ids=["tutorial", "baltic"])
def test_old_golden_saves_are_verified_by_their_version_not_flagged(save: Path) -> None:
    """Their games began under format 1, whose rules played a covert card at once (format 3
    seals it): these rules no longer give their events, so they are checked by their
    chain and the fit of every event, and verify says it did not re-derive them."""
    assert read_journal(save).header.game_version == 1
    code, text = verify(str(save))
    assert code == 0, text
    assert text.split("\n")[0].startswith(
        f"{save}: ok, {len(read_journal(save).entries)} events, chain verified, every event fits the game "
        f"(not re-derived: the game began under format 1, whose rules this tabletop no longer plays); "
        f"the game ended in round "
    )


def test_a_field_the_engine_writes_since_is_not_compared_for_older_games() -> None:
    from tabletop.engine import events as E
    from tabletop.journal.proof import event_difference

    recorded = E.ProposalRuled(1, "accept", "Fine.", {})  # written before the engine wrote the text
    derived = E.ProposalRuled(1, "accept", "Fine.", {}, text="Ask for a loan.")
    assert J.WRITTEN_SINCE[("proposal_ruled", "text")] == 2
    assert event_difference(recorded, derived, 1) is None
    assert event_difference(recorded, derived, 2) == 'its text is "" in the save, but its command gives "Ask for a loan."'
    other = E.ProposalRuled(1, "reject", "Fine.", {})  # any other field is compared whatever the version
    assert event_difference(other, derived, 1) == 'its verdict is "reject" in the save, but its command gives "accept"'


def test_a_fork_of_an_older_game_says_when_its_game_began(tmp_path: Path) -> None:
    """Its first events were given by the rules of their time: the fork's header says so."""
    save = copy_golden(TUTORIAL_SAVE, tmp_path)
    replay = Replay.open(save)
    session = fork(replay.read, replay.fork_point(60), tmp_path / "what-if.jsonl", durable=False)
    session.run_bots()
    session.close()
    head = json.loads((tmp_path / "what-if.jsonl").read_bytes().split(b"\n")[0])
    assert (head["version"], head["rng"], head["began"]) == (J.VERSION, "v1", 1)
    code, text = verify(str(tmp_path / "what-if.jsonl"))
    assert code == 0 and "(not re-derived: the game began under format 1" in text


def test_a_format_2_save_lacking_that_field_is_flagged(tmp_path: Path) -> None:
    """The tolerance is by version: a game begun under format 3 always wrote it."""
    from tabletop.engine import commands as C
    from tabletop.journal import JournalWriter
    from tabletop.session import LocalSession

    c = campaign("tutorial").campaign
    h = header_for("tutorial", 5)
    actor = c.sides[0].actors[0].id
    seats = {**h.seats, actor: "human"}
    save = tmp_path / "g.jsonl"
    s = LocalSession(c, seed=5, controllers=seats, journal=JournalWriter(save, h, durable=False))
    while actor not in s.awaiting() and s.step_bot():
        pass
    s.submit_now(C.Propose(actor, "Ask the regional operator for a loan.", {"tracks": {"trust": 1}}))
    s.set_controller(actor, "bot:heuristic")
    s.run_bots()  # the facilitator bot rules on it
    s.close()
    seq = next(e.seq for e in s.entries if e.event.TYPE == "proposal_ruled")
    assert verify(str(save))[0] == 0
    edited = tmp_path / "edited.jsonl"
    rewrite(save, edited, lambda i, rec: rec["event"].pop("text") if i == seq else None)
    code, text = verify(str(edited))
    assert code == 1 and text.startswith(f"{edited}: event {seq} (line {seq + 1}) differs from what its command gives: "
                                         f"its text is \"\" in the save")


# ====================================================================== an event that does not fit


def _no_such_card(src: Path, dst: Path) -> int:
    """The second play names a card the campaign does not have; its seq."""
    seq = _first(src, "card_played", lambda ev: not ev["covert"])

    def edit(i: int, rec: dict[str, Any]) -> None:
        if i == seq:
            rec["event"]["card"] = rec["event"]["instance"] = "no-such-card"

    rewrite(src, dst, edit)
    return seq


def test_a_play_of_a_card_that_does_not_exist_fails_verify(tutorial: Path, tmp_path: Path) -> None:
    save = tmp_path / "g.jsonl"
    seq = _no_such_card(tutorial, save)
    code, text = verify(str(save))
    assert code == 1
    assert f"(line {seq + 1}, event {seq} names a card this campaign does not have (\"no-such-card\"))" in text


def test_replay_and_report_treat_it_as_damage_and_say_where(tutorial: Path, tmp_path: Path) -> None:
    save = tmp_path / "g.jsonl"
    seq = _no_such_card(tutorial, save)
    replay = Replay.open(save)  # does not raise
    points = read_journal(save).decision_points
    keep = max(p for p in points if p < seq)
    assert len(replay) == keep
    assert replay.damage is not None and replay.damage.startswith(f"save damaged after event {keep}: ")
    assert replay.damage.endswith(f"(event {seq} names a card this campaign does not have (\"no-such-card\"))")
    for seat in replay.viewpoints():
        replay.sentences(seat)
    done = tabletop("report", save.name, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"event {seq} names a card this campaign does not have" in done.stdout
    assert f"event {seq} names a card this campaign does not have" in done.stderr


def test_resume_continues_from_the_good_part_before_it(tutorial: Path, tmp_path: Path) -> None:
    from tabletop.commands.resume import open_session

    save = tmp_path / "g.jsonl"
    seq = _no_such_card(tutorial, save)
    before = save.read_bytes()
    resumed = open_session(save)
    try:
        assert resumed.damage is not None and f"event {seq} names a card" in resumed.damage
        assert resumed.path != save and len(resumed.session.entries) < seq
    finally:
        resumed.session.close()
    assert save.read_bytes() == before


def test_the_fit_checks_catch_what_would_crash_a_screen(tutorial: Path, tmp_path: Path) -> None:
    """A wrong kind of value, a play that never happened, an actor the campaign lacks."""
    cases: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
        ("track_changed", lambda ev: ev.update(value="7"), "has a value of the wrong kind (\"7\")"),
        ("contest_pending", lambda ev: ev.update(play=99), "names play #99, but"),
        ("turn_started", lambda ev: ev.update(actor="atlantis"), "names an actor this campaign does not have (\"atlantis\")"),
        ("track_changed", lambda ev: ev.update(track="morale"), "names a track this campaign does not have (\"morale\")"),
    ]
    for kind, edit, why in cases:
        seq = _first(tutorial, kind)
        save = tmp_path / f"{kind}-{seq}.jsonl"
        rewrite(tutorial, save, lambda i, rec: edit(rec["event"]) if i == seq else None)
        replay = Replay.open(save)
        assert replay.damage is not None and replay.damage.endswith(f"(event {seq} {why}" + replay.damage.split(why, 1)[1])
        assert verify(str(save))[0] == 1


# ====================================================================== checksums compare exactly


def _upper_sum(line: bytes) -> bytes | None:
    """``line`` with the hex letters of its ``sum`` in upper case, or None if it has none."""
    head, tail = line[:-10], line[-10:-2]
    if tail == tail.upper():
        return None
    return head + tail.upper() + line[-2:]


def test_an_upper_case_checksum_is_a_flipped_bit(tutorial: Path, tmp_path: Path) -> None:
    lines = tutorial.read_bytes().split(b"\n")
    # the last line (which nothing after it checks) with its sum's letters upper-cased
    last = len(lines) - 2
    while _upper_sum(lines[last]) is None:
        last -= 1
    if last != len(lines) - 2:
        pytest.skip("the last line's sum has no hex letter")
    flipped = _upper_sum(lines[last])
    assert flipped is not None
    save = tmp_path / "g.jsonl"
    save.write_bytes(b"\n".join([*lines[:last], flipped, *lines[last + 1 :]]))
    read = read_journal(save)
    assert read.problem is not None and read.problem.reason == J.CHECKSUM and read.problem.line == last + 1
    assert verify(str(save))[0] == 1


def test_sum_ok_compares_the_exact_bytes() -> None:
    line = JL._line({"seq": 1, "x": "y"}).rstrip(b"\n")
    assert JL._sum_ok(line)
    for i in range(-10, -2):
        ch = line[i : i + 1]
        if ch.isalpha():
            assert not JL._sum_ok(line[:i] + ch.upper() + line[i + 1 :])
    assert not JL._sum_ok(line[:-10] + b" " + line[-9:])


# ====================================================================== damage in the middle


def _flip(line: bytes, at: int = 100) -> bytes:
    b = bytearray(line)
    b[at] ^= 0x01
    return bytes(b)


def test_a_damaged_line_that_its_command_re_derives_is_repaired_in_memory(tutorial: Path, tmp_path: Path) -> None:
    lines = tutorial.read_bytes().split(b"\n")
    full = read_journal(tutorial)
    for k in (1, 20, len(full.entries) // 2):  # the opening deal, and two commands' events
        save = tmp_path / f"g{k}.jsonl"
        save.write_bytes(b"\n".join([*lines[:k], _flip(lines[k]), *lines[k + 1 :]]))
        before = save.read_bytes()
        read = read_journal(save)
        assert read.damage is None and read.entries == full.entries and read.fingerprint == full.fingerprint
        assert read.repaired == [k + 1]
        assert read.repairs == [
            f"line {k + 1} (event {k}) is damaged; it was rebuilt in memory from its command, and the rebuilt "
            f"line's sha256 is the one line {k + 2} names (the file is unchanged)"
        ]
        code, text = verify(str(save))
        assert code == 1 and text == f"{save}: {read.repairs[0]}"
        assert save.read_bytes() == before
        replay = Replay.open(save)
        assert replay.repair == read.repairs[0] and len(replay) == len(full.entries)
    assert read_journal(save, repair=False).damage is not None


def test_the_report_says_a_line_was_repaired(tutorial: Path, tmp_path: Path) -> None:
    lines = tutorial.read_bytes().split(b"\n")
    save = tmp_path / "g.jsonl"
    save.write_bytes(b"\n".join([*lines[:20], _flip(lines[20]), *lines[21:]]))
    done = tabletop("report", save.name, cwd=tmp_path)
    assert done.returncode == 0
    assert "line 21 (event 20) is damaged; it was rebuilt in memory" in done.stdout
    assert "line 21 (event 20) is damaged; it was rebuilt in memory" in done.stderr


def test_verify_lists_the_intact_lines_beyond_damage_it_cannot_repair(tutorial: Path, tmp_path: Path) -> None:
    lines = tutorial.read_bytes().split(b"\n")
    n = len(lines) - 2  # events
    save = tmp_path / "g.jsonl"
    save.write_bytes(b"\n".join([*lines[:40], _flip(lines[40]), _flip(lines[41]), *lines[42:]]))  # two in a row
    read = read_journal(save)
    assert read.problem is not None and read.problem.line == 41
    assert read.beyond == [(43, n + 1, 42, n)]
    code, text = verify(str(save))
    assert code == 1
    assert text.endswith(f"; beyond it, lines 43-{n + 1} (events 42-{n}) are intact (checksums good, each naming the "
                         f"line before it) but not loaded: nothing proves what the damaged line held")


def test_intact_runs_beyond_a_deleted_line_are_listed(tutorial: Path, tmp_path: Path) -> None:
    lines = tutorial.read_bytes().split(b"\n")
    n = len(lines) - 2
    save = tmp_path / "g.jsonl"
    save.write_bytes(b"\n".join([*lines[:30], *lines[31:]]))  # event 30 gone
    read = read_journal(save)
    assert read.problem is not None and read.problem.reason == J.SEQUENCE
    assert read.beyond == [(31, n, 31, n)]  # the line of event 31, now line 31, and on


# ====================================================================== a damaged header


def _save_beside_its_campaign(tmp_path: Path) -> Path:
    """A save whose header names a campaign file beside it (as `tabletop play my.yaml` makes)."""
    from tabletop.journal import Header, JournalWriter, campaign_digest
    from tabletop.session import LocalSession, resolve_controllers

    text = campaign("tutorial").text + "# my copy, not the bundled one\n"
    (tmp_path / "my-campaign.yaml").write_text(text, encoding="utf-8")
    c = campaign("tutorial").campaign
    seats = resolve_controllers(c, [s.id for s in c.sides])
    header = Header(c.id, "my-campaign.yaml", campaign_digest(text), text, 9, seats, "2025-01-01T00:00:00+00:00")
    save = tmp_path / "g.jsonl"
    s = LocalSession(c, seed=9, controllers=seats, journal=JournalWriter(save, header, durable=False))
    s.run_bots()
    s.close()
    return save


def test_a_damaged_header_is_rebuilt_from_the_campaign_file_it_names(tmp_path: Path) -> None:
    save = _save_beside_its_campaign(tmp_path)
    full = read_journal(save)
    lines = save.read_bytes().split(b"\n")
    at = lines[0].index(b"description") if b"description" in lines[0] else len(lines[0]) // 2
    save.write_bytes(b"\n".join([_flip(lines[0], at), *lines[1:]]))
    read = read_journal(save)
    assert read.header == full.header and read.entries == full.entries and read.damage is None
    assert read.repaired == [1]
    assert read.repairs[0].startswith("the save's header (line 1) is damaged; it was rebuilt in memory with the "
                                      "campaign text of ")
    assert read.repairs[0].endswith("whose sha256 is the one the header names, and its sha256 is the one line 2 "
                                    "names (the file is unchanged)")
    assert verify(str(save))[0] == 1
    assert len(Replay.open(save)) == len(full.entries)
    # without the campaign file, the sentence says what would rebuild it
    (tmp_path / "my-campaign.yaml").rename(tmp_path / "elsewhere.yaml")
    with pytest.raises(HeaderDamaged) as e:
        read_journal(save)
    assert str(e.value).startswith("the save's header (line 1) is damaged")
    assert str(e.value).endswith("beside the save or at my-campaign.yaml and the header can be rebuilt from it")


def test_damage_to_the_headers_settings_is_not_mended_by_a_campaign_file(tmp_path: Path) -> None:
    save = _save_beside_its_campaign(tmp_path)
    lines = save.read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b'"seed":9,', b'"seed":8,')
    save.write_bytes(b"\n".join(lines))
    with pytest.raises(HeaderDamaged, match=r"the damage is in the header's settings"):
        read_journal(save)


# ====================================================================== a save cut after a whole command


def test_a_save_cut_after_a_whole_command_says_the_game_had_not_ended(tutorial: Path, tmp_path: Path) -> None:
    full = read_journal(tutorial)
    lines = tutorial.read_bytes().split(b"\n")
    k = full.decision_points[len(full.decision_points) // 2]
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"\n".join(lines[: k + 1]) + b"\n")
    code, text = verify(str(cut))
    assert code == 0 and read_journal(cut).damage is None
    assert "the game has not ended (it stops in round " in text
    assert "only a receipt or the host's final fingerprint proves nothing is missing" in text
    # the whole save's fingerprint (what the host prints at the end) proves the cut
    code, text = verify(str(cut), full.fingerprint)
    assert code == 1
    assert text == (f"{cut}: no line of this save has the fingerprint {full.fingerprint}: the save was changed "
                    f"or cut before the point it names")
    code, text = verify(str(tutorial), full.fingerprint)
    assert code == 0 and text.endswith(
        f"receipt: the receipt matches: events 1-{len(full.entries)} are exactly as they were when it was given, "
        f"and the save ends there"
    )


def test_verify_from_the_command_line(tutorial: Path, tmp_path: Path) -> None:
    save = copy_golden(tutorial, tmp_path)
    full = read_journal(save)
    n = len(full.entries)
    ok = tabletop("verify", save.name, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stderr == ""
    assert ok.stdout.splitlines()[1] == f"fingerprint: {full.fingerprint} (the chain head, after event {n})"
    with_receipt = tabletop("verify", save.name, "--receipt", full.fingerprint.upper(), cwd=tmp_path)
    assert with_receipt.returncode == 0 and with_receipt.stdout.splitlines()[-1].startswith("receipt: the receipt matches")
    bad = tabletop("verify", save.name, "--receipt", "not-a-receipt", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr == f"{save.name}: not-a-receipt is neither a receipt file nor a fingerprint (64 hex digits)\n"


def test_resume_of_a_repaired_save_says_so_and_goes_on_in_place(tmp_path: Path) -> None:
    from tabletop.commands.resume import open_session

    save = tmp_path / "g.jsonl"
    bot_save(save, "tutorial", seed=64, until=12)
    lines = save.read_bytes().split(b"\n")
    save.write_bytes(b"\n".join([*lines[:5], _flip(lines[5]), *lines[6:]]))
    resumed = open_session(save)
    try:
        assert resumed.path == save and resumed.damage is None
        assert resumed.notice is not None and "line 6 (event 5) is damaged; it was rebuilt in memory" in resumed.notice
        resumed.session.run_bots()
    finally:
        resumed.session.close()
    read = read_journal(save)  # the repaired line is still proved by the next one; the new lines chain on
    assert read.damage is None and read.repaired == [6] and read.entries[-1].event.TYPE == "game_ended"
