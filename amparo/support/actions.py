"""The support app's audit actions, in one catalogue."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    REQUEST_MADE = "support_request.made"
    REQUEST_DECIDED = "support_request.decided"
    DECISION_CONFIRMED = "support_request.decision_confirmed"
    REQUEST_OVERDUE_REMINDED = "support_request.overdue_reminded"
    PAYMENT_RECORDED = "support_request.payment_recorded"
    REPORT_REMINDED = "support_request.report_reminded"
    MESSAGE_FROM_REQUESTER = "support_request.message_from_requester"
    MESSAGE_FROM_REVIEWER = "support_request.message_from_reviewer"
    FUND_ADDED = "fund.added"
    FUND_EDITED = "fund.edited"
    FUNDS_IMPORTED = "funds.imported"
    FUNDS_EXPORTED = "funds.exported"
    DEMO_FUND_ADDED = "fund.demo_added"
