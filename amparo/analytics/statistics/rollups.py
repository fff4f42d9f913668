"""Answering a staff question from the summary tables (docs/analytics.md, "Rollups").

`answer(plan)` gives the same grouped rows and totals as `query.grouped` and `query.totals`
would, read from `RollupCell` / `RollupTermCell` (thousands of rows, whatever the number of
incidents), or None when the question does not fit them: then `stats.compute` counts over the
base tables as before. A question fits when

- the summaries were built with the vocabulary as it is now: a term moved, added or removed
  (saved through the vocabulary's services: analytics hears `post_save`) marks them stale and
  sends every question to the base tables until they are rebuilt (the `build_rollups` job,
  which also compares the vocabulary's `signature`, catching changes made around the services);
- it involves at most one multi-valued dimension (grouped, or filtered by one value), and not
  both grouped and filtered by it; with one, its other dimensions and filters are among desk,
  country, region, continent, year and status;
- its dates (`from`, `to`) fall on whole months (whole years with a multi-valued dimension).

The public tables (`statistics.public.public_tables`) are read from them too: every summary
keeps whether the incident is consented to for anonymous statistics, so the public-table job
sums a few thousand rows instead of grouping every incident.

The write side (facts, deltas, rebuild) is `amparo.analytics.services.rollups`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from amparo.analytics.models.rollups import GRAINS, TERM_GRAIN, RollupState
from amparo.analytics.statistics.lookups import Lookups
from amparo.analytics.statistics.query import Plan, key_of
from amparo.analytics.statistics.questions import CHOICES, MULTI, PUBLIC_LEVEL, VOCABULARY
from amparo.network.models import Desk
from amparo.registry.bounds import FIRST_YEAR, LAST_YEAR
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

CELL_TABLE = "analytics_rollup_cell"
TERM_CELL_TABLE = "analytics_rollup_term_cell"
ROLLED = tuple(MULTI)  # attack_type, perpetrator, state, risk_factor, profile, gender
NONE_KEY = {dim: ("unknown" if dim == "state" else "") for dim in ROLLED}  # the key without any term
# The summary columns a dimension or a filter needs.
COLUMNS: dict[str, tuple[str, ...]] = {
    "desk": ("desk_id",), "country": ("country",), "region": ("country",), "continent": ("country",),
    "subdivision": ("subdivision",), "year": ("year",), "month": ("month", "yearly"), "status": ("status",),
    "reported_to_authorities": ("reported",), "justice": ("justice",),
}


# --- The vocabulary the summaries were built with ----------------------------------------------

def signature() -> str:
    """What of the vocabulary the keys depend on (tree, kinds, state actors, codes), hashed."""
    digest = hashlib.sha256()
    rows = Term.objects.order_by("pk").values_list("pk", "kind", "parent_id", "state_actor", "code")
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def depths(lookups: Lookups) -> dict[str, int]:
    """The deepest level of each rolled dimension's vocabulary (state: 1, it has no levels)."""
    found: dict[str, int] = {}
    for dim in ROLLED:
        _m2m, kind = MULTI[dim]
        deepest = max((lookups.depth(lookups.terms[pk]) for pk in lookups.kind_ids(kind)), default=1)
        found[dim] = 1 if dim == "state" else deepest
    return found


def levels(dim: str, deepest: int) -> list[int]:
    """The levels kept for `dim`: 0 (the term itself) and each level above the deepest."""
    return [0, *range(1, deepest)] if dim != "state" else [0]


def term_keys(lookups: Lookups, found: dict[str, int]) -> list[tuple[str, int, int, str]]:
    """(dim, level, term id, key) for every term, as `query.plan` keys them."""
    rows = []
    for dim in ROLLED:
        _m2m, kind = MULTI[dim]
        for level in levels(dim, found[dim]):
            for pk, term in lookups.terms.items():
                if dim == "state":
                    key = lookups.state_of(term) if term.kind == kind else "unknown"
                elif level and term.kind == kind:
                    key = str(lookups.ancestor(term, level).pk)
                else:
                    key = str(pk)
                rows.append((dim, level, pk, key))
    return rows


def _level_for(dim: str, level: int | None, found: dict[str, int]) -> int:
    if dim == "state" or not level or level >= found.get(dim, 1):
        return 0
    return level


# --- Answering -----------------------------------------------------------------------------------

class _Where:
    def __init__(self) -> None:
        self.sql: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.sql.append(sql)
        self.params.extend(params)

    def among(self, column: str, values: Sequence[Any]) -> None:
        if not values:
            self.sql.append("1 = 0")
            return
        self.add(f"{column} IN ({', '.join(['%s'] * len(values))})", *values)


def _dates(filters: dict[str, Any], grain_columns: set[str], where: _Where) -> bool:
    """`from` and `to` as whole years (year column) or whole months (month column); False when
    they fall mid-month."""
    first, last = filters.get("from"), filters.get("to")
    if first is None and last is None:
        return True
    whole_years = (first is None or (first.month, first.day) == (1, 1)) and (
        last is None or (last.month, last.day) == (12, 31))
    if whole_years:
        if first is not None:
            where.add("year >= %s", first.year)
        if last is not None:
            where.add("year <= %s", last.year)
        where.add("year <> 0")
        return True
    next_day = (last + datetime.timedelta(days=1)) if last is not None else None
    whole_months = (first is None or first.day == 1) and (next_day is None or next_day.day == 1)
    if not whole_months:
        return False
    grain_columns.add("month")
    if first is not None:
        where.add("month >= %s", first.strftime("%Y-%m"))
    if last is not None:
        where.add("month <= %s", last.strftime("%Y-%m"))
    where.add("month <> ''")
    return True


def _single_filters(p: Plan, desk_ids: Any, where: _Where, needed: set[str]) -> bool:
    filters, lookups = p.filters, p.lookups
    if isinstance(desk_ids, QuerySet):
        sql, params = desk_ids.query.sql_with_params()
        where.add(f"desk_id IN ({sql})", *params)
    elif desk_ids is not None:
        where.among("desk_id", desk_ids)
    if "status" in filters:
        where.among("status", filters["status"])
    else:
        where.add("status <> %s", Incident.Status.DUPLICATE)
    for name, value in filters.items():
        if name in ("grouping", "level", "status", "from", "to") or name in MULTI:
            continue
        needed.update(COLUMNS[name])
        if name == "desk":
            where.among("desk_id", list(Desk.objects.filter(slug__in=value).values_list("pk", flat=True)))
        elif name in ("country", "subdivision"):
            where.among(name, [v.upper() for v in value])
        elif name == "year":
            where.among("year", value if isinstance(value, list) else [value])
        elif name == "month":
            months = [datetime.date.fromisoformat(f"{m}-01").strftime("%Y-%m") for m in value]
            where.among("month", months)
            where.add("yearly = %s", False)
        elif name in ("region", "continent"):
            regions = {r.code: countries for r, countries in lookups.regions(p.groupings.get(name) or _grouping(
                p, name))}
            where.among("country", [c for v in value for c in regions.get(v, [])])
        elif name in CHOICES:
            where.among("reported" if name == "reported_to_authorities" else "justice", value)
    return _dates(filters, needed, where)


def _grouping(p: Plan, name: str) -> Any:
    from amparo.analytics.statistics.query import _grouping_for

    return _grouping_for(name, p.filters, p.lookups)


def _grain(needed: set[str]) -> int | None:
    for grain, columns in GRAINS.items():
        if needed <= set(columns):
            return grain
    return None


def fresh(*, check_vocabulary: bool = False) -> RollupState | None:
    """The summaries' state when they are built and not marked stale, else None;
    `check_vocabulary` also compares the vocabulary's signature (a query of every term)."""
    # A raw query: asked on every staff question, and the ORM's building cost more than the read.
    table = RollupState._meta.db_table
    state = next(iter(RollupState.objects.raw(f"SELECT * FROM {table} ORDER BY id LIMIT 1")), None)  # noqa: S608
    if state is None or not state.fingerprint:
        return None
    if check_vocabulary and state.fingerprint != signature():
        return None
    return state


def _multi(p: Plan) -> tuple[str | None, bool] | None:
    """The question's one multi-valued dimension and whether it is grouped (None: it has none),
    or None when it has more than the summaries hold."""
    grouped = [d for d in p.group_by if d in MULTI]
    filtered = [d for d in p.filters if d in MULTI]
    if len(grouped) + len(filtered) > 1 or (filtered and len(p.filters[filtered[0]]) != 1):
        return None
    if grouped:
        return grouped[0], True
    return (filtered[0], False) if filtered else (None, False)


def _scope(p: Plan, multi: str | None, grouped: bool, grain: int, found: dict[str, int]) -> tuple[str, _Where]:
    """The summary table and the rows of it that the question reads."""
    scope = _Where()
    if multi is None:
        scope.add("grain = %s", grain)
        return CELL_TABLE, scope
    if grouped:
        level = PUBLIC_LEVEL if p.public and multi in ("attack_type", "perpetrator") else p.filters.get("level")
        scope.add("dim = %s AND level = %s", multi, _level_for(multi, level, found))
        return TERM_CELL_TABLE, scope
    code = p.filters[multi][0]
    if multi == "state":
        key, level = code, 0
    else:
        term = p.lookups.by_code[code]
        key, level = str(term.pk), _level_for(multi, p.lookups.depth(term), found)
    scope.add("dim = %s AND level = %s AND key = %s", multi, level, key)
    return TERM_CELL_TABLE, scope


def answer(p: Plan, desk_ids: Any) -> tuple[list[dict[str, Any]], dict[str, int]] | None:
    """The grouped rows and totals of a staff question (or of a public table, before its
    suppression: `p.public`) from the summaries, or None."""
    which = _multi(p)
    if which is None:
        return None
    multi, grouped = which
    where = _Where()
    needed: set[str] = {"desk_id", "status"}
    if p.public:  # as `query.public_incidents`: consented to, dated within the years anyone may ask about
        needed.add("consented")
        where.add("consented = %s", True)
        where.add("year >= %s AND year <= %s", FIRST_YEAR, LAST_YEAR)
    if not _single_filters(p, desk_ids, where, needed):
        return None
    for dim in p.group_by:
        if dim not in MULTI:
            needed.update(COLUMNS[dim])
    grain = _grain(needed)
    if grain is None or (multi is not None and not needed <= set(GRAINS[TERM_GRAIN])):
        return None
    state = fresh()
    if state is None:
        return None
    found = {k: int(v) for k, v in (state.depths or {}).items()}
    group_columns = list(dict.fromkeys(c for dim in p.group_by for c in (("key",) if dim in MULTI else COLUMNS[dim])))
    table, scope = _scope(p, multi, grouped, grain, found)
    rows = _keyed(p, group_columns, _sum(table, scope, where, group_columns))
    if grouped:  # an incident is in several rows: the total is the incidents' own
        cells = _Where()
        cells.add("grain = %s", grain)
        total = _sum(CELL_TABLE, cells, where, [])
        return rows, {"incidents": int(total[0][0] or 0), "victims": int(total[0][1] or 0)}
    return rows, {"incidents": sum(r["incidents"] for r in rows), "victims": sum(r["victims"] for r in rows)}


def _sum(table: str, scope: _Where, where: _Where, group_columns: list[str]) -> list[tuple]:
    conditions = " AND ".join([*scope.sql, *where.sql]) or "1 = 1"
    columns = ", ".join(group_columns)
    select = f"{columns}, " if columns else ""
    group = f" GROUP BY {columns}" if columns else ""
    sql = f"SELECT {select}SUM(incidents), SUM(victims) FROM {table} WHERE {conditions}{group}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope.params, *where.params])
        return list(cursor.fetchall())


def _key(dim: str, record: tuple, position: dict[str, int], desks: dict[int, str],
         regions: dict[str, dict[str, str]]) -> Any:
    if dim in MULTI:
        value = record[position["key"]]
        return value if dim == "state" else (int(value) if value else None)
    if dim == "desk":
        return desks.get(record[position["desk_id"]])
    if dim in regions:
        return regions[dim].get(record[position["country"]])
    if dim == "year":
        return record[position["year"]] or None
    if dim == "month":
        month, yearly = record[position["month"]], record[position["yearly"]]
        return month if month and not yearly else None
    return record[position[COLUMNS[dim][0]]]


def _keyed(p: Plan, columns: list[str], fetched: list[tuple]) -> list[dict[str, Any]]:
    """Rows keyed as `query.grouped` keys them (k_<dim>), merged where several summary rows fall
    into one group (countries of one region)."""
    position = {c: i for i, c in enumerate(columns)}
    desks: dict[int, str] = {}
    if "desk" in p.group_by:
        ids = {record[position["desk_id"]] for record in fetched}
        desks = dict(Desk.objects.filter(pk__in=ids).values_list("pk", "slug"))
    regions: dict[str, dict[str, str]] = {}
    for dim in ("region", "continent"):
        if dim in p.group_by:
            regions[dim] = {}
            for region, countries in p.lookups.regions(p.groupings[dim]):
                for country in countries:
                    regions[dim].setdefault(country, region.code)
    merged: dict[tuple, dict[str, Any]] = {}
    for record in fetched:
        incidents, victims = int(record[-2] or 0), int(record[-1] or 0)
        if incidents == 0:
            continue
        keys = {key_of(dim): _key(dim, record, position, desks, regions) for dim in p.group_by}
        row = merged.setdefault(tuple(keys.values()), {**keys, "incidents": 0, "victims": 0})
        row["incidents"] += incidents
        row["victims"] += victims
    return list(merged.values())


__all__ = ["ROLLED", "VOCABULARY", "answer", "depths", "fresh", "levels", "signature", "term_keys"]
