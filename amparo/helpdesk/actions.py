"""The help desk's audit actions. The values are stored in the audit log and never change."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    REQUEST_OPENED = "helpdesk.request_opened"
    REQUEST_ASSIGNED = "helpdesk.request_assigned"
    MESSAGE_FROM_REQUESTER = "helpdesk.message_from_requester"
    MESSAGE_FROM_EXPERT = "helpdesk.message_from_expert"
    STATUS_CHANGED = "helpdesk.status_changed"
    ESCALATED = "helpdesk.escalated"
    PROFILE_SAVED = "helpdesk.expert_profile_saved"
    LOCKDOWN_CODE_SET = "helpdesk.lockdown_code_set"
    TRUSTED_CONTACT_ADDED = "helpdesk.trusted_contact_added"
    TRUSTED_CONTACT_REMOVED = "helpdesk.trusted_contact_removed"
    LOCKDOWN = "helpdesk.lockdown"
    LOCKDOWN_WARNING_SENT = "helpdesk.lockdown_warning_sent"
    LOCKDOWN_UNDONE = "helpdesk.lockdown_undone"
