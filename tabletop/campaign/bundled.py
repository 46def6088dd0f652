"""Finding campaigns: a path, or the id of a bundled campaign.

The bundled campaigns are package data: the top-level ``campaigns/`` folder of the
checkout is installed as the package ``tabletop.campaigns`` (see setup.py), so a wheel,
``pipx install`` or ``uv tool install`` carries them and an editable install reads the
checkout's folder itself: one copy, the one a facilitator edits.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

DEFAULT_CAMPAIGN = "belarus-border-2021"

#: The package the bundled campaign files are installed in.
BUNDLED_PACKAGE = "tabletop.campaigns"


def bundled_dir() -> Path | None:
    """The folder holding the bundled campaigns, or None if this installation has none.

    Read through ``importlib.resources``; a checkout that is on ``sys.path`` without
    being installed (no ``tabletop.campaigns`` to import) reads its own ``campaigns/``.
    """
    try:
        root = importlib.resources.files(BUNDLED_PACKAGE)
    except ModuleNotFoundError:
        root = None
    if isinstance(root, Path) and root.is_dir():
        return root
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "campaigns").is_dir():
        return checkout / "campaigns"
    return None


def bundled_campaigns() -> list[Path]:
    """Paths of the bundled campaign files, default first, then by name."""
    folder = bundled_dir()
    if folder is None:
        return []
    paths = sorted(folder.glob("*.yaml"))
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
    for candidate in bundled_campaigns():
        if candidate.stem == name:
            return candidate
    known = ", ".join(p.stem for p in bundled_campaigns()) or "none"
    raise FileNotFoundError(f"no campaign file or bundled campaign named {name!r} (bundled: {known})")
