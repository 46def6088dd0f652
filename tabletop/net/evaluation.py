"""What the host lets a connection write besides moves: observations, hotwash answers and
names, and as whom.

A participant's name comes with the ``hello`` (:func:`clean_name`); the host writes
every observation and hotwash answer of an observer, evaluator or facilitator connection
under it (its *author*, :func:`author_for`), so one evaluator cannot sign as another.
The observer and evaluator seats are shared by several connections (:data:`SHARED`): an
observer may only answer the hotwash, an evaluator only observe and answer it
(:func:`vet`). An observation names its event by the number the seat's own stream gives
it; the host turns that into the journal's
(:meth:`tabletop.net.feed.SeatFeeds.journal_seq`). Pure: no sockets, no journal.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from tabletop.engine import commands as C
from tabletop.net.feed import SeatFeeds

#: seats that several connections share (the others: one connection, the newest wins)
SHARED = (C.OBSERVER, C.EVALUATOR)

#: what each shared seat may send (every other seat: what the rules allow it)
_MAY_SEND: dict[str, tuple[type[C.Command], ...]] = {
    C.OBSERVER: (C.Hotwash,),
    C.EVALUATOR: (C.Observe, C.Hotwash),
}
_WHY_NOT = {
    C.OBSERVER: "Observers watch the exercise; they cannot act in it (they may answer the hotwash at the end).",
    C.EVALUATOR: "Evaluators observe the exercise; they cannot act in it (they record observations, "
                 "and answer the hotwash at the end).",
}
#: commands that do not move the game: made against an older state, they still make sense
NOT_STALE = (C.Observe, C.Hotwash)


class Refusal(Exception):
    """A command the host will not pass on: ``kind`` (``malformed``/``illegal``) and the sentence."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def clean_name(raw: str) -> str:
    """``raw`` as a name: trimmed, at most :data:`~tabletop.engine.commands.MAX_NAME`
    characters, none of them control or formatting characters; "" for no name. Raises
    ``ValueError`` with a sentence for a participant."""
    name = " ".join(raw.split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise ValueError("A name is printable characters only (no control or formatting characters).")
    if len(name) > C.MAX_NAME:
        raise ValueError(f"A name is at most {C.MAX_NAME} characters; this one has {len(name)}.")
    return name


def author_for(seat: str, name: str) -> str:
    """The author a connection of ``seat`` joined as ``name`` writes under: its name, or
    the seat's default, on a seat that several people share (observers, evaluators) or
    the facilitator's; "" on an actor's seat, whose one participant its name records."""
    if seat in SHARED or seat == C.FACILITATOR:
        return name or C.DEFAULT_AUTHOR.get(seat, "")
    return ""


def vet(command: C.Command, *, seat: str, author: str, feeds: SeatFeeds, state_seq: int) -> C.Command:
    """``command`` from a connection of ``seat`` writing as ``author``, made after event
    ``state_seq`` of the seat's stream, as the host will decide it: signed with the
    author, an observation's event numbered as the journal numbers it. Raises
    :class:`Refusal` for what this seat may not send (the rules judge the rest)."""
    allowed = _MAY_SEND.get(seat)
    if allowed is not None and not isinstance(command, allowed):
        raise Refusal("illegal", _WHY_NOT[seat])
    if isinstance(command, C.Observe | C.Hotwash):
        if command.author and command.author != author:
            who = f"as {author}" if author else "without a name"
            raise Refusal("illegal", f"You joined {who}; you cannot write as {command.author!r}.")
        command = replace(command, author=author)
    if isinstance(command, C.Observe):
        about = command.about or state_seq  # 0: the latest event this seat had seen
        if not isinstance(about, int) or isinstance(about, bool) or about < 0:
            raise Refusal("malformed", "An observation names its event by number (0: the latest).")
        try:
            command = replace(command, about=feeds.journal_seq(seat, about))
        except IndexError:
            raise Refusal("malformed", f"There is no event {about} to observe (you have seen "
                                       f"{feeds.count(seat)}).") from None
    return command


__all__ = ["NOT_STALE", "SHARED", "Refusal", "author_for", "clean_name", "vet"]
