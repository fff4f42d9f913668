"""The channels' audit actions, in one catalogue. Identifiers only: never a number, an address
or her words."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    SMS_FILED = "channels.sms_filed"
    SMS_DELETED_BY_SENDER = "channels.sms_deleted_by_sender"
    EMAIL_FILED = "channels.email_filed"
    MAILBOX_SAVED = "channels.mailbox_saved"
