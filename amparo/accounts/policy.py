"""Rules that floors above accounts give it at start-up, instead of accounts importing them:

- who must use a second factor (roles live in `network`: `set_second_factor_rule`);
- how secrets that a machine must read back are sealed (the vault's service key:
  `set_secret_keeper`), so a copy of the database alone holds no TOTP secret."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

_rule: Callable[[User], bool] = lambda user: False  # noqa: E731 - replaced at start-up


def set_second_factor_rule(rule: Callable[[User], bool]) -> None:
    global _rule
    _rule = rule


def second_factor_required(user: User | AnonymousUser) -> bool:
    """Staff of the Django admin always; otherwise whatever the network's roles say."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or _rule(user))


SealSecret = Callable[[str, str], bytes]
OpenSecret = Callable[[bytes, str], str]


def _no_keeper(*args: Any) -> Any:
    raise RuntimeError("No secret keeper: the vault app sets one at start-up (vault/apps.py).")


_seal: SealSecret = _no_keeper
_open: OpenSecret = _no_keeper


def set_secret_keeper(seal: SealSecret, open_: OpenSecret) -> None:
    global _seal, _open
    _seal, _open = seal, open_


def seal_secret(secret: str, label: str) -> bytes:
    return _seal(secret, label)


def open_secret(sealed: bytes, label: str) -> str:
    return _open(sealed, label)
