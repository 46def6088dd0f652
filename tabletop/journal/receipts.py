"""Receipts: what a seat keeps to prove, later, what the host's save held.

Every line of a save holds the sha256 of the line before it, so the sha256 of one line
(a *chain head*) names that line and, through it, every line before it: the header and
events 1..N exactly as written. The host tells every connection the chain head after
the events it sends (they are on the host's disk by then), and a joined seat keeps the
last one in a small receipt file::

    {"format":"tabletop-receipt","version":1,"campaign":"tutorial","campaign_sha256":"cae2...",
     "seat":"veldia","seq":139,"head":"9f2c...","host":"ws://127.0.0.1:8765","time":"2025-03-01T10:42:00+00:00"}

``tabletop verify SAVE --receipt FILE`` (or ``--receipt HASH``, e.g. the fingerprint the
host printed at the end) then proves the save still holds that line: events 1..N were
not changed, removed, reordered or cut since the seat was told of them. It proves
nothing about events after N.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tabletop.journal import JournalRead

FORMAT = "tabletop-receipt"
VERSION = 1
_HEX = re.compile(r"[0-9a-fA-F]{64}")


class ReceiptError(ValueError):
    """A receipt that cannot be read; ``str()`` says why, as a sentence."""


@dataclass(frozen=True)
class Receipt:
    """A chain head, and (from a receipt file) which event it is and whose receipt it is."""

    head: str  # sha256 hex of the line of event ``seq``
    seq: int | None = None  # None: a bare hash (then any event of the save may have it)
    seat: str = ""
    campaign: str = ""
    campaign_sha256: str = ""
    host: str = ""
    time: str = ""
    source: str = ""  # the file it was read from, or "" for a hash given as such

    def to_data(self) -> dict[str, object]:
        return {
            "format": FORMAT, "version": VERSION, "campaign": self.campaign, "campaign_sha256": self.campaign_sha256,
            "seat": self.seat, "seq": self.seq, "head": self.head, "host": self.host, "time": self.time,
        }

    @property
    def whose(self) -> str:
        return f"{self.seat}'s receipt" if self.seat else "the receipt"


def load_receipt(given: str) -> Receipt:
    """The receipt in the file ``given``, or the chain head ``given`` itself (64 hex digits).

    Raises :class:`ReceiptError` with a sentence.
    """
    path = Path(given)
    if not path.is_file():
        if _HEX.fullmatch(given):
            return Receipt(given.lower())
        raise ReceiptError(f"{given} is neither a receipt file nor a fingerprint (64 hex digits)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ReceiptError(f"cannot read the receipt {given}: {getattr(e, 'strerror', None) or e}") from None
    try:
        data = json.loads(text.split("\n", 1)[0])  # the first line: a writer cut short leaves only a tail after it
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReceiptError(f"{given} is not a tabletop receipt")
    head, seq = data.get("head"), data.get("seq")
    if not isinstance(head, str) or not _HEX.fullmatch(head) or not (
        seq is None or (isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0)
    ):
        raise ReceiptError(f"the receipt {given} is damaged (its head or seq is not readable)")
    return Receipt(
        head.lower(), seq, str(data.get("seat", "")), str(data.get("campaign", "")),
        str(data.get("campaign_sha256", "")), str(data.get("host", "")), str(data.get("time", "")), str(path),
    )


def _seat_digest(read: JournalRead, seat: str) -> str | None:
    """The digest of the campaign as ``seat`` was sent it (a campaign with secrets is sent
    to each seat without the others'), or None if the save's campaign cannot be read."""
    from tabletop.campaign.problems import CampaignError
    from tabletop.campaign.redact import campaign_text_for
    from tabletop.campaign.validate import load_campaign_text
    from tabletop.journal.format import campaign_digest

    text = read.header.campaign_text
    if not seat or not text:
        return None
    try:
        campaign = load_campaign_text(text).campaign
    except CampaignError:
        return None
    return campaign_digest(campaign_text_for(campaign, text, seat))


def check_receipt(read: JournalRead, receipt: Receipt) -> tuple[bool, str]:
    """Does the save in ``read`` hold the line the receipt names? ``(ok, sentence)``."""
    whose = receipt.whose
    if receipt.campaign_sha256 and receipt.campaign_sha256 not in (
        read.header.campaign_sha256, _seat_digest(read, receipt.seat)
    ):
        return False, f"{whose} is for another exercise (campaign {receipt.campaign or '?'}), not this save's"
    digests = read.digests
    n = len(digests) - 1  # events loaded
    if receipt.seq is None:
        try:
            k = digests.index(receipt.head)
        except ValueError:
            return False, (
                f"no line of this save has the fingerprint {receipt.head}: the save was changed or cut "
                f"before the point it names"
            )
    else:
        k = receipt.seq
        if k > n:
            return False, (
                f"{whose} is for event {k}, but this save holds only {n} readable events: it was cut or "
                f"damaged after {'the seat' if receipt.seat else 'whoever holds the receipt'} was told of event {k}"
            )
        if digests[k] != receipt.head:
            return False, (
                f"event {k} is not the one in {whose} (fingerprint {receipt.head}): events 1-{k} were "
                f"changed since it was given"
            )
    if k == n:
        return True, (
            f"{whose} matches: events 1-{k} are exactly as they were when it was given, and the save ends there"
        )
    return True, (
        f"{whose} matches event {k}: events 1-{k} are exactly as they were when it was given; "
        f"events {k + 1}-{n} came after it and are proved only consistent"
    )


class ReceiptFile:
    """The receipt a joined seat keeps, rewritten in place as new chain heads arrive.

    Created as ``<campaign>-<seat>.receipt`` in ``folder`` (``-2``, ``-3``... if that
    name is taken: a file this run did not create is never overwritten), mode 0600.
    Each :meth:`update` rewrites it in one write, then trims it.
    """

    def __init__(self, folder: Path, campaign: str, seat: str) -> None:
        self.folder = folder
        self.campaign = campaign
        self.seat = seat
        self.path: Path | None = None
        self._fd = -1
        self.last: Receipt | None = None

    def _open(self) -> None:
        stem = f"{_safe(self.campaign)}-{_safe(self.seat)}"
        for n in range(1, 1000):
            path = self.folder / (f"{stem}.receipt" if n == 1 else f"{stem}-{n}.receipt")
            try:
                self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            except FileExistsError:
                continue
            self.path = path
            return
        raise OSError(f"no free receipt name for {stem} in {self.folder}")

    def update(self, receipt: Receipt) -> None:
        """Keep ``receipt`` (raises ``OSError`` if the file cannot be made or written)."""
        if self._fd < 0:
            self._open()
        line = (json.dumps(receipt.to_data(), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view):]
        os.ftruncate(self._fd, len(line))
        self.last = receipt

    def close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = -1


def _safe(name: str) -> str:
    """``name`` as a file name part: letters, digits, ``-`` and ``_`` only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:60] or "seat"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


__all__ = ["Receipt", "ReceiptError", "ReceiptFile", "check_receipt", "load_receipt"]
