"""A small inline format-2 campaign for the TUI tests, and apps built on it.

Red (R1) against Blue (B1, B2 and B3). B1's boarding card needs B1 and B2 to agree while
B3 advises; B1's repair card asks why. Red's red line is a hidden value (always 8) that
red knows. An inject in round 1 reaches B1 alone. Blue has a public and a secret
objective, B1 a secret one of its own, red a secret one. Tension 7 or more ends the drill
and every side loses.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine_helpers import actor, campaign_data, card, side, track
from tabletop.campaign.model import Campaign
from tabletop.engine import commands as C
from tabletop.session import LocalSession, resolve_controllers
from tabletop.tui.app import TabletopApp, build_app

RED_BRIEF = "Push, but not past the line you alone can see."
B1_BRIEF = "You lead blue. Your coastguard reports to you first."


def drill() -> Campaign:
    data: dict[str, Any] = campaign_data(
        cards=[
            card("r-push", "red", actor="r1", effects={"tracks": {"tension": 1}}),
            card("r-wait", "red", actor="r1"),
            card("board", "blue", actor="b1", title="Board the vessel",
                 consensus={"voters": ["b1", "b2"], "advisors": ["b3"], "prompt": "Board it?"},
                 effects={"tracks": {"tension": -1}}),
            card("repair", "blue", actor="b1", title="Repair the cable", rationale="ask",
                 effects={"tracks": {"tension": -1}}),
            card("b2-wait", "blue", actor="b2"),
            card("b3-wait", "blue", actor="b3"),
        ],
        sides=[
            side("red", actor("r1", name="Red One", brief=RED_BRIEF),
                 objectives=[{"id": "red-aim", "title": "Red's hidden aim", "when": "tension >= 6", "secret": True}]),
            side("blue",
                 actor("b1", name="Blue One", brief=B1_BRIEF,
                       objectives=[{"id": "b1-reserve", "title": "Blue One keeps 3 resources",
                                    "when": 'resources("b1") >= 3', "secret": True}]),
                 actor("b2", name="Blue Two"), actor("b3", name="Blue Three"),
                 objectives=[
                     {"id": "calm", "title": "Keep tension at 5 or less", "when": "tension <= 5"},
                     {"id": "blue-secret", "title": "Blue's quiet aim", "when": "tension <= 4", "secret": True},
                 ]),
        ],
        tracks=[track("tension")],
        injects=[{
            "id": "tip", "title": "A tip for Blue One", "text": "The trawler is red's.", "round": 1, "to": ["b1"],
            "effects": {"tracks": {"tension": 1}}, "expected": "Blue One shares the tip", "objective": "share",
        }],
        end=[{"id": "clash", "title": "An armed clash", "when": "tension >= 8", "outcome": "lose"}],
        rounds=2,
    )
    data["format"] = 2
    data["hidden"] = [{"id": "red_line", "name": "Red line", "range": [8, 8], "known_by": ["red"]}]
    data["learning_objectives"] = [{"id": "share", "text": "Share what you learn."}]
    return Campaign.model_validate(data)


def drill_session(bots: Iterable[str] = ()) -> LocalSession:
    c = drill()
    return LocalSession(c, seed=1, controllers=resolve_controllers(c, list(bots)))


def drill_app(session: LocalSession, **options: Any) -> TabletopApp:
    options.setdefault("dice_seconds", None)
    options.setdefault("briefing", False)
    app = build_app(session, **options)
    app.animation_level = "none"
    return app


def instance(session: LocalSession, seat: str, card_id: str) -> str:
    hand = session.view(seat).actors[seat].hand or ()
    return next(i for i in hand if session.engine.instance_card[i] == card_id)


def to_boarding(session: LocalSession) -> None:
    """Red passes; Blue One plays the boarding card: Blue Three's advice is awaited."""
    session.submit_now(C.Pass("r1"))
    session.submit_now(C.PlayCard("b1", instance(session, "b1", "board")))


