from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """One message for a wrong user and a wrong password: the page tells nobody who exists."""

    error_messages = {
        "invalid_login": _("That username and password do not match. Please try again."),
        "inactive": _("That username and password do not match. Please try again."),
    }
