"""Where tabletop keeps files, and how it writes one without destroying another.

The rules every command follows (PRODUCT.md, non-negotiables):

* A command creates its files exclusively (``O_EXCL``): a file that was there before it
  ran is never replaced or altered, unless the user passed ``--force``. (A command may
  replace a file it created itself in the same run.)
* A save (a tabletop journal: its first line starts ``{"format":"tabletop-journal"``)
  is never overwritten, not even with ``--force``.

Saves go to ``./saves`` when the current folder has a ``saves/`` folder (as the
checkout does), otherwise to the user's data folder (``platformdirs``), e.g.
``~/.local/share/tabletop/saves`` on Linux.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The first bytes of every save (the journal header line); see ``tabletop.journal``.
SAVE_START = b'{"format":"tabletop-journal"'

_BINARY = getattr(os, "O_BINARY", 0)


class Refused(Exception):
    """A file was not written because that would destroy another (one sentence, for stderr)."""


def saves_dir(cwd: str | Path | None = None) -> Path:
    """The folder saves go to: ``saves`` if the current folder (or ``cwd``) has one,
    else ``<user data folder>/tabletop/saves``. The folder is not created here."""
    here = Path.cwd() if cwd is None else Path(cwd)
    if (here / "saves").is_dir():
        return Path("saves") if cwd is None else here / "saves"
    import platformdirs

    return platformdirs.user_data_path("tabletop", appauthor=False) / "saves"


def shown(folder: str | Path) -> str:
    """A folder as a person reads it: ``./saves`` for a relative one, ``~/...`` under home."""
    folder = Path(folder)
    if not folder.is_absolute():
        return f"./{folder}" if not str(folder).startswith(".") else str(folder)
    try:
        return f"~/{folder.relative_to(Path.home())}"
    except (ValueError, RuntimeError):
        return str(folder)


def is_save(path: str | Path) -> bool:
    """Is ``path`` a tabletop save (a journal, however damaged past its first bytes)?"""
    try:
        with open(path, "rb") as f:
            return f.read(len(SAVE_START)) == SAVE_START
    except OSError:
        return False


def check_new(path: str | Path, *, force: bool = False) -> None:
    """Raise :class:`Refused` unless ``path`` may be written: it does not exist, or it is
    not a save and ``force`` is set. Says the one sentence why not."""
    path = Path(path)
    if path.is_dir():
        raise Refused(f"{path} is a folder, not a file")
    if is_save(path):
        raise Refused(f"{path} is a save; a save is never overwritten (choose another file)")
    if not force and (path.exists() or path.is_symlink()):
        raise Refused(f"{path} already exists and is left as it is (choose another file, or pass --force to replace it)")


def write_new(path: str | Path, data: str | bytes, *, force: bool = False, mode: int = 0o644) -> None:
    """Write ``data`` (text is UTF-8) to ``path``, which must not exist unless ``force``.

    A new file is created with ``O_EXCL``, so nothing that appears meanwhile is
    clobbered; with ``force`` an existing file (never a save) is replaced atomically.
    Raises :class:`Refused` (see :func:`check_new`) or ``OSError``.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_new(path, force=force)
    if not (path.exists() or path.is_symlink()):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, mode)
        except FileExistsError:
            raise Refused(f"{path} appeared while it was being written, and is left as it is") from None
        try:
            _write_all(fd, raw)
        except BaseException:
            os.close(fd)
            path.unlink(missing_ok=True)  # ours: made a moment ago
            raise
        os.close(fd)
        return
    replace_with(path, raw, mode=mode)


def replace_with(path: str | Path, data: bytes, *, mode: int = 0o644) -> None:
    """Put ``data`` at ``path`` atomically (a new file in the same folder, then a rename),
    replacing what is there unless it is a save. Callers decide whether replacing is allowed."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, mode)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        if is_save(path):  # checked again as late as possible
            raise Refused(f"{path} is a save; a save is never overwritten (choose another file)")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


__all__ = ["SAVE_START", "Refused", "check_new", "is_save", "replace_with", "saves_dir", "shown", "write_new"]
