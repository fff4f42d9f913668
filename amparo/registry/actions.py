"""The registry's audit actions: every write to defenders, incidents, their files and their
messages appends one of these. The values are the codes stored in the log since the start (a
case's history words key on them, `history.py`)."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    DEFENDER_CREATED = "defender.created"
    INCIDENT_RECORDED = "incident.recorded"
    INCIDENT_UPDATED = "incident.updated"
    CONSENT_WITHDRAWN = "incident.consent_withdrawn"
    CONSENT_GIVEN = "incident.consent_given"
    ASSIGNED = "incident.assigned"
    MARKED_DUPLICATE = "incident.marked_duplicate"
    FOLLOW_UP_ADDED = "incident.follow_up_added"
    MOVED_OUT = "incident.moved_out"
    MOVED_IN = "incident.moved_in"
    ATTACHMENT_ADDED = "incident.attachment_added"
    MESSAGE_FROM_REPORTER = "incident.message_from_reporter"
    MESSAGE_TO_REPORTER = "incident.message_to_reporter"
    EXPIRED = "incident.expired"
    # A status change names the new status (Incident.Status).
    STATUS_RECEIVED = "incident.status.received"
    STATUS_TRIAGE = "incident.status.triage"
    STATUS_VERIFIED = "incident.status.verified"
    STATUS_DOCUMENTED = "incident.status.documented"
    STATUS_CLOSED = "incident.status.closed"
    STATUS_DUPLICATE = "incident.status.duplicate"
    IMPORTED = "incidents.imported"
    # An export names its format (exporting.FORMATS).
    EXPORTED_CSV = "incidents.exported.csv"
    EXPORTED_JSON = "incidents.exported.json"

    @classmethod
    def status(cls, status: str) -> Action:
        """The action of a change to `status`; ValueError for a status that does not exist."""
        return cls(f"{STATUS_PREFIX}{status}")

    @classmethod
    def exported(cls, fmt: str) -> Action:
        return cls(f"incidents.exported.{fmt}")


STATUS_PREFIX = "incident.status."
