"""Join codes: one unguessable code per seat, kept beside the save so a restarted host
can take its players back (``SAVE.codes.json``, readable by the owner only). The
observers share one code, and so do the evaluators."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from tabletop.engine.commands import EVALUATOR, FACILITATOR, OBSERVER


class CodesError(ValueError):
    """A codes file that cannot be read or does not fit the game (the message says why)."""


def seats_of(actors: Iterable[str]) -> list[str]:
    """Every seat that gets a code: each actor, then the observers, the evaluators and the facilitator."""
    return [*actors, OBSERVER, EVALUATOR, FACILITATOR]


def new_codes(actors: Iterable[str]) -> dict[str, str]:
    """A fresh code (96 random bits, URL-safe) for every seat of :func:`seats_of`."""
    return {seat: _code() for seat in seats_of(actors)}


def _code() -> str:
    """16 random URL-safe characters (96 bits) that never start with '-' (a code is an
    argument on a command line: `--code -abc` would read as an option)."""
    while True:
        code = secrets.token_urlsafe(12)
        if code[0] != "-":
            return code


def codes_path(save: str | Path) -> Path:
    """Where the codes of ``save`` live: ``game.jsonl`` -> ``game.jsonl.codes.json``."""
    save = Path(save)
    return save.with_name(save.name + ".codes.json")


def write_codes(path: str | Path, codes: Mapping[str, str], *, own: bool = False, force: bool = False) -> None:
    """Write ``codes`` as a JSON object (seat -> code), mode 0600.

    A new file is made without ever replacing one that appears meanwhile. An existing
    file that already holds exactly ``codes`` is left as it is. Any other existing file
    is replaced (atomically) only if it is the game's ``own`` codes file (``host
    --resume``) or ``force`` is set, and never if it is a save; otherwise raises
    :class:`tabletop.files.Refused` with the sentence why. ``OSError`` if it cannot be
    written.
    """
    from tabletop.files import Refused, check_new, is_save, replace_with

    path = Path(path)
    data = (json.dumps(dict(codes), indent=2) + "\n").encode("utf-8")
    if path.exists() and not is_save(path) and _holds(path, codes):
        return
    check_new(path, force=force or own)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        replace_with(path, data, mode=0o600)
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # whole or not at all, and never over a file that appeared meanwhile
        except FileExistsError:
            raise Refused(f"{path} appeared while the join codes were being written, and is left as it is") from None
        except OSError:  # no hard links here (some file systems): an exclusive create instead
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
    finally:
        tmp.unlink(missing_ok=True)


def _holds(path: Path, codes: Mapping[str, str]) -> bool:
    """Does the file at ``path`` hold exactly ``codes``?"""
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")) == dict(codes))
    except (OSError, ValueError):
        return False


def read_codes(path: str | Path, actors: Iterable[str]) -> dict[str, str]:
    """The codes in ``path``; raises :class:`CodesError` if unreadable or a seat is missing.

    A file written before there were evaluators has no evaluator code: one is made (the
    host writes it back beside the save)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CodesError(f"cannot read the join codes in {path}: {e.strerror or e}") from None
    except ValueError:
        raise CodesError(f"the join codes file {path} is not valid JSON") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()):
        raise CodesError(f"the join codes file {path} is not a JSON object of seat -> code")
    if EVALUATOR not in data:
        data = {k: v for k, v in data.items() if k != FACILITATOR} | {EVALUATOR: _code()} | (
            {FACILITATOR: data[FACILITATOR]} if FACILITATOR in data else {})
    missing = [s for s in seats_of(actors) if s not in data]
    if missing:
        raise CodesError(f"the join codes file {path} has no code for: {', '.join(missing)}")
    if len(set(data.values())) != len(data):
        raise CodesError(f"the join codes file {path} gives two seats the same code")
    return dict(data)
