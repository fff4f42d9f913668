"""Building the query: the filtered incidents, the grouping keys and the GROUP BY itself."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least
from django.utils.translation import gettext as _gettext

from amparo.analytics.models import Grouping, Region
from amparo.analytics.statistics.lookups import Lookups
from amparo.analytics.statistics.questions import (
    CHOICES,
    CONTINENTS,
    MULTI,
    PUBLIC_LEVEL,
    STATE_VALUES,
    VOCABULARY,
    InvalidQuery,
    out_of_range,
)
from amparo.network.models import Desk
from amparo.registry.bounds import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR, MAX_VICTIMS
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term


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
    desk_ids: Any = None  # the desks counted: ids, a subquery of ids, or None (every desk)
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


def _by_years(qs: QuerySet[Incident], value: Any) -> QuerySet[Incident]:
    years = value if isinstance(value, list) else [value]
    q = Q()
    for year in years:
        q |= Q(occurred_on__gte=datetime.date(year, 1, 1), occurred_on__lte=datetime.date(year, 12, 31))
    return qs.filter(q)


def _by_months(qs: QuerySet[Incident], value: Any) -> QuerySet[Incident]:
    q = Q()
    for month in value:
        try:
            first = datetime.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise InvalidQuery(_gettext("month must look like 2023-05.")) from None
        if not FIRST_YEAR <= first.year <= LAST_YEAR:  # December 9999 has no month after it
            raise out_of_range("month")
        after = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        q |= Q(occurred_on__gte=first, occurred_on__lt=after)
    return qs.filter(q).exclude(date_precision=Incident.Precision.YEAR)


def _by_regions(qs: QuerySet[Incident], name: str, value: Any, filters: dict[str, Any],
                lookups: Lookups) -> QuerySet[Incident]:
    grouping = _grouping_for(name, filters, lookups)
    regions = {r.code: countries for r, countries in lookups.regions(grouping)}
    unknown = [v for v in value if v not in regions]
    if unknown:
        raise InvalidQuery(_gettext("No region %(codes)s in the grouping %(grouping)s.")
                           % {"codes": ", ".join(unknown), "grouping": grouping.code})
    return qs.filter(country__in=[c for v in value for c in regions[v]])


def _by_choice(qs: QuerySet[Incident], name: str, value: Any) -> QuerySet[Incident]:
    bad = [v for v in value if v not in CHOICES[name].values]
    if bad:
        raise InvalidQuery(_gettext("%(name)s is one of %(values)s.")
                           % {"name": name, "values": ", ".join(CHOICES[name].values)})
    return qs.filter(**{f"{name}__in": value})


def _by_state(qs: QuerySet[Incident], value: Any, lookups: Lookups) -> QuerySet[Incident]:
    bad = [v for v in value if v not in STATE_VALUES]
    if bad:
        raise InvalidQuery(_gettext("state is one of %(values)s.") % {"values": ", ".join(STATE_VALUES)})
    ids = [pk for pk in lookups.kind_ids(Term.Kind.PERPETRATOR)
           if lookups.state_of(lookups.terms[pk]) in value]
    through = Incident.perpetrators.through
    has: Any = Exists(through.objects.filter(incident_id=OuterRef("pk"), term_id__in=ids))
    if "unknown" in value:  # no perpetrator recorded counts as unknown
        has = has | ~Exists(through.objects.filter(incident_id=OuterRef("pk")))
    return qs.filter(has)


def _by_vocabulary(qs: QuerySet[Incident], name: str, value: Any, lookups: Lookups) -> QuerySet[Incident]:
    m2m, kind = MULTI[name]
    ids = lookups.subtree_ids(kind, value)
    through = getattr(Incident, m2m).through
    return qs.filter(Exists(through.objects.filter(incident_id=OuterRef("pk"), term_id__in=ids)))


def _filter_one(qs: QuerySet[Incident], name: str, value: Any, filters: dict[str, Any],
                lookups: Lookups) -> QuerySet[Incident]:
    """`qs` narrowed by one filter (one the statistics do not know leaves it as it is)."""
    plain = {"from": "occurred_on__gte", "to": "occurred_on__lte", "desk": "desk__slug__in"}
    if name in plain:
        return qs.filter(**{plain[name]: value})
    if name in ("country", "subdivision"):
        return qs.filter(**{f"{name}__in": [v.upper() for v in value]})
    if name == "year":
        return _by_years(qs, value)
    if name == "month":
        return _by_months(qs, value)
    if name in ("region", "continent"):
        return _by_regions(qs, name, value, filters, lookups)
    if name in CHOICES:
        return _by_choice(qs, name, value)
    if name == "state":
        return _by_state(qs, value, lookups)
    if name in VOCABULARY:
        return _by_vocabulary(qs, name, value, lookups)
    return qs


def _filtered(qs: QuerySet[Incident], filters: dict[str, Any], lookups: Lookups) -> QuerySet[Incident]:
    for name, value in filters.items():
        if name not in ("grouping", "level", "status"):
            qs = _filter_one(qs, name, value, filters, lookups)
    return qs


def public_incidents() -> QuerySet[Incident]:
    """What the public tables count: incidents that statistics may use, dated within the years
    anyone may ask about (registry/bounds.py). A row dated in year 1 or 9999 (written around
    the forms) stays out of them rather than offer a year nobody can ask for."""
    return Incident.objects.statistics_eligible().filter(occurred_on__gte=FIRST_DAY, occurred_on__lte=LAST_DAY)


def desk_ids_of(desks: Any) -> Any:
    """The desks' ids: a list, or a subquery when given a query (not run on its own)."""
    if desks is None:
        return None
    return desks.values("pk") if isinstance(desks, QuerySet) else [
        d.pk if isinstance(d, Desk) else int(d) for d in desks]


def _base(filters: dict[str, Any], desk_ids: Any, public: bool, lookups: Lookups) -> QuerySet[Incident]:
    if public:
        qs = public_incidents()
    elif "status" in filters:
        unknown = [s for s in filters["status"] if s not in Incident.Status.values]
        if unknown:
            raise InvalidQuery(_gettext("Unknown status: %(names)s.") % {"names": ", ".join(unknown)})
        qs = Incident.objects.filter(status__in=filters["status"])
    else:
        qs = Incident.objects.counted()
    if desk_ids is not None:
        qs = qs.filter(desk_id__in=desk_ids)
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
    p.desk_ids = desk_ids_of(desks)
    qs = p.base = _base(filters, p.desk_ids, public, lookups)
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


def key_of(dim: str) -> str:
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
    keyed = p.queryset.annotate(**{key_of(d): expr for d, expr in p.keys.items()})
    names = [key_of(d) for d in p.group_by]
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
