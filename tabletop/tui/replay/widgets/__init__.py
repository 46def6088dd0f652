"""Widgets of the debrief viewer. Each shows what it is given; none holds game state."""
