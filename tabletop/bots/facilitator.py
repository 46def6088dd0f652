"""The facilitator bot: rules what the game waits for, as a white cell would.

A facilitator contest is ruled from the card's guidance (:func:`~tabletop.bots.odds.guidance`):
its modifiers, its target and the board its prompt and outcomes name give the chance
the action deserves. A clear case is ruled as it reads (success from 75%, failure up to
25%); a close one is drawn from the bot's own generator at odds sharpened toward the
reading, so a ruling follows the guidance without being certain. The rationale says
what weighed. Free-form proposals are accepted; a pause is lifted; otherwise it
moves the game on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from tabletop.bots.odds import Reading, guidance
from tabletop.engine import commands as C
from tabletop.engine.rules import Engine
from tabletop.engine.view_env import ViewEnv
from tabletop.engine.views import View

#: a reading at least this likely is ruled a success, at most 1 minus it a failure
CLEAR = 0.75


class FacilitatorBot:
    """Rules facilitator contests from their guidance and accepts proposals."""

    def __init__(self, engine: Engine, rng: random.Random) -> None:
        self.engine, self.rng = engine, rng

    def choose(self, view: View, legal: Sequence[C.Command]) -> C.Command:
        for cmd in legal:
            if isinstance(cmd, C.Adjudicate) and cmd.success:
                return self.rule(view, cmd.play)
            if isinstance(cmd, C.RuleProposal) and cmd.verdict == "accept":
                return replace(cmd, rationale="Accepted by the facilitator bot.")
            if isinstance(cmd, C.Resume):
                return cmd
        return next((c for c in legal if isinstance(c, C.Advance)), legal[0])

    def reading(self, view: View, play_id: int) -> Reading:
        """How the contest of play ``play_id`` reads on the board (the facilitator sees all)."""
        play = next(p for p in view.plays if p.id == play_id)
        assert play.card is not None  # the facilitator sees every card
        played = {p.card for p in view.plays if p.card is not None and p.status == "resolved"}
        return guidance(self.engine.campaign, self.engine.cards[play.card], ViewEnv(self.engine, view), played)

    def rule(self, view: View, play_id: int) -> C.Adjudicate:
        """The ruling on play ``play_id``'s contest, with its rationale."""
        r = self.reading(view, play_id)
        p = r.chance
        if p >= CLEAR or p <= 1 - CLEAR:
            success = p >= CLEAR
            how = "A clear case"
        else:
            sharp = p * p / (p * p + (1 - p) * (1 - p))
            success = self.rng.random() < sharp
            how = "A close call"
        text = ruling_words(how, p, r.reasons)
        if len(text) > C.MAX_RATIONALE:
            text = text[: C.MAX_RATIONALE - 1].rsplit(" ", 1)[0] + "…"
        return C.Adjudicate(C.FACILITATOR, play_id, success, text)


def ruling_words(how: str, chance: float, reasons: Sequence[tuple[str, int]]) -> str:
    """The rationale of a ruling, as a person would give it (the narration says the verdict
    before it: "The facilitator ruled Bot swarm (#3) a failure: A close call (its chance
    of success was about 58%). Nothing on the board tipped it either way.")."""
    weighed = (
        "What weighed: " + "; ".join(f"{label} {value:+d}" for label, value in reasons) + "."
        if reasons else "Nothing on the board tipped it either way."
    )
    return f"{how} (its chance of success was about {round(100 * chance)}%). {weighed}"
