"""Login in two steps, second factor, sessions, API tokens and password reset. Thin views:
the rules live in services, forms and the throttle."""

from __future__ import annotations

import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts import carry, gates, services
from amparo.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    EnrolForm,
    LoginForm,
    ResetPasswordForm,
    ThrottledPasswordChangeForm,
)
from amparo.accounts.gates import Gate, TooManyAttempts
from amparo.accounts.models import ApiToken, User, UserSession
from amparo.accounts.requests import signed_in_user
from amparo.accounts.session_keys import PENDING_LOGIN as PENDING
from amparo.accounts.session_keys import SECOND_FACTOR_OK, SECOND_FACTOR_REQUIRED
from amparo.accounts.session_store import stored_key
from amparo.accounts.signals import password_changed, password_verified
from amparo.core import panels
from amparo.core.errors import reshows_on_csrf_failure

PENDING_SECONDS = 300


class _RefusedIsTooMany:
    """A form view whose refusal for too many attempts answers 429 with Retry-After."""

    def form_invalid(self, form: Any) -> HttpResponse:
        return gates.answer(super().form_invalid(form), form)  # type: ignore[misc]  # a mixin: the view it is mixed into supplies form_invalid


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return str(reverse_lazy(settings.LOGIN_REDIRECT_URL))


class LoginView(_RefusedIsTooMany, auth_views.LoginView):
    """Step one: the password. Django's login rotates the session key, so a session fixed
    before login is worthless. With a second factor enrolled, nobody is logged in yet."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kept = carry.carried(self.request) if self.request.method == "POST" else None
        return {**super().get_context_data(**kwargs), "carried": kept["raw"] if kept else ""}

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        password_verified.send(sender=User, request=self.request, user=user,
                               password=form.cleaned_data["password"])
        kept = carry.carried(self.request)
        if not services.has_second_factor(user):
            response = super().form_valid(form)
            return carry.send_again(self.request, kept) if kept else response
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk, "at": time.time(), "next": self.get_redirect_url(),
        }
        if kept:  # the second step carries them on, in the page (a redirect would drop them)
            return render(self.request, "accounts/login_code.html",
                          {"form": CodeForm(user=user, gate=Gate.LOGIN_CODE), "carried": kept["raw"]})
        return redirect("accounts:login_code")


def login_carrying(request: HttpRequest) -> HttpResponse:
    """A POST to a staff page after her session ended: the login page, carrying what she sent."""
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": "", "carried": carry.from_post(request)})


def _reshow_login(request: HttpRequest) -> HttpResponse:
    """After a refused CSRF check (core.errors.csrf_failure): her name again, never her password."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return render(request, "accounts/login.html", {"form": form, "next": request.POST.get("next", "")},
                  status=403)


login_view = reshows_on_csrf_failure(_reshow_login)(LoginView.as_view())


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Step two: a TOTP code or a recovery code, within five minutes of the password."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = CodeForm(request.POST or None, user=user, gate=Gate.LOGIN_CODE)
    kept = carry.carried(request) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        del request.session[PENDING]
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SECOND_FACTOR_OK] = True
        if kept:
            return carry.send_again(request, kept)
        return redirect(_safe_next(request, pending.get("next")))
    page = render(request, "accounts/login_code.html", {"form": form, "carried": kept["raw"] if kept else ""})
    return gates.answer(page, form)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html", {"panels": panels.for_request(request)})


@require_GET
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """One page for a person's own safety settings: second factor, sessions, tokens."""
    user = signed_in_user(request)
    return render(request, "accounts/security.html", {
        "has_second_factor": services.has_second_factor(user),
        "recovery_left": user.recovery_codes.filter(used_at__isnull=True).count(),
        "sessions": UserSession.objects.filter(user=user),
        "this_session": stored_key(request.session.session_key or ""),
    })


@require_http_methods(["GET", "POST"])
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the secret (as text and as a QR code), confirm a code,
    then show the ten recovery codes once."""
    user = signed_in_user(request)
    if services.has_second_factor(user):
        return redirect("accounts:security")
    factor = services.start_second_factor(user) if request.method == "GET" else user.second_factor
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            codes = gates.check_secret(user, Gate.ENROL_CODE, lambda: services.confirm_second_factor(user, code))
        except TooManyAttempts as refusal:
            form.add_error("code", gates.form_error(refusal))
            codes = None
        if codes is not None:
            request.session[SECOND_FACTOR_OK] = True
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
        if not form.has_error("code"):
            form.add_error("code", _("This code does not work. Check the time on your phone and try "
                                     "the code shown now."))
    uri = services.provisioning_uri(factor)
    # segno writes the QR code as inline SVG (no script, no external request, CSP-safe).
    qr_svg = mark_safe(segno.make(uri, error="m").svg_inline(scale=4, dark="#1d1b20"))  # noqa: S308
    grouped = " ".join(factor.secret[i:i + 4] for i in range(0, len(factor.secret), 4))
    return gates.answer(render(request, "accounts/second_factor.html", {
        "form": form, "secret": grouped, "qr_svg": qr_svg,
        "required": request.session.get(SECOND_FACTOR_REQUIRED, False),
    }), form)


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, after proving the second factor again."""
    user = signed_in_user(request)
    form = CodeForm(request.POST, user=user, gate=Gate.NEW_RECOVERY_CODES)
    if not form.is_valid():
        if form.has_error("code", gates.THROTTLED):
            messages.error(request, str(form.errors["code"][0]))
        else:
            messages.error(request, _("A valid code is needed to make new recovery codes."))
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html",
                  {"codes": services.issue_recovery_codes(user), "first": False})


@require_POST
@login_required
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    target = UserSession.objects.filter(user=user, pk=session_id).first()
    if target is None:
        raise Http404
    is_this = target.session_key == stored_key(request.session.session_key or "")
    services.end_session(user, target.session_key)
    if is_this:
        # Her own session: logged out as by the log-out button (a fresh, empty session), or
        # the session store would find its row gone at the end of the request (a stock 400).
        logout(request)
        return redirect("accounts:login")
    messages.success(request, _("That session has ended."))
    return redirect("accounts:security")


@require_POST
@login_required
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = services.end_other_sessions(signed_in_user(request), request.session.session_key)
    messages.success(request, _("Other sessions ended: %(count)d.") % {"count": count})
    return redirect("accounts:security")


@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Tokens for integrations. They skip the second factor, so only people who have one may
    create them; the full token is shown once."""
    user = signed_in_user(request)
    if not services.has_second_factor(user):
        messages.error(request, _("Turn on the second factor before creating API tokens."))
        return redirect("accounts:security")
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = services.create_api_token(user, **form.cleaned_data)
        return render(request, "accounts/api_token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/api_tokens.html", {
        "form": form, "tokens": ApiToken.objects.filter(user=user),
    })


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=signed_in_user(request))
    services.revoke_api_token(token, actor=signed_in_user(request))
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(_RefusedIsTooMany, auth_views.PasswordResetConfirmView):
    """The e-mailed link opens a form; only its POST changes the password (and with a second
    factor enrolled, it needs a code too). The token dies with the password change."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.end_other_sessions(form.user, None)
        password_changed.send(sender=User, request=self.request, user=form.user, old_password=None,
                              new_password=form.cleaned_data["new_password1"])
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(_RefusedIsTooMany, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ThrottledPasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed.send(sender=User, request=self.request, user=form.user,
                              old_password=form.cleaned_data["old_password"],
                              new_password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("Your password was changed."))
        return response
