"""A member's own key: see the new recovery code once, unlock after a reset, make a new code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts import gates
from amparo.accounts.gates import Gate, TooManyAttempts
from amparo.accounts.requests import signed_in_user
from amparo.vault import services, session
from amparo.vault.errors import KeyLocked, WrongSecret
from amparo.vault.forms import PasswordProofForm, RecoverForm


@require_http_methods(["GET", "POST"])
@login_required
def recovery_code(request: HttpRequest) -> HttpResponse:
    """The recovery code of a new key, shown until she says she has written it down."""
    if request.method == "POST":
        session.take_new_recovery_code(request, consume=True)
        return redirect("accounts:dashboard")
    code = session.take_new_recovery_code(request, consume=False)
    if code is None:
        return redirect("accounts:dashboard")
    return render(request, "vault/recovery_code.html", {"code": code, "first": True})


@require_POST
@login_required
def new_recovery_code(request: HttpRequest) -> HttpResponse:
    """A new recovery code replaces the old one: only after her password, throttled like a login."""
    unlocked = session.unlocked_for(request)
    if unlocked is None:
        messages.error(request, _("Log in again to make a new recovery code."))
        return redirect("accounts:security")
    form = PasswordProofForm(request.POST)
    user = signed_in_user(request)
    password = form.cleaned_data["password"] if form.is_valid() else ""
    try:
        right = gates.check_secret(user, Gate.NEW_KEY_RECOVERY_CODE,
                                   lambda: bool(password) and user.check_password(password))
    except TooManyAttempts as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:security")
    if not right:
        messages.error(request, _("This is not your current password. Your recovery code is unchanged."))
        return redirect("accounts:security")
    return render(request, "vault/recovery_code.html",
                  {"code": services.reissue_recovery_code(unlocked), "first": False})


@require_http_methods(["GET", "POST"])
@login_required
def recover(request: HttpRequest) -> HttpResponse:
    """After a password reset: the recovery code opens her key again. A wrong code changes
    nothing and the form comes back with what she typed."""
    form = RecoverForm(request.POST or None)
    user = signed_in_user(request)
    if request.method == "POST" and form.is_valid():
        code, password = form.cleaned_data["code"], form.cleaned_data["password"]

        def verify() -> services.Unlocked | None:
            # Her password and the recovery code are one try: both must be right.
            if not user.check_password(password):
                form.add_error("password", _("This is not your current password."))
                return None
            try:
                return services.recover_member_key(user, code, password)
            except (WrongSecret, KeyLocked):
                form.add_error("code", _("This recovery code does not open your key."))
                return None

        try:
            unlocked = gates.check_secret(user, Gate.KEY_RECOVERY, verify)
        except TooManyAttempts as refusal:
            form.add_error(None, gates.form_error(refusal))
        else:
            if unlocked is not None:
                session.keep_unlocked(request, unlocked)
                messages.success(request, _("Your key is unlocked again."))
                return redirect("accounts:dashboard")
    return gates.answer(render(request, "vault/recover.html", {"form": form}), form)
