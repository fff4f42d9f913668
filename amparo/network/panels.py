"""What the network contributes to each person's dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role


def _roles(request: HttpRequest) -> dict[str, Any] | None:
    memberships = list(permissions.memberships(request.user).select_related("organisation"))
    return {"memberships": memberships}


def _desks(request: HttpRequest) -> dict[str, Any] | None:
    desks = list(permissions.documented_desks(request.user))
    return {"desks": desks} if desks else None


def _coordination(request: HttpRequest) -> dict[str, Any] | None:
    networks = list(permissions.coordinated_networks(request.user))
    return {"networks": networks} if networks else None


def _defender(request: HttpRequest) -> dict[str, Any] | None:
    return {} if permissions.has_role(request.user, Role.DEFENDER) else None


def register() -> None:
    panels.register("network/panel_roles.html", _roles, order=10)
    panels.register("network/panel_defender.html", _defender, order=20)
    panels.register("network/panel_desks.html", _desks, order=30)
    panels.register("network/panel_coordination.html", _coordination, order=40)
