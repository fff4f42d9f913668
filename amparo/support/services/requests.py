"""A request for support: asked with her account, with her anonymous receipt, or filed by a
documenter on her behalf; routed to the fund reviewers of her network (or its coalition's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk, Network
from amparo.registry.models import AnonymousReceipt, Incident
from amparo.support import sealing
from amparo.support.actions import Action
from amparo.support.models import Kind, SupportRequest, Urgency
from amparo.support.queries import support_network

DEFAULT_HOURS: dict[str, int] = {Urgency.CRITICAL: 72, Urgency.HIGH: 72, Urgency.NORMAL: 72}


def decision_hours(urgency: str) -> int:
    """The decision target for an urgency: 72 hours unless SUPPORT_DECISION_HOURS says otherwise."""
    configured: dict[str, int] = getattr(settings, "SUPPORT_DECISION_HOURS", None) or {}
    return int(configured.get(urgency) or DEFAULT_HOURS.get(urgency) or 72)


@dataclass
class RequestData:
    kind: str
    urgency: str = Urgency.HIGH
    amount: Decimal | None = None
    currency: str = ""
    country: str = ""
    language: str = "es"
    applicant: str = "individual"
    women_trans_led: bool = True
    abroad: bool = False
    months: int | None = None
    details: dict[str, str] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)


@dataclass
class Asker:
    """Who asks and who reads: her account, her receipt, or a documenter for her."""

    actor: User | str
    channel: str
    network: Network
    desk: Desk | None = None
    requester: User | None = None
    receipt: AnonymousReceipt | None = None
    filed_by: User | None = None


def _her_keys(asker: Asker) -> list[object]:
    if asker.requester is not None:
        return [asker.requester]
    if asker.receipt is not None:
        return [bytes(asker.receipt.public_key)]
    return []


def make_request(asker: Asker, data: RequestData, *, submission_key: str | None = None,
                 now: datetime | None = None) -> SupportRequest:
    """Store the request sealed to the fund reviewers and to her; the same form sent twice
    stores it once. Digital help goes to the help desk."""
    if submission_key:
        found = SupportRequest.objects.filter(submission_key=submission_key).first()
        if found is not None:
            return found
    now = now or timezone.now()
    route = support_network(asker.network)
    desk = asker.desk or (data.incidents[0].desk if data.incidents else None) \
        or network.desk_for_country(data.country or asker.network.country)
    status = SupportRequest.Status.HELP_DESK if data.kind == Kind.DIGITAL else SupportRequest.Status.WAITING
    try:
        with transaction.atomic():
            request = SupportRequest.objects.create(
                network=route, desk=desk, channel=asker.channel, requester=asker.requester, receipt=asker.receipt,
                filed_by=asker.filed_by, kind=data.kind, urgency=data.urgency, amount=data.amount,
                currency=(data.currency or "").upper(), country=data.country, language=data.language,
                applicant=data.applicant, women_trans_led=data.women_trans_led,
                abroad=data.abroad and data.kind == Kind.RELOCATION,
                months=data.months if data.kind == Kind.RELOCATION else None,
                details=sealing.seal_details(route, data.details, _her_keys(asker)), status=status,
                due_at=now + timedelta(hours=decision_hours(data.urgency)), submission_key=submission_key or None)
            request.incidents.set(data.incidents)
            record_audit(asker.actor, Action.REQUEST_MADE, request, scope=network.scope_of(route))
    except IntegrityError:  # the same form, twice at once: the other one won
        return SupportRequest.objects.get(submission_key=submission_key)
    return request
