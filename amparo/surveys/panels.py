"""What surveys contribute to dashboards: for coordinators, their networks' surveys."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role

from .models import Survey
from .queries import owned_surveys


def _surveys(request: HttpRequest) -> dict[str, Any] | None:
    if not permissions.has_role(request.user, Role.COORDINATOR):
        return None
    return {"open": owned_surveys(request.user).filter(status=Survey.Status.OPEN).count()}


def register() -> None:
    panels.register("surveys/panel.html", _surveys, order=60)
