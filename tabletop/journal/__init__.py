"""The journal: the save file. JSON Lines, append-only, durable before acknowledged.

Line 1 is the header: format and engine versions, the campaign's full text and hash,
the seats and who controls them, and the seed. Every further line is one event::

    {"seq": 12, "round": 2, "phase": "border-crisis", "seat": "belarus",
     "command": {...} | null, "event": {...}, "group": 3,
     "prev": "<sha256 of the previous line>", "sum": "<crc32 of this line before the sum>"}

``prev`` chains every line to the one before it, so a changed, dropped, duplicated or
reordered line is evident; ``sum`` catches damage to any single line (the header's
too). ``group`` (only on the first event of a command that caused more than one) says
how many events that command caused: they are written in one write, and a reader keeps
a command's events all or not at all. Reading stops at the first line that is torn or
fails its checks, keeps everything before it, and says how many bytes it ignored (and
which intact lines lie beyond); it never rewrites the file. A damaged line that its
command re-derives, proved by the next line's ``prev``, is repaired in memory; so is a
damaged header whose campaign file can be found (:mod:`tabletop.journal.proof`).
``docs/save-format.md`` is the full description.

Older format versions are upgraded on reading by the functions registered in
:data:`MIGRATIONS`; a version with no way to the current one is refused with a sentence.

The parts, each imported from here: :mod:`~tabletop.journal.format` (versions, header,
entries, damage, what a read found), :mod:`~tabletop.journal.lines` (one line: its
checksum, digest, salt and decoding), :mod:`~tabletop.journal.reader`
(:func:`read_journal`) and :mod:`~tabletop.journal.writer` (:class:`JournalWriter`).
"""

from tabletop.journal.format import (
    CHAIN, CHECKSUM, FORMAT, INCOMPLETE, MIGRATIONS, REDERIVE_SINCE, SEQUENCE, TORN, UNFIT, UNREADABLE, VERSION,
    WRITTEN_SINCE, Damage, Entry, Header, HeaderDamaged, JournalError, JournalRead, Migration, NotASave,
    UnsupportedVersion, campaign_digest,
)
from tabletop.journal.lines import line_salt
from tabletop.journal.reader import Repair, read_journal
from tabletop.journal.writer import JournalWriter

__all__ = [
    "CHAIN", "CHECKSUM", "FORMAT", "INCOMPLETE", "SEQUENCE", "REDERIVE_SINCE", "TORN", "UNFIT", "UNREADABLE",
    "VERSION", "WRITTEN_SINCE",
    "Damage", "Entry", "Header", "HeaderDamaged", "JournalError", "JournalRead", "JournalWriter",
    "MIGRATIONS", "Migration", "NotASave", "Repair", "UnsupportedVersion", "campaign_digest", "line_salt",
    "read_journal",
]
