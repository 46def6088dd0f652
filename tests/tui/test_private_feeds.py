"""What each seat is told alone (:mod:`tabletop.tui.private`) and the words for it
(:mod:`tabletop.tui.roles`), as plain objects on the inline drill."""

from __future__ import annotations

from format2_drill import drill_session, to_boarding

from tabletop.engine import commands as C
from tabletop.tui.private import PrivateFeeds, Said
from tabletop.tui.roles import objective_lines, private_inject_line, values_line


def test_reasons_reach_the_advisors_side_only_and_private_injects_their_seat() -> None:
    s = drill_session()
    feeds = PrivateFeeds(s, ["r1", "b1", "b2"])
    to_boarding(s)
    play = s.view("b2").vote.play  # type: ignore[union-attr]
    s.submit_now(C.Advise("b3", play, False, "Boarding invites a clash"))
    assert feeds.advice("b2", play) == [Said("b3", False, "Boarding invites a clash")]
    assert feeds.advice("r1", play) == [Said("b3", False, "")], "another side's reason arrives blank"
    assert [private_inject_line(e) for e in feeds.unseen("b1")] == ["For you only: A tip for Blue One — The trawler is red's."]
    assert feeds.unseen("r1") == [] and feeds.unseen("b2") == []
    assert feeds.due("b1") and feeds.due("r1"), "both have a brief to read first"
    feeds.shown("b1")
    assert not feeds.due("b1") and feeds.unseen("b1") == []
    feeds.close()


def test_a_seat_lists_its_sides_objectives_and_its_own_never_anothers_secret() -> None:
    s = drill_session()
    e = s.engine
    assert objective_lines(e, "r1") == ["• Red's hidden aim (secret: only your side knows)"]
    assert objective_lines(e, "b1") == [
        "• Keep tension at 5 or less",
        "• Blue's quiet aim (secret: only your side knows)",
        "• Blue One keeps 3 resources (secret: only you know)",
    ]
    assert "Blue One keeps" not in "\n".join(objective_lines(e, "b2"))
    assert values_line(e, s.view("r1").values) == "You know: Red line is 8"
    assert values_line(e, s.view("b1").values) == ""


def test_the_facilitator_reads_each_injects_audience_expected_response_and_objective() -> None:
    from tabletop.tui.roles import inject_note_lines

    e = drill_session().engine
    assert inject_note_lines(e, e.campaign.inject_by_id["tip"]) == [
        "to Blue One only", "expected: Blue One shares the tip", "objective: Share what you learn.",
    ]
