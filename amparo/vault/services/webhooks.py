"""Signatures of requests sent to us by outside services (an SMS gateway's webhook): the only
place outside the primitives where a MAC is computed or compared, and always in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable


def twilio_signature(url: str, params: Iterable[tuple[str, str]], token: str) -> str:
    """The `X-Twilio-Signature` of a form POST: HMAC-SHA1, keyed with the account's token, of
    the full URL followed by every parameter's name and value, sorted by name; in base64."""
    data = url + "".join(name + value for name, value in sorted(params, key=lambda p: p[0]))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def twilio_signature_valid(url: str, params: Iterable[tuple[str, str]], token: str, signature: str) -> bool:
    """True when `signature` is the one the gateway holding `token` would give; False for an
    empty token or signature. Compared in constant time."""
    if not token or not signature:
        return False
    return hmac.compare_digest(twilio_signature(url, params, token).encode(), signature.encode())


def secret_matches(expected: str, given: str) -> bool:
    """A shared secret, compared in constant time; an empty one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
