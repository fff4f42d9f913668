"""Core's one write: appending to the audit log. Every app's services call `record_audit`."""

from amparo.core.audit import record as record_audit

__all__ = ["record_audit"]
