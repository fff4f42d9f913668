"""What the help desk adds to dashboards: for an ICT expert, her requests, the unanswered ones
and escalations; for a desk's documenters, the lockdowns of their desk; for everyone signed in,
asking for help, the guides and lockdown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amparo.accounts.models import User
from amparo.core import panels
from amparo.helpdesk import rules
from amparo.helpdesk.models import Escalation, HelpRequest
from amparo.helpdesk.services.requests import OPEN_STATUSES
from amparo.network import permissions


def _helpdesk(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not isinstance(user, User):
        return None
    context: dict[str, Any] = {"expert": rules.is_expert(user),
                               "requests": HelpRequest.objects.filter(requester_id=user.pk).count()}
    if context["expert"]:
        scope = rules.requests_for_expert(user)
        context["mine"] = scope.filter(expert_id=user.pk, status__in=OPEN_STATUSES).count()
        context["unanswered"] = scope.filter(first_response_at__isnull=True, status__in=OPEN_STATUSES).count()
        context["escalated"] = list(Escalation.objects.filter(
            request__in=scope.filter(first_response_at__isnull=True, status__in=OPEN_STATUSES))
            .order_by("-created_at")[:5])
    context["lockdowns"] = list(rules.lockdowns_for_desk(user).filter(undone_at__isnull=True)
                                ) if permissions.documented_desks(user).exists() else []
    return context


def register() -> None:
    panels.register("helpdesk/panel.html", _helpdesk, order=40)
