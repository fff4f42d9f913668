from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amparo.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nothing edits or deletes audit entries, not even a superuser."""

    list_display = ["seq", "created_at", "actor_label", "actor_id", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
