"""What every part of the vault stands on: a member's key opened for one request
(`Unlocked`), the labels bound into each ciphertext, the key-derivation cost, and reading the
members' public keys. Reads only."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from amparo.accounts.models import User
from amparo.vault import crypto
from amparo.vault.errors import NotAReader, Tampered
from amparo.vault.models import Grant, MemberKey

Text = str | bytes
# Whom a record may also be sealed to: a person with a member key, or a bare public key.
Recipientish = User | bytes | memoryview


def as_bytes(value: Text) -> bytes:
    return value.encode() if isinstance(value, str) else value


def label_bytes(label: str) -> bytes:
    return f"amparo:{label}".encode()


@dataclass
class Unlocked:
    """A member's private key, opened for the length of one request. Never stored as is."""

    user_id: int
    private_key: bytes = field(repr=False)
    _epochs: dict[int, bytes] = field(default_factory=dict, repr=False)

    def epoch_key(self, epoch_id: int) -> bytes:
        """The epoch's private key, if she holds a grant for it."""
        if epoch_id not in self._epochs:
            grant = Grant.objects.filter(epoch_id=epoch_id, user_id=self.user_id).first()
            if grant is None:
                raise NotAReader("no grant for this epoch")
            try:
                self._epochs[epoch_id] = crypto.open_box(self.private_key, bytes(grant.sealed_private_key))
            except crypto.CryptoError as exc:
                raise Tampered("a grant does not open with her key") from exc
        return self._epochs[epoch_id]


def kdf_params() -> tuple[int, int]:
    return settings.VAULT_KDF_OPS, settings.VAULT_KDF_MEM


def new_recovery_code() -> str:
    """About 100 bits, in groups of four that are easy to copy by hand."""
    raw = base64.b32encode(secrets.token_bytes(13)).decode().rstrip("=")[:20]
    return "-".join(raw[i:i + 4] for i in range(0, 20, 4))


def normal_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def has_member_key(user: User) -> bool:
    return MemberKey.objects.filter(user=user).exists()


def public_keys(user_ids: Iterable[int]) -> dict[int, bytes]:
    return {k.user_id: bytes(k.public_key) for k in MemberKey.objects.filter(user_id__in=list(user_ids))}

