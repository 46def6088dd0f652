"""The crisis-phase machine: a `transitions` Machine built from a campaign.

The machine *decides* which transition fires; the engine records the fact as an event.
Configuration lives in the Machine, the current phase in a scratch model that is set
from the game state before every question, so the machine holds no game state of its
own between calls and is never saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from transitions import Machine

from tabletop.campaign.model import Campaign, Transition

# transitions logs every trigger (and every trigger with no transition from the current
# phase, which is normal here) itself; the engine records facts as events instead.
logging.getLogger("transitions").setLevel(logging.ERROR)

#: Internal trigger under which every automatic transition is registered, in order.
AUTO = "__auto__"


@dataclass(frozen=True, slots=True)
class FiredTransition:
    """A transition the machine took: from where, to where, and which rule allowed it."""

    index: int  # position in the campaign's `phases.transitions`
    trigger: str
    source: str
    dest: str
    condition: str | None


class _Model:
    """The machine's model: only the current phase."""

    state: str


class CrisisMachine:
    """Answers "which transition fires now?" for one campaign.

    Built once per campaign. Not thread-safe (it reuses one scratch model), which
    suits the engine: one game per process at a time.
    """

    def __init__(self, campaign: Campaign) -> None:
        self._campaign = campaign
        phases = campaign.phases
        self.states = [p.id for p in phases.states]
        self.terminal = frozenset(p.id for p in phases.states if p.terminal)
        self._transitions: list[Transition] = list(phases.transitions)
        self._env: Mapping[str, int | str] = {}
        self._fired: int | None = None
        self._model = _Model()
        self._machine = Machine(
            model=self._model,
            states=self.states,
            initial=phases.initial,
            auto_transitions=False,
            queued=True,
            ignore_invalid_triggers=True,
        )
        live = [s for s in self.states if s not in self.terminal]
        for index, t in enumerate(self._transitions):
            sources = live if t.source == "*" else list(t.sources)
            kwargs: dict[str, Any] = {
                "source": sources,
                "dest": t.dest,
                "conditions": [self._guard(t.when)] if t.when else [],
                "after": [self._recorder(index)],
            }
            self._machine.add_transition(trigger=t.trigger, **kwargs)
            if t.is_auto:
                self._machine.add_transition(trigger=AUTO, **kwargs)
        self.triggers = frozenset(t.trigger for t in self._transitions)

    def _guard(self, text: str) -> Callable[[], bool]:
        condition = self._campaign.condition(text)
        return lambda: condition.evaluate(self._env)

    def _recorder(self, index: int) -> Callable[[], None]:
        def record() -> None:
            self._fired = index

        return record

    def _run(self, trigger: str, phase: str, env: Mapping[str, int | str]) -> FiredTransition | None:
        if phase in self.terminal:
            return None
        self._machine.set_state(phase, model=self._model)
        self._env = env
        self._fired = None
        self._model.trigger(trigger)  # type: ignore[attr-defined]
        if self._fired is None:
            return None
        t = self._transitions[self._fired]
        return FiredTransition(self._fired, t.trigger, phase, t.dest, t.when)

    def fire(self, trigger: str, phase: str, env: Mapping[str, int | str]) -> FiredTransition | None:
        """The transition ``trigger`` takes from ``phase`` under ``env``, or None.

        None when no transition with that trigger leaves ``phase`` or none of their
        conditions holds. ``env`` maps track ids, ``round`` and ``phase`` to values.
        """
        if trigger not in self.triggers:
            return None
        return self._run(trigger, phase, env)

    def step(self, phase: str, env: Mapping[str, int | str]) -> FiredTransition | None:
        """The first automatic transition from ``phase`` whose condition holds, or None."""
        return self._run(AUTO, phase, env)
