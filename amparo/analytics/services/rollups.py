"""Keeping the staff statistics' summary tables (docs/analytics.md, "Rollups").

`apply(ids)` runs inside the registry's writing transaction (the receiver of
`registry.signals.incidents_changed`): for those incidents it writes their new facts beside the
old ones, adds the difference (new minus old) to the summary rows in one upsert per summary
(`incidents = incidents + delta`: two transactions never lose each other's counts; rows are
touched in key order, so two writers wait for each other rather than deadlock), and keeps the
new facts. An erased incident has no new facts: its old contribution is subtracted.

`rebuild_rollups()` recomputes everything from the base tables: after a migration, after data
written around the services (the benchmarks' generator), after a vocabulary change, or as a
repair (`manage.py rebuild_rollups`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from amparo.analytics.models.rollups import GRAINS, TERM_GRAIN, RollupState
from amparo.analytics.statistics.lookups import Lookups
from amparo.analytics.statistics.questions import MULTI
from amparo.analytics.statistics.rollups import NONE_KEY, ROLLED, depths, fresh, levels, signature, term_keys
from amparo.registry.bounds import MAX_VICTIMS
from amparo.registry.models import Incident

FACT, FACT_TERM, NEXT, NEXT_TERM = ("analytics_rollup_fact", "analytics_rollup_fact_term",
                                    "analytics_rollup_fact_next", "analytics_rollup_fact_term_next")
TERM_KEY, CELL, TERM_CELL = "analytics_rollup_term_key", "analytics_rollup_cell", "analytics_rollup_term_cell"
FACT_COLUMNS = ("desk_id", "country", "subdivision", "year", "month", "yearly", "status", "reported", "justice",
                "consented")
RELATIONS = tuple(dict.fromkeys(m2m for m2m, _kind in MULTI.values()))
PLACEHOLDER = {"desk_id": "0", "year": "0", "yearly": "FALSE", "consented": "FALSE"}  # others: ''
CHUNK = 500


def _in(column: str, ids: Sequence[int] | None) -> tuple[str, list[int]]:
    if ids is None:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _execute(sql: str, params: Sequence[Any] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


# --- Facts ---------------------------------------------------------------------------------------

def _write_facts(table: str, term_table: str, ids: Sequence[int] | None) -> None:
    """The incidents' counted fields as they are now, into `table` and `term_table`."""
    incident = Incident._meta.db_table
    if connection.vendor == "postgresql":
        year = "COALESCE(CAST(EXTRACT(YEAR FROM occurred_on) AS integer), 0)"
        month = "COALESCE(to_char(occurred_on, 'YYYY-MM'), '')"
    else:
        year = "COALESCE(CAST(substr(occurred_on, 1, 4) AS integer), 0)"
        month = "COALESCE(substr(occurred_on, 1, 7), '')"
    where, params = _in("id", ids)
    _execute(
        f"INSERT INTO {table} (incident_id, {', '.join(FACT_COLUMNS)}, victims) "  # noqa: S608
        f"SELECT id, desk_id, country, subdivision, {year}, {month}, date_precision = %s, status, "
        f"reported_to_authorities, justice, consent_statistics, "
        f"CASE WHEN victims > %s THEN %s ELSE victims END FROM {incident} "
        f"WHERE {where}", [Incident.Precision.YEAR, MAX_VICTIMS, MAX_VICTIMS, *params])
    for relation in RELATIONS:
        through = getattr(Incident, relation).through._meta.db_table
        where, params = _in("incident_id", ids)
        _execute(f"INSERT INTO {term_table} (incident_id, relation, term_id) "  # noqa: S608
                 f"SELECT incident_id, %s, term_id FROM {through} WHERE {where}", [relation, *params])


# --- Summaries -------------------------------------------------------------------------------------

def _upsert(table: str, conflict: Sequence[str], fixed: Sequence[tuple[str, str]], parts: Sequence[str],
            grouped: Sequence[str], params: Sequence[Any]) -> None:
    """INSERT the sums of `parts` (UNION ALL of rows: grouped columns, n, v) into `table`, adding
    them to rows that exist. `fixed` are (column, SQL value) pairs the same for every row."""
    columns = [*(c for c, _v in fixed), *grouped]
    values = [*(v for _c, v in fixed), *grouped]
    group = ", ".join(grouped)
    union = " UNION ALL ".join(parts)
    _execute(
        f"INSERT INTO {table} ({', '.join(columns)}, incidents, victims) "  # noqa: S608
        f"SELECT {', '.join(values)}, SUM(n), SUM(v) FROM ({union}) AS d WHERE 1 = 1 GROUP BY {group} "
        f"HAVING SUM(n) <> 0 OR SUM(v) <> 0 ORDER BY {group} "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET incidents = {table}.incidents + excluded.incidents, "
        f"victims = {table}.victims + excluded.victims", params)


def _cells(sources: Sequence[tuple[str, str, int]], ids: Sequence[int] | None) -> None:
    """Add each source's facts (table, term table, sign) to the single-valued summaries."""
    for grain, kept in GRAINS.items():
        fixed = [("grain", str(grain)), *((c, PLACEHOLDER.get(c, "''")) for c in FACT_COLUMNS if c not in kept)]
        parts, params = [], []
        for table, _terms, sign in sources:
            where, ids_params = _in("incident_id", ids)
            parts.append(f"SELECT {', '.join(kept)}, {sign} AS n, {sign} * victims AS v FROM {table} "  # noqa: S608
                         f"WHERE {where}")
            params.extend(ids_params)
        _upsert(CELL, ("grain", *FACT_COLUMNS), fixed, parts, kept, params)


def _term_cells(sources: Sequence[tuple[str, str, int]], ids: Sequence[int] | None,
                found: dict[str, int]) -> None:
    """Add each source's facts to the summaries of each rolled dimension at each level: one row
    per distinct key an incident has (several terms under one broader term count once)."""
    kept = GRAINS[TERM_GRAIN]
    for dim in ROLLED:
        relation, _kind = MULTI[dim]
        for level in levels(dim, found[dim]):
            parts, params = [], []
            for table, terms, sign in sources:
                where, ids_params = _in("ft.incident_id", ids)
                f_where, f_params = _in("f.incident_id", ids)
                columns = ", ".join(f"f.{c}" for c in kept)
                parts.append(
                    f"SELECT {columns}, COALESCE(k.key, %s) AS key, {sign} AS n, {sign} * f.victims AS v "  # noqa: S608
                    f"FROM {table} f LEFT JOIN (SELECT DISTINCT ft.incident_id, tk.key FROM {terms} ft "
                    f"JOIN {TERM_KEY} tk ON tk.term_id = ft.term_id AND tk.dim = %s AND tk.level = %s "
                    f"WHERE ft.relation = %s AND {where}) k ON k.incident_id = f.incident_id WHERE {f_where}")
                params.extend([NONE_KEY[dim], dim, level, relation, *ids_params, *f_params])
            fixed = [("dim", f"'{dim}'"), ("level", str(level))]
            _upsert(TERM_CELL, ("dim", "level", "key", *kept), fixed, parts, [*kept, "key"], params)


def _found() -> dict[str, int] | None:
    state = RollupState.objects.first()
    if state is None:
        return None
    return {dim: int((state.depths or {}).get(dim, 1)) for dim in ROLLED}


def apply(ids: Iterable[int]) -> None:
    """Bring the summaries up to date for these incidents (in the caller's transaction)."""
    found = _found()
    if found is None:  # never built: nothing to keep up to date
        return
    ordered = sorted({int(i) for i in ids})
    with transaction.atomic():
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            where, params = _in("incident_id", chunk)
            if connection.vendor == "postgresql":  # one writer per incident's facts at a time
                _execute(f"SELECT incident_id FROM {FACT} WHERE {where} ORDER BY incident_id FOR UPDATE",  # noqa: S608
                         params)
            _write_facts(NEXT, NEXT_TERM, chunk)
            sources = [(FACT, FACT_TERM, -1), (NEXT, NEXT_TERM, 1)]
            _cells(sources, chunk)
            _term_cells(sources, chunk, found)
            copied = (("incident_id", *FACT_COLUMNS, "victims"), ("incident_id", "relation", "term_id"))
            for (table, staged), columns in zip(((FACT, NEXT), (FACT_TERM, NEXT_TERM)), copied, strict=True):
                names = ", ".join(columns)
                _execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
                _execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staged} WHERE {where}",  # noqa: S608
                         params)
                _execute(f"DELETE FROM {staged} WHERE {where}", params)  # noqa: S608


def rebuild_rollups() -> None:
    """Every summary recomputed from the base tables, with the vocabulary as it is now."""
    lookups = Lookups("en")
    found = depths(lookups)
    keys = term_keys(lookups, found)
    tables = (FACT, FACT_TERM, NEXT, NEXT_TERM, TERM_KEY, CELL, TERM_CELL)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
            _execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                _execute(f"DELETE FROM {table}")  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {TERM_KEY} (dim, level, term_id, key) VALUES (%s, %s, %s, %s)",  # noqa: S608
                               keys)
        _write_facts(FACT, FACT_TERM, None)
        if connection.vendor == "postgresql":  # the planner needs to know the new rows' shape
            _execute(f"ANALYZE {FACT}, {FACT_TERM}, {TERM_KEY}")
        sources = [(FACT, FACT_TERM, 1)]
        _cells(sources, None)
        _term_cells(sources, None, found)
        RollupState.objects.all().delete()
        RollupState.objects.create(fingerprint=signature(), depths=found, built_at=timezone.now())


def build_if_needed() -> str:
    """`rebuild_rollups()` unless the summaries exist and match the vocabulary as it is now."""
    if fresh(check_vocabulary=True) is not None:
        return "fresh"
    rebuild_rollups()
    return "built"


def vocabulary_changed() -> None:
    """A term was saved or deleted: when the keys depend on what changed (the tree, kinds,
    state actors, codes; not labels or order), the summaries are stale until rebuilt."""
    state = RollupState.objects.first()
    if state is not None and state.fingerprint and state.fingerprint != signature():
        RollupState.objects.update(fingerprint="")
