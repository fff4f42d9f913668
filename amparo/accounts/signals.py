"""Receivers for Django's own login signals: remember each session's start and owner."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from amparo.accounts import services
from amparo.accounts.session_keys import STARTED
from amparo.accounts.models import User, UserSession


@receiver(user_logged_in)
def _session_started(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session[STARTED] = time.time()
    if request.session.session_key is None:
        request.session.save()
    services.record_session(user, str(request.session.session_key))


@receiver(user_logged_out)
def _session_ended(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
