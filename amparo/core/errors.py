"""The app's own error pages (issue 15.5): calm words in the visitor's language, the quick
exit, never Django's stock page and, where a form was sent, never her lost text.

Django's handlers cover 400, 403, 404 and 500 (set in amparo/urls.py); 413 (a body over the
limit) arrives at the 400 handler as `RequestDataTooBig`; 429 is `too_many_requests`, for
whoever throttles; a refused CSRF check is `csrf_failure` (settings.CSRF_FAILURE_VIEW), which
gives a public form back filled in; `core.middleware.ErrorPagesMiddleware` gives 405 its page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

Reshow = Callable[..., HttpResponse]
V = TypeVar("V", bound=Callable[..., object])

# Fields never written back into a page: secrets and Django's own token.
NEVER_ECHOED = ("password", "csrfmiddlewaretoken", "code", "otp", "recovery")


def reshows_on_csrf_failure(reshow: Reshow) -> Callable[[V], V]:
    """Mark a view whose form, refused by the CSRF check, comes back filled in: `reshow(request,
    **url_kwargs)` renders the page with the posted fields (it must write nothing)."""
    def mark(view: V) -> V:
        view.amparo_csrf_reshow = reshow  # type: ignore[attr-defined]  # a mark on the view function, read by the error and page-kind middleware
        return view
    return mark


def reshows_when_database_away(reshow: Reshow) -> Callable[[V], V]:
    """Mark a view whose form comes back filled in when the database was away while it was
    sent (a restart, a failover): `reshow(request, **url_kwargs)` renders the page with the
    posted fields and says so; it must need no database. `server_error` calls it, with 503."""
    def mark(view: V) -> V:
        view.amparo_outage_reshow = reshow  # type: ignore[attr-defined]  # a mark on the view function, read by server_error
        return view
    return mark


def _reshown_when_database_away(request: HttpRequest) -> HttpResponse | None:
    """Her form back, filled in, when the error being handled is the database gone away."""
    if request.method != "POST" or not isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return None
    try:
        match = resolve(request.path_info)
        reshow = getattr(match.func, "amparo_outage_reshow", None)
        if reshow is None:
            return None
        response = reshow(request, *match.args, **match.kwargs)
    except Exception:  # noqa: BLE001 - then the plain page below
        return None
    response.status_code = 503
    response["Retry-After"] = "5"
    return response


def _page(request: HttpRequest, template: str, status: int, context: dict[str, Any] | None = None) -> HttpResponse:
    return render(request, template, context or {}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


# The words of the 500 page: honest about a form that may not have been saved.
SENT_MAY_BE_LOST = gettext_noop("What you just sent may not have been saved. Go back in your browser: what you "
                                "typed is usually still there. Copy it somewhere safe, then try again in a moment.")
NOTHING_CHANGED = gettext_noop("Nothing was changed. Please try again in a moment.")


def server_error(request: HttpRequest) -> HttpResponse:
    """The full page when it renders; when even that fails (the database is down), a bare
    page in the same calm words and language, which needs nothing but the translations. A
    form sent while the database was away comes back filled in, when its view says how."""
    reshown = _reshown_when_database_away(request)
    if reshown is not None:
        return reshown
    sent = request.method == "POST"
    try:
        return _page(request, "500.html", 500, {"sent": sent})
    except Exception:  # noqa: BLE001 - the last answer must not fail
        title = _("Something went wrong on our side")
        body = _(SENT_MAY_BE_LOST) if sent else _(NOTHING_CHANGED)
        leave, home = _("Leave quickly"), _("Back to the start")
        return HttpResponseServerError(
            f'<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{escape(title)}</title></head><body>'
            f'<p><a href="/today/" rel="noreferrer">{escape(leave)}</a></p><h1>{escape(title)}</h1>'
            f'<p>{escape(body)}</p><p><a href="/">{escape(home)}</a></p></body></html>')


def not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = _page(request, "405.html", 405)
    response["Allow"] = allowed
    return response


def too_large(request: HttpRequest) -> HttpResponse:
    """A request body over the limit: nothing was kept, and the limit is said."""
    return _page(request, "413.html", 413, {"max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)})


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = _page(request, "429.html", 429)
    response["Retry-After"] = str(retry_after)
    return response


# --- A refused CSRF check --------------------------------------------------------------------

def _her_mistake(reason: str) -> bool:
    """A token or cookie lost or stale, as happens to a page left open overnight. A request
    from another site (refused by its origin or by Sec-Fetch-Site) gets the plain page: what it
    carries was not written by her, and is never put back in a form for her to send."""
    return reason == REASON_NO_CSRF_COOKIE or reason.startswith("CSRF token")


# Set by the quick exit, for the rest of the browser's session: a refused form gives nothing
# back after it, since the "form" is then her words re-posted from the history (issue 15.4).
AFTER_EXIT_COOKIE = "amparo_plain"


def mark_left(response: HttpResponse) -> None:
    response.set_cookie(AFTER_EXIT_COOKIE, "1", max_age=None, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Never Django's stock page, never her text lost: a known public form comes back filled
    in with "please send it again"; any other form, its fields kept in this page to send
    again with one button. Nothing of it is stored on the server."""
    if request.method != "POST" or not _her_mistake(reason):
        return _page(request, "403_csrf.html", 403, {"fields": [], "elsewhere": True})
    if request.COOKIES.get(AFTER_EXIT_COOKIE):
        return _page(request, "403_csrf.html", 403, {"fields": []})
    if request.FILES:
        messages.warning(request, _("The file you chose could not be kept: please choose it again."))
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    reshow = getattr(match.func, "amparo_csrf_reshow", None) if match else None
    if reshow is not None and match is not None:
        messages.warning(request, _("Your page was open for a while, so we need you to send it again. "
                                    "What you wrote is below."))
        response = reshow(request, *match.args, **match.kwargs)
        response.status_code = 403
        return response
    fields = [(name, value) for name, values in request.POST.lists() for value in values
              if not any(word in name.lower() for word in NEVER_ECHOED)]
    return _page(request, "403_csrf.html", 403, {"fields": fields, "action": request.path})
