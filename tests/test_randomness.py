"""The seed stays secret: 128 random bits, and every outcome keyed by a MAC of it (keyed BLAKE2b; HMAC-SHA256 before).

The attack these tests replay is the one that worked against format 1: a seat knows the
public campaign and its own opening hand, so it tries candidate seeds, deals each one
with the public engine and keeps those that deal its hand. With ``Random(seed *
1_000_003 + seq)`` and a seed below a million, that pinned the seed; with a 128-bit seed
keyed through a MAC no enumeration can reach it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tabletop.campaign.validate import load_campaign
from tabletop.commands.common import start_session
from tabletop.engine.randomness import (
    BLAKE2B,
    CURRENT,
    HMAC_SHA256,
    LEGACY,
    SCHEMES,
    SEED_BITS,
    KeyedRandom,
    bot_seed,
    command_rng,
    new_seed,
)
from tabletop.engine.rules import Engine
from tabletop.engine.tx import Tx
from tabletop.journal import VERSION, read_journal

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "campaigns" / "belarus-border-2021.yaml"
#: How many candidate seeds the attack tries: the old default seeds' whole range.
CANDIDATES = 1_000_000


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    return load_campaign(DEFAULT)


@pytest.fixture(scope="module")
def engine(loaded) -> Engine:  # type: ignore[no-untyped-def]
    return Engine(loaded.campaign)


def _draws(rng: random.Random, numbers: list[int]) -> list[float]:
    return [rng.random() for _ in numbers]


# ---------------------------------------------------------------- the seed


def test_a_default_seed_has_128_random_bits(tmp_path: Path, loaded, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    asked = []
    real = __import__("secrets").randbits

    def randbits(k: int) -> int:
        asked.append(k)
        return real(k)

    monkeypatch.setattr("tabletop.engine.randomness.secrets.randbits", randbits)
    monkeypatch.chdir(tmp_path)
    session, save = start_session(loaded, [], None, None)
    session.close()
    assert asked == [SEED_BITS] and SEED_BITS >= 128
    assert read_journal(save).header.seed == session.seed
    seeds = {new_seed() for _ in range(64)}
    assert len(seeds) == 64 and max(s.bit_length() for s in seeds) == 128


def test_the_save_name_does_not_carry_the_seed_and_only_its_owner_reads_it(tmp_path: Path, loaded, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "saves").mkdir()
    session, save = start_session(loaded, [], 987654321, None)
    session.close()
    assert "987654321" not in save.name and save.name.endswith("-belarus-border-2021.jsonl")
    assert stat.S_IMODE(save.stat().st_mode) == 0o600
    header = json.loads(save.read_bytes().split(b"\n")[0])
    assert header["seed"] == 987654321 and header["rng"] == CURRENT == BLAKE2B and header["version"] == VERSION  # 2 or later


# ---------------------------------------------------------------- the derivation


def test_each_commands_randomness_is_keyed_blake2b_of_the_seed() -> None:
    seed = 0x1234_5678_9ABC_DEF0_1122_3344_5566_7788
    key = seed.to_bytes(17, "big", signed=True)
    for seq in (0, 1, 57, 10**6):
        digest = hashlib.blake2b(f"command\x1f{seq}".encode(), key=key, digest_size=64).digest()
        want = random.Random(int.from_bytes(digest[:32], "big"))
        got = command_rng(seed, seq)
        assert _draws(got, [0] * 8) == _draws(want, [0] * 8)
        assert isinstance(got, KeyedRandom) and got.private_key == digest[32:]
    bot = hashlib.blake2b(b"bot\x1fpoland\x1f12", key=key, digest_size=32).digest()
    assert bot_seed(seed, "poland", 12) == int.from_bytes(bot, "big")


def test_a_private_draw_is_keyed_by_the_half_the_public_generator_never_sees() -> None:
    seed = 0x1234_5678_9ABC_DEF0_1122_3344_5566_7788
    rng = command_rng(seed, 7)
    tx = Tx(None, None, rng)  # type: ignore[arg-type]  # private() reads neither
    before = rng.getstate()
    first, again = tx.private("reshuffle", "poland"), tx.private("reshuffle", "poland")
    mac = hashlib.blake2b(b"reshuffle\x1fpoland\x1f0", key=rng.private_key, digest_size=32).digest()
    assert _draws(first, [0] * 4) == _draws(random.Random(int.from_bytes(mac, "big")), [0] * 4)
    assert _draws(again, [0] * 4) != _draws(tx.private("reshuffle", "poland"), [0] * 4)  # each use its own
    assert rng.getstate() == before  # the public draws do not move
    # and the public generator's seed is not the private key
    assert rng.private_key != command_rng(seed, 7).getrandbits(256).to_bytes(32, "big")


def test_a_seed_longer_than_a_blake2b_key_is_hashed_down() -> None:
    huge = 7 ** 400  # more than 64 bytes
    assert _draws(command_rng(huge, 3), [0] * 4) != _draws(command_rng(huge + 1, 3), [0] * 4)
    assert _draws(command_rng(-huge, 3), [0] * 4) == _draws(command_rng(-huge, 3), [0] * 4)


def test_hmac_sha256_saves_keep_their_derivation() -> None:
    seed = 0x1234_5678_9ABC_DEF0_1122_3344_5566_7788
    key = seed.to_bytes(17, "big", signed=True)
    for seq in (0, 1, 57, 10**6):
        digest = hmac.new(key, f"command\x1f{seq}".encode(), hashlib.sha256).digest()
        want = random.Random(int.from_bytes(digest, "big"))
        got = command_rng(seed, seq, HMAC_SHA256)
        assert _draws(got, [0] * 8) == _draws(want, [0] * 8) and not isinstance(got, KeyedRandom)
    bot = hmac.new(key, b"bot\x1fpoland\x1f12", hashlib.sha256).digest()
    assert bot_seed(seed, "poland", 12, HMAC_SHA256) == int.from_bytes(bot, "big")


def test_seeds_and_steps_do_not_alias_as_they_did_in_format_1() -> None:
    # Format 1: seed s at step q + 1_000_003 drew exactly what seed s + 1 drew at step q.
    old = _draws(command_rng(5, 7 + 1_000_003, LEGACY), [0] * 4), _draws(command_rng(6, 7, LEGACY), [0] * 4)
    assert old[0] == old[1]
    for scheme in (BLAKE2B, HMAC_SHA256):
        assert _draws(command_rng(5, 7 + 1_000_003, scheme), [0] * 4) != _draws(command_rng(6, 7, scheme), [0] * 4)
        # and neighbouring seeds give unrelated streams
        a, b = command_rng(41, 3, scheme).getrandbits(64), command_rng(42, 3, scheme).getrandbits(64)
        assert bin(a ^ b).count("1") > 8


def test_bots_are_keyed_too_and_old_saves_keep_their_bot_seeds() -> None:
    assert bot_seed(7, "poland", 12, LEGACY) == "bot:7:poland:12"
    for scheme in (BLAKE2B, HMAC_SHA256):
        keyed = bot_seed(7, "poland", 12, scheme)
        assert isinstance(keyed, int) and keyed.bit_length() > 128 and keyed != bot_seed(8, "poland", 12, scheme)
        assert keyed != bot_seed(7, "poland", 13, scheme) != bot_seed(7, "lithuania", 12, scheme)
    assert bot_seed(7, "poland", 12, BLAKE2B) != bot_seed(7, "poland", 12, HMAC_SHA256)


def test_an_unknown_scheme_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="unknown randomness scheme 'xorshift'"):
        command_rng(1, 1, "xorshift")


# ---------------------------------------------------------------- the attack


def _first_dealt(engine: Engine) -> str:
    return next(iter(engine.start_decks))


def _opening_hand(engine: Engine, rng: random.Random, actor: str) -> tuple[str, ...]:
    """What ``actor`` is dealt from ``rng``: the start's first shuffle, as the public engine does it."""
    order = list(engine.start_decks[actor])
    rng.shuffle(order)
    return tuple(order[: engine.campaign.actor_by_id[actor].hand_size])


def _hand_in_game(engine: Engine, seed: int, scheme: str, actor: str) -> tuple[str, ...]:
    return engine.fold(engine.start(command_rng(seed, 0, scheme))).actors[actor].hand


def _candidate_rngs(scheme: str) -> Callable[[int], random.Random]:
    """``s -> command_rng(s, 0, scheme)``, as cheap as it can be made for a million candidates:
    one MAC call each (no key cache, no generator object per candidate: one generator,
    seeded again each time). The generator is shared: use it before asking for the next
    candidate's. :func:`test_the_candidate_generators_are_the_engines` holds it to
    :func:`command_rng`."""
    rng, message = random.Random(), b"command\x1f0"
    if scheme == HMAC_SHA256:
        digest = hmac.digest

        def keyed(s: int) -> random.Random:
            key = s.to_bytes(max(16, (s.bit_length() + 8) // 8 + 1), "big", signed=True)
            rng.seed(int.from_bytes(digest(key, message, "sha256"), "big"))
            return rng

        return keyed
    if scheme == BLAKE2B:
        blake2b = hashlib.blake2b

        def keyed_blake(s: int) -> random.Random:
            key = s.to_bytes(max(16, (s.bit_length() + 8) // 8 + 1), "big", signed=True)
            if len(key) > 64:  # as the engine does: a key too long for BLAKE2b is hashed down
                key = blake2b(key).digest()
            # the public generator is seeded with the first half of the 64-byte MAC
            rng.seed(int.from_bytes(blake2b(message, key=key, digest_size=64).digest()[:32], "big"))
            return rng

        return keyed_blake
    return lambda s: command_rng(s, 0, scheme)


def _attack(engine: Engine, actor: str, hand: tuple[str, ...], scheme: str, candidates: range) -> list[int]:
    """Every candidate seed that deals ``actor`` the ``hand`` it saw: :func:`_opening_hand` for
    each, but stopped as soon as the candidate is out (a million of them are tried).

    Each candidate's generator is the engine's own (``command_rng(s, 0, scheme)``, made by
    :func:`_candidate_rngs`) and the
    deal is ``random.shuffle``'s loop step by step: it fixes the card at position ``i`` for
    good at step ``i`` (the last position first), so a card of ``hand`` fixed at a position
    past the hand's size rules the candidate out, and the rest of its shuffle need not be
    drawn. A candidate that gets through has its whole hand compared.
    :func:`test_the_fast_attack_keeps_exactly_what_the_full_deal_keeps` holds this to
    :func:`_opening_hand`, which :func:`test_the_attack_models_the_engines_deal` holds to the
    engine.
    """
    deck = engine.start_decks[actor]
    size = engine.campaign.actor_by_id[actor].hand_size
    want, seen = sorted(hand), frozenset(hand)
    kept = []
    rng_of = _candidate_rngs(scheme)
    for s in candidates:
        below = rng_of(s)._randbelow  # what Random.shuffle draws with
        order = list(deck)
        for i in range(len(order) - 1, 0, -1):
            j = below(i + 1)
            order[i], order[j] = order[j], order[i]
            if i >= size and order[i] in seen:
                break
        else:
            if sorted(order[:size]) == want:
                kept.append(s)
    return kept


def _attack_in_full(engine: Engine, actor: str, hand: tuple[str, ...], scheme: str, candidates: range) -> list[int]:
    """:func:`_attack` without the shortcut: every candidate dealt in full."""
    want = sorted(hand)
    return [s for s in candidates if sorted(_opening_hand(engine, command_rng(s, 0, scheme), actor)) == want]


def test_the_attack_models_the_engines_deal(engine: Engine) -> None:
    actor = _first_dealt(engine)
    for seed in (1, 99, new_seed()):
        for scheme in SCHEMES:
            assert sorted(_opening_hand(engine, command_rng(seed, 0, scheme), actor)) == sorted(
                _hand_in_game(engine, seed, scheme, actor)
            )


def test_the_candidate_generators_are_the_engines() -> None:
    for scheme in SCHEMES:
        rng_of = _candidate_rngs(scheme)
        for s in (0, 1, 255, 256, 2**20 - 1, 2**127 + 5, 2**600 + 7, -3, new_seed()):
            assert _draws(rng_of(s), [0] * 8) == _draws(command_rng(s, 0, scheme), [0] * 8), (scheme, s)


def test_the_fast_attack_keeps_exactly_what_the_full_deal_keeps(engine: Engine) -> None:
    actor = _first_dealt(engine)
    candidates = range(3_000)
    for scheme in SCHEMES:
        for seed in (1_234, new_seed()):
            hand = _hand_in_game(engine, seed, scheme, actor)
            kept = _attack(engine, actor, hand, scheme, candidates)
            assert kept == _attack_in_full(engine, actor, hand, scheme, candidates)
            if seed in candidates:
                assert seed in kept  # not vacuous: a seed that deals the hand is kept


def test_the_old_enumeration_pinned_a_format_1_seed(engine: Engine) -> None:
    actor = _first_dealt(engine)
    seed = 31_337
    kept = _attack(engine, actor, _hand_in_game(engine, seed, LEGACY, actor), LEGACY, range(40_000))
    # the seat's own hand alone cuts 40,000 candidates to a handful; the public dice did the rest
    assert seed in kept and len(kept) < 200


#: The million candidates are tried in parts, so that every core takes some.
PARTS = 4


@pytest.fixture(scope="session")
def default_games_seed(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> int:
    """One default game's seed (:func:`new_seed`) for the whole run: every part of the attack
    below, on whichever xdist worker it runs, looks for the same seed. The first worker to
    need it writes it where the others find it (the run's shared temporary folder)."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    path = root / "default-games-seed"
    mine = root / f"default-games-seed.{worker_id}"
    mine.write_text(str(new_seed()), encoding="utf-8")
    try:
        os.link(mine, path)  # atomic: the first link wins, the others read it
    except FileExistsError:
        pass
    finally:
        mine.unlink()
    return int(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("part", range(PARTS))
def test_a_million_candidate_seeds_do_not_find_a_default_games_seed(
    engine: Engine, default_games_seed: int, part: int
) -> None:
    actor = _first_dealt(engine)
    seed = default_games_seed
    hand = _hand_in_game(engine, seed, CURRENT, actor)
    kept = _attack(engine, actor, hand, CURRENT, range(CANDIDATES)[part::PARTS])
    assert seed not in kept
    # What survives is chance, not the seed: every survivor deals another game.
    for s in kept[:5]:
        assert engine.start(command_rng(s, 0)) != engine.start(command_rng(seed, 0))
