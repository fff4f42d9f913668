"""A defender with an account and her desk write to each other about her report: each message
sealed to the desk's ring and to her own key. When she chose it, the desk's message sends her a
neutral e-mail ("you have a new message"), nothing of its content. Unread messages are counted
for the inbox."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.registry import sealing
from amparo.registry.actions import Action
from amparo.registry.models import Incident, Message
from amparo.registry.services.attachments import add_attachment
from amparo.registry.services.common import desk_scope
from amparo.registry.services.intake import Upload
from amparo.registry.signals import announce
from amparo.vault.services import Unlocked

logger = logging.getLogger(__name__)


def write_to_desk(reporter: User, incident: Incident, text: str, *, upload: Upload | None = None) -> Message | None:
    """She writes to her desk (and may add a file: an `intake.Upload`)."""
    message = None
    with transaction.atomic():
        if text.strip():
            message = Message.objects.create(incident=incident, author=Message.Author.REPORTER,
                                             body=sealing.seal_defender_message(incident, text, reporter))
            record_audit(reporter, Action.MESSAGE_FROM_REPORTER, incident, scope=desk_scope(incident.desk))
        if upload is not None:
            add_attachment(reporter, incident, filename=upload.filename, content_type=upload.content_type,
                           file=upload.file, size=upload.size)
    return message


def reply_to_defender(actor: User, incident: Incident, text: str) -> Message:
    """The desk answers her; a report still "received" moves to "in triage". Then, if she chose
    it, the neutral e-mail."""
    if incident.reporter is None:
        raise ValueError("nobody with an account reported this incident")
    with transaction.atomic():
        message = Message.objects.create(incident=incident, author=Message.Author.DESK,
                                         body=sealing.seal_defender_message(incident, text, incident.reporter))
        if incident.status == Incident.Status.RECEIVED:
            Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.TRIAGE)
            incident.status = Incident.Status.TRIAGE
            announce([incident.pk])
        record_audit(actor, Action.MESSAGE_TO_REPORTER, incident, scope=desk_scope(incident.desk))
    if Incident.objects.filter(pk=incident.pk, notify_reporter=True).exists():  # her choice as it is now
        notify(incident.reporter)
    return message


def notify(reporter: User) -> bool:
    """The neutral e-mail, in her language: no case, no desk, no words of the message."""
    if not reporter.email:
        return False
    with translation.override(reporter.language or "en"):
        subject = _("You have a new message")
        body = _("You have a new message on Amparo. Sign in to read it.")
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reporter.email])
    except OSError:  # the message is stored; only the notice failed (nothing of her in the log)
        logger.warning("a new-message notice could not be sent")
        return False
    return True


def set_notify(reporter: User, incident: Incident, on: bool) -> None:
    """Her choice: a neutral e-mail when her desk writes, or none."""
    Incident.objects.filter(pk=incident.pk, reporter=reporter).update(notify_reporter=on)
    incident.notify_reporter = on


def open_thread(unlocked: Unlocked | None, incident: Incident) -> list[tuple[Message, str]]:
    """The conversation, for her (with her key) or for a member of the desk."""
    return [(m, sealing.open_message(unlocked, m)) for m in incident.messages.all()]


def mark_read(incident: Incident, author: str) -> int:
    """The other side has read `author`'s messages (the desk opened the case, or she opened her
    report): they no longer count as unread."""
    return Message.objects.filter(incident=incident, author=author, read_at__isnull=True).update(
        read_at=timezone.now())


def unread_counts(incidents: Iterable[Incident] | Iterable[int] | QuerySet[Incident], author: str) -> dict[int, int]:
    """How many of `author`'s messages the other side has not read, per incident (absent: none)."""
    rows = Message.objects.filter(incident__in=incidents, author=author, read_at__isnull=True) \
        .values("incident_id").annotate(n=Count("id"))
    return {row["incident_id"]: row["n"] for row in rows}
