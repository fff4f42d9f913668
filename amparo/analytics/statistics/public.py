"""The public tables: whole years, consented incidents only, small cells suppressed.

Two ways to them: `public_answer` computes (cached under a fingerprint of what they depend
on), for background jobs, the command and reports; `published_answer` reads the version the
public-table job stored (services/public.py), for visitors' requests, which never compute."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Q
from django.utils import translation
from django.utils.translation import gettext as _gettext

from amparo.analytics import suppression
from amparo.analytics.models import PublicTables
from amparo.analytics.statistics import rollups
from amparo.analytics.statistics.lookups import Lookups
from amparo.analytics.statistics.presenting import ordered, present, share_of
from amparo.analytics.statistics.query import grouped, key_of, plan
from amparo.analytics.statistics.questions import (
    CONTINENTS,
    DEFAULT_GROUPING,
    MULTI,
    PUBLIC_FILTERS,
    PUBLIC_GROUPINGS,
    PUBLIC_LEVEL,
    PUBLIC_TABLES,
    NotAllowed,
    Result,
    min_cell,
    shown_filters,
)
from amparo.core.models import AuditEntry
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term


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


def public_tables(years: list[int] | None, lookups: Lookups, *, rollups_allowed: bool = True) -> dict[str, Any]:
    """Every public table for `years` (None: every year), exact: the input of the suppression.

    Four sums read from the staff summaries (statistics/rollups.py: a few thousand rows,
    whatever the number of incidents), or four GROUP BYs over the incidents while the summaries
    are not built or stale (`rollups_allowed=False`: always; the tests compare both). The region
    tables and the year totals are sums of the country × year rows (a country is in one region
    of a grouping), added up here rather than read again."""
    filters: dict[str, Any] = {"year": years} if years else {}
    groupings = {code: lookups.regions(lookups.grouping(code)) for code in PUBLIC_GROUPINGS}
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in ("country", "attack_type", "perpetrator", "state"):
        p = plan([name, "year"], filters, None, True, lookups)
        summed = rollups.answer(p, None) if rollups_allowed else None
        tables[name] = summed[0] if summed is not None else grouped(p)
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


def public_answer(dims: list[str], filters: dict[str, Any], desks: Any, lookups: Lookups) -> Result:
    """The public tables computed now (cached under the fingerprint): for jobs, the command and
    reports. Visitors' requests use `published_answer`, which never computes."""
    check_public(dims, filters, desks)
    k = min_cell()
    years_list = _years(filters)
    snapshot = _SNAPSHOT.get()
    cache_key = (tuple(years_list) if years_list else None, k, lookups.language)
    if snapshot is not None and cache_key in snapshot:
        protected = snapshot[cache_key]
    else:
        shared_key = "analytics:public:" + hashlib.sha256(
            repr((cache_key[:2], fingerprint())).encode()).hexdigest()
        protected = cache.get(shared_key)
        if protected is None:
            protected = protected_tables(years_list, lookups, k)
            cache.set(shared_key, protected, PUBLIC_CACHE_SECONDS)
        if snapshot is not None:
            snapshot[cache_key] = protected
    return _answer(dims, filters, lookups, protected, k)


def protected_tables(years: list[int] | None, lookups: Lookups, k: int) -> dict[str, list[dict[str, Any]]]:
    """Every public table for `years` (None: every year), suppressed: what may be published."""
    exact = public_tables(years, lookups)
    return suppression.protect(exact["tables"], exact["groupings"], _perpetrator_states(lookups), k)


def _years(filters: dict[str, Any]) -> list[int] | None:
    years = filters.get("year")
    return years if isinstance(years, list) else ([years] if years is not None else None)


# --- The published version: what visitors read ----------------------------------------------

class NotPublishedYet(Exception):  # noqa: N818 - a state, not a failure
    """No version of the public tables has been computed yet (the job is on its way)."""


@dataclass(frozen=True)
class Published:
    """A stored version of the public tables (every year, suppressed) and when it was computed."""

    token: str
    computed_at: datetime
    tables: dict[str, list[dict[str, Any]]]
    k: int

    def years(self) -> list[int]:
        """The whole years the public tables have, newest first."""
        return sorted({c["year"] for c in self.tables.get("year", []) if c["year"] is not None}, reverse=True)


# How long a process trusts the version it read before asking the database again (outside a
# transaction only: inside one, every read sees what the transaction sees).
VERSION_CHECK_SECONDS = 1.0
_MEMO: dict[int, tuple[float, Published | None]] = {}


def published_version(k: int | None = None) -> Published | None:
    """The last good version of the public tables for k (None: none computed yet). One small
    query at most once a second per process; the tables themselves are read once per version."""
    k = min_cell() if k is None else k
    outside = not connection.in_atomic_block
    now = time.monotonic()
    memo = _MEMO.get(k)
    if outside and memo is not None and memo[0] > now:
        return memo[1]
    head = PublicTables.objects.filter(k=k).values_list("token", flat=True).first()
    version: Published | None
    if head is None:
        version = None
    elif memo is not None and memo[1] is not None and memo[1].token == head:
        version = memo[1]
    else:
        row = PublicTables.objects.filter(k=k).values("token", "computed_at", "tables").first()
        version = Published(row["token"], row["computed_at"], row["tables"], k) if row else None
    if outside:
        _MEMO[k] = (now + VERSION_CHECK_SECONDS, version)
    return version


def forget_published() -> None:
    """Drop this process's memo of the published version (after a refresh in this process)."""
    _MEMO.clear()


def published_answer(dims: list[str], filters: dict[str, Any], desks: Any, lookups: Lookups,
                     version: Published | None = None) -> Result:
    """A public table read from the published version: no query over the incidents, ever.
    Raises NotPublishedYet when no version exists yet."""
    check_public(dims, filters, desks)
    version = version or published_version()
    if version is None:
        raise NotPublishedYet
    years = _years(filters)
    tables = version.tables
    if years is not None:
        wanted = set(years)
        tables = {name: [c for c in cells if c["year"] in wanted] for name, cells in tables.items()}
    return _answer(dims, filters, lookups, tables, version.k)


def _answer(dims: list[str], filters: dict[str, Any], lookups: Lookups, protected: dict[str, Any],
            k: int) -> Result:
    """A public table presented from suppressed cells."""
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
        presented = [present(p, _raw_cell(table, cell), lookups.language) for cell in protected.get(name, [])]
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
        row["share"] = share_of(row["incidents"], total["incidents"])
    rows = ordered(dims, rows)
    return Result(dims, shown_filters(filters), rows, total, table in MULTI, public=True, k=k)


def _raw_cell(table: str, cell: dict[str, Any]) -> dict[str, Any]:
    raw = {"k_year": cell["year"], "incidents": cell["incidents"] or 0, "victims": cell["victims"] or 0}
    if table != "year":
        raw[key_of(table)] = cell["key"]
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
