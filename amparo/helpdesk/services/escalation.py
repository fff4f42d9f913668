"""Escalation: a request nobody has answered is passed to the network's leads at 60 minutes
and again at 90 (FIELD-NOTES: the reference helpline). Run every minute by a periodic job;
each level happens once per request, however often the job runs (a unique row per level)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.helpdesk.actions import Action
from amparo.helpdesk.models import ESCALATION_MINUTES, Escalation, ExpertProfile, HelpRequest
from amparo.network import services as network
from amparo.network.models import Network

UNANSWERED = (HelpRequest.Status.NEW, HelpRequest.Status.OPEN)


@dataclass(frozen=True)
class Escalated:
    escalation: Escalation
    leads: list[User]


def leads_of(where: Network) -> list[User]:
    """The network's lead experts, else its coalition's."""
    for candidate in (where, where.coalition()):
        leads = [p.user for p in ExpertProfile.objects.filter(network=candidate, lead=True).select_related("user")]
        if leads:
            return leads
    return []


def escalate_unanswered(now: datetime | None = None) -> list[Escalated]:
    """Record an escalation for every request still unanswered 60 (then 90) minutes after it
    came; returns only those made by this run, with the leads to tell."""
    now = now or timezone.now()
    made: list[Escalated] = []
    for minutes in ESCALATION_MINUTES:
        due = (HelpRequest.objects.filter(first_response_at__isnull=True, status__in=UNANSWERED,
                                          created_at__lte=now - timedelta(minutes=minutes))
               .exclude(escalations__minutes=minutes).select_related("network"))
        for request in due:
            try:
                with transaction.atomic():
                    escalation = Escalation.objects.create(request=request, minutes=minutes, created_at=now)
                    record_audit("system", Action.ESCALATED, request, scope=network.scope_of(request.network))
            except IntegrityError:  # another run made it first
                continue
            made.append(Escalated(escalation, leads_of(request.network)))
    return made
