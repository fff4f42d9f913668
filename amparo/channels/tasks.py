"""Background jobs of the channels. Arguments are identifiers only: never a number, an
address, a password or her words (the broker is a store a seized server gives up too)."""

from __future__ import annotations

import imaplib
import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

from amparo.channels import services
from amparo.channels.models import DeskMailbox
from amparo.core import sms

log = logging.getLogger(__name__)


@shared_task(bind=True, name="amparo.channels.tasks.send_sms", acks_late=True, max_retries=8)
def send_sms(self: Any, outgoing_id: int) -> str:
    """Send one reply through the gateway; retried later when the gateway says so."""
    waiting = services.sending(outgoing_id)
    if waiting is None:
        return "gone"
    gateway = sms.gateway()
    if gateway is None:
        return "no gateway"
    result = gateway.send(*waiting)
    if result.outcome is sms.Outcome.RETRY and self.request.retries < self.max_retries:
        log.info("SMS reply %s: retry (%s)", outgoing_id, result.detail)
        raise self.retry(countdown=min(3600, 30 * 2 ** self.request.retries))
    services.sent(outgoing_id)
    return result.outcome.value


@shared_task(name="amparo.channels.tasks.expire_sms_conversations", acks_late=True)
def expire_sms_conversations() -> int:
    """Hourly: conversations left half-way are deleted, with her answers."""
    return services.expire_conversations()


@shared_task(name="amparo.channels.tasks.poll_mailboxes", acks_late=True)
def poll_mailboxes() -> int:
    """Every few minutes: each desk's mailbox read; each message a report."""
    stored = 0
    for mailbox in DeskMailbox.objects.filter(enabled=True).select_related("desk__network"):
        try:
            polled = services.poll_mailbox(mailbox)
        except (OSError, imaplib.IMAP4.error) as error:  # refused, unreachable, timed out
            log.warning("mailbox of desk %s: %s", mailbox.desk_id, type(error).__name__)
            services.note_poll_failure(mailbox, error)
            continue
        stored += polled.stored
        for incident_id in polled.acknowledge:
            acknowledge_email.delay(incident_id)
    return stored


@shared_task(name="amparo.channels.tasks.acknowledge_email", acks_late=True)
def acknowledge_email(incident_id: int) -> bool:
    """The acknowledgement she asked for (only then), in the desk's words, without her report."""
    found = services.reply_address(incident_id)
    if found is None:
        return False
    address, language = found
    with translation.override(language):
        send_mail(gettext("Your report was received"),
                  gettext("Your report has reached the team. They will answer you at this address."),
                  settings.DEFAULT_FROM_EMAIL, [address])
    return True

