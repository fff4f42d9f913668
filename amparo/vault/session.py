"""Keeping a member's key unlocked between her requests, without giving it to the server.

At login her private key is encrypted under a fresh random secret; the ciphertext goes into
the server-side session and the secret into a cookie of its own. Neither the session store
nor the browser alone opens anything, and logging out (or the session ending) loses both.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from amparo.vault import crypto
from amparo.vault.services import Unlocked

SESSION_KEY = "amparo_vault"
NEW_CODE_KEY = "amparo_vault_new_recovery"
NEEDS_RECOVERY = "amparo_vault_needs_recovery"
COOKIE = "amparo_vault"
_SET, _DELETE = "_amparo_vault_set", "_amparo_vault_delete"


def _secret(request: HttpRequest) -> bytes | None:
    pending = getattr(request, _SET, None)
    if pending is not None:
        return bytes(pending)
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        secret = base64.urlsafe_b64decode(raw)
    except ValueError:
        return None
    return secret if len(secret) == crypto.KEY_BYTES else None


def store(session: Any, unlocked: Unlocked) -> bytes:
    """Put her key, encrypted under a fresh secret, in `session`; returns the secret, which
    belongs in her cookie and nowhere else."""
    secret = crypto.random_bytes()
    session[SESSION_KEY] = {
        "user": unlocked.user_id,
        "key": base64.b64encode(crypto.encrypt(secret, unlocked.private_key,
                                               f"amparo:vault-session:{unlocked.user_id}".encode())).decode(),
    }
    return secret


def cookie_value(secret: bytes) -> str:
    return base64.urlsafe_b64encode(secret).decode()


def keep_unlocked(request: HttpRequest, unlocked: Unlocked, *, new_recovery_code: str | None = None) -> None:
    secret = store(request.session, unlocked)
    setattr(request, _SET, secret)
    if new_recovery_code:
        request.session[NEW_CODE_KEY] = base64.b64encode(
            crypto.encrypt(secret, new_recovery_code.encode(), b"amparo:vault-new-code")).decode()
    request.session.pop(NEEDS_RECOVERY, None)
    request._amparo_unlocked = unlocked  # type: ignore[attr-defined]  # a mark for this request only; HttpRequest declares no such attribute


def unlocked_for(request: HttpRequest) -> Unlocked | None:
    """Her unlocked key for this request, or None (not a member, or locked)."""
    cached = getattr(request, "_amparo_unlocked", None)
    if cached is not None:
        return cached
    stored = request.session.get(SESSION_KEY)
    secret = _secret(request)
    user_id = getattr(request.user, "pk", None)
    if not stored or secret is None or stored.get("user") != user_id:
        return None
    try:
        private = crypto.decrypt(secret, base64.b64decode(stored["key"]),
                                 f"amparo:vault-session:{user_id}".encode())
    except (crypto.CryptoError, ValueError):
        return None
    unlocked = Unlocked(int(user_id), private)
    request._amparo_unlocked = unlocked  # type: ignore[attr-defined]  # a mark for this request only; HttpRequest declares no such attribute
    return unlocked


def take_new_recovery_code(request: HttpRequest, *, consume: bool) -> str | None:
    stored, secret = request.session.get(NEW_CODE_KEY), _secret(request)
    if not stored or secret is None:
        return None
    try:
        code = crypto.decrypt(secret, base64.b64decode(stored), b"amparo:vault-new-code").decode()
    except (crypto.CryptoError, ValueError):
        return None
    if consume:
        del request.session[NEW_CODE_KEY]
    return code


def forget(request: HttpRequest) -> None:
    for key in (SESSION_KEY, NEW_CODE_KEY):
        request.session.pop(key, None)
    setattr(request, _DELETE, True)
    request._amparo_unlocked = None  # type: ignore[attr-defined]  # a mark for this request only; HttpRequest declares no such attribute


def apply_cookie(request: HttpRequest, response: HttpResponse) -> None:
    secret = getattr(request, _SET, None)
    if secret is not None:
        response.set_cookie(
            COOKIE, cookie_value(secret), max_age=None, httponly=True,
            secure=settings.SESSION_COOKIE_SECURE, samesite="Strict",
        )
    elif getattr(request, _DELETE, False):
        response.delete_cookie(COOKIE, samesite="Strict")
