"""The analytics rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from amparo.core.tests.pages import Page
from amparo.tests.tables import COORDINATOR_ONLY, LOGIN, Row, same, signed_in

# --- Statistics (issue 8) -------------------------------------------------------------------
# Exact numbers for desk staff (documenters: their desks; coordinators: their networks' desks);
# the public tables for everyone.
DESK_STAFF = dict(defender=403, documenter_a=200, documenter_b=200, coordinator=200, supporter=403, outsider=403,
                  fund_reviewer=403, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "analytics:public": same("GET", 200),
    "analytics:regions": signed_in("GET", LOGIN, **DESK_STAFF),
    "analytics:countries": signed_in("GET", LOGIN, **DESK_STAFF),
    "analytics:perpetrators": signed_in("GET", LOGIN, **DESK_STAFF),
    "analytics:attack_types": signed_in("GET", LOGIN, **DESK_STAFF),
    "analytics:profiles": signed_in("GET", LOGIN, **DESK_STAFF),
    "analytics:trends": signed_in("GET", LOGIN, **DESK_STAFF),
    "analytics:groupings": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "analytics:grouping": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "api:stats_incidents": signed_in("GET", 401, **DESK_STAFF),
}


def url_values(world) -> dict:
    from amparo.analytics.tests.stats_data import make, ship_groupings
    from amparo.registry.models import Incident
    from amparo.vocabulary.models import Term

    ship_groupings()  # transactional tests flush the shipped groupings
    # A few incidents of desk A, so that the statistics pages draw their charts and tables
    # (and the public page a suppressed cell); once per test.
    if not Incident.objects.filter(desk=world.desk_a, subdivision="HN-FM").exists():
        vocabulary = Term.objects.filter(code="attack.threat.death").exists()
        terms = dict(attack=["attack.threat.death"], perps=["perpetrator.state.police"], genders=["gender.woman"],
                     profiles=["profile.indigenous"]) if vocabulary else {}
        make(world.desk_a, 9, country="HN", subdivision="HN-FM", year=2023, month=4, **terms)
        make(world.desk_a, 6, country="GT", year=2022, month=9, **terms)
        make(world.desk_a, 2, country="SV", year=2023, month=6)
    return {"grouping_code": "un-sr"}


PAGES: dict[str, Page] = {
    "analytics:public": Page("anonymous"),
    "analytics:regions": Page("documenter_a"),
    "analytics:countries": Page("documenter_a"),
    "analytics:perpetrators": Page("coordinator"),
    "analytics:attack_types": Page("documenter_a"),
    "analytics:profiles": Page("documenter_a"),
    "analytics:trends": Page("documenter_a"),
    "analytics:groupings": Page("coordinator"),
    "analytics:grouping": Page("coordinator"),
}


# --- The map and the assessment reports (issue 9): rows kept in tables_map.py ----------------
from amparo.analytics.tests import tables_map  # noqa: E402

AUTHORIZATION.update(tables_map.AUTHORIZATION)
PAGES.update(tables_map.PAGES)
NOT_PAGES: dict[str, str] = {**globals().get("NOT_PAGES", {}), **tables_map.NOT_PAGES}
SEALED_WRITERS = {**globals().get("SEALED_WRITERS", {}), **tables_map.SEALED_WRITERS}
_stats_url_values = url_values


def url_values(world) -> dict:  # type: ignore[no-redef]  # noqa: F811
    return {**_stats_url_values(world), **tables_map.url_values(world)}

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
CLEAR_FIELDS: dict[str, str] = {
    **{f"analytics.{model}.label_{code}": "grouping label" for model in ("Grouping", "Region")
       for code in ("en", "es", "fr", "pt")},
    "analytics.Grouping.code": "grouping code",
    "analytics.Grouping.kind": "status code",
    "analytics.Region.code": "region code",
    "analytics.RegionCountry.country": "ISO country code",
    "analytics.Boundary.code": "ISO 3166-2 code",
    "analytics.Boundary.country": "ISO country code",
    "analytics.Boundary.name": "public place name (Natural Earth)",
    "analytics.Boundary.geometry": "public boundary shape (Natural Earth)",
    "analytics.Boundary.source": "the boundary file's name",
    "analytics.Report.audience": "status code (public, internal)",
    "analytics.Report.language": "language code",
    "analytics.Report.scope": "the report's filters: codes, dates and desk ids",
    "analytics.Report.sections": "section codes",
    "analytics.Report.status": "status code",
    "analytics.Report.claim": "a worker's random claim token",
    "analytics.Report.error": "the renderer's error message, never report content",
    "analytics.Report.html": "a public report only (internal ones are in sealed_html)",
    "analytics.Report.pdf": "a public report only (internal ones are in sealed_pdf)",
    "analytics.Report.submission_key": "a form's random one-time token",
    "analytics.PublicTables.tables": "the published public tables: suppressed counts only",
    "analytics.PublicTables.token": "a random version token (cache keys, ETags)",
    "analytics.PublicTables.fingerprint": "a hash of audit sequence and incident ids",
    # The staff statistics' summaries: copies of the incident's own clear, coarse columns (country
    # and subdivision codes, month, status codes) and counts, never words of hers.
    **{f"analytics.{model}.{name}": "a copy of the incident's clear coarse column (codes, month)"
       for model in ("RollupCell", "RollupFact", "RollupFactNext")
       for name in ("country", "subdivision", "month", "status", "justice", "reported")},
    **{f"analytics.{model}.relation": "which vocabulary list a term id belongs to (a code)"
       for model in ("RollupFactTerm", "RollupFactTermNext")},
    **{f"analytics.{model}.{name}": "a dimension's code and a vocabulary or state code"
       for model in ("RollupTermCell", "RollupTermKey") for name in ("dim", "key")},
    "analytics.RollupTermCell.country": "ISO country code",
    "analytics.RollupTermCell.status": "status code",
    "analytics.RollupState.depths": "the vocabulary levels the summaries were built for",
    "analytics.RollupState.fingerprint": "a hash of the vocabulary's shape",
}
