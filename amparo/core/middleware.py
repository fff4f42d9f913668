from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_cache_control

from amparo.core import errors
from amparo.core.security import STAFF_CSP, STRICT_CSP


class SecurityHeadersMiddleware:
    """Adds the CSP for the page's kind and keeps every dynamic page out of caches.

    Static files are answered by WhiteNoise above this middleware and keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kind = getattr(request, "amparo_page_kind", "strict")
        if request.path.startswith("/admin/"):
            kind = "staff"
        response.headers.setdefault("Content-Security-Policy", STAFF_CSP if kind == "staff" else STRICT_CSP)
        # Nothing a page shows may stay in a shared or browser cache of a seized phone.
        patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        kind = getattr(view_func, "amparo_page_kind", None)
        if kind is None:
            kind = getattr(getattr(view_func, "view_class", None), "amparo_page_kind", None)
        if kind:
            request.amparo_page_kind = kind  # type: ignore[attr-defined]  # a mark for this request only; HttpRequest declares no such attribute


class NoReferrerCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, adapted to `Referrer-Policy: no-referrer`.

    Under that policy browsers send `Origin: null` and no `Referer` with a form's POST, which
    Django's origin and referer checks would reject. When the Origin is "null", this
    middleware asks the browser's `Sec-Fetch-Site` header instead (sent by every current
    browser and not settable by pages): only "same-origin" (or "none", a typed address) passes.
    The secret token check, the main defence, is always enforced.
    """

    def process_view(
        self, request: HttpRequest, callback: Callable[..., Any], callback_args: Any, callback_kwargs: Any
    ) -> HttpResponseForbidden | None:
        if request.META.get("HTTP_ORIGIN") == "null":
            site = request.META.get("HTTP_SEC_FETCH_SITE")
            if site is not None and site not in {"same-origin", "none"}:
                return self._reject(request, f"Cross-site request refused (Sec-Fetch-Site: {site}).")  # type: ignore[attr-defined]  # CsrfViewMiddleware._reject is private and absent from django-stubs
            del request.META["HTTP_ORIGIN"]
            request.amparo_null_origin = True  # type: ignore[attr-defined]  # a mark for this request only; HttpRequest declares no such attribute
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def _check_referer(self, request: HttpRequest) -> None:
        if getattr(request, "amparo_null_origin", False) and "HTTP_REFERER" not in request.META:
            return  # the browser withheld it by our own policy; Sec-Fetch-Site was checked
        super()._check_referer(request)  # type: ignore[misc]  # CsrfViewMiddleware._check_referer is private and absent from django-stubs


class ErrorPagesMiddleware:
    """405 has no handler in Django: the decorators answer an empty page. This gives it ours."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return errors.not_allowed(request, response["Allow"])
        return response



class NulRefusedMiddleware:
    """A NUL character in the address or its query is never a person's input: PostgreSQL refuses
    it in any text parameter (the query would fail with a 500 deep in a view). Such a request
    gets the 400 page before any view runs. Posted forms and API bodies are covered by Django's
    and DRF's own field validators."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values)
                                         for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "A NUL character is not allowed in the address."}, status=400)
            return errors.bad_request(request)
        return self.get_response(request)
