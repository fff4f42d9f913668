"""The one token hasher keeps the stored form every table already holds."""

import hashlib

from amparo.core.tokens import hash_token


def test_hash_token_is_the_sha256_hex_that_is_stored_today() -> None:
    assert hash_token("amp_abc") == hashlib.sha256(b"amp_abc").hexdigest()
    assert len(hash_token("x")) == 64
