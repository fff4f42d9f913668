"""The surveys' audit actions. Answers are never audited: an entry's time beside an
invitation's would link a supporter to her answer."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    SURVEY_CREATED = "survey.created"
    SURVEY_IMPORTED = "survey.imported"
    SURVEY_CHANGED = "survey.changed"
    SURVEY_TRANSLATED = "survey.translated"
    SURVEY_OPENED = "survey.opened"
    SURVEY_CLOSED = "survey.closed"
    SURVEY_INVITATIONS_SENT = "survey.invitations_sent"
    SURVEY_ANSWERS_EXPORTED = "survey.answers_exported"
