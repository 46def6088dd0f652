"""The crisis state machine, built from a campaign's phases with `transitions`."""

from tabletop.phases.machine import CrisisMachine, FiredTransition

__all__ = ["CrisisMachine", "FiredTransition"]
