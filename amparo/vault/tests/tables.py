"""The vault rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
# The vault's own binary columns are keys and envelopes: sealed by construction, not through
# SealedField, because they are what opens the sealed fields.
CLEAR_FIELDS: dict[str, str] = {
    "vault.MemberKey.public_key": "a public key",
    "vault.MemberKey.wrapped_by_password": "her private key, encrypted under her password's Argon2id key",
    "vault.MemberKey.password_salt": "a random salt",
    "vault.MemberKey.wrapped_by_recovery": "her private key, encrypted under her recovery code's key",
    "vault.MemberKey.recovery_salt": "a random salt",
    "vault.KeyRing.label": "'desk:<slug>' or 'network:<slug>': public short names",
    "vault.KeyRing.recovery_public_key": "a public key",
    "vault.RingEpoch.public_key": "a public key",
    "vault.RingEpoch.sealed_to_recovery": "the epoch's private key sealed to the recovery sheet's public key",
    "vault.RingEpoch.reason": "why the epoch began, a fixed phrase ('created', 'member removed')",
    "vault.Grant.sealed_private_key": "the epoch's private key sealed to one member's public key",
}
