"""Every write to accounts goes through here."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.models import User
from amparo.core.services import record_audit


def create_user(
    *, username: str, password: str | None, email: str = "", first_name: str = "",
    last_name: str = "", language: str = "en", actor: User | None = None,
) -> User:
    """Create an account with an Argon2id-hashed password (or none, to be set on invitation)."""
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name,
                    last_name=last_name, language=language)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        record_audit(actor or "system", "account.created", user)
    return user


def set_password(user: User, password: str, *, actor: User | None = None) -> None:
    """Replace the password hash; the audit entry holds no trace of the password."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_audit(actor or user, "account.password_set", user)
