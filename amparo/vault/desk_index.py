"""A desk's blind index: a keyed fingerprint of a value (a defender's name) under the desk's own
index key, so members find a record by exact value and a seized database shows none. The key
is made, opened and used here and never handed to a caller: the domain keeps only its sealed
envelope and asks for fingerprints."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Sequence
from hashlib import sha256

from amparo.vault.services import Unlocked, open_sealed_bytes


def _fingerprint(key: bytes, value: str) -> str:
    # Case and spacing aside: "Ana  María" and "ana maría" are one name.
    return hmac.new(key, " ".join(value.split()).casefold().encode(), sha256).hexdigest()


def new_desk_index_key(seal: Callable[[bytes], bytes], values: Sequence[str] = ()) -> tuple[bytes, list[str]]:
    """Make a desk's index key; give back only its envelope (sealed by `seal`, to the desk's
    ring) and the fingerprints of `values` under it."""
    key = secrets.token_bytes(32)
    return seal(key), [_fingerprint(key, value) for value in values]


def desk_blind_index(unlocked: Unlocked | None, sealed_key: bytes | memoryview, values: Sequence[str], *,
                     label: str) -> list[str]:
    """The fingerprints of `values` under the desk's index key, opened from its envelope with a
    member's unlocked key (KeyLocked, NotAReader, Tampered as `open_sealed_bytes`)."""
    key = open_sealed_bytes(unlocked, sealed_key, label=label)
    return [_fingerprint(key, value) for value in values]
