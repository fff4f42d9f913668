"""Statistics pages: the public tables for everyone; breakdowns with free filters for desk staff;
region groupings for coordinators. Thin views: parse, authorise, call `stats`/`services`, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.requests import signed_in_user
from amparo.analytics import charts, published_pages, services, stats
from amparo.analytics.forms import GroupingForm, MoveForm, PublicFilter, RegionForm, StatsFilter
from amparo.analytics.models import Grouping
from amparo.analytics.services import public as services_public
from amparo.core.security import staff_page
from amparo.network import countries
from amparo.network.models import Desk
from amparo.network.permissions import coordinator_required, desk_staff_required
from amparo.registry.models import Incident

STATE_COLOURS = {"state": charts.PALETTE[0], "non_state": charts.PALETTE[1], "unknown": charts.PALETTE[7]}

def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _label(dim: str, row: dict[str, Any]) -> str:
    if f"{dim}_label" in row:
        return str(row[f"{dim}_label"])
    value = row.get(dim)
    if value in (None, ""):
        return _("Not recorded")
    if dim == "country":
        return countries.name(str(value))
    if dim == "status":
        return str(Incident.Status(value).label) if value in Incident.Status.values else str(value)
    return str(value)


def table(result: stats.Result, dim: str, title: str, *, chart: str = "bars",
          colours: dict[str, str] | None = None) -> dict[str, Any]:
    """A section of a page: the table rows (the text alternative) and the chart."""
    rows = [{**row, "label": _label(dim, row), "shown": charts.shown(row, result.k)} for row in result.rows]
    items = [(r["label"], r["incidents"], r["shown"]) for r in rows]
    drawn: Any
    if chart == "line":
        drawn = charts.line(title, [(r["label"], r["incidents"], r["shown"]) for r in rows])
    else:
        palette = [colours.get(r.get(dim) or "unknown", charts.PALETTE[0]) for r in rows] if colours else None
        drawn = charts.bars(title, items, colours=palette)
    return {"title": title, "dim": dim, "rows": rows, "chart": drawn, "kind": chart, "result": result}


# --- Desk staff -----------------------------------------------------------------------------

def _staff_filters(request: HttpRequest) -> tuple[StatsFilter, dict[str, Any], QuerySet[Desk]]:
    desks = stats.desks_for(request.user)
    form = StatsFilter(request.GET or None, desks=desks)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    return form, filters, desks


def _staff_page(request: HttpRequest, topic: str, sections: list[tuple[list[str], str, str, dict[str, Any]]],
                note: str = "") -> HttpResponse:
    form, filters, desks = _staff_filters(request)
    if not desks.exists():
        raise Http404
    built, error = [], ""
    for group_by, title, chart, extra in sections:
        try:
            result = stats.compute(group_by, {**filters, **extra.get("filters", {})}, desks=desks,
                                   language=_language())
        except stats.InvalidQuery as problem:
            error = str(problem)
            break
        built.append(table(result, group_by[0], title, chart=chart, colours=extra.get("colours")))
    query = {k: v for k, v in request.GET.items() if v}
    csv_query = urlencode({**query, "group_by": ",".join(sections[0][0]), "format": "csv"})
    return render(request, "analytics/stats/staff.html", {
        "topic": topic, "form": form, "sections": built, "error": error, "note": note, "topics": TOPIC_PAGES,
        "query": urlencode(query), "csv_query": csv_query, "multi_valued": any(s["result"].multi_valued for s in built),
    })


TOPIC_PAGES = [
    ("analytics:regions", gettext_lazy("By region")),
    ("analytics:countries", gettext_lazy("By country")),
    ("analytics:perpetrators", gettext_lazy("By perpetrator")),
    ("analytics:attack_types", gettext_lazy("By type of attack")),
    ("analytics:profiles", gettext_lazy("By profile and gender")),
    ("analytics:trends", gettext_lazy("Trends")),
]


@require_GET
@desk_staff_required
@staff_page
def regions(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, "analytics:regions", [(["region"], _("Incidents by region"), "bars", {})])


@require_GET
@desk_staff_required
@staff_page
def countries_page(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, "analytics:countries", [(["country"], _("Incidents by country"), "bars", {})])


@require_GET
@desk_staff_required
@staff_page
def perpetrators(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, "analytics:perpetrators", [
        (["perpetrator"], _("Incidents by perpetrator"), "bars", {}),
        (["state"], _("State and non-state perpetrators"), "bars", {"colours": STATE_COLOURS}),
    ])


@require_GET
@desk_staff_required
@staff_page
def attack_types(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, "analytics:attack_types", [(["attack_type"], _("Incidents by type of attack"),
                                                            "bars", {})])


@require_GET
@desk_staff_required
@staff_page
def profiles(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, "analytics:profiles", [
        (["profile"], _("Incidents by profile of the defender"), "bars", {}),
        (["gender"], _("Incidents by gender of the people attacked"), "bars", {}),
    ])


@require_GET
@desk_staff_required
@staff_page
def trends(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, "analytics:trends", [
        (["year"], _("Incidents by year"), "line", {}),
        (["month"], _("Incidents by month"), "line", {}),
    ], note=_("Incidents known only by their year are left out of the months."))


# --- The public -----------------------------------------------------------------------------

@require_GET
@published_pages.page("statistics")
def public(request: HttpRequest, version: stats.Published | None) -> HttpResponse:
    """The fixed public tables, one whole year at a time, with suppression: read from the
    published version (never computed in the request), rendered once per version and language."""
    language = _language()
    if version is None:
        services_public.queue_first_version()
        return render(request, "analytics/stats/public.html", {
            "form": PublicFilter(None, years=[]), "year": None, "sections": [], "k": stats.min_cell(),
            "preparing": True})
    years_table = stats.published(["year"], language=language, version=version)
    years = version.years()
    form = PublicFilter(request.GET or None, years=years)
    year = (form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None) or (
        years[0] if years else None)
    sections = [table(years_table, "year", _("Incidents by year"), chart="line")]
    if year is not None:
        for dim, title in (("region", _("By region")), ("country", _("By country")),
                           ("state", _("State and non-state perpetrators")), ("perpetrator", _("By perpetrator")),
                           ("attack_type", _("By type of attack"))):
            result = stats.published([dim], {"year": year}, language=language, version=version)
            sections.append(table(result, dim, title,
                                  colours=STATE_COLOURS if dim == "state" else None))
    return render(request, "analytics/stats/public.html", {
        "form": form, "year": year, "sections": sections, "k": version.k, "as_of": version.computed_at,
    })


# --- Region groupings (coordinators) --------------------------------------------------------

@require_http_methods(["GET", "POST"])
@coordinator_required
@staff_page
def groupings(request: HttpRequest) -> HttpResponse:
    form = GroupingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grouping = services.create_grouping(signed_in_user(request), **form.cleaned_data)
        messages.success(request, _("Grouping created. Add its regions, then put countries in them."))
        return redirect("analytics:grouping", grouping_code=grouping.code)
    return render(request, "analytics/stats/groupings.html", {
        "groupings": Grouping.objects.all(), "form": form})


@require_http_methods(["GET", "POST"])
@coordinator_required
@staff_page
def grouping(request: HttpRequest, grouping_code: str) -> HttpResponse:
    chosen = get_object_or_404(Grouping, code=grouping_code)
    action = request.POST.get("action") if request.method == "POST" else None
    region_form = RegionForm(request.POST if action == "region" else None, grouping=chosen, prefix="region")
    move_form = MoveForm(request.POST if action == "move" else None, grouping=chosen, prefix="move")
    if action == "region" and region_form.is_valid():
        services.add_region(signed_in_user(request), chosen, **region_form.cleaned_data)
        messages.success(request, _("Region added."))
        return redirect("analytics:grouping", grouping_code=chosen.code)
    if action == "move" and move_form.is_valid():
        moved = services.move_countries(signed_in_user(request), chosen, move_form.cleaned_data["countries"],
                                        move_form.cleaned_data["region"])
        messages.success(request, _("%(n)s countries moved.") % {"n": moved})
        return redirect("analytics:grouping", grouping_code=chosen.code)
    placed = {c.country: c.region_id for c in chosen.countries.all()}
    regions_list = [(region, sorted((countries.name(c), c) for c, r in placed.items() if r == region.pk))
                    for region in chosen.regions.all()]
    unplaced = sorted((countries.name(c), c) for c in countries.codes() if c not in placed)
    return render(request, "analytics/stats/grouping.html", {
        "grouping": chosen, "regions": regions_list, "unplaced": unplaced,
        "region_form": region_form, "move_form": move_form,
    })
