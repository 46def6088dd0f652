"""Clients of the engine that look at many games or one whole game: simulate, report, debrief."""
