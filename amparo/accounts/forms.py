from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from amparo.accounts import services
from amparo.accounts.gates import Gate, TooManyAttempts, check_secret, form_error
from amparo.accounts.models import User

SAME_MESSAGE = _("That username and password do not match. Please try again.")


class LoginForm(AuthenticationForm):
    """One message for a wrong user and a wrong password, and throttled per account without
    any client address: the page tells nobody who exists, and guessing is slow."""

    error_messages = {"invalid_login": SAME_MESSAGE, "inactive": SAME_MESSAGE}

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if username and password:
            def verify() -> Any:
                user = authenticate(self.request, username=username, password=password)
                return user if user is not None and user.is_active else None

            try:
                # With a second factor to come, the right password is only the first step.
                self.user_cache = check_secret(username, Gate.LOGIN_PASSWORD, verify,
                                               final=lambda user: not services.has_second_factor(user))
            except TooManyAttempts as refusal:
                raise form_error(refusal) from None
            if self.user_cache is None:
                raise forms.ValidationError(SAME_MESSAGE, code="invalid_login")
        return self.cleaned_data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, user: User, gate: Gate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.gate = user, gate

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        try:
            accepted = check_secret(self.user, self.gate, lambda: services.verify_second_factor(self.user, code))
        except TooManyAttempts as refusal:
            raise form_error(refusal) from None
        if not accepted:
            raise forms.ValidationError(_("This code does not work. Codes change every 30 seconds "
                                          "and each one works once."))
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

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if not services.has_second_factor(user):
            del self.fields["code"]

    def clean_code(self) -> str:
        code: str = self.cleaned_data.get("code") or ""
        if not code:
            raise forms.ValidationError(_("A valid code from your second factor is needed."))
        try:
            accepted = check_secret(self.user, Gate.RESET_CODE, lambda: services.verify_second_factor(self.user, code))
        except TooManyAttempts as refusal:
            raise form_error(refusal) from None
        if not accepted:
            raise forms.ValidationError(_("A valid code from your second factor is needed."))
        return code


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What it is for"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's form, with wrong current passwords counted like failed logins: a stolen
    session cannot be used to guess the password at leisure."""

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        try:
            right = check_secret(self.user, Gate.PASSWORD_CHANGE, lambda: self.user.check_password(old))
        except TooManyAttempts as refusal:
            raise form_error(refusal) from None
        if not right:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old
