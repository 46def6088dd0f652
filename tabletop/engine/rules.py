"""The rules: ``decide`` turns a command into events, ``apply`` folds an event into the state.

``decide(state, command, rng)`` checks the command, refuses it with a typed error
(:class:`MalformedCommand` or :class:`IllegalCommand`) without touching anything, or
returns the events it causes — including everything that then happens by itself
(automatic steps, dice at adjudication, the next round) until the game waits for
someone again. Every random outcome is drawn from ``rng`` and written into an event.

``apply(state, event)`` is a plain fold: no decisions, no randomness. Replaying the
events of a journal rebuilds every state exactly.

:class:`Engine` is the one face of the rules. The work is done in modules with one
concern each, of functions that take the campaign's static data first, as methods take
``self`` (so each is bound here as a method, at no cost per call):

- ``index``: the campaign's static data, indexed once (:class:`CampaignIndex`, which
  ``Engine`` extends with the verbs below);
- ``decide``: one handler per command class — the checks, then the events it causes;
- ``procedure``: the round — what happens by itself until someone must act;
- ``resolve``: consequences — effects, dice, votes closing, sealed covert plays
  resolving, phase triggers, the end of the game;
- ``fold``: one handler per event class — the state after an event;
- ``tx``: one decision in progress, its events folded as they are produced;
- ``legal``: questions — who is awaited, what a seat may send, why a card cannot be played.
"""

from __future__ import annotations

from tabletop.engine import decide as _decide
from tabletop.engine import fold as _fold
from tabletop.engine import legal as _legal
from tabletop.engine import procedure as _procedure
from tabletop.engine.index import FACILITATOR, HIDDEN, CampaignIndex

__all__ = ["FACILITATOR", "HIDDEN", "Engine"]


class Engine(CampaignIndex):
    """The rules of one campaign. Pure: it holds only the campaign's static data.

    Its attributes (``campaign``, ``cards``, ``side_of``, ``instance_card`` ...) and
    helpers (``initial_state``, ``phase_name``, ``date_of`` ...) are
    :class:`CampaignIndex`'s; each verb below is its module's function, bound.
    """

    # open a game, and then decide commands
    start = _procedure.start
    start_step = _procedure.start_step  # start, with the state after each event
    decide = _decide.decide
    step = _decide.step  # decide, with the state after each event

    # fold events into states
    apply = _fold.apply
    fold = _fold.fold

    # what is allowed now
    awaiting = _legal.awaiting
    why_not_play = _legal.why_not_play
    legal_commands = _legal.legal_commands
    evaluation_commands = _legal.evaluation_commands  # observe, hotwash: never in legal_commands
