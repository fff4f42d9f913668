"""The protection audit actions, in one catalogue."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    RISK_ASSESSED = "protection.risk_assessed"
    MEASURE_ADDED = "protection.measure_added"
    MEASURE_DONE = "protection.measure_done"
    PROTOCOL_ADDED = "protection.protocol_added"
    PROTOCOL_TICKED = "protection.protocol_ticked"
    CHECK_IN_SCHEDULED = "protection.check_in_scheduled"
    CHECK_IN_STOPPED = "protection.check_in_stopped"
    CHECKED_IN = "protection.checked_in"
    CHECK_IN_MISSED = "protection.check_in_missed"
    COMPLAINT_RECORDED = "protection.complaint_recorded"
    UN_COMMUNICATION_GENERATED = "protection.un_communication_generated"
    UN_COMMUNICATION_SENT = "protection.un_communication_sent"
    UN_COMMUNICATION_ANSWERED = "protection.un_communication_answered"
    UN_COMMUNICATION_DOWNLOADED = "protection.un_communication_downloaded"
