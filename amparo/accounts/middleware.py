from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from amparo.accounts import carry, policy, services
from amparo.accounts.session_keys import SECOND_FACTOR_OK, SECOND_FACTOR_REQUIRED, STARTED

# While a staff member has no second factor yet, only these pages answer.
OPEN_WHILE_ENROLLING = {
    "accounts:second_factor", "accounts:logout", "set_language", "core:leave", "core:home",
    "core:ping",
}


class SessionGuardMiddleware:
    """The absolute session lifetime, and the second factor that staff roles must have.

    Idle expiry is the session store's own (`SESSION_COOKIE_AGE`, renewed on every request);
    the absolute limit counts from login whatever the activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return _carrying(request, view_func)
        started = request.session.get(STARTED)
        if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
            logout(request)
            return _carrying(request, view_func) or redirect_to_login(request.get_full_path())
        if request.session.get(SECOND_FACTOR_OK):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if services.has_second_factor(user):
            # Enrolled after this session began on another device: prove it here too.
            logout(request)
            return redirect_to_login(request.get_full_path())
        if policy.second_factor_required(user) and name not in OPEN_WHILE_ENROLLING:
            request.session[SECOND_FACTOR_REQUIRED] = True
            return redirect("accounts:second_factor")
        return None


def _carrying(request: HttpRequest, view_func: Callable[..., Any]) -> HttpResponse | None:
    """A form sent to a staff page once her session had ended: the login page, carrying it
    (accounts.carry). Only staff pages: on a defender's pages a re-post after the quick exit
    must bring nothing of hers back (issue 15.4)."""
    if request.method != "POST" or getattr(view_func, "amparo_page_kind", None) != "staff":
        return None
    from amparo.accounts.views import login_carrying

    return login_carrying(request) if carry.worth_carrying(request) else None  # nothing sent: the login
