"""Campaigns: the YAML format, its validation, and where the bundled ones live.

The model (:mod:`tabletop.campaign.model`) and the problems
(:mod:`tabletop.campaign.problems`) are light. Loading (:mod:`tabletop.campaign.validate`)
needs PyYAML, so its names are imported on first use: the engine imports the model
through this package and must not load YAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tabletop.campaign.model import Campaign
from tabletop.campaign.problems import CampaignError, Problem, Severity

if TYPE_CHECKING:
    from tabletop.campaign.validate import (
        LoadedCampaign,
        load_campaign,
        load_campaign_text,
        validate_path,
        validate_text,
    )

_LAZY = {
    "LoadedCampaign": "tabletop.campaign.validate",
    "load_campaign": "tabletop.campaign.validate",
    "load_campaign_text": "tabletop.campaign.validate",
    "validate_path": "tabletop.campaign.validate",
    "validate_text": "tabletop.campaign.validate",
}

__all__ = [
    "Campaign",
    "CampaignError",
    "LoadedCampaign",
    "Problem",
    "Severity",
    "load_campaign",
    "load_campaign_text",
    "validate_path",
    "validate_text",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
