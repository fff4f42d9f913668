from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from amparo.accounts import services, throttle
from amparo.accounts.models import User

SAME_MESSAGE = _("That username and password do not match. Please try again.")


def _wait_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many attempts. Please wait %(minutes)d minute and try again.",
        "Too many attempts. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


class LoginForm(AuthenticationForm):
    """One message for a wrong user and a wrong password, and throttled per account without
    any client address: the page tells nobody who exists, and guessing is slow."""

    error_messages = {"invalid_login": SAME_MESSAGE, "inactive": SAME_MESSAGE}

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if username and password:
            verdict = throttle.check(username)
            if not verdict.allowed:
                raise forms.ValidationError(_wait_message(verdict.retry_after), code="throttled")
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None or not self.user_cache.is_active:
                throttle.failed(username)
                raise forms.ValidationError(SAME_MESSAGE, code="invalid_login")
            throttle.succeeded(username)
        return self.cleaned_data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        verdict = throttle.check(self.user.username)
        if not verdict.allowed:
            raise forms.ValidationError(_wait_message(verdict.retry_after))
        if not services.verify_second_factor(self.user, code):
            throttle.failed(self.user.username)
            raise forms.ValidationError(_("This code does not work. Codes change every 30 seconds "
                                          "and each one works once."))
        throttle.succeeded(self.user.username)
        return code


class EnrolForm(forms.Form):
    code = forms.CharField(label=_("Code from your app"), max_length=10,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "numeric"}))


class ResetPasswordForm(SetPasswordForm):
    """Setting a new password from an e-mailed link also needs the second factor, if enrolled:
    whoever reads her mailbox must not be able to take the account."""

    code = forms.CharField(label=_("Code from your authenticator app, or a recovery code"),
                           max_length=40, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if not services.has_second_factor(user):
            del self.fields["code"]

    def clean_code(self) -> str:
        code: str = self.cleaned_data.get("code") or ""
        if not code or not services.verify_second_factor(self.user, code):
            raise forms.ValidationError(_("A valid code from your second factor is needed."))
        return code


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What it is for"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's form, with wrong current passwords counted like failed logins: a stolen
    session cannot be used to guess the password at leisure."""

    def clean_old_password(self) -> str:
        username = self.user.get_username()
        verdict = throttle.check(username)
        if not verdict.allowed:
            raise forms.ValidationError(_wait_message(verdict.retry_after), code="throttled")
        try:
            old: str = super().clean_old_password()
        except forms.ValidationError:
            throttle.failed(username)
            raise
        throttle.succeeded(username)
        return old
