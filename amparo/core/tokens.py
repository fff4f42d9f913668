"""The one way a raw token (an API token, an invitation link, a supporter's confirmation or
preferences link) becomes what is stored: its SHA-256, hexadecimal. The raw token is random
and long, so an unkeyed digest is enough; only the digest is kept, so a copy of the database
cannot be used to act as anyone. Changing this function would orphan every stored hash."""

from __future__ import annotations

import hashlib


def hash_token(raw: str) -> str:
    """The stored form of `raw`: 64 hexadecimal characters."""
    return hashlib.sha256(raw.encode()).hexdigest()
