"""Where every random outcome comes from: a keyed function of the session's seed.

The engine never holds a generator of its own. The session hands :func:`command_rng`
to each decision: a fresh generator keyed by the seed and the decision's place in the
game (the ``seq`` the game stands at). So

- a game is the same move for move from the same campaign, seed and decisions, and a
  fork at any step draws what the original would have drawn (saves stay exact);
- what a seat sees of the outcomes (its own hand, the public dice) tells it nothing
  usable about the seed or about outcomes still to come: without the 128-bit key,
  the outputs of one decision say nothing about another's.

Games begun since :data:`BLAKE2B` derive each command's generator, its private draws
(:meth:`~tabletop.engine.tx.Tx.private`) and each bot's seed with keyed BLAKE2b, a MAC
by design (no HMAC wrapping needed) and several times cheaper than HMAC-SHA256; the
private draws are keyed by half of the command's digest that its public generator never
sees. Saves name their scheme in the header (``rng``) and replay, verify and resume with
it: ``hmac-sha256`` (journal format 2 until this scheme) and ``v1`` (format 1:
``Random(seed * 1_000_003 + seq)``, guessable).

A seed chosen by hand (``--seed 42``) is only as secret as it is unguessable: a seat
that guesses it can compute every hand and every roll. Default seeds are 128 bits from
:mod:`secrets`.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from functools import lru_cache
from typing import Any

#: The derivation of games begun since this scheme: keyed BLAKE2b (see docs/save-format.md).
BLAKE2B = "blake2b"
#: The derivation of saves written since journal format 2, before :data:`BLAKE2B`.
HMAC_SHA256 = "hmac-sha256"
#: The derivation of format-1 saves: ``Random(seed * 1_000_003 + seq)`` (guessable).
LEGACY = "v1"
SCHEMES = (BLAKE2B, HMAC_SHA256, LEGACY)
#: The scheme a new game is begun with.
CURRENT = BLAKE2B

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
    """A 256-bit number keyed by ``seed`` for ``purpose`` (e.g. ``("command", 12)``), by HMAC-SHA256."""
    mac = _keyed(seed).copy()  # never update the cached one
    mac.update("\x1f".join(map(str, purpose)).encode("utf-8"))
    return int.from_bytes(mac.digest(), "big")


@lru_cache(maxsize=16)
def _blake_key(seed: int) -> bytes:
    key = _key(seed)
    # BLAKE2b takes keys of up to 64 bytes; a longer --seed is hashed down first, as HMAC does.
    return key if len(key) <= 64 else hashlib.blake2b(key).digest()


def _blake(key: bytes, message: str, size: int) -> bytes:
    return hashlib.blake2b(message.encode("utf-8"), key=key, digest_size=size).digest()


_SETTLED: tuple[object, ...] = ()


class LazyRandom(random.Random):
    """A ``random.Random`` that is seeded when it first draws, not when it is given its seed.

    It draws exactly what ``random.Random`` seeded alike draws (every draw goes through
    :meth:`random` or :meth:`getrandbits`). Setting up the Mersenne Twister's state is
    most of what seeding costs, and many generators never draw: a command that ends a turn,
    a bot reseeded before a choice it makes without chance.
    """

    _pending: tuple[object, ...]

    def seed(self, a: object = None, version: int = 2) -> None:
        self._pending = (a, version)
        self.gauss_next = None  # as Random.seed does at once: gauss() reads it before drawing

    def _settle(self) -> None:
        pending = self._pending
        if pending:
            self._pending = _SETTLED
            super().seed(*pending)  # type: ignore[arg-type]

    def random(self) -> float:
        self._settle()
        return super().random()

    def getrandbits(self, k: int, /) -> int:
        self._settle()
        return super().getrandbits(k)

    def getstate(self) -> tuple[Any, ...]:
        self._settle()
        return super().getstate()

    def setstate(self, state: tuple[Any, ...]) -> None:
        self._pending = _SETTLED
        super().setstate(state)


class KeyedRandom(LazyRandom):
    """A command's generator for what everyone sees the outcome of, holding the key of its
    private draws (:meth:`~tabletop.engine.tx.Tx.private`), which it never draws from."""

    private_key: bytes

    def __init__(self, seed: int, private_key: bytes) -> None:
        super().__init__(seed)
        self.private_key = private_key


def command_rng(seed: int, seq: int, scheme: str = CURRENT) -> random.Random:
    """The generator for the command decided when the game stands at event ``seq``."""
    if scheme == BLAKE2B:
        # One 64-byte MAC: the first half seeds the public generator, the second keys the private draws.
        digest = _blake(_blake_key(seed), f"command\x1f{seq}", 64)
        return KeyedRandom(int.from_bytes(digest[:32], "big"), digest[32:])
    if scheme == HMAC_SHA256:
        return random.Random(derive(seed, "command", seq))
    if scheme == LEGACY:
        return random.Random(seed * 1_000_003 + seq)
    raise ValueError(f"unknown randomness scheme {scheme!r} (known: {', '.join(SCHEMES)})")


def private_rng(key: bytes, name: str, n: int) -> random.Random:
    """The generator of the ``n``-th private draw named ``name`` of a :class:`KeyedRandom`'s command."""
    return random.Random(int.from_bytes(_blake(key, f"{name}\x1f{n}", 32), "big"))


def bot_seed(seed: int, seat: str, seq: int, scheme: str = CURRENT) -> int | str:
    """What a bot's generator is seeded with before it chooses at event ``seq``.

    Keyed like the commands, so a bot's choices give its opponents nothing about the
    seed either; format-1 saves keep the string they were played with.
    """
    if scheme == BLAKE2B:
        return int.from_bytes(_blake(_blake_key(seed), f"bot\x1f{seat}\x1f{seq}", 32), "big")
    if scheme == LEGACY:
        return f"bot:{seed}:{seat}:{seq}"
    return derive(seed, "bot", seat, seq)


__all__ = [
    "BLAKE2B", "CURRENT", "HMAC_SHA256", "LEGACY", "SCHEMES", "SEED_BITS", "KeyedRandom", "LazyRandom",
    "bot_seed", "command_rng", "derive", "new_seed", "private_rng",
]
