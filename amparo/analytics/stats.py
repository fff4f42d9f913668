"""The one statistics module: every count that pages, the API, the command, exports and reports
show comes from `compute` (docs/analytics.md).

Counts are computed in the database (GROUP BY through the ORM) from coarse fields only. Two
audiences: desk staff get exact numbers for the desks they may see, with free filters; the
public gets the fixed tables (`PUBLIC_TABLES`) by whole years, counting only incidents whose
consent allows anonymised statistics, with small cells suppressed and complementary cells
withheld so that no suppressed cell can be worked out from the others (see `suppression`).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least
from django.utils import translation
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from amparo.analytics import suppression
from amparo.analytics.models import Grouping, Region
from amparo.core.models import AuditEntry
from amparo.network.models import Desk
from amparo.network.permissions import visible_desks
from amparo.registry.bounds import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR, MAX_VICTIMS
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term
from amparo.vocabulary.rules import UNKNOWN_PERPETRATOR

DEFAULT_GROUPING = "un-sr"
CONTINENTS = "continents"

# Multi-valued dimensions: the incident's many-to-many field and the vocabulary kind.
MULTI: dict[str, tuple[str, str]] = {
    "attack_type": ("attack_types", Term.Kind.ATTACK_TYPE),
    "perpetrator": ("perpetrators", Term.Kind.PERPETRATOR),
    "state": ("perpetrators", Term.Kind.PERPETRATOR),
    "risk_factor": ("risk_factors", Term.Kind.RISK_FACTOR),
    "profile": ("profiles", Term.Kind.PROFILE),
    "gender": ("victim_genders", Term.Kind.GENDER),
}
VOCABULARY = ("attack_type", "perpetrator", "risk_factor", "profile", "gender")
DIMENSIONS = ("country", "subdivision", "region", "continent", "year", "month", "attack_type", "perpetrator",
              "state", "risk_factor", "profile", "gender", "desk", "status", "reported_to_authorities", "justice")
# Single-valued fields with fixed choices: reporting to the authorities and the justice process.
CHOICES = {"reported_to_authorities": Incident.Reported, "justice": Incident.Justice}
FILTERS = (*DIMENSIONS, "from", "to", "grouping", "level")
STATE_VALUES = ("state", "non_state", "unknown")
STATE_LABELS = {"state": _("State actors"), "non_state": _("Non-state actors"), "unknown": _("Unknown or not recorded")}
TIME = ("year", "month")

# What the public may ask for: one of these with `year` (or filtered to one year), or `year` alone.
PUBLIC_TABLES = ("region", "country", "attack_type", "perpetrator", "state")
# One region grouping in public: two partitions of the same countries (regions and continents)
# published side by side pin down small cells through their differences, and the suppression
# then has to hide nearly every country (it did with the Global Witness file: Colombia's 79 in
# 2023). Staff see every grouping exactly.
PUBLIC_GROUPINGS = (DEFAULT_GROUPING,)
PUBLIC_FILTERS = ("year", "grouping")
PUBLIC_LEVEL = 1  # attack types and perpetrators are counted by their top-level term in public
MAX_LEVEL = 10  # the vocabulary is three levels deep; a deeper level is the term itself anyway


class InvalidQuery(ValueError):
    """A grouping or a filter that does not exist or has a wrong value."""


class NotAllowed(InvalidQuery):
    """A question the public tables do not answer."""


def min_cell() -> int:
    return int(settings.AMPARO_STATS_MIN_CELL)


@dataclass
class Result:
    group_by: list[str]
    filters: dict[str, Any]
    rows: list[dict[str, Any]]
    total: dict[str, int | None]
    multi_valued: bool
    public: bool = False
    k: int | None = None  # the suppression threshold of a public answer

    def as_dict(self) -> dict[str, Any]:
        return {"group_by": list(self.group_by), "filters": dict(self.filters), "rows": [dict(r) for r in self.rows],
                "total": dict(self.total), "multi_valued": self.multi_valued}

    @property
    def columns(self) -> list[str]:
        """The row keys in a stable order: for CSV and the command's table."""
        names: list[str] = []
        for dim in self.group_by:
            names.append(dim)
            if dim in LABELLED:
                names.append(f"{dim}_label")
        return [*names, "incidents", "victims", "share", "suppressed"]

    @property
    def any_suppressed(self) -> bool:
        return any(r["suppressed"] for r in self.rows)


LABELLED = (*VOCABULARY, "state", "region", "continent")


# --- Parsing ----------------------------------------------------------------------------------

def parse_group_by(raw: str | Sequence[str]) -> list[str]:
    names = [p.strip() for p in raw.split(",")] if isinstance(raw, str) else [str(p).strip() for p in raw]
    names = [n for n in names if n]
    if not names:
        raise InvalidQuery(_gettext("Say what to group by, e.g. group_by=country,year."))
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise InvalidQuery(_gettext("Unknown grouping: %(names)s. Possible: %(possible)s.")
                           % {"names": ", ".join(unknown), "possible": ", ".join(DIMENSIONS)})
    if len(set(names)) != len(names):
        raise InvalidQuery(_gettext("A grouping is named twice."))
    if "region" in names and "continent" in names:
        raise InvalidQuery(_gettext("Group by region or by continent, not both."))
    return names


def _values(raw: Any) -> list[str]:
    items = [str(v) for v in raw] if isinstance(raw, list | tuple | set | frozenset) else str(raw).split(",")
    return [v.strip() for v in items if v.strip()]


def _out_of_range(name: str) -> InvalidQuery:
    return InvalidQuery(_gettext("%(name)s must fall between %(first)s and %(last)s.")
                        % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR})


def _date(raw: Any, name: str) -> datetime.date:
    if isinstance(raw, datetime.date):
        day = raw
    else:
        try:
            day = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidQuery(_gettext("%(name)s must be a date such as 2023-01-31.") % {"name": name}) from None
    if not FIRST_DAY <= day <= LAST_DAY:  # the years anyone asks about (registry/bounds.py)
        raise _out_of_range(name)
    return day


def parse_filters(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """Normalised filters: years as ints, dates as dates, every other value as a list of codes."""
    parsed: dict[str, Any] = {}
    for name, value in (raw or {}).items():
        if value in (None, "", []):
            continue
        if name not in FILTERS:
            raise InvalidQuery(_gettext("Unknown filter: %(name)s. Possible: %(possible)s.")
                               % {"name": name, "possible": ", ".join(FILTERS)})
        if name in ("year", "level"):
            try:
                parsed[name] = [int(v) for v in _values(value)] if name == "year" else int(str(value))
            except ValueError:
                raise InvalidQuery(_gettext("%(name)s must be a whole number.") % {"name": name}) from None
            if name == "year":
                # Bounded: a year past 9999 made datetime.date fail (a 500), and a long list of
                # years is one OR per year in the query.
                if any(not FIRST_YEAR <= year <= LAST_YEAR for year in parsed[name]):
                    raise _out_of_range(name)
                parsed[name] = sorted(set(parsed[name]))
                parsed[name] = parsed[name][0] if len(parsed[name]) == 1 else parsed[name]
            elif parsed[name] < 1:
                raise InvalidQuery(_gettext("level starts at 1 (the broadest terms)."))
            elif parsed[name] > MAX_LEVEL:
                raise InvalidQuery(_gettext("level goes from 1 to %(last)s.") % {"last": MAX_LEVEL})
        elif name in ("from", "to"):
            parsed[name] = _date(value, name)
        elif name == "grouping":
            parsed[name] = str(value).strip()
        else:
            parsed[name] = _values(value)
    return parsed


def _shown(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as the answer repeats them (JSON-friendly)."""
    shown: dict[str, Any] = {}
    for name, value in filters.items():
        if isinstance(value, datetime.date):
            shown[name] = value.isoformat()
        elif isinstance(value, list) and len(value) == 1:
            shown[name] = value[0]
        else:
            shown[name] = value
    return shown


# --- The vocabulary and the regions, read once per call (small tables) ----------------------

class Lookups:
    """Terms and regions, for roll-ups, filters and labels."""

    def __init__(self, language: str) -> None:
        self.language = language

    @cached_property
    def terms(self) -> dict[int, Term]:
        return {t.pk: t for t in Term.objects.all()}

    @cached_property
    def by_code(self) -> dict[str, Term]:
        return {t.code: t for t in self.terms.values()}

    def depth(self, term: Term) -> int:
        depth, seen = 1, {term.pk}
        while term.parent_id and term.parent_id not in seen:
            seen.add(term.parent_id)
            term = self.terms[term.parent_id]
            depth += 1
        return depth

    def ancestor(self, term: Term, level: int) -> Term:
        chain = [term]
        while chain[-1].parent_id and len(chain) < 64:
            chain.append(self.terms[chain[-1].parent_id])
        chain.reverse()  # the root first
        return chain[min(level, len(chain)) - 1]

    def kind_ids(self, kind: str) -> list[int]:
        return [pk for pk, t in self.terms.items() if t.kind == kind]

    def subtree_ids(self, kind: str, codes: Iterable[str]) -> list[int]:
        """The terms of `kind` at or under each code (codes are dotted: attack.threat.death is
        under attack.threat); an unknown code is an error."""
        ids: set[int] = set()
        for code in codes:
            term = self.by_code.get(code)
            if term is None or term.kind != kind:
                raise InvalidQuery(_gettext("No %(kind)s with the code %(code)s.")
                                   % {"kind": Term.Kind(kind).label, "code": code})
            roots = {term.pk}
            for pk, other in self.terms.items():
                if other.kind == kind and self._under(other, roots):
                    ids.add(pk)
        return sorted(ids)

    def _under(self, term: Term, roots: set[int]) -> bool:
        seen: set[int] = set()
        current: Term | None = term
        while current is not None and current.pk not in seen:
            if current.pk in roots:
                return True
            seen.add(current.pk)
            current = self.terms.get(current.parent_id) if current.parent_id else None
        return False

    def state_of(self, term: Term) -> str:
        unknown = self.by_code.get(UNKNOWN_PERPETRATOR)
        if unknown is not None and self._under(term, {unknown.pk}):
            return "unknown"
        if term.state_actor is True:
            return "state"
        if term.state_actor is False:
            return "non_state"
        return "unknown"

    def grouping(self, code: str | None) -> Grouping:
        grouping = Grouping.objects.filter(code=code or DEFAULT_GROUPING).first()
        if grouping is None:
            raise InvalidQuery(_gettext("No region grouping with the code %(code)s.") % {"code": code})
        return grouping

    def regions(self, grouping: Grouping) -> list[tuple[Region, list[str]]]:
        members: dict[int, list[str]] = {}
        for region_id, country in grouping.countries.values_list("region_id", "country"):
            members.setdefault(region_id, []).append(country)
        return [(region, sorted(members.get(region.pk, []))) for region in grouping.regions.all()]


# --- Building the query ------------------------------------------------------------------------

class YearOf(Func):
    """The year of a date, as SQL's own function computes it (Django's ExtractYear calls a
    Python function per row on SQLite: 1,000,000 calls for 1,000,000 incidents)."""

    function = "EXTRACT"
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS integer)",
                              **extra)


class MonthOf(Func):
    """The month of a date as text, "2023-05"."""

    template = "to_char(%(expressions)s, 'YYYY-MM')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


@dataclass
class Plan:
    group_by: list[str]
    filters: dict[str, Any]
    public: bool
    lookups: Lookups
    queryset: QuerySet[Incident] = field(init=False)
    base: QuerySet[Incident] = field(init=False)  # filtered, without the joins of the keys
    keys: dict[str, Any] = field(default_factory=dict)  # dimension -> the key's expression
    rolled: bool = False  # several values of one incident may fall into one key: de-duplicate
    groupings: dict[str, Grouping] = field(default_factory=dict)
    _regions: dict[str, dict[str, Region]] = field(default_factory=dict)

    @property
    def multi_valued(self) -> bool:
        return any(d in MULTI for d in self.group_by)

    def region_labels(self, dim: str) -> dict[str, Region]:
        if dim not in self._regions:
            self._regions[dim] = {r.code: r for r in self.groupings[dim].regions.all()}
        return self._regions[dim]


def _grouping_for(dim: str, filters: dict[str, Any], lookups: Lookups) -> Grouping:
    return lookups.grouping(CONTINENTS if dim == "continent" else filters.get("grouping"))


def _filtered(qs: QuerySet[Incident], filters: dict[str, Any], lookups: Lookups) -> QuerySet[Incident]:
    for name, value in filters.items():
        if name in ("grouping", "level", "status"):
            continue
        if name == "year":
            years = value if isinstance(value, list) else [value]
            q = Q()
            for year in years:
                q |= Q(occurred_on__gte=datetime.date(year, 1, 1), occurred_on__lte=datetime.date(year, 12, 31))
            qs = qs.filter(q)
        elif name == "from":
            qs = qs.filter(occurred_on__gte=value)
        elif name == "to":
            qs = qs.filter(occurred_on__lte=value)
        elif name == "month":
            q = Q()
            for month in value:
                try:
                    first = datetime.date.fromisoformat(f"{month}-01")
                except ValueError:
                    raise InvalidQuery(_gettext("month must look like 2023-05.")) from None
                if not FIRST_YEAR <= first.year <= LAST_YEAR:  # December 9999 has no month after it
                    raise _out_of_range("month")
                after = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                q |= Q(occurred_on__gte=first, occurred_on__lt=after)
            qs = qs.filter(q).exclude(date_precision=Incident.Precision.YEAR)
        elif name == "country":
            qs = qs.filter(country__in=[v.upper() for v in value])
        elif name == "subdivision":
            qs = qs.filter(subdivision__in=[v.upper() for v in value])
        elif name in ("region", "continent"):
            grouping = _grouping_for(name, filters, lookups)
            regions = {r.code: countries for r, countries in lookups.regions(grouping)}
            unknown = [v for v in value if v not in regions]
            if unknown:
                raise InvalidQuery(_gettext("No region %(codes)s in the grouping %(grouping)s.")
                                   % {"codes": ", ".join(unknown), "grouping": grouping.code})
            qs = qs.filter(country__in=[c for v in value for c in regions[v]])
        elif name == "desk":
            qs = qs.filter(desk__slug__in=value)
        elif name in CHOICES:
            bad = [v for v in value if v not in CHOICES[name].values]
            if bad:
                raise InvalidQuery(_gettext("%(name)s is one of %(values)s.")
                                   % {"name": name, "values": ", ".join(CHOICES[name].values)})
            qs = qs.filter(**{f"{name}__in": value})
        elif name == "state":
            bad = [v for v in value if v not in STATE_VALUES]
            if bad:
                raise InvalidQuery(_gettext("state is one of %(values)s.") % {"values": ", ".join(STATE_VALUES)})
            ids = [pk for pk in lookups.kind_ids(Term.Kind.PERPETRATOR)
                   if lookups.state_of(lookups.terms[pk]) in value]
            through = Incident.perpetrators.through
            has: Any = Exists(through.objects.filter(incident_id=OuterRef("pk"), term_id__in=ids))
            if "unknown" in value:  # no perpetrator recorded counts as unknown
                has = has | ~Exists(through.objects.filter(incident_id=OuterRef("pk")))
            qs = qs.filter(has)
        elif name in VOCABULARY:
            m2m, kind = MULTI[name]
            ids = lookups.subtree_ids(kind, value)
            through = getattr(Incident, m2m).through
            qs = qs.filter(Exists(through.objects.filter(incident_id=OuterRef("pk"), term_id__in=ids)))
    return qs


def public_incidents() -> QuerySet[Incident]:
    """What the public tables count: incidents that statistics may use, dated within the years
    anyone may ask about (registry/bounds.py). A row dated in year 1 or 9999 (written around
    the forms) stays out of them rather than offer a year nobody can ask for."""
    return Incident.objects.statistics_eligible().filter(occurred_on__gte=FIRST_DAY, occurred_on__lte=LAST_DAY)


def _base(filters: dict[str, Any], desks: Any, public: bool, lookups: Lookups) -> QuerySet[Incident]:
    if public:
        qs = public_incidents()
    elif "status" in filters:
        unknown = [s for s in filters["status"] if s not in Incident.Status.values]
        if unknown:
            raise InvalidQuery(_gettext("Unknown status: %(names)s.") % {"names": ", ".join(unknown)})
        qs = Incident.objects.filter(status__in=filters["status"])
    else:
        qs = Incident.objects.counted()
    if desks is not None:
        ids = list(desks.values_list("pk", flat=True)) if isinstance(desks, QuerySet) else [
            d.pk if isinstance(d, Desk) else int(d) for d in desks]
        qs = qs.filter(desk_id__in=ids)
    return _filtered(qs, filters, lookups).order_by()


def _term_key(plan: Plan, dim: str, column: str) -> Any:
    """The key of a vocabulary dimension: the term, or its ancestor at `level`."""
    level = plan.filters.get("level")
    if plan.public and dim in ("attack_type", "perpetrator"):
        level = PUBLIC_LEVEL
    _m2m, kind = MULTI[dim]
    if not level:
        return F(column)
    lookups = plan.lookups
    rolled: dict[int, list[int]] = {}
    for pk in lookups.kind_ids(kind):
        top = lookups.ancestor(lookups.terms[pk], level)
        if top.pk != pk:
            rolled.setdefault(top.pk, []).append(pk)
    if not rolled:
        return F(column)
    plan.rolled = True
    whens = [When(**{f"{column}__in": ids}, then=Value(top)) for top, ids in sorted(rolled.items())]
    return Case(*whens, default=F(column), output_field=IntegerField())


def plan(group_by: Sequence[str], filters: dict[str, Any], desks: Any, public: bool, lookups: Lookups) -> Plan:
    p = Plan(list(group_by), filters, public, lookups)
    qs = p.base = _base(filters, desks, public, lookups)
    for dim in p.group_by:
        if dim in MULTI:
            m2m, _kind = MULTI[dim]
            column = f"t_{dim}"
            qs = qs.alias(**{column: F(m2m)})
            if dim == "state":
                by_state: dict[str, list[int]] = {}
                for pk in lookups.kind_ids(Term.Kind.PERPETRATOR):
                    by_state.setdefault(lookups.state_of(lookups.terms[pk]), []).append(pk)
                whens = [When(**{f"{column}__in": by_state[s]}, then=Value(s)) for s in ("state", "non_state")
                         if by_state.get(s)]
                p.keys[dim] = Case(*whens, default=Value("unknown"), output_field=CharField())
                p.rolled = True
            else:
                p.keys[dim] = _term_key(p, dim, column)
        elif dim in ("region", "continent"):
            grouping = _grouping_for(dim, filters, lookups)
            p.groupings[dim] = grouping
            whens = [When(country__in=countries, then=Value(region.code))
                     for region, countries in lookups.regions(grouping) if countries]
            p.keys[dim] = Case(*whens, default=Value(None), output_field=CharField()) if whens else Value(
                None, output_field=CharField())
        elif dim == "year":
            p.keys[dim] = YearOf("occurred_on")
        elif dim == "month":
            p.keys[dim] = Case(When(date_precision=Incident.Precision.YEAR, then=Value(None)),
                               default=MonthOf("occurred_on"), output_field=CharField())
        elif dim == "desk":
            p.keys[dim] = F("desk__slug")
        else:
            p.keys[dim] = F(dim)
    p.queryset = qs
    return p


def _key(dim: str) -> str:
    return f"k_{dim}"


def counted_victims() -> Any:
    """An incident's victims as the statistics count them: at most MAX_VICTIMS. The entry points
    refuse more, but a row written around them (a bulk load, a hand-made fix) may hold anything
    the column takes, and on SQLite two such rows make SUM fail with "integer overflow": a 500 on
    every public page. Counted this way, no stored row can break a sum (10^5 × 10^13 rows would
    be needed). The column's CHECK keeps it from being negative."""
    return Least(F("victims"), Value(MAX_VICTIMS), output_field=IntegerField())


def grouped(p: Plan) -> list[dict[str, Any]]:
    """One GROUP BY: a dict per group with k_<dim> keys, `incidents` and `victims`."""
    keyed = p.queryset.annotate(**{_key(d): expr for d, expr in p.keys.items()})
    names = [_key(d) for d in p.group_by]
    if not p.rolled:
        count = Count("pk", distinct=True) if p.multi_valued else Count("pk")
        return list(keyed.values(*names).annotate(incidents=count, victims=Sum(counted_victims())).order_by())
    # Several values of one incident roll up into one key (narrower terms under one broader term,
    # two state perpetrators): count each (incident, key) once, and sum its victims once.
    inner = keyed.annotate(row_incident=F("pk"), row_victims=counted_victims()).values(
        *names, "row_incident", "row_victims").distinct().order_by()
    sql, params = inner.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(n) for n in names)
    outer = (f"SELECT {columns}, COUNT(*), SUM({quote('row_victims')}) FROM ({sql}) AS {quote('pairs')} "  # noqa: S608
             f"GROUP BY {columns}")
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        fetched = cursor.fetchall()
    rows = []
    for record in fetched:
        row = dict(zip(names, record[:len(names)], strict=True))
        row["incidents"], row["victims"] = int(record[-2]), int(record[-1] or 0)
        rows.append(row)
    return rows


def totals(p: Plan, rows: list[dict[str, Any]]) -> dict[str, int]:
    if not p.multi_valued:  # every incident is in exactly one row
        return {"incidents": sum(r["incidents"] for r in rows), "victims": sum(r["victims"] or 0 for r in rows)}
    found = p.base.aggregate(incidents=Count("pk"), victims=Sum(counted_victims()))
    return {"incidents": found["incidents"] or 0, "victims": found["victims"] or 0}


# --- Presenting -------------------------------------------------------------------------------

def _present(p: Plan, raw: dict[str, Any], language: str) -> dict[str, Any]:
    """One answer row from one group; the caller activates `language` once for all rows."""
    lookups = p.lookups
    row: dict[str, Any] = {}
    for dim in p.group_by:
        value = raw[_key(dim)]
        if dim in VOCABULARY:
            term = lookups.terms.get(value) if value is not None else None
            row[dim] = term.code if term else None
            row[f"{dim}_label"] = term.label(language) if term else str(_("Not recorded"))
        elif dim == "state":
            row[dim] = value
            row[f"{dim}_label"] = str(STATE_LABELS[value])
        elif dim in ("region", "continent"):
            region = p.region_labels(dim).get(value) if value else None
            row[dim] = value
            row[f"{dim}_label"] = region.label(language) if region else str(_("No region"))
        elif dim == "month":
            row[dim] = None if not value else value.strftime("%Y-%m") if isinstance(value, datetime.date) \
                else str(value)
        elif dim == "year":
            row[dim] = int(value) if value is not None else None
        elif dim in CHOICES:
            row[dim] = value
            row[f"{dim}_label"] = str(dict(CHOICES[dim].choices).get(value, value))
        else:
            row[dim] = value or None
    row["incidents"], row["victims"] = int(raw["incidents"]), int(raw["victims"] or 0)
    return row


def _order(group_by: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(row: dict[str, Any]) -> tuple:
        times = tuple((row[d] is None, row[d] or 0) for d in group_by if d in TIME)
        count = row["incidents"] if row["incidents"] is not None else -1
        rest = tuple((row[d] is None, str(row[d] or "")) for d in group_by if d not in TIME)
        return (*times, -count, *rest)
    return sorted(rows, key=key)


def _share(count: int | None, total: int | None) -> float | None:
    if count is None or not total:
        return None if count is None else 0.0
    return round(100.0 * count / total, 1)


def compute(
    group_by: Sequence[str] | str,
    filters: Mapping[str, Any] | None = None,
    *,
    desks: QuerySet[Desk] | Iterable[Desk] | None = None,
    public: bool = False,
    language: str = "en",
) -> Result:
    """Counts of incidents and victims grouped by `group_by`, filtered by `filters`.

    `desks` limits the count to those desks (None: every desk; callers decide who may see what,
    see `desks_for`). `public=True` answers only the fixed public tables, with suppression."""
    dims = parse_group_by(group_by)
    parsed = parse_filters(filters)
    language = (language or "en")[:2]
    lookups = Lookups(language)
    if public:
        return _public(dims, parsed, desks, lookups)
    p = plan(dims, parsed, desks, False, lookups)
    raw = grouped(p)
    total = totals(p, raw)
    with translation.override(language):
        rows = _order(dims, [_present(p, r, language) for r in raw])
    for row in rows:
        row["share"] = _share(row["incidents"], total["incidents"])
        row["suppressed"] = False
    return Result(dims, _shown(parsed), rows, dict(total), p.multi_valued)


# --- The public tables ------------------------------------------------------------------------

def check_public(dims: list[str], filters: dict[str, Any], desks: Any) -> None:
    if desks is not None:
        raise NotAllowed(_gettext("The public tables cover the whole coalition; they take no desk."))
    other = [name for name in filters if name not in PUBLIC_FILTERS]
    if other:
        raise NotAllowed(_gettext("The public tables take no filter but whole years (and grouping for regions); "
                                  "refused: %(names)s.") % {"names": ", ".join(other)})
    tables = [d for d in dims if d != "year"]
    if len(tables) > 1 or (tables and tables[0] not in PUBLIC_TABLES):
        raise NotAllowed(_gettext("The public tables are %(tables)s, each by year.")
                         % {"tables": ", ".join(f"{t} × year" for t in PUBLIC_TABLES)})
    if tables and "year" not in dims and "year" not in filters:
        raise NotAllowed(_gettext("Public tables are by year: group by year too, or give a year."))
    grouping = filters.get("grouping")
    if grouping and (not tables or tables[0] != "region"):
        raise NotAllowed(_gettext("grouping goes with the region table only."))
    if grouping and grouping not in PUBLIC_GROUPINGS:
        raise NotAllowed(_gettext("The public tables use the Special Rapporteur's regions only (%(codes)s).")
                         % {"codes": ", ".join(PUBLIC_GROUPINGS)})


def public_tables(years: list[int] | None, lookups: Lookups) -> dict[str, Any]:
    """Every public table for `years` (None: every year), exact: the input of the suppression.

    Four GROUP BYs; the region tables and the year totals are sums of the country × year rows
    (a country is in one region of a grouping), added up here rather than read again."""
    filters: dict[str, Any] = {"year": years} if years else {}
    groupings = {code: lookups.regions(lookups.grouping(code)) for code in PUBLIC_GROUPINGS}
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in ("country", "attack_type", "perpetrator", "state"):
        p = plan([name, "year"], filters, None, True, lookups)
        tables[name] = grouped(p)
    for code, regions in groupings.items():
        region_of = {country: region.code for region, countries in regions for country in countries}
        tables[f"region:{code}"] = _summed(tables["country"], region_of, "k_region")
    tables["year"] = _summed(tables["country"], {}, None)
    return {"tables": tables, "groupings": groupings}


def _summed(rows: list[dict[str, Any]], region_of: dict[str, str], name: str | None) -> list[dict[str, Any]]:
    """Country × year rows added up by region (`region_of`; None: in no region) and year."""
    sums: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in rows:
        value = region_of.get(row["k_country"]) if name else None
        cell = sums.setdefault((value, row["k_year"]), {"k_year": row["k_year"], "incidents": 0, "victims": 0,
                                                          **({name: value} if name else {})})
        cell["incidents"] += row["incidents"]
        cell["victims"] += row["victims"] or 0
    return list(sums.values())


PUBLIC_CACHE_SECONDS = 600


def fingerprint() -> tuple[Any, ...]:
    """What the public tables depend on, cheaply: every write of the project is audited in its
    transaction, so the newest audit entry about the registry (incidents, consent, imports,
    vocabulary) or about analytics (groupings) moves with every change that matters (read by
    walking the audit log's sequence index backwards to the first such entry); the newest
    incident id catches rows inserted around the services (bulk loads). Public answers are
    cached under it: a change is seen at the next query, anything else within
    PUBLIC_CACHE_SECONDS. Logins and other unrelated writes do not empty the cache."""
    head = AuditEntry.objects.filter(Q(object_type__startswith="registry.") | Q(object_type__startswith="analytics.")
                                     ).order_by("-seq").values_list("seq", flat=True).first() or 0
    newest = Incident.objects.aggregate(last=Max("pk"))["last"]
    return (head, newest)


_SNAPSHOT: ContextVar[dict[Any, Any] | None] = ContextVar("public_snapshot", default=None)


@contextmanager
def public_snapshot() -> Iterator[None]:
    """Within this block, public answers for the same years share one computation of the
    public tables and their suppression (a page that shows several public tables)."""
    token = _SNAPSHOT.set({})
    try:
        yield
    finally:
        _SNAPSHOT.reset(token)


def _public(dims: list[str], filters: dict[str, Any], desks: Any, lookups: Lookups) -> Result:
    check_public(dims, filters, desks)
    k = min_cell()
    years = filters.get("year")
    years_list = years if isinstance(years, list) else ([years] if years is not None else None)
    snapshot = _SNAPSHOT.get()
    cache_key = (tuple(years_list) if years_list else None, k, lookups.language)
    if snapshot is not None and cache_key in snapshot:
        protected = snapshot[cache_key]
    else:
        shared_key = "analytics:public:" + hashlib.sha256(
            repr((cache_key[:2], fingerprint())).encode()).hexdigest()
        protected = cache.get(shared_key)
        if protected is None:
            exact = public_tables(years_list, lookups)
            perpetrator_states = _perpetrator_states(lookups)
            protected = suppression.protect(exact["tables"], exact["groupings"], perpetrator_states, k)
            cache.set(shared_key, protected, PUBLIC_CACHE_SECONDS)
        if snapshot is not None:
            snapshot[cache_key] = protected

    table = next((d for d in dims if d != "year"), "year")
    if table == "continent":
        name = f"region:{CONTINENTS}"
    elif table == "region":
        name = f"region:{filters.get('grouping') or DEFAULT_GROUPING}"
    else:
        name = table
    p = plan(dims, filters, None, True, lookups)
    if table == "continent":
        p.groupings["continent"] = lookups.grouping(CONTINENTS)
    rows = []
    with translation.override(lookups.language):
        presented = [_present(p, _raw_cell(table, cell), lookups.language) for cell in protected.get(name, [])]
    for cell, row in zip(protected.get(name, []), presented, strict=True):
        if "year" not in dims:
            row.pop("year", None)
        row["incidents"], row["victims"] = cell["incidents"], cell["victims"]
        row["share"] = None
        row["suppressed"] = cell["incidents"] is None
        rows.append(row)
    year_totals = protected.get("year", [])
    shown = [c for c in year_totals if c["incidents"] is not None]
    total: dict[str, int | None] = {
        "incidents": sum(c["incidents"] for c in shown) if shown or not year_totals else None,
        "victims": sum(c["victims"] for c in shown) if shown or not year_totals else None,
    }
    for row in rows:
        row["share"] = _share(row["incidents"], total["incidents"])
    rows = _order(dims, rows)
    return Result(dims, _shown(filters), rows, total, table in MULTI, public=True, k=k)


def _raw_cell(table: str, cell: dict[str, Any]) -> dict[str, Any]:
    raw = {"k_year": cell["year"], "incidents": cell["incidents"] or 0, "victims": cell["victims"] or 0}
    if table != "year":
        raw[_key(table)] = cell["key"]
    return raw


def _perpetrator_states(lookups: Lookups) -> dict[Any, set[str]]:
    """The state values found under each top-level perpetrator term; None (no perpetrator
    recorded) is "unknown". The suppression links the state table to the perpetrator table
    through the subtrees that have a single state value."""
    states: dict[Any, set[str]] = {None: {"unknown"}}
    for pk in lookups.kind_ids(Term.Kind.PERPETRATOR):
        term = lookups.terms[pk]
        states.setdefault(lookups.ancestor(term, PUBLIC_LEVEL).pk, set()).add(lookups.state_of(term))
    return states


def desks_for(user: Any) -> QuerySet[Desk]:
    """The desks whose exact numbers a person may see: desks she documents, and every desk of the
    networks she coordinates (a coalition's coordinators: every desk of its networks)."""
    return visible_desks(user)


# --- Exports ----------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(result: Result) -> str:
    """The rows as CSV, one column per key (`Result.columns`); cells escaped against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_cell(row.get(name)) for name in result.columns])
    return out.getvalue()


def to_table(result: Result) -> str:
    """The rows as a plain text table, for the command."""
    header = result.columns
    lines = [[_cell(row.get(name)) or ("—" if name in ("incidents", "victims") else "") for name in header]
             for row in result.rows]
    total = result.total
    lines.append(["total", *[""] * (len(header) - 5), _cell(total["incidents"]), _cell(total["victims"]), "", ""])
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    render = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in [header, *lines]]
    notes = []
    if result.multi_valued:
        notes.append("An incident counts once in each of its values: shares can sum past 100 %.")
    if result.public and result.any_suppressed:
        notes.append(f"— : fewer than {result.k} incidents, or withheld so that such a cell cannot be worked out.")
    return "\n".join(render + notes) + "\n"
