"""What appeals contribute to dashboards: a link for the desks' documenters and the
networks' coordinators, with the number of appeals waiting for review."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role

from .models import Appeal


def _appeals(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    desks = list(permissions.documented_desks(user))
    coordinates = permissions.has_role(user, Role.COORDINATOR)
    if not desks and not coordinates:
        # Supporters with an account: where to act, and how to receive appeals.
        return {"staff": False} if permissions.has_role(user, Role.SUPPORTER) else None
    waiting = Appeal.objects.filter(network__in=permissions.coordinated_networks(user), status=Appeal.Status.REVIEW,
                                    stopped_at__isnull=True).count() if coordinates else 0
    return {"staff": True, "desks": desks, "coordinates": coordinates, "waiting": waiting}


def register() -> None:
    panels.register("appeals/panel.html", _appeals, order=30)
