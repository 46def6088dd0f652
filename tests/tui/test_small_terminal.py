"""The default campaign on the smallest supported terminal (80x24), as a new user's
play-test found it: the focused card's text had a line or two and PgDn turned one line;
titles, band names, the phase ladder, the header and the footer were cut; the role screen
could not be scrolled to its end; an unplayable card looked like a playable one; the phase
screen showed trigger ids.

The game is the bundled Belarus campaign, seat by seat as the hot-seat hands it over;
states are reached by commands, the screens by a few keys."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest
from scenario import close_brief, until, wait_for
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from tabletop.campaign.validate import load_campaign
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import TabletopApp, build_app
from tabletop.tui.roles import ending_line
from tabletop.tui.text import card_summary
from tabletop.tui.widgets.hand import CardDetail, CardWidget, title_lines
from tabletop.tui.widgets.tracks import (
    TrackGauge,
    TrackPanel,
    band_text,
    fit_name,
    name_floor,
    short_name,
)

ROOT = Path(__file__).resolve().parents[2]
BELARUS = load_campaign(ROOT / "campaigns" / "belarus-border-2021.yaml").campaign
SMALL = (80, 24)
FIRST = "belarus"  # the first seat of round 1, a long name: Belarus (Lukashenka regime)


def belarus_app(seed: int = 7) -> TabletopApp:
    session = LocalSession(BELARUS, seed=seed, controllers=resolve_controllers(BELARUS, []))
    app = build_app(session, briefing=False, dice_seconds=None, save_path=None)
    app.animation_level = "none"
    return app


def lines(pilot: Pilot) -> list[str]:
    """The terminal's rows as text, as the player reads them."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


async def to_board(pilot: Pilot, *, read_brief: bool = True) -> None:
    """Take the keyboard as the first seat; close its brief (unless told not to)."""
    await wait_for(pilot, "HandOffScreen")
    await pilot.press("space")
    if read_brief:
        await close_brief(pilot, FIRST)
        await wait_for(pilot, "GameScreen")


@pytest.fixture
async def board() -> AsyncIterator[Pilot]:
    async with belarus_app().run_test(size=SMALL) as pilot:
        await to_board(pilot)
        yield pilot


async def test_at_80x24_the_card_text_gets_room_and_pgdn_turns_a_page(board: Pilot) -> None:
    pilot = board
    detail = pilot.app.screen.query_one(CardDetail)
    assert detail.content_size.height >= 7, "a short screen gives the card's text room (a shorter log, one line a card)"
    cards = list(pilot.app.screen.query(CardWidget))
    assert cards and all(c.size.height <= 2 for c in cards)
    height, text = detail.content_size.height, len(detail._lines())
    assert text > height, "the test needs a card whose text scrolls"
    assert detail.page() == height - 1  # the lines shown: the last one says what is below
    await pilot.press("pagedown")
    last = text - height + 1  # the top line of the last page (it fills the pane)
    assert detail.scrolled == min(detail.page(), last) > 1  # a page, not a line
    await pilot.press("pagedown")
    assert detail.scrolled == min(2 * detail.page(), last)
    await pilot.press("pageup")
    await pilot.press("pageup")
    assert detail.scrolled == 0


async def test_at_80x24_nothing_on_the_board_is_cut(board: Pilot) -> None:
    pilot = board
    screen = "\n".join(lines(pilot))
    header, ladder = lines(pilot)[:2]
    assert "Belarus Border Crisis 2021" in header and "Belarus's turn" in header and "…" not in header
    assert "Baseline" in ladder and "Hybrid pressure" in ladder  # the phase now and the next whole
    assert "Tracks (colour: a rise helps)" in screen
    for gauge in pilot.app.screen.query(TrackGauge):
        assert "…" not in gauge.render().plain, gauge.render().plain
    hand_title = str(pilot.app.screen.query_one("#hand-title").render())
    assert hand_title.startswith("Belarus · ◆") and hand_title.endswith(" met"), hand_title
    for card in pilot.app.screen.query(CardWidget):  # every title whole, on one line or two
        words = " ".join(card.render().plain.replace("◆", " ◆").split())
        assert card.card.title in words.replace(f" ◆{card.card.cost}", "").replace(" action", "").replace(" response", ""), words


async def test_at_80x24_help_and_quit_are_the_footer_keys_never_cut(board: Pilot) -> None:
    pilot = board
    keys = [k for k in pilot.app.screen.query(FooterKey) if "-command-palette" not in k.classes]
    assert [k.action for k in keys[:2]] == ["help", "quit"]
    assert all(k.region.right <= SMALL[0] for k in keys[:2])
    assert lines(pilot)[-1].lstrip().startswith("? Help")


async def test_a_card_that_cannot_be_played_is_marked_without_colour(board: Pilot) -> None:
    pilot = board
    cards = list(pilot.app.screen.query(CardWidget))
    assert any(c.reason for c in cards) and any(c.reason is None for c in cards), "the test needs both kinds"
    for card in cards:
        margin = card.render().plain[0]
        if card.has_focus:
            assert margin == CardWidget.FOCUS_MARK
        elif card.reason is not None:
            assert margin == CardWidget.UNPLAYABLE_MARK and card.has_class("-unplayable")
        else:
            assert margin == " " and not card.has_class("-unplayable")


def test_a_long_title_goes_on_at_a_word_and_is_never_cut() -> None:
    card = next(c for c in BELARUS.cards if c.title == "Belarusian media: Poland is militarising the conflict")
    title, tag, kind = title_lines(card, 44)
    assert " ".join(title) == card.title and tag == f"◆{card.cost}" and not kind
    assert title_lines(card, 80) == ([card.title], f"◆{card.cost} {card.kind}", True)


async def test_the_role_screen_scrolls_by_keys_to_its_end_at_80x24() -> None:
    async with belarus_app().run_test(size=SMALL) as pilot:
        await to_board(pilot, read_brief=False)
        brief = await wait_for(pilot, "BriefScreen")
        body, box = brief.query_one("#brief-body"), brief.query_one("#brief-box")
        assert pilot.app.focused is body
        inside = box.content_region
        assert inside.contains_region(body.region), "the text's pane lies inside the box, nothing under its hint"
        assert body.max_scroll_y > 0, "the test needs a brief longer than the screen"
        page = body.scrollable_content_region.height
        await pilot.press("pagedown")
        assert body.scroll_y == page  # no line skipped
        await pilot.press("down")
        assert body.scroll_y == page + 1
        await pilot.press("up")
        assert body.scroll_y == page
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        assert body.virtual_size.height - body.scroll_y == page  # the last line is the pane's last
        await pilot.press("home")
        assert body.scroll_y == 0
        await pilot.press("enter")
        await wait_for(pilot, "GameScreen")


async def test_the_phase_screen_names_transitions_by_where_they_go(board: Pilot) -> None:
    pilot = board
    await pilot.press("p")
    await wait_for(pilot, "PhaseScreen")
    text = "\n".join(str(line.render()) for line in pilot.app.screen.query("#phases-transitions Static"))
    assert "Baseline → Hybrid pressure" in text
    assert "At the end of round 2, or once border integrity falls to 4" in text  # the author's words
    ids = [t.trigger for t in BELARUS.phases.transitions if "_" in t.trigger]  # a one-word id may be a word
    assert ids and not [i for i in ids if i in text]


async def test_the_board_refits_its_lines_when_the_terminal_grows(board: Pilot) -> None:
    pilot = board
    await pilot.resize_terminal(100, 30)
    await until(pilot, lambda: pilot.app.screen.size.width == 100, "the resize")
    await pilot.pause()
    hand_title = str(pilot.app.screen.query_one("#hand-title").render())
    assert hand_title.startswith("Belarus (Lukashenka regime) · ◆"), hand_title
    assert pilot.app.screen.query_one(TrackPanel).border_title == "Tracks (colour: whom a rise helps)"



async def test_back_at_80_columns_the_footer_drops_the_palette_key_again(board: Pilot) -> None:
    """Grown to 100 columns the footer shows the palette's key; narrowed again it goes, and
    the facilitator's key it had pushed out comes back (it stayed, after a resize, until
    the next change of keys)."""
    pilot = board

    def palette_shown() -> bool:
        return any(k.display for k in pilot.app.screen.query(".-command-palette"))

    await pilot.resize_terminal(100, 30)
    await until(pilot, palette_shown, "the palette's key at 100 columns")
    await pilot.resize_terminal(80, 24)
    await until(pilot, lambda: not palette_shown(), "the palette's key gone at 80 columns")
    shown = [k.description for k in pilot.app.screen.query(FooterKey) if k.display]
    assert "Facilitator" in shown, shown


def test_the_help_says_v_once() -> None:
    from tabletop.tui.screens.game import GameScreen

    app = belarus_app()
    rows = app.help_keys(GameScreen.__new__(GameScreen))
    v = [text for keys, text in rows if keys == "v"]
    assert len(v) == 1 and "ballot" in v[0] and "advice" in v[0]


def test_the_last_round_is_said_without_a_count_to_misread() -> None:
    from tabletop.engine.rules import Engine
    from tabletop.engine.standing import endings_near

    session = LocalSession(BELARUS, seed=7, controllers=resolve_controllers(BELARUS, []))
    last = next(e for e in endings_near(Engine(BELARUS), session.view("observer")) if e.kind == "round")
    said = ending_line(last)
    assert said == "The last round: the exercise ends after round 10 (9 more rounds after this one)", said


def test_a_long_seat_name_gives_up_its_brackets_before_the_count_of_objectives() -> None:
    from tabletop.tui.text import hand_title, short_seat

    name = "Belarus (Lukashenka regime)"
    assert short_seat(name) == "Belarus" and short_seat("NATO") == "NATO" and short_seat("(Red)") == "(Red)"
    assert hand_title(name, 3, 2, 44, (3, 5)) == "Belarus · ◆3 · 2 left · 3/5 met"
    assert hand_title(name, 3, 2, 60, (3, 5)) == "Belarus (Lukashenka regime) · ◆3 · 2 left · 3/5 met"


def test_the_header_and_the_ladder_shorten_what_matters_least() -> None:
    from tabletop.tui.text import shorten
    from tabletop.tui.widgets.header import short_title

    assert short_title(BELARUS.title) == "Belarus Border Crisis 2021"
    assert short_title("Tutorial: Harbour Town") == "Tutorial"
    assert short_title("No subtitle") == "No subtitle"
    names = ["Baseline", "Hybrid pressure", "Border crisis", "Military tension", "Armed conflict"]
    out = shorten(names, 1, 60, 3, near=(0, 2))
    assert out[:3] == names[:3] and sum(map(len, out)) + 12 <= 60  # the phase now and both neighbours whole
    assert shorten(names, 1, 30, 3, near=(0, 2))[1] == "Hybrid pressure"  # the neighbours give way last


# ---------------------------------------------------------------- every bundled campaign at 80x24

CAMPAIGNS = sorted((ROOT / "campaigns").glob("*.yaml"))


def cut_words(shown: str, whole: str) -> list[str]:
    """The words of ``shown`` that end in the shortening mark but are not whole words of
    ``whole`` (``Pric…`` of ``Price shock``): a word cut in two."""
    words = set(re.findall(r"[\w'’-]+", whole))
    return [w for w in re.findall(r"([\w'’-]+)…", shown) if w not in words]


@pytest.fixture(params=CAMPAIGNS, ids=lambda p: p.stem)
async def any_board(request: pytest.FixtureRequest) -> AsyncIterator[Pilot]:
    campaign = load_campaign(request.param).campaign
    session = LocalSession(campaign, seed=7, controllers=resolve_controllers(campaign, []))
    first = session.view("observer").awaiting[0]
    app = build_app(session, briefing=False, dice_seconds=None, save_path=None)
    app.animation_level = "none"
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, "HandOffScreen")
        await pilot.press("space")
        await close_brief(pilot, first)
        await wait_for(pilot, "GameScreen")
        await pilot.pause()
        yield pilot


async def test_at_80x24_no_word_is_cut_in_the_tracks_the_ladder_or_the_hand(any_board: Pilot) -> None:
    pilot = any_board
    app = cast(TabletopApp, pilot.app)
    campaign = app.screen.engine.campaign  # type: ignore[attr-defined]
    panel = app.screen.query_one(TrackPanel)
    tracks = " ".join([t.name for t in campaign.tracks] + [short_name(t) for t in campaign.tracks]
                      + [th.label for t in campaign.tracks for th in t.thresholds])
    shown = "\n".join(line[panel.region.x: panel.region.right] for line in lines(pilot)[panel.region.y: panel.region.bottom])
    assert not cut_words(shown, tracks), shown
    for gauge in panel.query(TrackGauge):  # a band reads whole when the panel has the row for it
        band = band_text(gauge.track, gauge.value)[0]
        assert band in gauge.render().plain or not gauge.band_below, gauge.render().plain
    ladder = lines(pilot)[1]
    assert not cut_words(ladder, " ".join(p.name for p in campaign.phases.states)), ladder
    assert campaign.phase_by_id[app.screen.view.phase].name in ladder  # type: ignore[attr-defined]  # the phase now, whole
    # what is at stake keeps a word: an ending is "…" only once every phase but the one now
    # and its neighbours is "…" too
    states = campaign.phases.states
    shown_names = [n.strip().removesuffix(" ■") for n in ladder.strip().removeprefix("Phase").split(" › ")]
    assert len(shown_names) == len(states), ladder
    now = next(i for i, p in enumerate(states) if p.id == app.screen.view.phase)  # type: ignore[attr-defined]
    if any(shown_names[i] == "…" for i, p in enumerate(states) if p.terminal):
        assert all(shown_names[i] == "…" for i, p in enumerate(states) if not p.terminal and abs(i - now) > 1), ladder
    for card in app.screen.query(CardWidget):
        row = card.render().plain
        assert not cut_words(row, f"{card.card.title} {card_summary(app.screen.engine, card.card)}"), row  # type: ignore[attr-defined]
        width = card.content_size.width - 1  # the margin's cell
        if len(card.card.title) + 1 + len(f"◆{card.card.cost}") <= width:
            assert card.size.height == 1, row  # a title that fits beside its cost: one line
        assert card.card.title in " ".join(row[1:].replace("\n", " ").split()) or "\n" in row


async def test_at_80x24_the_phase_screen_cuts_no_word(any_board: Pilot) -> None:
    pilot = any_board
    await pilot.press("p")
    await wait_for(pilot, "PhaseScreen")
    await pilot.pause()
    shown = "\n".join(lines(pilot))
    campaign = pilot.app.screen.engine.campaign  # type: ignore[attr-defined]
    for phase in campaign.phases.states:
        assert phase.name in shown
    assert "…" not in shown, shown


def test_a_ladder_too_long_for_its_line_loses_whole_words_the_farthest_first() -> None:
    from tabletop.tui.text import shorten, word_forms

    assert word_forms("Armed incident at sea") == ["Armed incident at sea", "Armed incident at…", "Armed incident…", "Armed…", "…"]
    names = ["Normal supply", "Price shock", "Supply cuts", "Rationing", "Blackout winter", "Managed transition", "Armed incident at sea"]
    marks = [0, 0, 0, 0, 2, 2, 2]
    assert shorten(names, 0, 72, 3, marks, near=(1,)) == [*names[:4], "…", "…", "…"]  # 80 columns: what comes next, whole
    assert shorten(names, 0, 92, 3, marks, near=(1,)) == [*names[:4], "Blackout…", "Managed…", "Armed…"]
    # the board's ladder: the endings (what is at stake) keep a word while the phases between
    # them and the next one give theirs up; the next phase stays whole longest of all
    endings = (4, 5, 6)
    assert shorten(names, 0, 72, 3, marks, near=(1,), a_word=endings) == [
        "Normal supply", "Price shock", "…", "…", "Blackout…", "Managed…", "…"]
    assert shorten(names, 0, 77, 3, marks, near=(1,), a_word=endings) == [
        "Normal supply", "Price shock", "…", "…", "Blackout…", "Managed…", "Armed…"]


def test_a_one_line_gauge_sizes_its_names_so_no_word_is_cut() -> None:
    baltic = load_campaign(ROOT / "campaigns" / "baltic-winter-energy.yaml").campaign
    assert name_floor(list(baltic.tracks)) == len("Alternative…")
    alt = next(t for t in baltic.tracks if t.id == "diversification")
    assert fit_name(alt, 30) == "Alternative supply" and fit_name(alt, 12) == "Alternative…"


# ---------------------------------------------------------------- the panels at 80x24 and 100x30

TUTORIAL = load_campaign(ROOT / "campaigns" / "tutorial.yaml").campaign
MEDIUM = (100, 30)


def session_of(campaign, moves: list[tuple[str, str]], to_round: int = 1) -> LocalSession:  # type: ignore[no-untyped-def]
    """A hot-seat session after ``moves`` (seat, card id), everyone else passing until
    round ``to_round``; then the moves of that round."""
    from scenario import pass_now, play_now

    session = LocalSession(campaign, seed=7, controllers=resolve_controllers(campaign, []))
    for seat, card in moves:
        if card == "round":
            while session.view("observer").round < to_round:
                pass_now(session, session.awaiting()[0])
        else:
            play_now(session, seat, card)
    return session


def app_of(session: LocalSession) -> TabletopApp:
    app = build_app(session, briefing=False, dice_seconds=None, save_path=None)
    app.animation_level = "none"
    return app


async def test_at_80x24_the_hand_off_box_is_whole_over_what_just_happened() -> None:
    # round 2 of the tutorial: a long inject just happened, the nearest ending takes three lines
    session = session_of(TUTORIAL, [("northmark", "fishing-fleet"), ("", "round")], to_round=2)
    async with app_of(session).run_test(size=SMALL) as pilot:
        screen = await wait_for(pilot, "HandOffScreen")
        await pilot.pause()
        box = screen.query_one("#handoff-box")
        assert screen.near.endswith("Tension is at most 5"), screen.near
        assert box.region.y >= 0 and box.region.bottom <= SMALL[1]
        shown = lines(pilot)
        text = "\n".join(shown)
        assert "Northmark" in text and "Press any key when ready" in text
        assert "Tension is at most 5" in text, text  # the nearest ending's last line
        assert any(line.strip().startswith("┗") for line in shown), text  # the box's bottom border
        recent = screen.query_one("#handoff-recent")
        assert "Just happened" in text and recent.region.y >= box.region.bottom, "the panel under the box, shorter"
        await pilot.resize_terminal(80, 16)  # too short for all of it: the box's least lines go
        await until(pilot, lambda: not recent.display, "the recent panel to go")
        await pilot.pause()
        text = "\n".join(lines(pilot))
        assert "Northmark" in text and "Press any key when ready" in text and "┛" in text, text


async def test_at_80x24_a_played_title_is_shortened_by_whole_words() -> None:
    session = session_of(TUTORIAL, [("northmark", "deepfake-mayor"), ("", "round"), ("northmark", "fishing-fleet")], to_round=2)
    async with app_of(session).run_test(size=SMALL) as pilot:
        await take_keyboard_of(pilot, "veldia")
        panel = pilot.app.screen.query_one("#played")
        shown = "\n".join(line[panel.region.x: panel.region.right] for line in lines(pilot)[panel.region.y: panel.region.bottom])
        assert "#2 Fishing fleet… — Northmark" in shown, shown
        assert not cut_words(shown, "Fishing fleet loiters over the cable route"), shown


def test_a_played_title_ends_on_a_word_that_says_something() -> None:
    from tabletop.tui.widgets.played import _fit

    assert _fit("Deepfake of the mayor", 16) == "Deepfake…"  # not "Deepfake of the…"
    assert _fit("Fishing fleet loiters over the cable route", 16) == "Fishing fleet…"
    assert _fit("Deepfake of the mayor", 30) == "Deepfake of the mayor"


async def take_keyboard_of(pilot: Pilot, seat: str) -> None:
    from scenario import take_keyboard

    await take_keyboard(pilot, seat)
    await wait_for(pilot, "GameScreen")
    await pilot.pause()


async def test_at_100x30_belarus_shows_its_played_cards_header_phase_and_whole_footer_keys() -> None:
    from scenario import pass_now, play_now

    session = LocalSession(BELARUS, seed=7, controllers=resolve_controllers(BELARUS, []))
    while len(session.view("observer").plays) < 2:  # each in turn plays the first card it can, or passes
        seat = session.awaiting()[0]
        hand = session.view(seat).actors[seat].hand or ()
        card = next((i for i in hand if session.why_not_play(seat, i) is None), None)
        if card is None:
            pass_now(session, seat)
        else:
            play_now(session, seat, session.engine.instance_card[card])
    plays = len([p for p in session.view("observer").plays if p.round == 1])
    assert plays >= 2
    async with app_of(session).run_test(size=MEDIUM) as pilot:
        seat = session.awaiting()[0]
        await take_keyboard_of(pilot, seat)
        shown = lines(pilot)
        panel = pilot.app.screen.query_one("#played")
        rows = [line[panel.region.x: panel.region.right] for line in shown[panel.region.y: panel.region.bottom]]
        assert len([r for r in rows if r.strip()[:1] in ("#", "▒")]) == plays, rows  # every play, under the title
        assert all(g.size.height <= 2 for g in pilot.app.screen.query(TrackGauge)), "the gauges gave way"
        header = shown[0]
        assert "Baseline" in header and "turn" in header and "…" not in header, header
        footer = shown[-1]
        keys = [k for k in pilot.app.screen.query(FooterKey) if k.display and "-command-palette" not in k.classes]
        assert keys and all(f"{k.key_display} {k.description}" in footer for k in keys), footer
        palette = pilot.app.screen.query_one(".-command-palette")
        assert all(k.region.right <= palette.region.x for k in keys), footer
        assert [k.action for k in keys[:2]] == ["help", "quit"]
