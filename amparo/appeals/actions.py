"""The appeals' audit actions: every action the app records, in one catalogue. The values are
the dotted strings stored in the audit chain since the start, so history and old rows read
the same."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    # An appeal, from draft to close
    APPEAL_DRAFTED = "appeal.drafted"
    APPEAL_EDITED = "appeal.edited"
    APPEAL_TRANSLATED = "appeal.translated"
    ADDRESSEE_ADDED = "appeal.addressee_added"
    ADDRESSEE_REMOVED = "appeal.addressee_removed"
    APPEAL_SUBMITTED = "appeal.submitted"
    APPEAL_APPROVED = "appeal.approved"
    APPEAL_RETURNED = "appeal.returned"
    APPEAL_STOPPED = "appeal.stopped"
    APPEAL_CIRCULATION_QUEUED = "appeal.circulation_queued"
    APPEAL_CIRCULATED = "appeal.circulated"
    RESPONSE_LOGGED = "appeal.response_logged"
    APPEAL_CLOSED = "appeal.closed"
    # Its updates ("appealupdate.circulated" is the model's name, as recorded from the start)
    UPDATE_DRAFTED = "appeal_update.drafted"
    UPDATE_TRANSLATED = "appeal_update.translated"
    UPDATE_APPROVED = "appeal_update.approved"
    UPDATE_STOPPED = "appeal_update.stopped"
    UPDATE_CIRCULATION_QUEUED = "appeal_update.circulation_queued"
    UPDATE_CIRCULATED = "appealupdate.circulated"
    # Supporters
    SUBSCRIPTION_REQUESTED = "supporter.subscription_requested"
    SUPPORTER_CONFIRMED = "supporter.confirmed"
    PREFERENCES_CHANGED = "supporter.preferences_changed"
    SUPPORTER_UNSUBSCRIBED = "supporter.unsubscribed"
    SUPPORTER_BOUNCED = "supporter.bounced"
    SUPPORTER_SMS_BOUNCED = "supporter.sms_bounced"
    DEMO_SUPPORTER_ADDED = "supporter.demo_added"
    SUPPORTERS_IMPORTED = "supporters.imported"
    SUPPORTERS_EXPORTED = "supporters.exported"

