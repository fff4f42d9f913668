"""Public pages and answers rendered once per version of the public tables and per language.

A rendered body depends only on the published version, the language and the full path; it is
kept in this process (a small LRU) and in the shared cache, under the version's random token,
so a new version is never served an old page and an old one is simply not asked for again.
Only anonymous visitors with no message pending share a rendering (a signed-in person's page
names her). Every answer carries an ETag and Last-Modified (the time the tables were computed);
a matching If-None-Match gets 304.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from threading import Lock
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import translation
from django.utils.http import http_date

from amparo.analytics import stats

LOCAL_ENTRIES = 256
SHARED_SECONDS = 600
_LOCAL: OrderedDict[str, tuple[bytes, str, dict[str, str]]] = OrderedDict()
_LOCK = Lock()
_RENDERING: dict[str, Lock] = {}  # key -> held while one thread of this process renders it


def language() -> str:
    return (translation.get_language() or "en")[:2]


def shareable(request: HttpRequest) -> bool:
    """May this visitor get (and leave) a rendering shared with others?"""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(get_messages(request))


def _key(kind: str, version: stats.Published, parts: str) -> str:
    digest = hashlib.sha256(f"{kind}\0{version.token}\0{language()}\0{parts}".encode()).hexdigest()
    return f"analytics:published:{digest}"


def etag(version: stats.Published) -> str:
    return f'"{version.token}-{language()}"'


def stamp(response: HttpResponseBase, version: stats.Published | None) -> HttpResponseBase:
    if version is not None and response.status_code == 200:
        response["ETag"] = etag(version)
        response["Last-Modified"] = http_date(version.computed_at.timestamp())
    return response


def _get(key: str) -> tuple[bytes, str, dict[str, str]] | None:
    with _LOCK:
        hit = _LOCAL.get(key)
        if hit is not None:
            _LOCAL.move_to_end(key)
            return hit
    hit = cache.get(key)
    if hit is not None:
        _remember(key, hit)
    return hit


def _remember(key: str, entry: tuple[bytes, str, dict[str, str]]) -> None:
    with _LOCK:
        _LOCAL[key] = entry
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > LOCAL_ENTRIES:
            _LOCAL.popitem(last=False)


def forget() -> None:
    """Drop this process's renderings (tests)."""
    with _LOCK:
        _LOCAL.clear()


KEPT_HEADERS = ("Content-Disposition",)


def cached(kind: str, request: HttpRequest, version: stats.Published | None, parts: str,
           render: Callable[[], HttpResponseBase], *, personal: bool = True) -> HttpResponseBase:
    """The rendering of `kind` for this version, language and `parts` (the question), made by
    `render` at most once per process and version (200 answers only). `personal`: the page
    may name the person signed in (then only anonymous visitors share renderings)."""
    if version is None or (personal and not shareable(request)):
        return stamp(render(), version)
    if request.headers.get("If-None-Match") == etag(version):
        return stamp_304(HttpResponseNotModified(), version)
    key = _key(kind, version, parts)
    hit = _get(key)
    if hit is None:
        # One rendering per process: a thread that finds another rendering this page waits
        # for it instead of doing the same work beside it.
        with _LOCK:
            rendering = _RENDERING.setdefault(key, Lock())
        try:
            with rendering:
                hit = _get(key)
                if hit is None:
                    response = render()
                    if response.status_code != 200 or response.streaming or not isinstance(response, HttpResponse):
                        return stamp(response, version)
                    hit = _kept(response)
                    _remember(key, hit)
                    cache.set(key, hit, SHARED_SECONDS)
        finally:
            with _LOCK:
                _RENDERING.pop(key, None)
    body, content_type, headers = hit
    answer = HttpResponse(body, content_type=content_type)
    for name, value in headers.items():
        answer[name] = value
    return stamp(answer, version)


def _kept(response: HttpResponse) -> tuple[bytes, str, dict[str, str]]:
    if hasattr(response, "render") and callable(response.render) and not getattr(response, "is_rendered", True):
        response.render()
    return (bytes(response.content), response["Content-Type"],
            {h: response[h] for h in KEPT_HEADERS if response.has_header(h)})


def lookup(kind: str, request: HttpRequest, version: stats.Published, parts: str) -> HttpResponseBase | None:
    """The kept rendering of `kind` for this version, language and `parts`, if there is one
    (304 for a matching If-None-Match); None when it has not been made yet."""
    if request.headers.get("If-None-Match") == etag(version):
        return stamp_304(HttpResponseNotModified(), version)
    hit = _get(_key(kind, version, parts))
    if hit is None:
        return None
    body, content_type, headers = hit
    answer = HttpResponse(body, content_type=content_type)
    for name, value in headers.items():
        answer[name] = value
    return stamp(answer, version)


def stamp_304(response: HttpResponseBase, version: stats.Published) -> HttpResponseBase:
    response["ETag"] = etag(version)
    response["Last-Modified"] = http_date(version.computed_at.timestamp())
    return response


def page(kind: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A public page view made once per version, language and full path. The view receives the
    published version (None before the first run) as `version`."""
    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            version = stats.published_version()
            return cached(kind, request, version, request.get_full_path(),
                          lambda: view(request, *args, version=version, **kwargs))
        return wrapper
    return decorate
