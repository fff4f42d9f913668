"""The audit actions of analytics: statistics and maps: region groupings, map boundaries and
assessment reports. Every `record_audit` call of this app passes one of these; the values are
the ones stored in the audit log, so they never change."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    COUNTRIES_MOVED = "analytics.countries_moved"
    GROUPING_CREATED = "analytics.grouping_created"
    REGION_ADDED = "analytics.region_added"
    BOUNDARIES_LOADED = "boundaries.loaded"
    REPORT_FAILED = "report.failed"
    REPORT_GENERATED = "report.generated"
    REPORT_REQUESTED = "report.requested"
