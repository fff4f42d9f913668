"""The map pages and their data. Thin views: parse, authorise, ask `maps`, render.

- `map_page` (public, strict headers, quick exit): the public country × year table of one whole
  year, as a server-drawn SVG map and a table; a year select, nothing else. Read from the
  published version of the public tables (never computed in the request), rendered once per
  version and language (`published_pages`).
- `desk_map` (desk staff): their desks' exact numbers with filters, by country or subdivision;
  documenters also see the points they can open with their own key.
- `map_data` / `desk_map_data`: the same numbers as JSON (what the statistics answer), for
  scripts and the benchmark. Points are never in any JSON: they exist only in a documenter's page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from amparo.analytics import maps, published_pages, stats
from amparo.analytics.services import public as services_public
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.network.models import Desk
from amparo.vault import session as vault_session

desk_staff_required = permissions.desk_staff_required


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


def _public(request: HttpRequest, version: stats.Published | None
            ) -> tuple[maps.MapData | None, list[int], int | None]:
    if version is None:
        services_public.queue_first_version()
        return None, [], None
    years = version.years()
    year = _year(request, years)
    return (maps.public_map(year, _language(), version) if year is not None else None), years, year


@require_GET
@published_pages.page("map")
def map_page(request: HttpRequest, version: stats.Published | None) -> HttpResponse:
    """Read from the published version of the public tables, made once per version and language."""
    data, years, year = _public(request, version)
    return render(request, "analytics/map/public.html", {
        "map": data, "years": years, "year": year, "staff": bool(_staff_desks(request)),
        "as_of": version.computed_at if version else None, "preparing": version is None,
    })


@require_GET
@published_pages.page("map-data")
def map_data(request: HttpRequest, version: stats.Published | None) -> JsonResponse:
    """The public table behind the public map, for one year: exactly what `stats` publishes,
    with the time it was computed (`as_of`; `preparing` before the first run)."""
    data, years, year = _public(request, version)
    body: dict[str, Any] = {"years": years, "year": year, "k": maps.suppression_k()}
    body["statistics"] = data.result if data is not None else None
    body["as_of"] = version.computed_at.isoformat() if version else None
    if version is None:
        body["preparing"] = True
    return JsonResponse(body)


def _staff_desks(request: HttpRequest) -> list[Desk]:
    return list(permissions.visible_desks(request.user)) if request.user.is_authenticated else []


def _staff_map(request: HttpRequest, with_points: bool) -> tuple[maps.MapFilter, maps.MapData]:
    form = maps.MapFilter(request.GET or None)
    desks = _staff_desks(request)
    readable = list(permissions.documented_desks(request.user)) if with_points else []
    data = maps.staff_map(desks, form.stats_filters(), country=form.chosen_country(), language=_language(),
                          unlocked=vault_session.unlocked_for(request) if readable else None,
                          readable_desks=readable)
    return form, data


@require_GET
@desk_staff_required
@staff_page
def desk_map(request: HttpRequest) -> HttpResponse:
    form, data = _staff_map(request, with_points=True)
    query = request.GET.copy()
    query.pop("country", None)
    return render(request, "analytics/map/desk.html", {
        "form": form, "map": data, "desks": _staff_desks(request), "query": query.urlencode(),
        "documenter": permissions.documented_desks(request.user).exists(),
        "locked": vault_session.unlocked_for(request) is None,
    })


@require_GET
@desk_staff_required
@staff_page
def desk_map_data(request: HttpRequest) -> JsonResponse:
    form, data = _staff_map(request, with_points=False)
    return JsonResponse({"level": data.level, "country": data.country or None, "statistics": data.result})
