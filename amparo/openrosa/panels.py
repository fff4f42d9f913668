"""What the OpenRosa server contributes to dashboards: for a desk's documenters and its
network's coordinators, the page of the desk's phone-app addresses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.core import panels
from amparo.network import permissions


def _desks(request: HttpRequest) -> dict[str, Any] | None:
    desks = list(permissions.visible_desks(request.user))
    return {"desks": desks} if desks else None


def register() -> None:
    panels.register("openrosa/panel.html", _desks, order=26)
