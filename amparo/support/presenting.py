"""Her request in plain words: what each state means for her, and what a page shows of a
request (opened details, decisions, messages) for each reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Decision, SupportMessage, SupportRequest

PLAIN = {
    SupportRequest.Status.WAITING: _("Your request has arrived. The fund reviewers will answer within the time "
                                     "shown below."),
    SupportRequest.Status.MORE_INFO: _("The reviewers need to know a little more. Their question is below; you "
                                       "can answer in the box at the end."),
    SupportRequest.Status.CONFIRMING: _("The reviewers have decided. A second reviewer is confirming it, so that "
                                        "two people agree; this is quick."),
    SupportRequest.Status.APPROVED: _("Your request is approved."),
    SupportRequest.Status.PARTLY: _("Your request is partly approved: part of what you asked for can be paid."),
    SupportRequest.Status.REFERRED: _("The reviewers sent your request to another fund that fits it better."),
    SupportRequest.Status.DECLINED: _("This time the reviewers could not approve your request. The reason is "
                                      "below. You can write to them or ask again."),
    SupportRequest.Status.HELP_DESK: _("Digital help is given by the help desk: it takes your request from "
                                       "here."),
}


def plain_state(request: SupportRequest) -> Any:
    return PLAIN[SupportRequest.Status(request.status)]


def is_overdue(request: SupportRequest) -> bool:
    return request.status in SupportRequest.OPEN and request.due_at < timezone.now()


@dataclass
class Shown:
    """What a page shows of one request, opened for its reader."""

    request: SupportRequest
    details: dict[str, str] = field(default_factory=dict)
    decisions: list[tuple[Decision, str]] = field(default_factory=list)
    messages: list[tuple[SupportMessage, str]] = field(default_factory=list)

    @property
    def plain(self) -> Any:
        return plain_state(self.request)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.request)


def shown(request: SupportRequest, opener: Any) -> Shown:
    """`opener` has `details(request)`, `note(decision)` and `message(message)` (her key or
    the reviewer's, see views)."""
    return Shown(request, opener.details(request),
                 [(d, opener.note(d)) for d in request.decisions.select_related("fund", "reviewer")],
                 [(m, opener.message(m)) for m in request.messages.all()])
