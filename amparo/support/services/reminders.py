"""Reminders, each sent once: an open request past its decision target is marked and its
network's fund reviewers are e-mailed; likewise when a follow-up report has come due. The mark
is claimed with a conditional UPDATE before sending, so two runs (or two workers) never remind
twice. The e-mail names the request's reference, kind and urgency and links to it; nothing of
what she wrote."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Membership, Role
from amparo.support.actions import Action
from amparo.support.models import SupportRequest


def overdue(now: datetime | None = None) -> list[SupportRequest]:
    now = now or timezone.now()
    return list(SupportRequest.objects.filter(status__in=SupportRequest.OPEN, due_at__lt=now)
                .select_related("network"))


def _reviewers(request: SupportRequest) -> list[str]:
    members = Membership.objects.active().filter(network=request.network, role=Role.FUND_REVIEWER)
    return sorted({m.user.email for m in members.select_related("user") if m.user.email})


def remind_overdue(now: datetime | None = None) -> int:
    """Mark and remind each overdue request not yet reminded; returns how many were reminded."""
    now = now or timezone.now()
    reminded = 0
    for request in overdue(now):
        with transaction.atomic():
            claimed = SupportRequest.objects.filter(pk=request.pk, overdue_reminded_at__isnull=True).update(
                overdue_reminded_at=now)
            if not claimed:
                continue
            record_audit("system", Action.REQUEST_OVERDUE_REMINDED, request, scope=network.scope_of(request.network))
        recipients = _reviewers(request)
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                link = settings.AMPARO_PUBLIC_URL + reverse("support:detail", kwargs={"request_id": request.pk})
                send_mail(_("Support request %(ref)s is overdue") % {"ref": request.reference},
                          _("Support request %(ref)s (%(kind)s, urgency: %(urgency)s) has waited past its "
                            "decision target of %(due)s. Please decide or ask her for more:\n\n%(link)s\n")
                          % {"ref": request.reference, "kind": request.get_kind_display(),
                             "urgency": request.get_urgency_display(),
                             "due": timezone.localtime(request.due_at).strftime("%Y-%m-%d %H:%M"), "link": link},
                          None, recipients)
        reminded += 1
    return reminded


def remind_reports(now: datetime | None = None) -> int:
    """Follow-up reports due (three months after payment was received): the reviewers are
    reminded once, to ask her how it went."""
    now = now or timezone.now()
    reminded = 0
    for request in SupportRequest.objects.filter(report_due_at__lt=now, report_reminded_at__isnull=True) \
            .select_related("network"):
        with transaction.atomic():
            if not SupportRequest.objects.filter(pk=request.pk, report_reminded_at__isnull=True).update(
                    report_reminded_at=now):
                continue
            record_audit("system", Action.REPORT_REMINDED, request, scope=network.scope_of(request.network))
        recipients = _reviewers(request)
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                link = settings.AMPARO_PUBLIC_URL + reverse("support:detail", kwargs={"request_id": request.pk})
                send_mail(_("Follow-up report due for %(ref)s") % {"ref": request.reference},
                          _("Three months have passed since the payment of %(ref)s was received. Please ask her "
                            "how it went, in her conversation:\n\n%(link)s\n") % {"ref": request.reference,
                                                                                      "link": link},
                          None, recipients)
        reminded += 1
    return reminded
