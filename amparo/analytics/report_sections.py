"""The sections of an assessment report, each built from `stats.compute` answers: tables, bar
and column charts (geometry for inline SVG), the map. Nothing is counted here: a number in a
report is a number that the statistics module answered, placed on the page.

An internal report asks for the desks' exact numbers with the report's period and scope; a
public report asks only the fixed public tables (X × year, whole years, suppressed cells shown
as hidden), so sections the public tables do not have say so instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from amparo.analytics import geo, maps, stats
from amparo.analytics.models import SECTIONS, Report
from amparo.network import countries
from amparo.network.models import Desk

BAR_WIDTH = 420  # the viewBox width of a chart: on a phone its 13-unit text stays about 10 pixels
BAR_ROW = 34  # one bar: its label above, the bar below
COLUMN_HEIGHT = 180
MAX_BARS = 15


@dataclass
class Bar:
    label: str
    text: str  # the value as shown ("42", "hidden")
    width: float
    y: int
    suppressed: bool = False


@dataclass
class Column:
    label: str
    text: str
    x: float
    width: float
    height: float
    y: float
    show_label: bool = True


@dataclass
class Block:
    kind: str  # "facts", "bars", "columns", "table", "map", "text"
    title: str = ""
    note: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    map: maps.MapData | None = None
    height: int = 0
    width: int = BAR_WIDTH
    svg_id: str = ""
    label: str = ""  # the accessible name of a table shown under its chart (no title of its own)


@dataclass
class Section:
    code: str
    title: str
    blocks: list[Block] = field(default_factory=list)


def whole_years(report: Report) -> list[int]:
    return list(range(report.date_from.year, report.date_to.year + 1))


# --- Shapes of the answers ------------------------------------------------------------------

def _label(row: Mapping[str, Any], dim: str, language: str) -> str:
    if f"{dim}_label" in row:
        return str(row[f"{dim}_label"])
    value = row.get(dim)
    if value is None:
        return _("Not recorded")
    if dim == "country":
        return countries.name(str(value), language)
    return str(value)


def _value_text(row: Mapping[str, Any], k: int | None) -> str:
    if row.get("suppressed") or row.get("incidents") is None:
        return _("hidden")
    return str(row["incidents"])


def bars(result: Mapping[str, Any], dim: str, language: str, k: int | None = None, limit: int = MAX_BARS,
         title: str = "", svg_id: str = "") -> Block:
    rows = list(result.get("rows", []))[:limit]
    top = max([r["incidents"] for r in rows if r.get("incidents") is not None] or [1]) or 1
    found = []
    for i, r in enumerate(rows):
        suppressed = bool(r.get("suppressed") or r.get("incidents") is None)
        width = 0.0 if suppressed else (BAR_WIDTH - 110) * r["incidents"] / top
        text = _value_text(r, k)
        if not suppressed and r.get("share") is not None:
            text = f"{text} ({r['share']:.1f}\u00a0%)"
        found.append(Bar(_label(r, dim, language), text, round(max(width, 1.0 if not suppressed else 0), 1),
                         i * BAR_ROW, suppressed))
    note = _("An incident with several values counts once in each, so the shares can add up to more than 100 %.") \
        if result.get("multi_valued") else ""
    return Block("bars", title=title, bars=found, height=max(BAR_ROW, len(found) * BAR_ROW), note=note,
                 svg_id=svg_id)


def columns(result: Mapping[str, Any], dim: str, title: str = "", k: int | None = None) -> Block:
    rows = [r for r in result.get("rows", []) if r.get(dim) is not None]
    top = max([r["incidents"] for r in rows if r.get("incidents") is not None] or [1]) or 1
    slot = BAR_WIDTH / max(1, len(rows))
    every = max(1, len(rows) // 12)  # at most about twelve labels under the axis
    found = []
    for i, r in enumerate(rows):
        value = r.get("incidents")
        height = 0.0 if value is None else max(1.0, (COLUMN_HEIGHT - 30) * value / top)
        found.append(Column(str(r[dim]), _value_text(r, k), round(i * slot + slot * 0.1, 1), round(slot * 0.8, 1),
                            round(height, 1), round(COLUMN_HEIGHT - 20 - height, 1), show_label=i % every == 0))
    return Block("columns", title=title, columns=found, height=COLUMN_HEIGHT)


def table(result: Mapping[str, Any], dim: str, header: str, language: str, k: int | None = None,
          title: str = "") -> Block:
    rows = [[_label(r, dim, language), _value_text(r, k), "" if r.get("victims") is None else str(r["victims"]),
             "" if r.get("share") is None else f"{r['share']:.1f}\u00a0%"] for r in result.get("rows", [])]
    return Block("table", title=title, headers=[header, _("Incidents"), _("People attacked"), _("Share")], rows=rows)


def matrix(result: Mapping[str, Any], dim: str, header: str, years: Sequence[int], language: str,
           k: int | None, title: str = "") -> Block:
    """A public X × year table as rows of X and a column per year."""
    cells: dict[str, dict[int, str]] = {}
    order: list[str] = []
    for r in result.get("rows", []):
        name = _label(r, dim, language)
        if name not in cells:
            cells[name] = {}
            order.append(name)
        cells[name][int(r["year"])] = _value_text(r, k)
    # A year without a row in the public table: none recorded (a dash, not a number).
    rows = [[name, *[cells[name].get(y, "—") for y in years]] for name in order]
    return Block("table", title=title, headers=[header, *[str(y) for y in years]], rows=rows,
                 note=_("— none recorded; hidden: fewer than %(k)s, or held back to protect one.") % {"k": k})


# --- The sections -----------------------------------------------------------------------------

class Asker:
    """stats.compute with the report's audience, desks, language and base filters; each
    question asked once per report."""

    def __init__(self, report: Report, desks: Sequence[Desk]) -> None:
        self.report, self.public, self.language = report, not report.internal, report.language
        self.desks = list(desks)
        self.years = whole_years(report)
        if self.public:
            self.base: dict[str, Any] = {"year": self.years}
        else:
            self.base = {"from": report.date_from, "to": report.date_to}
            if report.scope.get("countries"):
                self.base["country"] = list(report.scope["countries"])
        self.asked: dict[str, dict[str, Any]] = {}

    def __call__(self, group_by: Sequence[str], **extra: Any) -> dict[str, Any]:
        key = repr((list(group_by), sorted(extra.items())))
        if key not in self.asked:
            result = stats.compute(list(group_by), {**self.base, **extra}, desks=None if self.public else self.desks,
                                   public=self.public, language=self.language)
            self.asked[key] = result.as_dict()
        return self.asked[key]


def _grouping(report: Report) -> str:
    return str(report.scope.get("grouping") or stats.DEFAULT_GROUPING)


def _summary(ask: Asker, k: int | None) -> list[Block]:
    by_year = ask(["year"])
    total = by_year.get("total") or {}
    facts = [(_("Period"), _("%(start)s to %(end)s") % {"start": f"{ask.report.date_from:%Y-%m-%d}",
                                                        "end": f"{ask.report.date_to:%Y-%m-%d}"})]
    partial = any(r.get("suppressed") for r in by_year.get("rows", []))
    if total.get("incidents") is None:
        facts.append((_("Incidents"), _("hidden")))
    elif partial:  # the public total adds up the years it shows: say so, never pass it off as all
        facts.append((_("Incidents in the years shown"), str(total["incidents"])))
    else:
        facts.append((_("Incidents"), str(total["incidents"])))
    if total.get("victims") is not None and not partial:
        facts.append((_("People attacked"), str(total["victims"])))
    by_country = ask(["country", "year"]) if ask.public else ask(["country"])
    facts.append((_("Countries"), str(len({r["country"] for r in by_country.get("rows", []) if r.get("country")}))))
    if not ask.public:
        for r in ask(["state"]).get("rows", []):
            if r.get("share") is not None:
                facts.append((_("With %(who)s among the perpetrators") % {"who": r["state_label"].lower()},
                              f"{r['share']:.1f}\u00a0%"))
    return [Block("facts", facts=facts)]


def _map(ask: Asker, k: int | None) -> list[Block]:
    if ask.public:
        year = ask.years[-1]
        result = stats.compute(["country", "year"], {"year": year}, public=True, language=ask.language).as_dict()
        data = maps.paint(geo.world_map(), result, "country", public=True, language=ask.language)
        note = _("Public map of %(year)s, the last year of the period.") % {"year": year}
    else:
        data = maps.paint(geo.world_map(), ask(["country"]), "country", public=False, language=ask.language)
        note = ""
    return [Block("map", title=_("Incidents by country"), map=data, note=note, svg_id="report-map")]


def _by(ask: Asker, dim: str, header: str, k: int | None, title: str, chart: bool = True,
        **extra: Any) -> list[Block]:
    if ask.public:
        return [matrix(ask([dim, "year"], **extra), dim, header, ask.years, ask.language, k, title=title)]
    result = ask([dim], **extra)
    blocks = [bars(result, dim, ask.language, k, title=title, svg_id=f"bars-{dim}")] if chart else []
    blocks.append(table(result, dim, header, ask.language, k, title="" if chart else title))
    blocks[-1].label = title
    return blocks


def _top_level(ask: Asker) -> dict[str, Any]:
    """Internal charts count by the broadest terms (public tables already do)."""
    return {} if ask.public else {"level": 1}


def _not_public(what: str) -> list[Block]:
    return [Block("text", note=_("%(what)s are not in public reports: the public tables are by region, country, "
                                 "type of attack, perpetrator and state or non-state only.") % {"what": what})]


def _perpetrators(ask: Asker, k: int | None) -> list[Block]:
    return (_by(ask, "state", _("Perpetrator"), k, _("State and non-state perpetrators"))
            + _by(ask, "perpetrator", _("Perpetrator"), k, _("Perpetrators"), **_top_level(ask)))


def _attack_types(ask: Asker, k: int | None) -> list[Block]:
    blocks = _by(ask, "attack_type", _("Type of attack"), k, _("Types of attack"), **_top_level(ask))
    if not ask.public:
        blocks += _by(ask, "attack_type", _("Type of attack"), k, _("Types of attack in detail"), chart=False)
    return blocks


def _profiles(ask: Asker, k: int | None) -> list[Block]:
    if ask.public:
        return _not_public(_("Profiles and gender"))
    return (_by(ask, "profile", _("Profile"), k, _("Profiles of the defenders attacked"))
            + _by(ask, "gender", _("Gender"), k, _("Gender of the people attacked")))


def _trends(ask: Asker, k: int | None) -> list[Block]:
    blocks = [columns(ask(["year"]), "year", _("Incidents by year"), k)]
    if not ask.public and len(ask.years) <= 3:
        blocks.append(columns(ask(["month"]), "month", _("Incidents by month")))
    return blocks


def _section_blocks(code: str, report: Report, ask: Asker, k: int | None) -> list[Block]:
    """The blocks of one section, by its code (a section this version does not know: none)."""
    builders: dict[str, Callable[[], list[Block]]] = {
        "summary": lambda: _summary(ask, k),
        "map": lambda: _map(ask, k),
        "regions": lambda: _by(ask, "region", _("Region"), k, _("Incidents by region"), grouping=_grouping(report)),
        "countries": lambda: _by(ask, "country", _("Country"), k, _("Incidents by country")),
        "perpetrators": lambda: _perpetrators(ask, k),
        "attack_types": lambda: _attack_types(ask, k),
        "profiles": lambda: _profiles(ask, k),
        "trends": lambda: _trends(ask, k),
        "justice": lambda: _justice(ask, k),
        "methodology": lambda: _methodology(ask, k),
    }
    build = builders.get(code)
    return build() if build is not None else []


def build_sections(report: Report, desks: Sequence[Desk], progress: Callable[[int], None] | None = None
                   ) -> list[Section]:
    ask = Asker(report, desks)
    k = stats.min_cell() if ask.public else None
    titles = dict(SECTIONS)
    built: list[Section] = []
    for i, code in enumerate(report.sections):
        section = Section(code, str(titles.get(code, code)))
        section.blocks = _section_blocks(code, report, ask, k)
        built.append(section)
        if progress is not None:
            progress(5 + (80 * (i + 1)) // len(report.sections))
    return built


# The statistics module counts these only where it has the dimension (docs/maps-and-reports.md).
JUSTICE_DIMENSIONS = (("reported_to_authorities", "Reported to the authorities"), ("justice", "Justice process"))


def _justice(ask: Asker, k: int | None) -> list[Block]:
    if ask.public:
        return _not_public(_("Reporting to the authorities and justice outcomes"))
    blocks: list[Block] = []
    for dim, title in JUSTICE_DIMENSIONS:
        if dim in stats.DIMENSIONS:
            blocks += _by(ask, dim, _(title), k, _(title))
    if not blocks:
        blocks.append(Block("text", note=_("The statistics do not count reporting to the authorities and the "
                                           "justice process yet: this section will fill in when they do.")))
    return blocks


def _methodology(ask: Asker, k: int | None) -> list[Block]:
    notes = [
        _("Every number in this report was counted in the database by Amparo's statistics module, from coarse "
          "fields only (country, subdivision, date, vocabulary terms, status); no name, place or account was read."),
        _("Incidents marked as duplicates are not counted. Dates are counted at the precision they were recorded "
          "with; incidents known only by year are missing from monthly figures."),
        _("Types of attack, perpetrators and profiles can have several values per incident: an incident counts "
          "once in each, so their shares can add up to more than 100 %."),
    ]
    if ask.public:
        suppressed = sum(1 for answer in ask.asked.values() for r in answer.get("rows", []) if r.get("suppressed"))
        notes.append(_("This public report counts only incidents whose consent allows anonymised statistics, by "
                       "whole years. Any count under %(k)s is hidden, and further cells are "
                       "held back so that none can be worked out from totals (%(n)s cells hidden in this report).")
                     % {"k": k, "n": suppressed})
    else:
        names = ", ".join(d.name for d in ask.desks)
        notes.append(_("Internal report: exact numbers of %(desks)s, including small numbers that could identify "
                       "people. Do not publish it; ask for a public report instead.") % {"desks": names})
    return [Block("text", facts=[], rows=[[n] for n in notes])]
