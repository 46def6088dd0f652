"""The track gauges: the band a track is in, bars that line up, zero in the middle of a
track that runs below zero, and whom a rise helps."""

from __future__ import annotations

from collections.abc import Callable

from scenario import game, take_keyboard, wait_for
from textual.widgets import Static

from tabletop.campaign.model import Threshold, Track
from tabletop.engine import commands as C
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp
from tabletop.tui.text import shorten_words
from tabletop.tui.widgets.tracks import (
    FULL,
    TrackGauge,
    band_fit,
    band_text,
    bar_cells,
    gauge_words,
)


def _track(**kw: object) -> Track:
    base: dict[str, object] = {"id": "t", "name": "T", "start": 3, "thresholds": [
        Threshold(at=1, label="Collapse"), Threshold(at=4, label="Crisis"), Threshold(at=7, label="Red line zone"),
    ]}
    base.update(kw)
    return Track.model_validate(base)


def test_the_band_is_the_farthest_crossed_from_the_start_or_the_distance_to_the_nearest() -> None:
    t = _track()
    assert band_text(t, 3) == ("1 to Crisis", False)
    assert band_text(t, 5) == ("Crisis", True)
    assert band_text(t, 8) == ("Red line zone", True)
    assert band_text(t, 1) == ("Collapse", True)  # below the start: the band at and below it
    assert band_text(t, 0) == ("Collapse", True)
    assert band_text(_track(thresholds=[]), 5) == ("", False)


def test_a_track_that_runs_below_zero_fills_from_zero() -> None:
    t = _track(min=-5, max=5, start=0, thresholds=[])
    empty = bar_cells(t, 0, 10)
    assert all(kind != "fill" for _, kind in empty)  # at 0: nothing filled, not half full
    up = bar_cells(t, 3, 10)
    assert [kind for _, kind in up[5:8]] == ["fill"] * 3 and all(k != "fill" for _, k in up[:5])
    down = bar_cells(t, -2, 10)
    assert [kind for _, kind in down[3:5]] == ["fill"] * 2 and all(k != "fill" for _, k in down[5:])


async def test_bars_of_one_panel_are_the_same_width_and_name_their_band(
    new_app: Callable[..., TabletopApp],
) -> None:
    app = new_app(briefing=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        gauges = list(game(pilot).query(TrackGauge))
        assert len(gauges) >= 3
        rendered = [str(g.render()).split("\n") for g in gauges]
        widths = {sum(1 for ch in lines[-1] if ch in "█▌▐░│") for lines in rendered}
        assert len(widths) == 1  # every bar as wide as the others
        for g, lines in zip(gauges, rendered):
            band, _ = band_text(g.track, g.value)
            assert band[:8] in lines[0]
            assert "A rise helps" in str(g.tooltip) or g.track.favours is None
        assert any(FULL in lines[-1] for lines in rendered)


def test_a_band_too_long_for_its_column_is_shortened_by_whole_words() -> None:
    t = _track(thresholds=[Threshold(at=5, label="Military signalling"), Threshold(at=8, label="Rationing")])
    assert band_fit(t, 6, 19) == ("Military signalling", True)  # it fits: whole
    assert band_fit(t, 6, 14) == ("Military…", True)  # never "Military sign…", a word it is not
    assert band_fit(t, 3, 14) == ("2 to Military…", False)  # the distance stays whole
    assert band_fit(t, 6, 6) == ("…", True)  # a first word longer than the room: the mark alone, never part of a word
    assert band_fit(t, 3, 8) == ("2 to …", False)  # the distance, and that a band is ahead
    assert shorten_words("5 Military signalling · 7 Dangerous", 22) == "5 Military signalling…"


async def test_the_board_at_80x24_shortens_a_band_by_whole_words(new_app: Callable[..., TabletopApp]) -> None:
    def cable_cut(session: LocalSession) -> None:
        session.submit_now(C.AdjustTrack(C.FACILITATOR, "connectivity", -2, "The cable is cut"))

    app = new_app(briefing=False, moves=cable_cut)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        gauge = game(pilot).query_one("#track-connectivity", TrackGauge)
        assert gauge.value == 4 and band_text(gauge.track, 4) == ("Payments failing", True)
        head = str(gauge.render()).split("\n")[0]
    assert head.rstrip().endswith("Payments…"), head  # was "Payments fail…"
    assert "Payments failing" in str(gauge.tooltip)  # said whole where there is room


def test_the_change_this_round_is_said_in_words() -> None:
    """Play-test: "7▲5" told a new player nothing; the tooltip says it in words."""
    t = _track(name="Tension")
    assert gauge_words(t, 7, "Northmark", start=5) == (
        "Tension: 7 (from 0 to 10), Red line zone. Up 2 this round (▲2; 5 when the round began). "
        "A rise helps Northmark."
    )
    assert "Down 1 this round (▼1; 3 when the round began)." in gauge_words(t, 2, start=3)
    assert "this round" not in gauge_words(t, 3, start=3)


async def test_the_board_says_what_the_mark_means_where_there_is_room(new_app: Callable[..., TabletopApp]) -> None:
    def tension_up(session: LocalSession) -> None:
        session.submit_now(C.AdjustTrack(C.FACILITATOR, "tension", 2, "Fishermen protest"))

    app = new_app(briefing=False, moves=tension_up)
    async with app.run_test(size=(120, 40)) as pilot:
        await take_keyboard(pilot, "northmark")
        await wait_for(pilot, "GameScreen")
        gauge = game(pilot).query_one("#track-tension", TrackGauge)
        delta = gauge.value - gauge.start
        assert delta == 2, (gauge.value, gauge.start)
        lines = str(gauge.render()).split("\n")
        assert "▲2" in lines[0] and "▲2 this round" in "\n".join(lines), lines
        assert "Up 2 this round" in str(gauge.tooltip)
        await pilot.press("question_mark")
        helped = await wait_for(pilot, "HelpScreen")
        assert "▲2 or ▼1 beside a value is how far the track has moved this round" in str(
            helped.query_one("#help-note", Static).render())
