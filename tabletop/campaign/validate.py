"""Loading a campaign file and checking it: every problem, each with its line and column.

Three passes, each reporting through :class:`~tabletop.campaign.problems.Problem`:

1. :func:`~tabletop.campaign.yamlsource.load_yaml` turns the bytes into plain data and a
   source map (syntax errors, duplicate keys, refused tags and the like);
2. the pydantic model (:mod:`tabletop.campaign.model`) checks the *shape*; its errors are
   rewritten into plain sentences that name the card, track or actor concerned
   (:mod:`tabletop.campaign.shape`);
3. :func:`~tabletop.campaign.semantics.check_campaign` checks what needs the whole
   document: references between ids, conditions, bounds, the round order and the
   reachability of phases and cards (:mod:`tabletop.campaign.semantics`).

:func:`load_campaign` and :func:`load_campaign_text` raise :class:`CampaignError` (and
nothing else, whatever the input) when any problem is an error; warnings never stop a
campaign from loading. :func:`validate_path` returns every problem for the CLI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from tabletop.campaign.model import Campaign
from tabletop.campaign.problems import CampaignError, Problem, Severity
from tabletop.campaign.semantics import check_campaign
from tabletop.campaign.shape import shape_problems
from tabletop.campaign.wording import describe_value
from tabletop.campaign.yamlsource import MAX_BYTES, load_yaml

__all__ = [
    "LoadedCampaign",
    "MAX_FILE_BYTES",
    "check_campaign",
    "load_campaign",
    "load_campaign_text",
    "validate_path",
    "validate_text",
]

#: Larger files are refused without reading further (the default campaign is ~60 kB).
MAX_FILE_BYTES = MAX_BYTES

ERROR = Severity.ERROR


@dataclass(frozen=True)
class LoadedCampaign:
    """A campaign that loaded: the model, where it came from, and any warnings."""

    campaign: Campaign
    path: str
    text: str
    sha256: str
    warnings: tuple[Problem, ...]


# =========================================================================== public API


def load_campaign(path: str | Path) -> LoadedCampaign:
    """Read, parse and check the campaign file at ``path``.

    Returns a :class:`LoadedCampaign` (with its warnings, if any). Raises
    :class:`CampaignError` listing every problem, warnings included, if the file cannot
    be read or any problem is an error; it raises nothing else.
    """
    name = str(path)
    raw, problem = _read(path, name)
    if problem is not None:
        raise CampaignError([problem])
    assert raw is not None
    return load_campaign_text(raw, name)


def load_campaign_text(text: str | bytes, path: str = "<campaign>") -> LoadedCampaign:
    """Parse and check a campaign given as text (or as the bytes of a file).

    ``path`` names the source in problems. Returns a :class:`LoadedCampaign`; raises
    :class:`CampaignError` listing every problem if any is an error, and nothing else.
    """
    campaign, decoded, problems = _analyse(text, path)
    if campaign is None or any(p.is_error for p in problems):
        if not any(p.is_error for p in problems):  # pragma: no cover - defensive
            problems.append(Problem(path, 1, 1, ERROR, "the campaign could not be loaded"))
        raise CampaignError(problems)
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return LoadedCampaign(
        campaign=campaign,
        path=path,
        text=decoded,
        sha256=hashlib.sha256(raw).hexdigest(),
        warnings=tuple(_sorted(problems)),
    )


def validate_path(path: str | Path) -> list[Problem]:
    """Every problem (errors and warnings) in the campaign file at ``path``, by position.

    An empty list means the file is a clean campaign. Never raises: a file that cannot
    be read is reported as a problem at 1:1.
    """
    name = str(path)
    raw, problem = _read(path, name)
    if problem is not None:
        return [problem]
    assert raw is not None
    return validate_text(raw, name)


def validate_text(text: str | bytes, path: str = "<campaign>") -> list[Problem]:
    """Every problem (errors and warnings) in a campaign given as text, by position.

    Never raises.
    """
    return _sorted(_analyse(text, path)[2])


# =========================================================================== reading


def _read(path: str | Path, name: str) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the problem that stopped us reading them."""

    def fail(message: str) -> tuple[None, Problem]:
        return None, Problem(name, 1, 1, ERROR, message)

    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return fail("no such file")
    except IsADirectoryError:
        return fail("this is a folder, not a campaign file")
    except PermissionError:
        return fail("permission denied: this file cannot be read")
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the name
        reason = getattr(e, "strerror", None) or str(e)
        return fail(f"cannot read this file: {reason}")
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return fail(f"the file is too big (more than {limit} MB): campaign files are limited to {limit} MB")
    return raw, None


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.col, not p.is_error, p.message))


# =========================================================================== the passes


def _analyse(source: str | bytes, path: str) -> tuple[Campaign | None, str, list[Problem]]:
    """Run every pass; returns the campaign (if the shape is right), the text, problems."""
    try:
        return _analyse_unguarded(source, path)
    except CampaignError as e:
        return None, "", list(e.problems)
    except RecursionError:
        return None, "", [Problem(path, 1, 1, ERROR, "the document is nested too deeply to be read")]
    except MemoryError:
        return None, "", [Problem(path, 1, 1, ERROR, "the document is too large to be read")]
    except Exception as e:  # noqa: BLE001 - last resort: a traceback must never reach the user
        return None, "", [
            Problem(
                path, 1, 1, ERROR,
                f"internal error while checking this file ({type(e).__name__}: {e}); please report it",
            )
        ]


def _analyse_unguarded(source: str | bytes, path: str) -> tuple[Campaign | None, str, list[Problem]]:
    loaded = load_yaml(source, path)
    problems = list(loaded.problems)
    text = _decode(source)
    data, smap = loaded.data, loaded.source_map

    if data is None:
        problems.append(
            Problem(path, 1, 1, ERROR, "the file is empty: a campaign is a mapping of keys such as id, title and sides")
        )
        return None, text, problems
    if not isinstance(data, dict):
        line, col = smap.locate(())
        problems.append(
            Problem(
                path, line, col, ERROR,
                f"a campaign must be a mapping of keys (title:, sides:, ...), not {describe_value(data)}",
            )
        )
        return None, text, problems

    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as e:
        # A value the loader already complained about (a bad date...) is not reported twice.
        reported = {(p.line, p.col) for p in problems}
        shape = shape_problems(path, data, smap, e.errors(include_url=False))
        problems.extend(p for p in shape if (p.line, p.col) not in reported)
        return None, text, problems

    problems.extend(check_campaign(campaign, smap, path))
    return campaign, text, problems


def _decode(source: str | bytes) -> str:
    if isinstance(source, str):
        return source
    return source.decode("utf-8-sig", errors="replace")
