"""The protection panel of the dashboard: for a desk's documenters, their desks' protection
pages with the missed check-ins and overdue measures to act on; for a defender with check-ins,
her one-tap check-in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role

from . import queries


def _protection(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    desks = list(permissions.documented_desks(user))
    if desks:
        return {"staff": True, "desks": desks, "missed": queries.open_misses(desks),
                "overdue": queries.overdue_measures(desks)}
    if permissions.has_role(user, Role.DEFENDER) and queries.her_schedules(user).exists():
        return {"staff": False}
    if permissions.has_role(user, Role.COORDINATOR):
        return {"staff": False, "figures": True}
    return None


def register() -> None:
    panels.register("protection/panel.html", _protection, order=40)
