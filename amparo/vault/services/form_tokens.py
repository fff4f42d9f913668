"""Form tokens: what a public form carries between its pages (an anonymous respondent's
answers so far) without an account, a cookie or a row. The state is JSON, compressed, then
sealed with a key derived from the service key for one purpose, with the time it was issued
inside the seal; it opens only for the same purpose and only for `max_age` seconds. So the
token in her page is unreadable and unchangeable to anyone who copies it, and it dies on its
own: nothing is stored on the server until she sends the last page."""

from __future__ import annotations

import base64
import json
import time
import zlib
from typing import Any

from amparo.vault import crypto
from amparo.vault.services.service_key import _service_key

_AAD = b"amparo:form-token:"


def _key(purpose: str) -> bytes:
    return crypto.subkey(_service_key(), f"form-token:{purpose}")


def seal_form_state(state: dict[str, Any], *, purpose: str, now: float | None = None) -> str:
    """A URL-safe token that carries `state` (JSON-serialisable) sealed for `purpose`."""
    issued = int(time.time() if now is None else now)
    body = zlib.compress(json.dumps([issued, state], separators=(",", ":"), ensure_ascii=False).encode(), 9)
    blob = crypto.encrypt(_key(purpose), body, _AAD + purpose.encode())
    return base64.urlsafe_b64encode(blob).decode().rstrip("=")


def open_form_state(token: str, *, purpose: str, max_age: int, now: float | None = None) -> dict[str, Any] | None:
    """The state sealed in `token` for `purpose`; None when it was changed, made for another
    purpose, made up, or is older than `max_age` seconds."""
    now = time.time() if now is None else now
    try:
        blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        body = crypto.decrypt(_key(purpose), blob, _AAD + purpose.encode())
        issued, state = json.loads(zlib.decompress(body))
    except (crypto.CryptoError, ValueError, TypeError, zlib.error):
        return None
    if not isinstance(state, dict) or not isinstance(issued, int) or not (now - max_age <= issued <= now + 60):
        return None
    return state
