"""The audit actions of accounts: people and their accounts: creation, passwords, second factors,
sessions and API tokens. Every `record_audit` call of this app passes one of these; the values
are the ones stored in the audit log, so they never change."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    API_TOKEN_CREATED = "account.api_token_created"  # noqa: S105 - an audit action, not a secret
    API_TOKEN_REVOKED = "account.api_token_revoked"  # noqa: S105 - an audit action, not a secret
    CHANGED_IN_ADMIN = "account.changed_in_admin"
    CREATED = "account.created"
    CREATED_IN_ADMIN = "account.created_in_admin"
    DEACTIVATED = "account.deactivated"
    DELETED_IN_ADMIN = "account.deleted_in_admin"
    OTHER_SESSIONS_ENDED = "account.other_sessions_ended"
    PASSWORD_CHANGE_REFUSED_IN_ADMIN = "account.password_change_refused_in_admin"  # noqa: S105 - an audit action, not a secret
    PASSWORD_SET = "account.password_set"  # noqa: S105 - an audit action, not a secret
    RECOVERY_CODES_ISSUED = "account.recovery_codes_issued"
    RECOVERY_CODE_USED = "account.recovery_code_used"
    SECOND_FACTOR_ENROLLED = "account.second_factor_enrolled"
    SECOND_FACTOR_REMOVED = "account.second_factor_removed"
    SESSION_ENDED = "account.session_ended"
