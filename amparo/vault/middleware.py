from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from amparo.vault import services, session

# While a new recovery code waits to be seen, only these pages answer.
OPEN_WHILE_SHOWING_CODE = {"vault:recovery_code", "accounts:logout", "core:leave", "set_language",
                           "accounts:second_factor", "accounts:login_code"}


class VaultMiddleware:
    """Sets or clears the cookie that holds a member's session secret, shows a new recovery
    code before anything else, and lets an unlocked member complete pending grants."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session.apply_cookie(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if session.NEW_CODE_KEY in request.session and name not in OPEN_WHILE_SHOWING_CODE:
            return redirect("vault:recovery_code")
        unlocked = session.unlocked_for(request)
        if unlocked is not None:
            services.complete_pending_grants(unlocked)
        return None
