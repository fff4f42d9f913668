"""Who must use a second factor. Roles live in `network`, above accounts, so network tells
accounts its rule at start-up (`set_second_factor_rule`) instead of accounts importing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_rule: Callable[[Any], bool] = lambda user: False  # noqa: E731 - replaced at start-up


def set_second_factor_rule(rule: Callable[[Any], bool]) -> None:
    global _rule
    _rule = rule


def second_factor_required(user: Any) -> bool:
    """Staff of the Django admin always; otherwise whatever the network's roles say."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or _rule(user))
