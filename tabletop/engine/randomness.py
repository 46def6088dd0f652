"""Where every random outcome comes from: a keyed function of the session's seed.

The engine never holds a generator of its own. The session hands :func:`command_rng`
to each decision: a fresh ``random.Random`` keyed by HMAC-SHA256 of the seed and the
decision's place in the game (the ``seq`` the game stands at). So

- a game is the same move for move from the same campaign, seed and decisions, and a
  fork at any step draws what the original would have drawn (saves stay exact);
- what a seat sees of the outcomes (its own hand, the public dice) tells it nothing
  usable about the seed or about outcomes still to come: without the 128-bit key,
  the outputs of one decision say nothing about another's.

A seed chosen by hand (``--seed 42``) is only as secret as it is unguessable: a seat
that guesses it can compute every hand and every roll. Default seeds are 128 bits from
:mod:`secrets`.

Saves of journal format 1 used ``Random(seed * 1_000_003 + seq)``; their header says
``"rng": "v1"`` once read, and they replay, verify and resume with that derivation.
"""

from __future__ import annotations

import hmac
import random
import secrets
from functools import lru_cache

#: The derivation of saves written since journal format 2.
HMAC_SHA256 = "hmac-sha256"
#: The derivation of format-1 saves: ``Random(seed * 1_000_003 + seq)`` (guessable).
LEGACY = "v1"
SCHEMES = (HMAC_SHA256, LEGACY)

SEED_BITS = 128


def new_seed() -> int:
    """A fresh seed with :data:`SEED_BITS` bits from the operating system's secure source."""
    return secrets.randbits(SEED_BITS)


def _key(seed: int) -> bytes:
    # Signed, so that a negative --seed is a key like any other; 16 bytes at least.
    length = max(16, (seed.bit_length() + 8) // 8 + 1)
    return seed.to_bytes(length, "big", signed=True)


@lru_cache(maxsize=16)
def _keyed(seed: int) -> hmac.HMAC:
    # Keyed once per seed and copied for each message: half the cost of hmac.digest(),
    # which sets the key up again every time (a bot game derives dozens of numbers).
    return hmac.new(_key(seed), digestmod="sha256")


def derive(seed: int, *purpose: object) -> int:
    """A 256-bit number keyed by ``seed`` for ``purpose`` (e.g. ``("command", 12)``)."""
    mac = _keyed(seed).copy()  # never update the cached one
    mac.update("\x1f".join(map(str, purpose)).encode("utf-8"))
    return int.from_bytes(mac.digest(), "big")


def command_rng(seed: int, seq: int, scheme: str = HMAC_SHA256) -> random.Random:
    """The generator for the command decided when the game stands at event ``seq``."""
    if scheme == HMAC_SHA256:
        return random.Random(derive(seed, "command", seq))
    if scheme == LEGACY:
        return random.Random(seed * 1_000_003 + seq)
    raise ValueError(f"unknown randomness scheme {scheme!r} (known: {', '.join(SCHEMES)})")


def bot_seed(seed: int, seat: str, seq: int, scheme: str = HMAC_SHA256) -> int | str:
    """What a bot's generator is seeded with before it chooses at event ``seq``.

    Keyed like the commands, so a bot's choices give its opponents nothing about the
    seed either; format-1 saves keep the string they were played with.
    """
    if scheme == LEGACY:
        return f"bot:{seed}:{seat}:{seq}"
    return derive(seed, "bot", seat, seq)


__all__ = ["HMAC_SHA256", "LEGACY", "SCHEMES", "SEED_BITS", "bot_seed", "command_rng", "derive", "new_seed"]
