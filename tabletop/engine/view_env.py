"""A condition's env built from what one seat sees: for bots that judge a position.

:meth:`GameState.env <tabletop.engine.state.GameState.env>` reads the true state; a bot
must read only its :class:`~tabletop.engine.views.View`. :class:`ViewEnv` answers the same
names (tracks, ``round``, ``phase``, hidden values) and the same calls
(``resources:<actor>``, ``played:<card>[:<actor>]``, ``played_this_round:...``) from the
view: a hidden value the seat does not know reads as the middle of its range (or the first
of its values), another side's resources as 0, a hidden play as not played.
"""

from __future__ import annotations

from tabletop.campaign.model import HiddenValue
from tabletop.engine.rules import Engine
from tabletop.engine.views import View


def guess(value: HiddenValue) -> int | str:
    """What a seat that does not know ``value`` supposes it is."""
    if value.range is not None:
        return (value.range[0] + value.range[1]) // 2
    assert value.values is not None
    return value.values[0]


class ViewEnv(dict[str, int | str]):
    """Names and calls a condition reads, from ``view``; calls are answered when first read."""

    def __init__(self, engine: Engine, view: View) -> None:
        super().__init__(view.tracks)
        for value in engine.campaign.hidden:
            self[value.id] = view.values.get(value.id, guess(value))
        self["round"] = view.round
        self["phase"] = view.phase
        self.view = view

    def copy(self) -> ViewEnv:
        new = ViewEnv.__new__(ViewEnv)
        dict.update(new, self)
        new.view = self.view
        return new

    def __missing__(self, key: str) -> int | str:
        name, _, rest = key.partition(":")
        subject, _, by = rest.partition(":")
        view = self.view
        value: int
        if name == "resources" and subject in view.actors:
            value = view.actors[subject].resources or 0
        elif name in ("played", "played_this_round"):
            this_round = name == "played_this_round"
            value = int(any(
                p.card == subject and p.status == "resolved" and (not by or p.actor == by)
                and (not this_round or p.round == view.round)
                for p in view.plays
            ))
        else:
            raise KeyError(key)
        # A call's answer depends on the view alone (not on the names a bot changes in a
        # copy to judge a move): kept, so copies and later reads do not walk the plays again.
        self[key] = value
        return value
