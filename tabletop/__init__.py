"""tabletop: a terminal tabletop exercise for hybrid-threat crises."""

__version__ = "0.1.0"
