"""Fund reviewers decide: approve (an amount), partly approve (a smaller amount), refer to
another fund, decline (with a reason), or ask her for more. Above an amount set per currency a
second reviewer confirms (four eyes); no exchange rate is assumed, so a currency without a
threshold always needs a second reviewer."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.support import sealing
from amparo.support.actions import Action
from amparo.support.models import Decision, Fund, SupportRequest
from amparo.support.queries import reviewable_requests

DEFAULT_FOUR_EYES = {"EUR": Decimal(5000), "USD": Decimal(5000)}
FINAL = {Decision.Outcome.APPROVED: SupportRequest.Status.APPROVED,
         Decision.Outcome.PARTLY: SupportRequest.Status.PARTLY,
         Decision.Outcome.REFERRED: SupportRequest.Status.REFERRED,
         Decision.Outcome.DECLINED: SupportRequest.Status.DECLINED}


class DecisionRefused(ValueError):
    """What is wrong with a decision, in words for the reviewer; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def needs_second_reviewer(amount: Decimal | None, currency: str) -> bool:
    if amount is None:
        return False
    thresholds = getattr(settings, "SUPPORT_FOUR_EYES_ABOVE", None) or DEFAULT_FOUR_EYES
    limit = thresholds.get(currency.upper())
    return limit is None or amount > Decimal(limit)


def _check(request: SupportRequest, outcome: str, amount: Decimal | None, fund: Fund | None, note: str) -> None:
    if request.status not in SupportRequest.OPEN or request.status == SupportRequest.Status.CONFIRMING:
        raise DecisionRefused(_("This request already has a decision."))
    if outcome in (Decision.Outcome.APPROVED, Decision.Outcome.PARTLY) and not amount:
        raise DecisionRefused(_("Give the amount approved."), "amount")
    if (outcome == Decision.Outcome.PARTLY and amount and request.amount is not None
            and amount >= request.amount):
        raise DecisionRefused(_("A partial approval is less than the amount she asked for."), "amount")
    if outcome == Decision.Outcome.REFERRED and fund is None:
        raise DecisionRefused(_("Choose the fund she is referred to."), "fund")
    if outcome in (Decision.Outcome.DECLINED, Decision.Outcome.MORE_INFO) and not note.strip():
        raise DecisionRefused(_("Write the reason, or what you need to know, for her to read."), "note")


def decide(reviewer: User, request: SupportRequest, *, outcome: str, amount: Decimal | None = None,
           currency: str = "", fund: Fund | None = None, note: str = "") -> Decision:
    if not reviewable_requests(reviewer).filter(pk=request.pk).exists():
        raise DecisionRefused(_("You do not review this network's requests."))
    _check(request, outcome, amount, fund, note)
    currency = (currency or request.currency).upper()
    with transaction.atomic():
        decision = Decision.objects.create(request=request, reviewer=reviewer, outcome=outcome, amount=amount,
                                           currency=currency if amount else "", fund=fund,
                                           note=sealing.seal_note(request, note))
        if outcome == Decision.Outcome.MORE_INFO:
            request.status = SupportRequest.Status.MORE_INFO
        elif outcome in FINAL and needs_second_reviewer(amount, currency):
            request.status = SupportRequest.Status.CONFIRMING
        else:
            request.status, request.decided_at = FINAL[Decision.Outcome(outcome)], timezone.now()
        request.save(update_fields=["status", "decided_at"])
        record_audit(reviewer, Action.REQUEST_DECIDED, request, scope=network.scope_of(request.network))
    return decision


def confirm(reviewer: User, decision: Decision) -> Decision:
    """The second reviewer's yes: another person than the one who decided."""
    request = decision.request
    if not reviewable_requests(reviewer).filter(pk=request.pk).exists():
        raise DecisionRefused(_("You do not review this network's requests."))
    if request.status != SupportRequest.Status.CONFIRMING or decision.confirmed_by_id is not None:
        raise DecisionRefused(_("This decision does not wait for a second reviewer."))
    if decision.reviewer_id == reviewer.pk:
        raise DecisionRefused(_("Another fund reviewer must confirm your own decision."))
    with transaction.atomic():
        decision.confirmed_by = reviewer
        decision.save(update_fields=["confirmed_by"])
        request.status, request.decided_at = FINAL[Decision.Outcome(decision.outcome)], timezone.now()
        request.save(update_fields=["status", "decided_at"])
        record_audit(reviewer, Action.DECISION_CONFIRMED, request, scope=network.scope_of(request.network))
    return decision
