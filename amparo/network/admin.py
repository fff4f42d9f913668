from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amparo.network.models import Desk, MemberContact, Membership, Network, Organisation


class ViewOnlyAdmin(admin.ModelAdmin):
    """Changes go through the pages, whose services write the audit log; the admin only shows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Network)
class NetworkAdmin(ViewOnlyAdmin):
    list_display = ["name", "slug", "kind", "parent", "country"]


@admin.register(Organisation)
class OrganisationAdmin(ViewOnlyAdmin):
    list_display = ["name", "network", "country"]


@admin.register(Desk)
class DeskAdmin(ViewOnlyAdmin):
    list_display = ["name", "slug", "network", "coalition_wide"]


@admin.register(Membership)
class MembershipAdmin(ViewOnlyAdmin):
    list_display = ["user", "role", "network", "desk", "created_at", "ended_at"]
    list_filter = ["role", "network"]
    raw_id_fields = ["user"]


@admin.register(MemberContact)
class MemberContactAdmin(ViewOnlyAdmin):
    """Shows that a sheet exists, never its content: sealed fields are not editable and the
    admin has no key to open them (no escrow, even for a superuser)."""

    list_display = ["user", "network", "updated_at"]
