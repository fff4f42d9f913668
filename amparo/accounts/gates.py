"""The one door for every check of a secret a person types: her password, a second-factor
code, a recovery code, a ring's recovery sheet.

`check_secret` counts each try in the login's own atomic counters (`throttle.py`), keyed by
the account and never by a client address, and refuses with `TooManyAttempts` once the
account has used its tries — before looking at the secret, so the right one is refused too.
All gates share the count: five wrong reset codes slow the login as much as five wrong
passwords. Nothing here logs or stores what was typed.

A new place that checks a secret names itself in `Gate` and calls `check_secret`;
`amparo/tests/test_secret_gates.py` walks every gate through its form, and reads the whole
code base to fail on a raw check (a password compared, a code verified, a key opened with a
recovery code) made anywhere else.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Protocol, TypeVar

from django import forms
from django.http import HttpResponse
from django.utils.translation import ngettext

from amparo.accounts import throttle

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Gate(enum.StrEnum):
    """Every place where a person proves who she is by typing a secret."""

    LOGIN_PASSWORD = "login-password"  # noqa: S105 - a gate's name, not a password
    LOGIN_CODE = "login-code"  # also the admin's: it needs the second factor proved at login
    RESET_CODE = "reset-code"
    PASSWORD_CHANGE = "password-change"  # noqa: S105 - a gate's name
    ENROL_CODE = "enrol-code"
    NEW_RECOVERY_CODES = "new-recovery-codes"  # the second factor's ten codes
    NEW_KEY_RECOVERY_CODE = "new-key-recovery-code"  # her member key's recovery code
    KEY_RECOVERY = "key-recovery"  # opening her key with its recovery code after a reset
    SHEET_CONFIRM = "sheet-confirm"  # a desk's or network's recovery sheet, typed back
    SHEET_RESTORE = "sheet-restore"  # the sheet opening a ring nobody else can open
    SUPPORTERS_EXPORT = "supporters-export"
    LOCKDOWN_CODE = "lockdown-code"  # a trusted contact locks her account down with the code she set
    OPENROSA_PASSWORD = "openrosa-password"  # noqa: S105 - a gate's name: a phone app's link, by password


class HasUsername(Protocol):
    def get_username(self) -> str: ...


class TooManyAttempts(Exception):
    """The account has used its tries for now; `retry_after` seconds until the next one."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = max(1, retry_after)

    @property
    def message(self) -> str:
        return wait_message(self.retry_after)


def wait_message(seconds: int) -> str:
    """Calm, and says when to try again (in whole minutes, rounded up)."""
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many attempts. Please wait %(minutes)d minute and try again.",
        "Too many attempts. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def _username(who: HasUsername | str) -> str:
    name = who if isinstance(who, str) else who.get_username()
    if not name.strip():
        # An anonymous visitor has no account to count against: that would be one shared count.
        raise ValueError("a secret is checked for an account")
    return name


def check_secret(
    who: HasUsername | str, gate: Gate, verify: Callable[[], T],
    *, final: bool | Callable[[T], bool] = True,
) -> T:
    """Run `verify` (which checks the typed secret) if the account may try now, and count it.

    Returns what `verify` returned: `False` or `None` (or an exception from `verify`, which is
    raised again) counts as a failure, anything else (a user, a key, `True`, even 0) as the
    secret being right. Raises `TooManyAttempts` without calling `verify` while the account
    must wait. `final` says
    whether a success ends the proof (and forgets earlier failures) or is a first step that a
    second factor follows; it may depend on the result (`final=lambda user: ...`).
    """
    username = _username(who)
    verdict = throttle.check(username)
    if not verdict.allowed:
        logger.info("secret refused unchecked at gate %s: too many attempts", gate.value)
        raise TooManyAttempts(verdict.retry_after)
    try:
        result = verify()
    except Exception:
        throttle.failed(username)
        raise
    if result is None or result is False:
        throttle.failed(username)
    elif final if isinstance(final, bool) else final(result):
        throttle.succeeded(username)
    else:
        throttle.first_step_passed(username)
    return result


# --- Answering a refusal --------------------------------------------------------------------

THROTTLED = "throttled"


def form_error(refusal: TooManyAttempts) -> forms.ValidationError:
    """The refusal as a form error, so the form comes back filled with the wait in words."""
    return forms.ValidationError(refusal.message, code=THROTTLED, params={"retry_after": refusal.retry_after})


def _retry_after(form: forms.BaseForm) -> int | None:
    for errors in form.errors.as_data().values():
        for error in errors:
            if error.code == THROTTLED and error.params:
                return int(error.params["retry_after"])
    return None


def refused(response: HttpResponse, retry_after: int) -> HttpResponse:
    """Mark a page that refused for too many attempts: 429 and when to come back."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


def answer(response: HttpResponse, form: forms.BaseForm) -> HttpResponse:
    """`response` as it is, or marked 429 when the form was refused for too many attempts."""
    retry_after = _retry_after(form) if form.is_bound else None
    return response if retry_after is None else refused(response, retry_after)
