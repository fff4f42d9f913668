"""Her sealed conversation with the fund reviewers about a request."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.support import sealing
from amparo.support.actions import Action
from amparo.support.models import SupportMessage, SupportRequest

ANONYMOUS = "anonymous"


def add_message(actor: User | str, request: SupportRequest, text: str, *, author: str) -> SupportMessage | None:
    """A message from her (`author` "requester") or from a reviewer, sealed to both; her
    answer to a question puts the request back in the reviewers' queue. Blank: nothing."""
    if not text.strip():
        return None
    with transaction.atomic():
        message = SupportMessage.objects.create(request=request, author=author,
                                                body=sealing.seal_message(request, text))
        from_her = author == SupportMessage.Author.REQUESTER
        if from_her and request.status == SupportRequest.Status.MORE_INFO:
            request.status = SupportRequest.Status.WAITING
            request.save(update_fields=["status"])
        record_audit(actor, Action.MESSAGE_FROM_REQUESTER if from_her else Action.MESSAGE_FROM_REVIEWER, request,
                     scope=network.scope_of(request.network))
    return message
