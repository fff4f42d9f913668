from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from amparo.accounts.session_keys import SECOND_FACTOR_OK


class AmparoAdminSite(admin.AdminSite):
    """The Django admin, only for staff who proved their second factor in this session."""

    site_header = "Amparo administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request) and request.session.get(SECOND_FACTOR_OK))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One login for everything: ours, with its throttling and second factor.
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")

    def password_change(  # type: ignore[override]  # a redirect, not a page of its own
        self, request: HttpRequest, extra_context: Any = None,
    ) -> HttpResponse:
        # Django's own form would check the current password without the throttle (and without
        # telling the vault to wrap her key under the new one): ours does both.
        return redirect("accounts:password_change")


class AmparoAdminConfig(AdminConfig):
    default_site = "amparo.accounts.admin_site.AmparoAdminSite"
