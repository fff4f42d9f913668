from __future__ import annotations

import calendar

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.views.decorators.http import require_GET

from amparo.core import errors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest answer the framework can give: the ceiling the benchmark compares with."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def leave(request: HttpRequest) -> HttpResponse:
    """Where the quick exit lands: a plain calendar that says nothing about Amparo.

    It ends the session on a GET, which logout views rightly refuse elsewhere (a forged link
    can log someone out). Here that is the point: she presses "Leave quickly" because someone
    may be about to take the phone, and a session left open behind the calendar would let that
    person press Back into her cases. The worst a forged link can do is log her out, which
    costs a login; a session that outlives the exit could cost far more.
    """
    logout(request)
    # A form posted before the exit and re-posted after it (Back to an error page, Reload)
    # fails the CSRF check from now on, and its refusal gives nothing of hers back.
    rotate_token(request)
    today = timezone.localdate()
    # Django counts weekdays from Sunday (0) for FIRST_DAY_OF_WEEK, Python from Monday (0).
    first = (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
    month = calendar.Calendar(firstweekday=first)
    order = [(first + i) % 7 for i in range(7)]
    response = render(request, "core/leave.html", {
        "today": today,
        "weekdays": [(WEEKDAYS[d], WEEKDAYS_ABBR[d]) for d in order],
        "weeks": month.monthdayscalendar(today.year, today.month),
    })
    errors.mark_left(response)
    return response
