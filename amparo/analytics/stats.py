"""The one statistics module: every count that pages, the API, the command, exports and reports
show comes from `compute` (docs/analytics.md).

Counts are computed in the database (GROUP BY through the ORM) from coarse fields only. Two
audiences: desk staff get exact numbers for the desks they may see, with free filters; the
public gets the fixed tables (`PUBLIC_TABLES`) by whole years, counting only incidents whose
consent allows anonymised statistics, with small cells suppressed and complementary cells
withheld so that no suppressed cell can be worked out from the others (see `suppression`).

The parts live in `analytics/statistics/`: `questions` (dimensions, filters, parsing, the
`Result`), `lookups`, `query` (the GROUP BY), `presenting`, `public` (the public tables, their
suppression, cache and published version) and `exports` (CSV and the plain table). Callers use
`stats.*`. Visitors' pages read `published` (the stored version), never `compute(public=True)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from amparo.analytics.statistics import rollups
from amparo.analytics.statistics.exports import to_csv, to_table
from amparo.analytics.statistics.lookups import Lookups
from amparo.analytics.statistics.presenting import ordered, present, share_of
from amparo.analytics.statistics.public import (
    PUBLIC_CACHE_SECONDS,
    NotPublishedYet,
    Published,
    check_public,
    fingerprint,
    protected_tables,
    public_answer,
    public_snapshot,
    public_tables,
    published_answer,
    published_version,
)
from amparo.analytics.statistics.query import counted_victims, grouped, plan, public_incidents, totals
from amparo.analytics.statistics.questions import (
    CHOICES,
    CONTINENTS,
    DEFAULT_GROUPING,
    DIMENSIONS,
    FILTERS,
    LABELLED,
    MAX_LEVEL,
    MULTI,
    PUBLIC_FILTERS,
    PUBLIC_GROUPINGS,
    PUBLIC_LEVEL,
    PUBLIC_TABLES,
    STATE_LABELS,
    STATE_VALUES,
    TIME,
    VOCABULARY,
    InvalidQuery,
    NotAllowed,
    Result,
    min_cell,
    parse_filters,
    parse_group_by,
    shown_filters,
)
from amparo.network.models import Desk
from amparo.network.permissions import Someone, visible_desk_ids, visible_desks

__all__ = [
    "CHOICES", "CONTINENTS", "DEFAULT_GROUPING", "DIMENSIONS", "FILTERS", "LABELLED", "MAX_LEVEL", "MULTI",
    "PUBLIC_CACHE_SECONDS", "PUBLIC_FILTERS", "PUBLIC_GROUPINGS", "PUBLIC_LEVEL", "PUBLIC_TABLES", "STATE_LABELS",
    "STATE_VALUES", "TIME", "VOCABULARY", "InvalidQuery", "Lookups", "NotAllowed", "Result", "check_public",
    "compute", "counted_victims", "desk_ids_for", "desks_for", "fingerprint", "grouped", "min_cell", "parse_filters",
    "parse_group_by", "plan", "public_incidents", "public_snapshot", "public_tables", "to_csv", "to_table", "totals",
    "NotPublishedYet", "Published", "protected_tables", "published", "published_version",
]


def compute(
    group_by: Sequence[str] | str,
    filters: Mapping[str, Any] | None = None,
    *,
    desks: QuerySet[Desk] | Iterable[Desk | int] | None = None,
    public: bool = False,
    language: str = "en",
    rollups_allowed: bool = True,
) -> Result:
    """Counts of incidents and victims grouped by `group_by`, filtered by `filters`.

    `desks` limits the count to those desks (None: every desk; callers decide who may see what,
    see `desks_for`). `public=True` answers only the fixed public tables, with suppression.
    A staff question that fits the summary tables is read from them (`statistics.rollups`);
    `rollups_allowed=False` always counts over the base tables (the tests compare both)."""
    dims = parse_group_by(group_by)
    parsed = parse_filters(filters)
    language = (language or "en")[:2]
    lookups = Lookups(language)
    if public:
        return public_answer(dims, parsed, desks, lookups)
    p = plan(dims, parsed, desks, False, lookups)
    summed = rollups.answer(p, p.desk_ids) if rollups_allowed else None
    if summed is not None:  # from the summary tables (docs/analytics.md, "Rollups")
        raw, total = summed
    else:
        raw = grouped(p)
        total = totals(p, raw)
    with translation.override(language):
        rows = ordered(dims, [present(p, r, language) for r in raw])
    for row in rows:
        row["share"] = share_of(row["incidents"], total["incidents"])
        row["suppressed"] = False
    return Result(dims, shown_filters(parsed), rows, dict(total), p.multi_valued)


def published(
    group_by: Sequence[str] | str,
    filters: Mapping[str, Any] | None = None,
    *,
    language: str = "en",
    version: Published | None = None,
) -> Result:
    """A public table as visitors see it: read from the version the public-table job stored
    (services/public.py), never computed here. Raises NotPublishedYet before the first run."""
    language = (language or "en")[:2]
    return published_answer(parse_group_by(group_by), parse_filters(filters), None, Lookups(language), version)


def desk_ids_for(user: Someone) -> list[int]:
    """The ids of `desks_for(user)`, in one query with no ORM work (the staff API's path)."""
    return visible_desk_ids(user)


def desks_for(user: Someone) -> QuerySet[Desk]:
    """The desks whose exact numbers a person may see: desks she documents, and every desk of the
    networks she coordinates (a coalition's coordinators: every desk of its networks)."""
    return visible_desks(user)

