from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from amparo.accounts import services
from amparo.accounts.actions import Action
from amparo.accounts.models import User
from amparo.core.services import record_audit


@admin.register(User)
class AmparoUserAdmin(UserAdmin):
    """Django's user admin, with every change in the audit chain, and unticking "active"
    going through `deactivate_account` (roles ended, key rings left, sessions ended)."""

    fieldsets = (*(UserAdmin.fieldsets or ()), ("Amparo", {"fields": ("language",)}))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        closing = change and "is_active" in form.changed_data and not obj.is_active
        if closing:
            obj.is_active = True  # deactivate_account below does it, or refuses
        super().save_model(request, obj, form, change)
        record_audit(request.user, Action.CHANGED_IN_ADMIN if change else Action.CREATED_IN_ADMIN, obj)
        if closing:
            try:
                with transaction.atomic():
                    services.deactivate_account(cast(User, request.user), obj)
            except services.DeactivationRefused as refused:
                messages.error(request, str(refused))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Refused, for every account: a member's private key is wrapped by her password, so a
        password set by someone else would leave her unable to open anything, and would let an
        administrator sign in as her. She changes it herself, or resets it with her recovery
        sheet (the account's reset page)."""
        messages.error(request, _("Nobody sets another person's password here: her keys are locked with it. "
                                  "She changes it on her account page, or resets it with her recovery sheet."))
        record_audit(request.user, Action.PASSWORD_CHANGE_REFUSED_IN_ADMIN, self.get_object(request, id))
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[id]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_audit(request.user, Action.DELETED_IN_ADMIN, obj)
        super().delete_model(request, obj)
