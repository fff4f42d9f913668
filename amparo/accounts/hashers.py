"""Argon2id password hashing with a ceiling on how many hashes run at once.

Each Argon2id computation takes about 100 MiB; a burst of logins could otherwise exhaust a
small server's memory. The gate is per process: with W web processes at most W × N run.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

_gate: threading.BoundedSemaphore | None = None
_gate_lock = threading.Lock()


def gate() -> threading.BoundedSemaphore:
    global _gate
    with _gate_lock:
        if _gate is None:
            _gate = threading.BoundedSemaphore(settings.ARGON2_MAX_CONCURRENT)
        return _gate


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # same stored format as Django's: hashes stay interchangeable

    def encode(self, password: str, salt: str) -> str:
        with gate():
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with gate():
            return super().verify(password, encoded)

    def harden_runtime(self, password: str, encoded: str) -> None:
        with gate():
            super().harden_runtime(password, encoded)

    def must_update(self, encoded: str) -> bool:
        return super().must_update(encoded)

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        return super().safe_summary(encoded)
