"""Seat modes for networked play: one seat per terminal, and the host's facilitator console.

The screens are the hot-seat ones; only the seating differs. These run over a
LocalSession (the network's RemoteSession offers the same interface; tests/net
drives the real thing), with the test moving the bots as a host would.
"""

from __future__ import annotations

from collections.abc import Callable

from scenario import close_brief, until
from tabletop.engine.commands import FACILITATOR
from tabletop.session import LocalSession
from tabletop.tui.app import TabletopApp, build_app
from tabletop.tui.screens.game import GameScreen
from tabletop.tui.widgets.hand import CardWidget
from tabletop.tui.widgets.log import EventLog

SIZE = (100, 30)


def board(app: TabletopApp) -> GameScreen:
    return next(s for s in app.screen_stack if isinstance(s, GameScreen))


def log_text(app: TabletopApp) -> str:
    return "\n".join(line.text for line in board(app).query_one(EventLog)._all)


async def test_a_single_seat_sees_only_its_own_hand_and_no_console(new_session: Callable[..., LocalSession]) -> None:
    session = new_session(bots=("northmark", "ostrand"))
    session.run_bots()  # the host moves bots; here the test does
    app = build_app(session, seat_mode="single", seat="veldia", dice_seconds=None, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await close_brief(pilot, "veldia")  # on join, the seat reads its own brief first
        screen = board(app)
        assert screen.shown_seat == "veldia"
        cards = list(screen.query(CardWidget))
        assert cards and {c.instance for c in cards} == set(session.state.actors["veldia"].hand)
        assert not screen.check_action("facilitator", ())
        assert app.screen is screen  # no hand-off: nobody else uses this terminal


async def test_a_seat_reads_its_own_covert_play_in_its_log(new_session: Callable[..., LocalSession]) -> None:
    session = new_session(bots=("veldia", "ostrand"))
    app = build_app(session, seat_mode="single", seat="northmark", dice_seconds=None, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        engine = session.engine
        covert = next(i for i in session.state.actors["northmark"].hand if engine.cards[engine.instance_card[i]].covert)
        from tabletop.engine.commands import PlayCard

        await session.submit(PlayCard("northmark", covert))
        await pilot.pause()
        title = engine.cards[engine.instance_card[covert]].title
        assert f"Northmark played {title} covertly" in log_text(app)


async def test_the_facilitator_console_mode_sees_everything_and_moves_no_bot(
    new_session: Callable[..., LocalSession],
) -> None:
    session = new_session(bots=("northmark", "veldia", "ostrand"))
    session.set_controller(FACILITATOR, "human")
    app = build_app(session, seat_mode="facilitator", dice_seconds=None, briefing=False, bot_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seq = session.state.seq
        await pilot.pause(0.2)
        assert session.state.seq == seq  # the host, not this console, moves the bots
        screen = board(app)
        assert screen.shown_seat == FACILITATOR
        assert screen.check_action("facilitator", ()) or screen.check_action("facilitator_needed", ())
        engine = session.engine
        covert = next(i for i in session.state.actors["northmark"].hand if engine.cards[engine.instance_card[i]].covert)
        from tabletop.engine.commands import PlayCard

        await session.submit(PlayCard("northmark", covert))  # as the host would, for its bot
        await pilot.pause()
        title = engine.cards[engine.instance_card[covert]].title
        assert f"Northmark played {title} covertly" in log_text(app)
        assert "A covert action was taken" not in log_text(app)


class _HostedSession:
    """A LocalSession as a host's console sees it: with seat statuses and join commands."""

    def __init__(self, session: LocalSession) -> None:
        self._session = session
        self.status = {"northmark": "bot", "veldia": "waiting", "ostrand": "connected", "facilitator": "connected"}
        self.handed: list[tuple[str, str]] = []

    def host_seats(self) -> list[tuple[str, str, str, str]]:
        names = {"northmark": "Northmark", "veldia": "Veldia", "ostrand": "Ostrand", "facilitator": "facilitator"}
        return [(s, names[s], st, f"tabletop join ws://127.0.0.1:1 --code code-{s}") for s, st in self.status.items()]

    def hand_seat(self, seat: str, controller: str) -> None:
        self.handed.append((seat, controller))
        self.status[seat] = "bot" if controller == "bot" else "waiting"

    def bot_command(self) -> None:
        return None

    def __getattr__(self, name: str) -> object:
        return getattr(self._session, name)


async def test_the_host_console_shows_who_is_missing_and_the_join_commands(
    new_session: Callable[..., LocalSession],
) -> None:
    from textual.widgets import OptionList, Static

    from tabletop.tui.screens.seats import SeatsScreen

    hosted = _HostedSession(new_session(bots=("northmark",)))
    app = build_app(hosted, seat_mode="facilitator", dice_seconds=None, briefing=False)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = str(board(app).query_one("#status", Static).render())
        assert "missing: Veldia" in status
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, SeatsScreen)
        table = app.screen.query_one("#seats-table", OptionList)

        def lines() -> list[str]:
            return [str(table.get_option_at_index(i).prompt) for i in range(table.option_count)]

        veldia = next(line for line in lines() if line.startswith("Veldia"))
        assert "waiting" in veldia and "--code code-veldia" in veldia
        table.highlighted = 1  # Veldia: hand the missing seat to a bot, and back
        await pilot.press("b")
        await pilot.pause()
        assert hosted.handed == [("veldia", "bot")] and "bot" in lines()[1]
        await pilot.press("b")
        await pilot.pause()
        assert hosted.handed[-1] == ("veldia", "human")
        table.highlighted = 3  # the facilitator's seat is not a player's
        await pilot.press("b")
        assert len(hosted.handed) == 2
        hosted.status["veldia"] = "connected"
        # refreshed every second: as soon as it is, not after a fixed pause
        await until(pilot, lambda: not any("waiting" in line for line in lines()), "the seats list to refresh", 3.0)
        assert not any("waiting" in line for line in lines())
        await pilot.press("escape")
        status = board(app).query_one("#status", Static)
        await until(pilot, lambda: "every seat is taken" in str(status.render()), "the status line to refresh", 3.0)
        assert "every seat is taken" in str(board(app).query_one("#status", Static).render())


async def test_a_hot_seat_game_has_no_seats_key(new_session: Callable[..., LocalSession]) -> None:
    app = build_app(new_session(), dice_seconds=None, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not board(app).check_action("seats", ())


async def test_the_facilitator_console_lists_every_hand(new_session: Callable[..., LocalSession]) -> None:
    from textual.widgets import Static

    session = new_session(bots=("northmark",))
    app = build_app(session, seat_mode="facilitator", dice_seconds=None, briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = board(app)
        assert "Every hand" in str(screen.query_one("#hand-title", Static).render())
        shown = " ".join(str(w.render()) for w in screen.query("#hand Static"))
        engine = session.engine
        for actor, state in session.state.actors.items():
            for instance in state.hand:
                assert engine.cards[engine.instance_card[instance]].title in shown.replace("\n", " ")
