"""Short-lived addresses for her pages (an anonymous reporter's conversation, a defender's own
reports): reached by POST → redirect → GET, so Back and Reload never re-post her words, and
ended by the quick exit (which ends the session) and by a timeout.

An address is `/…/<token>/`, the token 32 random bytes: it names nothing and reveals nothing.
The session keeps, under a hash of the token, what the page needs — a reference (an incident's
id) and, for an anonymous reporter, her private key and receipt encrypted under a key derived
from the token. So the session store alone opens nothing (the token lives only in her
browser's address bar and history), the token alone opens nothing (the session row is gone
after the quick exit, the timeout or the end of the browser), and nothing is ever written in
clear. See docs/threat-model.md.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from amparo.vault import crypto

SESSION_KEY = "amparo_her_pages"
MAX_OPEN = 4  # a session keeps its newest few addresses; older ones close
_AAD = b"amparo:her-page"


@dataclass(frozen=True)
class HerPage:
    """What a short-lived address opens: a reference, and the secret kept for it (if any)."""

    ref: int
    secret: bytes = field(repr=False, default=b"")


def _entry_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _key(token: str) -> bytes:
    return crypto.subkey(token.encode(), "her-page")


def open_page(session: Any, ref: int, secret: bytes = b"", *, now: float | None = None) -> str:
    """A new short-lived address for `ref` in this session; `secret` (e.g. her key) is kept
    encrypted under the token. Returns the token, which belongs in the URL and nowhere else."""
    now = time.time() if now is None else now
    token = base64.urlsafe_b64encode(crypto.random_bytes(32)).decode().rstrip("=")
    pages = {k: v for k, v in dict(session.get(SESSION_KEY) or {}).items() if v.get("until", 0) > now}
    pages[_entry_id(token)] = {
        "ref": ref, "until": now + settings.HER_PAGES_IDLE_SECONDS,
        "sealed": base64.b64encode(crypto.encrypt(_key(token), secret, _AAD + str(ref).encode())).decode(),
    }
    newest = sorted(pages.items(), key=lambda item: item[1]["until"])[-MAX_OPEN:]
    session[SESSION_KEY] = dict(newest)
    return token


def page(session: Any, token: str, *, now: float | None = None) -> HerPage | None:
    """What `token` opens in this session, renewing its idle time; None once it has closed
    (quick exit, timeout, another browser, a made-up token)."""
    now = time.time() if now is None else now
    pages = dict(session.get(SESSION_KEY) or {})
    entry = pages.get(_entry_id(token))
    if not entry or entry.get("until", 0) <= now:
        if entry:
            close(session, token)
        return None
    try:
        secret = crypto.decrypt(_key(token), base64.b64decode(entry["sealed"]), _AAD + str(entry["ref"]).encode())
    except (crypto.CryptoError, ValueError, KeyError):
        return None
    entry["until"] = now + settings.HER_PAGES_IDLE_SECONDS
    pages[_entry_id(token)] = entry
    session[SESSION_KEY] = pages
    return HerPage(int(entry["ref"]), secret)


def close(session: Any, token: str) -> None:
    pages = dict(session.get(SESSION_KEY) or {})
    pages.pop(_entry_id(token), None)
    session[SESSION_KEY] = pages


def close_all(session: Any) -> None:
    session.pop(SESSION_KEY, None)
