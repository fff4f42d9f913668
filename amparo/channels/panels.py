"""What the channels contribute to dashboards: a coordinator's link to each desk's mailbox."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.channels import queries
from amparo.core import panels


def _mailboxes(request: HttpRequest) -> dict[str, Any] | None:
    desks = list(queries.coordinated_desks(request.user))
    return {"desks": desks} if desks else None


def register() -> None:
    panels.register("channels/panel.html", _mailboxes, order=80)
