"""The audit catalogues of core's neighbours (accounts, vault, network, analytics) hold the very
action strings their services recorded before the catalogues existed: stored audit rows and
history words keep matching. Core itself records no action of its own."""

from amparo.accounts.actions import Action as AccountsAction
from amparo.analytics.actions import Action as AnalyticsAction
from amparo.core.audit import AuditAction
from amparo.network.actions import Action as NetworkAction
from amparo.vault.actions import Action as VaultAction

BEFORE = {
    AccountsAction: {
        "account.api_token_created",
        "account.api_token_revoked",
        "account.changed_in_admin",
        "account.created",
        "account.created_in_admin",
        "account.deactivated",
        "account.deleted_in_admin",
        "account.other_sessions_ended",
        "account.password_change_refused_in_admin",
        "account.password_set",
        "account.recovery_code_used",
        "account.recovery_codes_issued",
        "account.second_factor_enrolled",
        "account.second_factor_removed",
        "account.session_ended",
    },
    AnalyticsAction: {
        "analytics.countries_moved",
        "analytics.grouping_created",
        "analytics.region_added",
        "boundaries.loaded",
        "report.failed",
        "report.generated",
        "report.requested",
    },
    NetworkAction: {
        "contact.updated",
        "desk.created",
        "desk.updated",
        "invitation.accepted",
        "invitation.sent",
        "membership.added",
        "membership.ended",
        "network.created",
        "organisation.created",
    },
    VaultAction: {
        "vault.backup_made",
        "vault.backup_restored",
        "vault.grants_completed",
        "vault.member_key_created",
        "vault.member_key_recovered",
        "vault.recovery_code_reissued",
        "vault.recovery_sheet_confirmed",
        "vault.recovery_sheet_issued",
        "vault.ring_member_added",
        "vault.ring_member_removed",
        "vault.ring_restored_from_sheet",
    },
}


def test_each_catalogue_holds_the_strings_recorded_before() -> None:
    for catalogue, values in BEFORE.items():
        assert {member.value for member in catalogue} == values, catalogue


def test_the_catalogues_are_found_by_the_base() -> None:
    found = AuditAction.catalogue()
    for values in BEFORE.values():
        assert values <= set(found)
