"""Screens of the debrief viewer: the replay itself, the charts, and the small dialogs."""
