"""The vocabulary's audit actions: every write to a term appends one of these."""

from __future__ import annotations

from amparo.core.audit import AuditAction

# The object type the entries about terms have carried since the registry held the model: one
# term keeps one history across the move.
TERM_OBJECT_TYPE = "registry.term"


class Action(AuditAction):
    TERM_CREATED = "term.created"
    TERM_UPDATED = "term.updated"
    TERM_RETIRED = "term.retired"
    TERM_RESTORED = "term.restored"
