"""A glance at a campaign's text without loading it: for lists that name many saves.

The launcher's save picker says which phase each save stands in; loading (validating)
every campaign a folder of saves holds would take seconds, so this reads the phase names
alone, and says nothing rather than fail when the text is not what it expects.
"""

from __future__ import annotations

import yaml


def phase_names(text: str) -> dict[str, str]:
    """Phase id -> name in the campaign ``text`` ({} if it cannot tell)."""
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return {str(s["id"]): str(s.get("name", s["id"])) for s in data["phases"]["states"]}
    except (yaml.YAMLError, KeyError, TypeError, AttributeError):
        return {}


def rounds(text: str) -> int | None:
    """How many rounds the campaign ``text`` runs for (None if it cannot tell)."""
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        n = data["calendar"]["rounds"]
        return n if type(n) is int else None
    except (yaml.YAMLError, KeyError, TypeError, AttributeError):
        return None
