"""What the registry contributes to dashboards: a desk's inbox, a defender's own reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role
from amparo.registry.models import Incident, Message


def _desks(request: HttpRequest) -> dict[str, Any] | None:
    desks = permissions.documented_desks(request.user).annotate(
        waiting=Count("incidents", filter=Q(incidents__status=Incident.Status.RECEIVED)))
    return {"desks": [(d, d.waiting) for d in desks]} if desks else None


def _defender(request: HttpRequest) -> dict[str, Any] | None:
    if not permissions.has_role(request.user, Role.DEFENDER):
        return None
    return {"count": Incident.objects.filter(reporter_id=request.user.pk).count(),
            "unread": Message.objects.filter(incident__reporter_id=request.user.pk, author=Message.Author.DESK,
                                             read_at__isnull=True).count()}


def register() -> None:
    panels.register("registry/panel_desk.html", _desks, order=25)
    panels.register("registry/panel_defender.html", _defender, order=21)
