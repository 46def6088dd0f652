"""A roll, shown die by die: modifiers with their labels, the total against the target."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from tabletop.tui.chronicle import Roll
from tabletop.tui.text import die_face, signed


def roll_content(roll: Roll) -> Content:
    dice = "  ".join(f"{die_face(d, roll.sides)} {d}" for d in roll.dice)
    lines = [
        Content.styled(roll.title, "bold $foreground"),
        Content.assemble(Content.styled("Dice   ", "$text-muted"), Content.styled(dice, "bold $foreground")),
    ]
    for label, value in roll.modifiers:
        lines.append(Content.assemble(Content.styled("Mod    ", "$text-muted"), Content.styled(f"{signed(value)}  {label}", "$foreground")))
    verdict = "SUCCESS" if roll.success else "FAILURE"
    style = "bold $success" if roll.success else "bold $error"
    lines.append(
        Content.assemble(
            Content.styled("Total  ", "$text-muted"),
            Content.styled(f"{roll.total}", "bold $foreground"),
            Content.styled(f" against {roll.target}  ", "$foreground"),
            Content.styled(f"{verdict}", style),
            Content.styled(f" — {roll.outcome}" if roll.outcome not in ("success", "failure") else "", "$foreground"),
        )
    )
    return Content("\n").join(lines)


class DiceRoll(Widget):
    """One roll."""

    DEFAULT_CSS = """
    DiceRoll { height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, roll: Roll, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.roll = roll
        self.add_class("-success" if roll.success else "-failure")

    def render(self) -> Content:
        return roll_content(self.roll)
