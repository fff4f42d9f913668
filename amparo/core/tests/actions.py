"""A small catalogue of audit actions for the audit chain's own tests (record() takes only
catalogue members; the apps' catalogues are for the apps' own writes)."""

from amparo.core.audit import AuditAction


class SampleAction(AuditAction):
    THING_DONE = "sample.thing_done"
    DESK_UPDATED = "sample.desk_updated"
    REPORT_RECEIVED = "sample.report_received"
    CONCURRENT_WRITE = "sample.concurrent_write"
