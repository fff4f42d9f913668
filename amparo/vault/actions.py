"""The audit actions of vault: keys: member keys, rings and their members, recovery codes and
sheets. Every `record_audit` call of this app passes one of these; the values are the ones
stored in the audit log, so they never change."""

from __future__ import annotations

from amparo.core.audit import AuditAction


class Action(AuditAction):
    BACKUP_MADE = "vault.backup_made"
    BACKUP_RESTORED = "vault.backup_restored"
    GRANTS_COMPLETED = "vault.grants_completed"
    MEMBER_KEY_CREATED = "vault.member_key_created"
    MEMBER_KEY_RECOVERED = "vault.member_key_recovered"
    RECOVERY_CODE_REISSUED = "vault.recovery_code_reissued"
    RECOVERY_SHEET_CONFIRMED = "vault.recovery_sheet_confirmed"
    RECOVERY_SHEET_ISSUED = "vault.recovery_sheet_issued"
    RING_MEMBER_ADDED = "vault.ring_member_added"
    RING_MEMBER_REMOVED = "vault.ring_member_removed"
    RING_RESTORED_FROM_SHEET = "vault.ring_restored_from_sheet"
