"""After publication: the replies and notes the desk logs, the appeal's close with its coded
outcome, and the count of what visitors did for it."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.appeals import models, sealing
from amparo.appeals.actions import Action
from amparo.appeals.models import Appeal, Response
from amparo.core.services import record_audit
from amparo.vocabulary.models import Term

from .rules import AppealRefused, must_document, scope


def log_response(user: User, appeal: Appeal, *, kind: str, received_on: date, note: str,
                 source: str = "") -> Response:
    """A reply from an authority, or a note on how things turned out."""
    must_document(user, appeal)
    with transaction.atomic():
        response = Response.objects.create(appeal=appeal, kind=kind, received_on=received_on, author=user,
                                           **sealing.seal_response(appeal.desk, source=source, note=note))
        record_audit(user, Action.RESPONSE_LOGGED, appeal, scope=scope(appeal))
    return response


def close_appeal(user: User, appeal: Appeal, *, outcome: Term, outcome_on: date) -> Appeal:
    """Close a published appeal with its outcome, coded from the vocabulary, and its date."""
    must_document(user, appeal)
    if outcome.kind != Term.Kind.OUTCOME:
        raise AppealRefused(_("Choose an outcome."))
    if not appeal.published or appeal.status == Appeal.Status.CLOSED:
        raise AppealRefused(_("Only a published appeal that is still open can be closed."))
    with transaction.atomic():
        appeal.status, appeal.outcome, appeal.outcome_on = Appeal.Status.CLOSED, outcome, outcome_on
        appeal.closed_at = timezone.now()
        appeal.save(update_fields=["status", "outcome", "outcome_on", "closed_at", "updated_at"])
        record_audit(user, Action.APPEAL_CLOSED, appeal, scope=scope(appeal))
    return appeal


def record_action(appeal: Appeal, *, kind: str, country: str, submission_key: str) -> models.Action | None:
    """Count what a visitor did. Stores the kind, her country and the day; nothing about who
    she is. The form's one-time key makes a double submit count once. None when the appeal
    is not public (any more)."""
    if not appeal.published or kind not in models.Action.Kind.values:
        return None
    try:
        with transaction.atomic():
            return models.Action.objects.create(appeal=appeal, kind=kind, country=country[:2].upper(),
                                                day=timezone.localdate(), submission_key=submission_key[:64])
    except IntegrityError:  # the same form sent twice
        return models.Action.objects.filter(submission_key=submission_key[:64]).first()
