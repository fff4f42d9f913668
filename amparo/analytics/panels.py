"""What analytics contributes to dashboards: the statistics, for desk staff and coordinators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role


def _stats(request: HttpRequest) -> dict[str, Any] | None:
    if not permissions.has_role(request.user, Role.DOCUMENTER, Role.COORDINATOR):
        return None
    return {"coordinator": permissions.has_role(request.user, Role.COORDINATOR)}


def register() -> None:
    panels.register("analytics/stats/panel.html", _stats, order=40)
