"""The vault listens to accounts: unlock at login, wrap again on a password change, forget at
logout. Accounts knows nothing of keys."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.http import HttpRequest

from amparo.accounts.models import User
from amparo.accounts.signals import logged_out, password_changed, password_verified
from amparo.vault import services, session
from amparo.vault.errors import KeyLocked, RecoveryNeeded, WrongSecret


@receiver(password_verified)
def _unlock(sender: Any, request: HttpRequest, user: User, password: str, **kwargs: Any) -> None:
    if not services.has_member_key(user):
        unlocked, code = services.create_member_key(user, password)
        session.keep_unlocked(request, unlocked, new_recovery_code=code)
        return
    try:
        session.keep_unlocked(request, services.unlock_with_password(user, password))
    except (RecoveryNeeded, WrongSecret, KeyLocked):
        # After a reset by e-mail the key waits for her recovery code; her login still works.
        request.session[session.NEEDS_RECOVERY] = True


@receiver(password_changed)
def _rewrap(sender: Any, request: HttpRequest, user: User, old_password: str | None,
            new_password: str, **kwargs: Any) -> None:
    if not services.has_member_key(user):
        return
    unlocked = session.unlocked_for(request) if request.user.is_authenticated else None
    if unlocked is None and old_password:
        try:
            unlocked = services.unlock_with_password(user, old_password)
        except (RecoveryNeeded, WrongSecret, KeyLocked):
            unlocked = None
    if unlocked is not None and unlocked.user_id == user.pk:
        services.rewrap_for_password(unlocked, new_password)
    else:
        # A reset without the old password: sealed data stays locked until the recovery code.
        services.mark_needs_recovery(user)


@receiver(logged_out)
def _forget(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    session.forget(request)
