"""Widgets of the game screen, one module per part of the board. Each renders a View."""
