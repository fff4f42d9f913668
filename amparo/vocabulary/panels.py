"""What the vocabulary contributes to dashboards: coordinators keep it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role


def _vocabulary(request: HttpRequest) -> dict[str, Any] | None:
    return {} if permissions.has_role(request.user, Role.COORDINATOR) else None


def register() -> None:
    panels.register("vocabulary/panel.html", _vocabulary, order=45)
