"""The service key: what machines use without a member (supporters' contacts), and the blind
indexes that find a row by an exact value without opening it."""

from __future__ import annotations

import base64

from django.conf import settings

from amparo.vault import crypto, envelope
from amparo.vault.envelope import Recipient
from amparo.vault.errors import NotAReader, Tampered
from amparo.vault.services.keys import Text, as_bytes, label_bytes


def _service_key() -> bytes:
    return base64.b64decode(settings.VAULT_SERVICE_KEY)


def seal_with_service_key(plaintext: Text, *, label: str) -> bytes:
    """For data machines must use without a member (supporters' contacts)."""
    data_key = crypto.random_bytes()
    wrapped = crypto.encrypt(crypto.subkey(_service_key(), "wrap"), data_key, label_bytes(label))
    return envelope.pack([Recipient(envelope.SERVICE, 0, wrapped)],
                         crypto.encrypt(data_key, as_bytes(plaintext), label_bytes(label)))


def open_with_service_key(sealed: bytes | memoryview, *, label: str) -> str:
    recipients, body = envelope.unpack(sealed)
    for r in recipients:
        if r.kind == envelope.SERVICE:
            try:
                data_key = crypto.decrypt(crypto.subkey(_service_key(), "wrap"), r.wrapped, label_bytes(label))
                return crypto.decrypt(data_key, body, label_bytes(label)).decode()
            except crypto.CryptoError as exc:
                raise Tampered from exc
    raise NotAReader


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed fingerprint for exact-match lookups (e.g. an e-mail address) without
    decrypting rows. Normalised: case and surrounding spaces do not matter."""
    key = crypto.subkey(_service_key(), f"blind-index:{purpose}")
    return crypto.mac(key, " ".join(value.split()).casefold().encode())
