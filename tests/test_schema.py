"""The JSON Schema of the campaign format: no drift, modelines, and it accepts real campaigns.

``docs/campaign.schema.json`` is what editors read (through the modeline at the top of
every campaign); it must be exactly what ``tabletop schema`` prints today.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tabletop.campaign.model import Campaign, json_schema
from tabletop.commands.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "campaign.schema.json"
BUNDLED = sorted((ROOT / "campaigns").glob("*.yaml"))
MODELINE = "# yaml-language-server: $schema="
FIX = "regenerate it with: tabletop schema > docs/campaign.schema.json"


def test_the_checked_in_schema_does_not_drift() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text() + "\n", (
        f"docs/campaign.schema.json is out of date with the campaign model; {FIX}"
    )


def test_tabletop_schema_prints_it() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tabletop", "schema"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(proc.stdout) == json_schema()


def test_every_key_of_the_model_is_in_the_schema_with_no_unknown_keys() -> None:
    schema = json_schema()
    assert set(schema["properties"]) == set(Campaign.model_fields)
    assert schema["additionalProperties"] is False
    for name, definition in schema["definitions"].items():
        assert definition.get("additionalProperties") is False, name


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_campaigns_start_with_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), f"{path.name} must start with `{MODELINE}../docs/campaign.schema.json`"
    target = (path.parent / first[len(MODELINE):].strip()).resolve()
    assert target == SCHEMA_FILE.resolve()


# --------------------------------------------------------------------------- the schema accepts them


def _jsonable(value: Any) -> Any:
    """YAML data as an editor's JSON view of it (dates are strings)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _errors(schema: dict[str, Any], value: Any, root: dict[str, Any], where: str = "$") -> list[str]:
    """Draft-7 validation of the keywords this schema uses (jsonschema is not a dependency)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _errors(root["definitions"][name], value, root, where)
    out: list[str] = []
    if "anyOf" in schema:
        if all(_errors(s, value, root, where) for s in schema["anyOf"]):
            out.append(f"{where}: matches none of anyOf")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            return [f"{where}: not of type {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
            out.append(f"{where}: bad length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{where}: does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema.get("minimum", -(10**18)) or value > schema.get("maximum", 10**18):
            out.append(f"{where}: out of bounds")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 10**9):
            out.append(f"{where}: bad number of items")
        if "items" in schema:
            for i, item in enumerate(value):
                out += _errors(schema["items"], item, root, f"{where}[{i}]")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{where}: missing {key}")
        props = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for key, item in value.items():
            if "propertyNames" in schema:
                out += _errors(schema["propertyNames"], key, root, f"{where} key {key!r}")
            matched = False
            if key in props:
                matched = True
                out += _errors(props[key], item, root, f"{where}.{key}")
            for pattern, sub in patterns.items():
                if re.search(pattern, key):
                    matched = True
                    out += _errors(sub, item, root, f"{where}.{key}")
            extra = schema.get("additionalProperties", True)
            if not matched:
                if extra is False:
                    out.append(f"{where}: unknown key {key!r}")
                elif isinstance(extra, dict):
                    out += _errors(extra, item, root, f"{where}.{key}")
    return out


def _validate(document: Any) -> list[str]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return _errors(schema, _jsonable(document), schema)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_the_schema_accepts_the_bundled_campaigns(path: Path) -> None:
    assert _validate(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_the_schema_refuses_what_the_model_refuses() -> None:
    """The checker above is a checker: it finds an unknown key, a bad id and a bad type."""
    document = yaml.safe_load((ROOT / "campaigns" / "tutorial.yaml").read_text(encoding="utf-8"))
    document["cards"][0]["titel"] = "x"
    document["cards"][1]["id"] = "Not An Id"
    document["calendar"]["rounds"] = "three"
    document["tracks"][0]["id"] = "has-dash"
    found = _validate(document)
    assert len(found) >= 4, found
