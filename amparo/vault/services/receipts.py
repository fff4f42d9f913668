"""Anonymous reporters' receipts: the lookup tag and keypair a receipt gives, and the binding
that proves this server issued it."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from django.conf import settings

from amparo.vault import crypto
from amparo.vault.services.keys import kdf_params


@dataclass(frozen=True)
class ReporterKeys:
    """What a receipt gives: a lookup tag to store (indexed) and a keypair never stored."""

    lookup_tag: str
    private_key: bytes = field(repr=False)
    public_key: bytes


def normal_receipt(receipt: str) -> str:
    """Case and spaces do not matter."""
    return " ".join(receipt.split()).casefold()


def _receipt_secret() -> bytes:
    return (settings.RECEIPT_SALT or settings.SECRET_KEY).encode()


def derive_reporter_keys(receipt: str) -> ReporterKeys:
    """Argon2id once over the receipt with the global salt, then HKDF-SHA256 splits the result
    into the stored lookup tag and the seed of the reporter's keypair (DESIGN.md rule 3)."""
    salt = crypto.subkey(_receipt_secret(), "receipt-salt")[:crypto.SALT_BYTES]
    ops, mem = kdf_params()
    master = crypto.derive_key(normal_receipt(receipt), salt, ops=ops, mem=mem)
    tag = crypto.hkdf_sha256(master, salt=salt, info=b"amparo:receipt:lookup-tag").hex()
    seed = crypto.hkdf_sha256(master, salt=salt, info=b"amparo:receipt:key-seed")
    private, public = crypto.keypair_from_seed(seed)
    return ReporterKeys(tag, private, public)


def receipt_binding(receipt: str) -> str:
    """An HMAC that proves this server issued the receipt (sent back with the form)."""
    return crypto.mac(crypto.subkey(_receipt_secret(), "receipt-binding"), normal_receipt(receipt).encode())


def receipt_binding_valid(receipt: str, binding: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, which anyone can post.
    return hmac.compare_digest(receipt_binding(receipt).encode(), (binding or "").encode())
