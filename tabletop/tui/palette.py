"""Game commands in the command palette (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (title, action on the game screen, help)
GAME_COMMANDS = (
    ("Pass", "pass_turn", "End your turn without playing a card."),
    ("Attribute a covert action", "attribute", "Accuse an actor of a hidden play of the other side."),
    ("Write a proposal", "propose", "Propose a free-form action for the facilitator to rule on."),
    ("Vote", "vote", "Cast your ballot on the open consensus card."),
    ("Advise", "advise", "Give your advice on the open consensus card (advisors do not vote)."),
    ("My role", "brief", "Your brief, what only you know, where your objectives stand, what can end the game, news for you alone."),
    ("Facilitator console", "facilitator", "Injects, rulings, track adjustments, notes, pause and advance."),
    ("Phase screen", "phases", "The crisis phases, their transitions and the history of phase changes."),
    ("Round in review", "round_summary", "The last round: plays, votes, dice and rulings, tracks, phase, injects."),
    ("Log", "log", "Every sentence of the log so far, to scroll back through."),
    ("Outcome", "end_summary", "The end screen: objectives, turning points, the save."),
    ("Record an observation", "observe", "An evaluator's observation: the event, an objective, a P/S/M/U rating."),
    ("Help", "app.help", "Every key, with what it does."),
)


class GameCommands(Provider):
    """The game screen's actions that apply now."""

    def _available(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        out = []
        for title, action, help_text in GAME_COMMANDS:
            if action.startswith("app."):
                out.append((title, action, help_text))
                continue
            check = screen.check_action(action, ())
            if action == "facilitator" and not check:
                check = screen.check_action("facilitator_needed", ())
            if action == "observe" and not check:
                check = screen.check_action("observe_quietly", ())
            if check:
                out.append((title, action, help_text))
        return out

    async def discover(self) -> Hits:
        for title, action, help_text in self._available():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.screen.run_action, action), text=title, help=help_text)
