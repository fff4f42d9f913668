from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

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
            request.amparo_page_kind = kind  # type: ignore[attr-defined]
