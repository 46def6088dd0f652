"""Finding campaigns: a path, or the id of a bundled campaign in ``campaigns/``."""

from __future__ import annotations

from pathlib import Path

DEFAULT_CAMPAIGN = "belarus-border-2021"

#: The bundled campaigns folder (beside the package in a checkout or editable install).
BUNDLED_DIR = Path(__file__).resolve().parents[2] / "campaigns"


def bundled_campaigns() -> list[Path]:
    """Paths of the bundled campaign files, default first, then by name."""
    if not BUNDLED_DIR.is_dir():
        return []
    paths = sorted(BUNDLED_DIR.glob("*.yaml"))
    return sorted(paths, key=lambda p: (p.stem != DEFAULT_CAMPAIGN, p.name))


def resolve_campaign(name: str | None) -> Path:
    """The file for ``name``: an existing path, or a bundled campaign's id.

    ``None`` means the default campaign. Raises ``FileNotFoundError`` with a sentence
    naming the bundled ids when nothing matches.
    """
    if name is None:
        name = DEFAULT_CAMPAIGN
    path = Path(name)
    if path.exists():
        return path
    candidate = BUNDLED_DIR / f"{name}.yaml"
    if candidate.is_file():
        return candidate
    known = ", ".join(p.stem for p in bundled_campaigns()) or "none"
    raise FileNotFoundError(f"no campaign file or bundled campaign named {name!r} (bundled: {known})")
