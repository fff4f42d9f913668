"""What support contributes to dashboards: the fund reviewers' queue (with its overdue count),
the directory for coordinators and reviewers, "ask for support" for defenders, and the desk's
requests for its documenters."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from amparo.core import panels
from amparo.network import permissions
from amparo.network.models import Role

from .models import SupportRequest
from .queries import reviewable_requests


def _support(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    reviewer = permissions.has_role(user, Role.FUND_REVIEWER)
    defender = permissions.has_role(user, Role.DEFENDER)
    desk = permissions.has_role(user, Role.DOCUMENTER)
    coordinator = permissions.has_role(user, Role.COORDINATOR)
    if not (reviewer or defender or desk or coordinator):
        return None
    waiting = overdue = 0
    if reviewer:
        open_ = reviewable_requests(user).filter(status__in=SupportRequest.OPEN)  # type: ignore[arg-type]  # has_role said: a person
        waiting, overdue = open_.count(), open_.filter(due_at__lt=timezone.now()).count()
    mine = SupportRequest.objects.filter(requester=user.pk).count() if defender else 0
    return {"reviewer": reviewer, "directory": reviewer or coordinator, "defender": defender, "desk": desk,
            "waiting": waiting, "overdue": overdue, "mine": mine}


def register() -> None:
    panels.register("support/panel.html", _support, order=35)
