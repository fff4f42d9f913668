"""The help desk's background jobs: every minute, escalate unanswered requests (60 and 90
minutes, once each) and tell the leads; send lockdown warnings to trusted contacts, each once
(claimed before sending). Arguments are identifiers only; nothing here logs an address."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from amparo.core import sms
from amparo.helpdesk import services
from amparo.helpdesk.models import TrustedContact

logger = logging.getLogger(__name__)


def _tell_leads(escalated: services.Escalated) -> None:
    request = escalated.escalation.request
    for lead in escalated.leads:
        if not lead.email:
            continue
        with translation.override(lead.language or "en"):
            subject = _("Help request #%(n)s: no answer after %(m)s minutes") % {
                "n": request.pk, "m": escalated.escalation.minutes}
            body = _("A help request has had no answer for %(m)s minutes. Please open Amparo, help desk, "
                     "request #%(n)s, and answer her or pass it to an expert.") % {
                "n": request.pk, "m": escalated.escalation.minutes}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [lead.email])


@shared_task
def escalate_unanswered() -> int:
    """Escalate what is due and e-mail the leads; safe to run twice (each level once)."""
    made = services.escalate_unanswered()
    for escalated in made:
        try:
            _tell_leads(escalated)
        except OSError as exc:  # the escalation stands and shows on the leads' dashboards
            logger.warning("helpdesk: could not e-mail the leads (%s)", type(exc).__name__)
    return len(made)


def _warning_text(language: str) -> tuple[str, str]:
    with translation.override(language or "en"):
        return (_("A warning from someone who trusts you"),
                _("Someone who chose you as a trusted contact has locked down her account in Amparo: her "
                  "phone may be in other hands. Messages from her phone may not be hers. Do not answer "
                  "questions about her or others, and check with her in person or by another way."))


def _send(claimed: services.Claimed) -> bool:
    subject, body = _warning_text(claimed.language)
    if claimed.channel == TrustedContact.Channel.EMAIL:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [claimed.address])
        return True
    gateway = sms.gateway()
    return gateway is not None and gateway.send(claimed.address, body).outcome == sms.Outcome.SENT


def _tell_desk() -> None:
    """Her desk's documenters, by e-mail, once per lockdown: no name, only where to look."""
    for lockdown_id, documenters in services.claim_desk_alerts():
        for documenter in documenters:
            if not documenter.email:
                continue
            with translation.override(documenter.language or "en"):
                subject = _("A member of your network locked her account down")
                body = _("Her phone may be in other hands: messages from it may not be hers. Open Amparo: "
                         "your dashboard shows the lockdown (number %(n)s) and what to do next.") % {"n": lockdown_id}
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [documenter.email])
            except OSError as exc:  # the dashboard still shows it
                logger.warning("helpdesk: could not e-mail the desk (%s)", type(exc).__name__)


@shared_task
def send_lockdown_warnings() -> int:
    """Warn each trusted contact of every lockdown, once: a warning is claimed before it is
    sent, so a second run (or a second worker) never sends it again. Her desk is e-mailed
    first, once per lockdown."""
    _tell_desk()
    sent = 0
    for claimed in services.claim_warnings():
        try:
            if _send(claimed):
                services.warning_sent(claimed.warning_id)
                sent += 1
            else:
                services.release_warning(claimed.warning_id)
        except OSError as exc:
            services.release_warning(claimed.warning_id)
            logger.warning("helpdesk: a lockdown warning could not be sent (%s)", type(exc).__name__)
    return sent


@shared_task
def tick() -> None:
    """The minute's work: escalations, and any warning still unsent."""
    escalate_unanswered()
    send_lockdown_warnings()


@receiver(services.warnings_due, dispatch_uid="helpdesk-send-warnings")
def start_warnings(sender: Any, **kwargs: Any) -> None:
    try:
        send_lockdown_warnings.delay()
    except Exception as exc:  # the periodic tick sends them instead
        logger.warning("helpdesk: could not start the warning sender (%s)", type(exc).__name__)
