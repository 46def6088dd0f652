"""Writing a save: :class:`JournalWriter`, one command's events per write, synced."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tabletop.engine.events import event_to_data
from tabletop.journal.format import Entry, Header, JournalError, JournalRead
from tabletop.journal.lines import _digest, _line, line_salt

try:  # an advisory lock keeps two programs from appending to one save at once
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


def _fsync_dir(folder: Path) -> None:
    """Make a new file's name durable (its folder's entry), where the OS allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


_sync = getattr(os, "fdatasync", os.fsync)  # the data and the file's size, not its times


class JournalWriter:
    """Appends entries to a save; with ``durable`` every append is on disk before it returns.

    Each :meth:`append` is one command's events, written in one ``write`` and synced.
    The writer holds an advisory lock, so a second program cannot append to the same
    save at the same time. A failed write is undone (the file is cut back to its last
    good length) and raises :class:`JournalError`. Creating a save raises
    ``FileExistsError`` if the file exists (a save is never overwritten) and
    ``OSError`` if it cannot be created.
    """

    def __init__(self, path: str | Path, header: Header, *, durable: bool = True) -> None:
        self.path = Path(path)
        self.durable = durable
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # FileExistsError if the file exists (a save is never overwritten), OSError if it cannot be made
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
        self._lock()
        self._size = 0
        self._seq = 0
        self._broken = False
        raw = _line(header.to_data())
        self._seed = header.seed
        self._prev = _digest(raw)
        self._write(raw)
        if durable:
            _fsync_dir(self.path.parent.resolve())

    @classmethod
    def append_to(cls, path: str | Path, read: JournalRead, *, durable: bool = True) -> JournalWriter:
        """Continue an existing, undamaged save (resume).

        Raises :class:`JournalError` if ``read`` found damage, if the file changed since
        it was read, or if another program is writing it. A line ``read`` repaired in
        memory is no obstacle: its repair is proved by the next line, which still names
        it, so the chain carries on from the last line as it is.
        """
        if read.damage:
            raise JournalError(f"{read.damage}; it will not be appended to")
        self = cls.__new__(cls)
        self.path = Path(path)
        self.durable = durable
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
        except OSError as e:
            raise JournalError(f"cannot open {self.path} to continue it: {e.strerror or e}") from None
        self._lock()
        size = os.fstat(self._fd).st_size
        if size != read.good_bytes:
            os.close(self._fd)
            self._fd = -1
            raise JournalError(f"{self.path} changed since it was read; open it again")
        self._size = size
        self._seq = len(read.entries)
        self._broken = False
        self._seed = read.header.seed
        self._prev = read.last_digest
        return self

    def _lock(self) -> None:
        if fcntl is None:  # pragma: no cover
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = -1
            raise JournalError(f"{self.path} is being written by another tabletop; close that one first") from None

    def _write(self, raw: bytes) -> None:
        if self._broken:
            raise JournalError(f"{self.path} could not be written earlier; nothing more is added to it")
        view = memoryview(raw)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            if self.durable:
                _sync(self._fd)
        except OSError as e:
            try:  # undo a partial line, so the save stays readable to its last good event
                os.ftruncate(self._fd, self._size)
            except OSError:  # pragma: no cover
                self._broken = True
            raise JournalError(f"could not write to {self.path}: {e.strerror or e}") from None
        self._size += len(raw)

    @property
    def seq(self) -> int:
        """The last event's ``seq`` in the file."""
        return self._seq

    @property
    def head(self) -> str:
        """The chain head: sha256 of the last line written (the next line's ``prev``).

        It names the whole save up to that line: the save's fingerprint, and what a
        receipt holds (see :mod:`tabletop.journal.receipts`).
        """
        return self._prev

    def append(self, entries: Iterable[Entry]) -> None:
        """Write one command's ``entries``; when it returns they are on disk (if durable).

        Raises :class:`JournalError` if an entry's ``seq`` does not follow the last one
        (nothing is written then) or if the write fails (the file is left as it was).
        """
        self.append_groups([entries])

    def append_groups(self, groups: Iterable[Iterable[Entry]]) -> None:
        """Write several commands' entries (one group each) in one write and one sync.

        For copying a save's events (a fork's prefix, the good part of a damaged save);
        raises like :meth:`append`, and then writes nothing.
        """
        prev, seq = self._prev, self._seq
        chunk = bytearray()
        for entries in groups:
            batch: Sequence[Entry] = entries if isinstance(entries, Sequence) else list(entries)
            for i, e in enumerate(batch):
                seq += 1
                if e.seq != seq:
                    raise JournalError(f"event {e.seq} cannot follow event {seq - 1} in {self.path}")
                payload: dict[str, Any] = {
                    "seq": e.seq, "round": e.round, "phase": e.phase, "seat": e.seat,
                    "command": e.command, "event": event_to_data(e.event),
                }
                if e.at is not None:
                    payload["at"] = round(e.at, 3)
                if i == 0 and len(batch) > 1:
                    payload["group"] = len(batch)
                if i == 0:
                    payload["salt"] = line_salt(self._seed, e.seq)
                payload["prev"] = prev
                raw = _line(payload)
                prev = _digest(raw)
                chunk += raw
        if chunk:
            self._write(bytes(chunk))
        self._prev, self._seq = prev, seq

    def close(self) -> None:
        """Release the save (idempotent)."""
        if getattr(self, "_fd", -1) >= 0:
            os.close(self._fd)  # also releases the lock
            self._fd = -1

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

