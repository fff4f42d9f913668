"""What accounts contributes to each person's dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.accounts import services
from amparo.accounts.models import User
from amparo.core import panels


def _security(request: HttpRequest) -> dict[str, Any] | None:
    if not isinstance(request.user, User):
        return None
    return {"has_second_factor": services.has_second_factor(request.user)}


def register() -> None:
    panels.register("accounts/panel_security.html", _security, order=90)
