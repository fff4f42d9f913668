"""Disbursement of an approved request: planned, sent, received (forward only). Her follow-up
report is due three months after she received the money (FIELD-NOTES: security actions within
3 months, a report about 3 months later)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.support.actions import Action
from amparo.support.models import Payment, SupportRequest
from amparo.support.queries import reviewable_requests

from .decisions import DecisionRefused

REPORT_AFTER = timedelta(days=90)
ORDER = [Payment.PLANNED, Payment.SENT, Payment.RECEIVED]


def record_payment(reviewer: User, request: SupportRequest, step: str, *, now: datetime | None = None) -> None:
    if not reviewable_requests(reviewer).filter(pk=request.pk).exists():
        raise DecisionRefused(_("You do not review this network's requests."))
    if request.status not in (SupportRequest.Status.APPROVED, SupportRequest.Status.PARTLY):
        raise DecisionRefused(_("Only an approved request is paid."))
    if step not in ORDER or (request.payment and ORDER.index(Payment(step)) <= ORDER.index(Payment(request.payment))):
        raise DecisionRefused(_("This payment step is already recorded."))
    now = now or timezone.now()
    with transaction.atomic():
        request.payment, request.payment_changed_at = step, now
        if step == Payment.RECEIVED:
            request.report_due_at = now + REPORT_AFTER
        request.save(update_fields=["payment", "payment_changed_at", "report_due_at"])
        record_audit(reviewer, Action.PAYMENT_RECORDED, request, scope=network.scope_of(request.network))
