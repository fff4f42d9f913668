"""The vault's dashboard panel: whether her key is unlocked, and what to do if not."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.accounts.models import User
from amparo.core import panels
from amparo.vault import services, session


def _key(request: HttpRequest) -> dict[str, Any] | None:
    if not isinstance(request.user, User) or not services.has_member_key(request.user):
        return None
    return {
        "unlocked": session.unlocked_for(request) is not None,
        "needs_recovery": bool(request.session.get(session.NEEDS_RECOVERY)),
    }


def register() -> None:
    panels.register("vault/panel_key.html", _key, order=80)
