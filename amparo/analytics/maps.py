"""The map of attacks: a choropleth drawn on the server from `stats.compute` and the boundaries
of `geo`, with its legend and its table (the map's text alternative).

Two audiences, as in the statistics: the public sees exactly the public country × year table,
one whole year at a time, with suppressed cells shown as such; desk staff see their desks'
exact numbers with filters, by country or, where boundaries are loaded, by subdivision, and
documenters see the points of the incidents whose coordinates they can open themselves.
Every number comes from `stats.compute`; this module only places and colours them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from amparo.analytics import geo, stats
from amparo.analytics.models import Boundary
from amparo.core.widgets import DateInput
from amparo.network import countries
from amparo.network.models import Desk
from amparo.registry import sealing as registry_sealing
from amparo.registry.bounds import check_period_date
from amparo.registry.models import Incident
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vault.services import Unlocked
from amparo.vocabulary.models import Term

# Viridis in six steps (light to dark): ordered in lightness, readable with every common colour
# vision deficiency and in greyscale print.
PALETTE = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
NO_DATA = "#f2f2f2"
SUPPRESSED = "url(#suppressed)"  # a hatch pattern defined in the SVG (see map_svg.html)
# A documenter sees at most this many points: beyond it a map of dots says nothing more, and
# each point is one envelope opened in her request.
MAX_POINTS = 2000


# --- The colour scale -------------------------------------------------------------------------

def _series(step: tuple[int, ...], up_to: int) -> list[int]:
    found: list[int] = []
    power = 1
    while True:
        for m in step:
            if m * power > up_to:
                return found
            found.append(m * power)
        power *= 10


def class_bounds(values: Sequence[int], floor: int = 1, classes: int = len(PALETTE)) -> list[int]:
    """The lower bound of each colour class: round numbers from a fixed series (1-2-5, else
    1-3, else powers of ten), the finest that gives at most `classes` classes up to the largest
    value; so the legend reads "10–19", never "13–22", and stays put when a filter changes a
    little. `floor` is the smallest count a class may start at (k on the public map)."""
    top = max([v for v in values if v >= floor] or [floor])
    for step in ((1, 2, 5), (1, 3), (1,)):
        bounds = [floor] + [b for b in _series(step, top) if b > floor]
        if len(bounds) <= classes:
            return bounds
    return bounds[:1] + bounds[-(classes - 1):]


def class_of(value: int, bounds: Sequence[int]) -> int:
    found = 0
    for i, bound in enumerate(bounds):
        if value >= bound:
            found = i
    return found


def _fill(index: int, classes: int) -> str:
    # Spread fewer classes over the whole palette, so two classes are light and dark.
    if classes <= 1:
        return PALETTE[len(PALETTE) // 2]
    return PALETTE[round(index * (len(PALETTE) - 1) / (classes - 1))]


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str
    kind: str = "class"  # "class", "suppressed" or "none"


def legend(bounds: Sequence[int], k: int | None) -> list[LegendItem]:
    items = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
        if high is None:
            label = _("%(low)s or more") % {"low": low}
        elif high == low:
            label = str(low)
        else:
            label = f"{low}–{high}"
        items.append(LegendItem(str(label), _fill(i, len(bounds))))
    if k is not None:
        items.append(LegendItem(str(_("hidden: fewer than %(k)s, or held back to protect one") % {"k": k}),
                                SUPPRESSED, "suppressed"))
    items.append(LegendItem(str(_("none recorded")), NO_DATA, "none"))
    return items


# --- The map itself ---------------------------------------------------------------------------

@dataclass
class Area:
    code: str
    name: str
    d: str
    fill: str = NO_DATA
    incidents: int | None = None
    victims: int | None = None
    share: float | None = None
    suppressed: bool = False
    recorded: bool = False

    @property
    def title(self) -> str:
        """The shape's tooltip and accessible name: the same words as its row in the table."""
        if self.suppressed:
            return f"{self.name}: {self.value_text}"
        if not self.recorded:
            return f"{self.name}: {_('none recorded')}"
        return f"{self.name}: {self.value_text}"

    value_text: str = ""


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    incident_id: int


@dataclass
class MapData:
    base: geo.BaseMap
    areas: list[Area]
    legend: list[LegendItem]
    rows: list[Area]  # the table: areas with a row in the statistics, largest first
    result: dict[str, Any]
    public: bool
    k: int | None = None
    level: str = "country"  # or "subdivision"
    country: str = ""
    points: list[MapPoint] = field(default_factory=list)
    points_left_out: int = 0

    @property
    def total(self) -> Mapping[str, Any]:
        return self.result.get("total") or {}


def suppression_k() -> int:
    """The smallest count the public may see (the statistics' k)."""
    return stats.min_cell()


def _area_rows(result: Mapping[str, Any], key: str) -> dict[str, Mapping[str, Any]]:
    return {str(r[key]).upper(): r for r in result.get("rows", []) if r.get(key)}


def paint(base: geo.BaseMap, result: Mapping[str, Any], key: str, *, public: bool, language: str = "en",
          level: str = "country", country: str = "") -> MapData:
    """A statistics answer (keyed by country or subdivision) drawn on a base map."""
    rows = _area_rows(result, key)
    k = suppression_k() if public else None
    names = {s.code: s.name for s in base.shapes} if key == "subdivision" else \
        _country_names(base.codes() | set(rows), language)
    areas, items, table = _paint(base, rows, k, names)
    return MapData(base, areas, items, table, dict(result), public=public, k=k, level=level, country=country)


def _paint(base: geo.BaseMap, rows: Mapping[str, Mapping[str, Any]], k: int | None,
           names: Mapping[str, str]) -> tuple[list[Area], list[LegendItem], list[Area]]:
    counts = [int(r["incidents"]) for r in rows.values() if r.get("incidents") is not None]
    bounds = class_bounds(counts, floor=k or 1)
    areas: list[Area] = []
    by_code: dict[str, Area] = {}
    for shape in base.shapes:
        area = Area(shape.code, names.get(shape.code) or shape.name, shape.d)
        areas.append(area)
        by_code[shape.code] = area
    table: list[Area] = []
    for code, r in rows.items():
        area = by_code.get(code) or Area(code, names.get(code) or code, "")
        area.recorded = True
        area.share = r.get("share")
        if r.get("suppressed") or r.get("incidents") is None:
            area.suppressed, area.fill = True, SUPPRESSED
            # The statistics do not say which cells are under k and which are held back to protect
            # them (that would help to work them out): "hidden" is true of both.
            area.value_text = str(_("hidden"))
        else:
            area.incidents, area.victims = int(r["incidents"]), r.get("victims")
            area.fill = _fill(class_of(area.incidents, bounds), len(bounds))
            area.value_text = str(_("%(n)s incidents") % {"n": area.incidents}) if area.incidents != 1 \
                else str(_("1 incident"))
        table.append(area)
    table.sort(key=lambda a: (-(a.incidents if a.incidents is not None else -1), a.name))
    items = legend(bounds, k)
    if not counts:  # nothing is coloured: the classes would explain nothing
        items = [item for item in items if item.kind != "class"]
    return areas, items, table


def _country_names(codes: Iterable[str], language: str) -> dict[str, str]:
    return {code: countries.name(code, language) for code in codes}


def public_years() -> list[int]:
    """The whole years that the public tables have, newest first, from the published version
    (empty before the public-table job's first run)."""
    version = stats.published_version()
    return version.years() if version is not None else []


def public_map(year: int, language: str = "en", version: stats.Published | None = None) -> MapData:
    """Exactly the public country × year table for one whole year, as published."""
    result = stats.published(["country", "year"], {"year": year}, language=language, version=version).as_dict()
    return paint(geo.world_map(), result, "country", public=True, language=language)


# --- Staff: filters, subdivisions, points -----------------------------------------------------

def _term_choices(kind: str) -> list[tuple[str, str]]:
    return [("", "—")] + [(t.code, t.label()) for t in Term.objects.filter(kind=kind, retired_at__isnull=True)]


class MapFilter(forms.Form):
    """What desk staff may narrow the map to (the public map takes a year and nothing else)."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput(),
                                validators=[check_period_date])
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput(),
                              validators=[check_period_date])
    attack_type = forms.ChoiceField(label=_("Type of attack"), required=False)
    perpetrator = forms.ChoiceField(label=_("Perpetrator"), required=False)
    state = forms.ChoiceField(label=_("State or non-state"), required=False, choices=[
        ("", "—"), ("state", _("State actors")), ("non_state", _("Non-state actors"))])
    risk_factor = forms.ChoiceField(label=_("Risk factor"), required=False)
    profile = forms.ChoiceField(label=_("Defender profile"), required=False)
    country = forms.ChoiceField(label=_("Country (by subdivision, where boundaries are loaded)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("attack_type", "perpetrator", "risk_factor", "profile"):
            self.fields[name].choices = _term_choices(name)  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
        self.fields["country"].choices = [("", _("All countries"))] + [  # type: ignore[attr-defined]  # a ChoiceField: Form.fields is typed as the plain Field
            (code, countries.name(code)) for code in loaded_countries()]

    def stats_filters(self) -> dict[str, Any]:
        """The statistics' filters, by the statistics' names (see docs/analytics.md)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        found: dict[str, Any] = {}
        if data.get("date_from"):
            found["from"] = data["date_from"].isoformat()
        if data.get("date_to"):
            found["to"] = data["date_to"].isoformat()
        for name in ("attack_type", "perpetrator", "state", "risk_factor", "profile"):
            if data.get(name):
                found[name] = data[name]
        return found

    def chosen_country(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return str(data.get("country") or "")


def loaded_countries() -> list[str]:
    return list(Boundary.objects.values_list("country", flat=True).distinct().order_by("country"))


def boundaries_version(country: str) -> str:
    summary = Boundary.objects.filter(country=country).aggregate(latest=Max("loaded_at"), n=Count("id"))
    raw = f"{summary['latest']}:{summary['n']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def subdivision_base(country: str) -> geo.BaseMap:
    found = [(b.code, b.name, b.geometry) for b in Boundary.objects.filter(country=country)]
    return geo.subdivision_map(country, found, boundaries_version(country))


def staff_map(desks: Sequence[Desk], filters: Mapping[str, Any], *, country: str = "", language: str = "en",
              unlocked: Unlocked | None = None, readable_desks: Sequence[Desk] = ()) -> MapData:
    """The desks' exact numbers, by country or (when `country` has loaded boundaries) by
    subdivision; with points when `unlocked` opens the coordinates of `readable_desks`."""
    if country and Boundary.objects.filter(country=country).exists():
        base = subdivision_base(country)
        result = stats.compute(["subdivision"], {**filters, "country": country}, desks=list(desks),
                               language=language).as_dict()
        data = paint(base, result, "subdivision", public=False, language=language, level="subdivision",
                     country=country)
    else:
        base, country = geo.world_map(), ""
        result = stats.compute(["country"], filters, desks=list(desks), language=language).as_dict()
        data = paint(base, result, "country", public=False, language=language)
    if unlocked is not None and readable_desks:
        data.points, data.points_left_out = open_points(unlocked, readable_desks, filters, base, country)
    return data


def _term_filter(relation: str, code: str) -> Q:
    return Q(**{f"{relation}__code": code}) | Q(**{f"{relation}__parent__code": code})


def point_incidents(desks: Sequence[Desk], filters: Mapping[str, Any], country: str = "") -> Any:
    """The incidents whose points a documenter may see: her desks', counted, with coordinates,
    narrowed by the map's filters (the same coarse columns the statistics filter on)."""
    found = Incident.objects.counted().filter(desk__in=list(desks), coordinates__isnull=False)
    if filters.get("from"):
        found = found.filter(occurred_on__gte=date.fromisoformat(str(filters["from"])))
    if filters.get("to"):
        found = found.filter(occurred_on__lte=date.fromisoformat(str(filters["to"])))
    if country:
        found = found.filter(country=country)
    for name, relation in (("attack_type", "attack_types"), ("perpetrator", "perpetrators"),
                           ("risk_factor", "risk_factors"), ("profile", "profiles")):
        if filters.get(name):
            found = found.filter(_term_filter(relation, str(filters[name])))
    if filters.get("state") in {"state", "non_state"}:
        found = found.filter(perpetrators__state_actor=filters["state"] == "state")
    return found.distinct().order_by("-occurred_on", "-id")


def open_points(unlocked: Unlocked, desks: Sequence[Desk], filters: Mapping[str, Any], base: geo.BaseMap,
                country: str = "") -> tuple[list[MapPoint], int]:
    """Open each incident's sealed coordinates with the member's own key, in her request; the
    points are drawn into this one page and kept nowhere (no cache, no column, no log).
    Returns the points and how many more there were beyond MAX_POINTS."""
    incidents = point_incidents(desks, filters, country)
    found: list[MapPoint] = []
    chosen = list(incidents.values_list("id", "coordinates")[: MAX_POINTS + 1])
    for incident_id, sealed in chosen[:MAX_POINTS]:
        try:
            text = registry_sealing.open_coordinates_column(unlocked, sealed)
        except (KeyLocked, NotAReader, Tampered):
            continue
        where = geo.parse_coordinates(text)
        if where is None:
            continue
        x, y = base.frame.place(*where)
        if 0 <= x <= base.width and 0 <= y <= base.height:
            found.append(MapPoint(round(x, 1), round(y, 1), incident_id))
    more = incidents.count() - MAX_POINTS if len(chosen) > MAX_POINTS else 0
    return found, more
