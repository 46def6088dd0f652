"""`tabletop schema`: print the JSON Schema of the campaign format."""

from __future__ import annotations

import argparse
import json

from tabletop.campaign.model import json_schema


def schema_text() -> str:
    """The schema as ``tabletop schema`` prints it (without the final newline)."""
    return json.dumps(json_schema(), indent=2)


def run(args: argparse.Namespace) -> int:
    """Print the schema on stdout; returns the exit code (always 0)."""
    print(schema_text())
    return 0
