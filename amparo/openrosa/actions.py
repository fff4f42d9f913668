"""The OpenRosa server's audit actions."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    LINK_CREATED = "openrosa_link.created"
    LINK_REVOKED = "openrosa_link.revoked"
