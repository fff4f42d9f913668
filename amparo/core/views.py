from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest answer the framework can give: the ceiling the benchmark compares with."""
    return HttpResponse("ok", content_type="text/plain")
