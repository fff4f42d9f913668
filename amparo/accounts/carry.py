"""What a staff member was sending when her session ended (issue 15.5): it comes back after
she logs in again, kept in her own browser and never waiting on the server.

A POST to a staff page without a session is answered with the login page itself, carrying
the posted fields in one hidden input; the login (and its second step) carries them on, and
once she is in, a page offers to send them again to where they were going, with one button.
Files cannot be carried (a browser never re-sends a chosen file); passwords and codes are not.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "amparo_carried"
NEVER_CARRIED = ("password", "csrfmiddlewaretoken", "code", "otp", "recovery", FIELD)


def _fields(request: HttpRequest) -> list[list[str]]:
    return [[name, value] for name, values in request.POST.lists() for value in values
            if not any(word in name.lower() for word in NEVER_CARRIED)]


def worth_carrying(request: HttpRequest) -> bool:
    """Something she typed or chose, beyond the token (a bare button press goes to the login)."""
    return any(value.strip() for _name, value in _fields(request))


def from_post(request: HttpRequest) -> str:
    """The posted fields of this request, as the hidden input's value (JSON)."""
    return json.dumps({"to": request.path, "fields": _fields(request)})


def carried(request: HttpRequest) -> dict[str, Any] | None:
    """What the login form carried on, or None (nothing, or not for one of our own pages)."""
    raw = request.POST.get(FIELD, "")
    if not raw:
        return None
    try:
        data = json.loads(raw)
        to, fields = str(data["to"]), [(str(n), str(v)) for n, v in data["fields"]]
    except (ValueError, KeyError, TypeError):
        return None
    if not to.startswith("/") or not url_has_allowed_host_and_scheme(to, {request.get_host()}):
        return None
    return {"to": to, "fields": fields, "raw": raw}


def send_again(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    """Logged in again: her fields, ready to go where they were going."""
    return render(request, "accounts/send_again.html", {"kept": kept})
