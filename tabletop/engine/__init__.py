"""The rules of tabletop, pure: no I/O, no UI, no clock, no global random.

Commands go in, events come out, the state is a fold over the events::

    engine = Engine(campaign)
    events = engine.start(rng)
    state = engine.fold(events)
    more = engine.decide(state, PlayCard("belarus", "steer-migrants"), rng)
    state = engine.fold(more, state)

Nothing here imports textual, rich, yaml or sockets (a test checks).
"""

from tabletop.engine.commands import FACILITATOR, Command, command_from_data, command_to_data
from tabletop.engine.errors import CommandError, IllegalCommand, MalformedCommand
from tabletop.engine.events import Event, event_from_data, event_to_data
from tabletop.engine.rules import Engine
from tabletop.engine.state import GameState, Outcome

__all__ = [
    "FACILITATOR",
    "Command",
    "CommandError",
    "Engine",
    "Event",
    "GameState",
    "IllegalCommand",
    "MalformedCommand",
    "Outcome",
    "command_from_data",
    "command_to_data",
    "event_from_data",
    "event_to_data",
]
