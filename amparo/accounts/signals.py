"""Accounts' own signals, for the floors above to act on, and receivers for Django's login
signals that remember each session's start and owner.

The vault subscribes to these to unwrap a member's key at login, wrap it again when the
password changes, and forget it at logout: accounts never imports the vault."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from amparo.accounts import services
from amparo.accounts.models import User
from amparo.accounts.session_keys import STARTED

# Sent with request, user and password once the password is known to be right.
password_verified = Signal()
# Sent with request, user, old_password (None after a reset by e-mail) and new_password.
password_changed = Signal()
# Sent with request and user as a session ends by logout.
logged_out = Signal()
# Sent with user and actor inside the transaction that closes an account; a receiver may
# raise services.DeactivationRefused to keep it open.
account_deactivated = Signal()


@receiver(user_logged_in)
def _session_started(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session[STARTED] = time.time()
    if request.session.session_key is None:
        request.session.save()
    services.record_session(user, str(request.session.session_key))


@receiver(user_logged_out)
def _session_ended(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None and request.session.session_key:
        services.forget_session(request.session.session_key)
    logged_out.send(sender=User, request=request, user=user)
