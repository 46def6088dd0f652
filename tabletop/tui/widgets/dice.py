"""A roll, shown die by die: modifiers with their labels, the total and what succeeds."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from tabletop.tui.chronicle import Roll
from tabletop.tui.text import die_face, signed, succeeds_from


#: why a seat is told only the outcome of a roll (the engine sends it no dice)
NOT_SHOWN = {
    "attribution": "The roll is not shown to you (it would tell which card it was)",
    "contest": "The roll is not shown to you (it would tell what is hidden from you)",
    # the card is named on the board, but the roll's modifiers read a value hidden from you
    "attribution-revealed": "The roll is not shown to you (it counts something hidden from you)",
}


def roll_content(roll: Roll) -> Content:
    if not roll.dice:  # told only the outcome: the dice, modifiers and target would give a secret away
        kind = roll.kind if roll.kind in NOT_SHOWN else "contest"
        verdict = roll.outcome if kind.startswith("attribution") else ("it succeeds" if roll.success else "it fails")
        return Content("\n").join([
            Content.styled(roll.title, "bold $foreground"),
            Content.assemble(
                Content.styled(f"{NOT_SHOWN[kind]}: ", "$foreground"),
                Content.styled(f"{verdict}.", "bold $success" if roll.success else "bold $error"),
            ),
        ])
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
            Content.styled(f" ({succeeds_from(roll.target)})  ", "$foreground"),
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
