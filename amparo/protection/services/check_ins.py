"""Check-ins: a schedule with a safety contact, one-tap check-ins, and the missed check-in
alert (by e-mail to the desk's documenters and the safety contact, by SMS to her when a gateway
is set up), sent once per miss: the MissedCheckIn row, unique per schedule and due time, is
what makes a second run of the job send nothing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core import sms
from amparo.core.services import record_audit
from amparo.network.models import Membership, Role
from amparo.registry.models import Defender

from .. import sealing
from ..actions import Action
from ..models import CheckIn, CheckInSchedule, MissedCheckIn
from .common import Refused, desk_scope

logger = logging.getLogger(__name__)


def schedule_check_ins(actor: User, defender: Defender, *, contact_name: str, contact_phone: str,
                       contact_email: str, contact_language: str, every_hours: int, grace_minutes: int,
                       first_due_at: datetime) -> CheckInSchedule:
    """A check-in schedule for her: the contact's name sealed to the desk, her phone and
    e-mail with the service key (the alert job reads them)."""
    if not (contact_phone.strip() or contact_email.strip()):
        raise Refused(_("Give the safety contact's phone or e-mail: the alert needs one of them."))
    if every_hours < 1 or grace_minutes < 0:
        raise Refused(_("Check-ins need at least one hour between them."))
    with transaction.atomic():
        schedule = CheckInSchedule.objects.create(
            desk=defender.desk, defender=defender, contact_language=contact_language,
            contact_name=sealing.seal_contact_name(defender.desk, contact_name.strip()),
            contact_phone=sealing.seal_contact_reach("phone", contact_phone.strip()),
            contact_email=sealing.seal_contact_reach("email", contact_email.strip()),
            every_hours=every_hours, grace_minutes=grace_minutes, next_due_at=first_due_at)
        record_audit(actor, Action.CHECK_IN_SCHEDULED, schedule, scope=desk_scope(defender.desk))
    return schedule


def check_in(actor: User | str, schedule: CheckInSchedule, *, channel: str, now: datetime | None = None) -> CheckIn:
    """She is fine: the next check-in is due `every_hours` from now; an open miss is resolved."""
    now = now or timezone.now()
    with transaction.atomic():
        done = CheckIn.objects.create(schedule=schedule, channel=channel, at=now)
        schedule.last_check_in_at = now
        schedule.next_due_at = now + timedelta(hours=schedule.every_hours)
        schedule.save(update_fields=["last_check_in_at", "next_due_at"])
        schedule.misses.filter(resolved_at__isnull=True).update(resolved_at=now)
        record_audit(actor, Action.CHECKED_IN, schedule, scope=desk_scope(schedule.desk))
    return done


def stop_check_ins(actor: User, schedule: CheckInSchedule) -> CheckInSchedule:
    with transaction.atomic():
        schedule.active = False
        schedule.save(update_fields=["active"])
        record_audit(actor, Action.CHECK_IN_STOPPED, schedule, scope=desk_scope(schedule.desk))
    return schedule


def _desk_addresses(schedule: CheckInSchedule) -> list[tuple[str, str]]:
    members = Membership.objects.active().filter(desk=schedule.desk, role=Role.DOCUMENTER).select_related("user")
    return sorted({(m.user.email, m.user.language) for m in members if m.user.email and m.user.is_active})


def _message(schedule: CheckInSchedule, due_at: datetime, language: str, *, for_desk: bool) -> tuple[str, str]:
    """Subject and body: a reference and a time, never her name or where she is."""
    with translation.override(language):
        reference = f"P-{schedule.pk}"
        when = due_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        subject = _("Amparo: missed check-in %(reference)s") % {"reference": reference}
        if for_desk:
            link = settings.AMPARO_PUBLIC_URL + reverse("protection:defender",
                                                        kwargs={"defender_id": schedule.defender_id})
            body = _("A check-in due at %(when)s has not come in (%(reference)s). Try to reach her and her "
                     "safety contact, and follow her emergency protocols: %(link)s") % {
                "when": when, "reference": reference, "link": link}
        else:
            body = _("Amparo: a check-in you are the safety contact for was due at %(when)s and has not come in "
                     "(%(reference)s). Try to reach her, and call the desk.") % {"when": when,
                                                                                 "reference": reference}
    return subject, body


def _alert(schedule: CheckInSchedule, due_at: datetime) -> tuple[int, int]:
    """Send the alert: e-mails (desk, contact) and an SMS (contact). Returns (e-mails, SMS)."""
    messages = [(address, *_message(schedule, due_at, language, for_desk=True))
                for address, language in _desk_addresses(schedule)]
    contact_email = sealing.open_contact_reach("email", schedule)
    if contact_email:
        messages.append((contact_email, *_message(schedule, due_at, schedule.contact_language, for_desk=False)))
    emails = 0
    with get_connection() as connection:
        for address, subject, body in messages:
            emails += EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address],
                                   connection=connection).send()
    sent_sms = 0
    phone, gateway = sealing.open_contact_reach("phone", schedule), sms.gateway()
    if phone and gateway is not None:
        result = gateway.send(phone, _message(schedule, due_at, schedule.contact_language, for_desk=False)[1])
        if result.outcome == sms.Outcome.SENT:
            sent_sms = 1
        else:
            logger.warning("missed check-in SMS not sent: %s", result.detail)
    return emails, sent_sms


def alert_missed_check_ins(now: datetime | None = None) -> int:
    """Alert every active schedule whose check-in is overdue by more than its grace period,
    once per missed time. Safe to run twice and from two workers: the unique row decides."""
    now = now or timezone.now()
    alerted = 0
    for schedule in CheckInSchedule.objects.filter(active=True, next_due_at__lt=now).select_related("desk"):
        due_at = schedule.next_due_at
        if due_at + timedelta(minutes=schedule.grace_minutes) > now:
            continue
        try:
            with transaction.atomic():
                miss = MissedCheckIn.objects.create(schedule=schedule, due_at=due_at, alerted_at=now)
        except IntegrityError:
            continue  # this miss was alerted already
        emails, texts = _alert(schedule, due_at)
        with transaction.atomic():
            MissedCheckIn.objects.filter(pk=miss.pk).update(emails_sent=emails, sms_sent=texts)
            record_audit("system", Action.CHECK_IN_MISSED, miss, scope=desk_scope(schedule.desk))
        alerted += 1
    return alerted
