"""The core rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
CLEAR_FIELDS: dict[str, str] = {
    "core.AuditEntry.actor_label": "a role word for non-users: 'anonymous' or 'system'",
    "core.AuditEntry.action": "audit action code, a constant of an app's catalogue",
    "core.AuditEntry.object_type": "model label, e.g. 'registry.incident'",
    "core.AuditEntry.object_id": "a primary key",
    "core.AuditEntry.scope": "'network:<id>': which coordinators may read the entry",
    "core.AuditEntry.prev_hash": "hash of the chain",
    "core.AuditEntry.hash": "hash of the chain",
    "core.AuditHead.hash": "hash of the chain",
    "core.Counter.key": "a keyed hash of a username or a fixed name, never an address",
    # Django's admin log: written by admin changes (staff only, all of them also audited).
    "admin.LogEntry.object_id": "a primary key",
    "admin.LogEntry.object_repr": "str() of the row, which every model keeps to a number, a code or a public "
                                  "name (never sealed content)",
    "admin.LogEntry.change_message": "JSON naming the fields changed, never their values (Django's format)",
}
