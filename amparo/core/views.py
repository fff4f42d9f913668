from __future__ import annotations

import calendar
import logging
import secrets

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from amparo.core import errors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest answer the framework can give: the ceiling the benchmark compares with."""
    return HttpResponse("ok", content_type="text/plain")


logger = logging.getLogger(__name__)


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def _cache_answers() -> None:
    key, value = "health-check", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")


def _broker_answers() -> None:
    """A connection opened and closed: cheap for Redis, a folder check for the filesystem."""
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2,
                    transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For a monitor and a load balancer: 200 "ok" when the database, the cache and the broker
    answer, 503 "unavailable" otherwise. The body says nothing else (no versions, host names,
    counts or errors); which part failed goes to the server's own log, by name only."""
    for part, check in (("database", _database_answers), ("cache", _cache_answers),
                        ("broker", _broker_answers)):
        try:
            check()
        except Exception as exc:  # any failure is "unavailable"; its text never reaches the body
            logger.warning("health: the %s does not answer (%s)", part, type(exc).__name__)
            return HttpResponse("unavailable", status=503, content_type="text/plain")
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
