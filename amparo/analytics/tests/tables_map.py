"""The map and assessment report rows (issue 9) of the project-wide test tables, merged into
`tables.py` (see amparo/tests/tables.py for what each name means)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page, State
from amparo.tests.tables import LOGIN, Row, same, signed_in

# Desk staff: a desk's documenters and the network's coordinators; other desks' staff too (each
# sees only her own desks' numbers), nobody else.
_DESK_STAFF = dict(defender=403, documenter_a=200, documenter_b=200, coordinator=200, supporter=403, outsider=403,
                   fund_reviewer=403, ict_expert=403)
# The report in url_values: internal, sealed to desk A and to the coordinator who asked for it.
_REPORT_A = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=200, supporter=403, outsider=403,
                 fund_reviewer=403, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "analytics:map": same("GET", 200),
    "analytics:map_data": same("GET", 200),
    "analytics:desk_map": signed_in("GET", LOGIN, **_DESK_STAFF),
    "analytics:desk_map_data": signed_in("GET", LOGIN, **_DESK_STAFF),
    "analytics:reports": signed_in("GET", LOGIN, **_DESK_STAFF),
    "analytics:report": signed_in("GET", LOGIN, **_REPORT_A),
    "analytics:report_pdf": signed_in("GET", LOGIN, **_REPORT_A),
}

_MAP_BUDGET = ("the world's boundaries are in the page as server-drawn SVG paths (Natural Earth 1:50m from "
               "world-atlas, simplified), so the map shows without JavaScript and loads nothing else")
def _map_with_data(world: Any) -> str:
    """The public map of a year with countries in every state: shown, suppressed, none."""
    from amparo.analytics.services.public import refresh_public_tables
    from amparo.analytics.tests.report_data import plant_incidents

    plant_incidents(world)
    refresh_public_tables()  # the job a write asks for: the page reads what it published
    return "/analytics/map/?year=2023"


def _desk_map_with_data(world: Any) -> str:
    from amparo.analytics.tests.report_data import plant_incidents

    plant_incidents(world)
    return "/analytics/map/desks/"


def _made_report(world: Any) -> str:
    """A real internal report with every section, made by the worker's function."""
    from amparo.analytics.tests.report_data import made_report

    return f"/analytics/reports/{made_report(world).pk}/"


def _coordinator_unlocked(world: Any) -> State:
    """Her key unlocked in the session, as after a real login: the report opens."""
    from amparo.vault import session

    stored: dict[str, Any] = {}
    secret = session.store(stored, world.unlocked["coordinator"])
    return State(stored, {session.COOKIE: session.cookie_value(secret)})


PAGES: dict[str, Page] = {
    "analytics:map": Page(budget=300_000, why=_MAP_BUDGET, url=_map_with_data),
    "analytics:desk_map": Page("documenter_a", budget=300_000, why=_MAP_BUDGET, url=_desk_map_with_data),
    "analytics:reports": Page("coordinator"),
    "analytics:report": Page("coordinator", budget=300_000, url=_made_report, state=_coordinator_unlocked,
                             h1="Assessment report",
                             why="a finished report carries its map and charts as inline SVG"),
}

NOT_PAGES: dict[str, str] = {
    "analytics:map_data": "JSON: the public table behind the public map",
    "analytics:desk_map_data": "JSON: the desks' numbers behind the staff map",
    "analytics:report_pdf": "a PDF download (application/pdf), never shown as a page",
}


def url_values(world: Any) -> dict[str, Any]:
    """A finished internal report of desk A, asked for by network A's coordinator."""
    from amparo.analytics.tests.report_data import finished_internal_report

    return {"report_id": finished_internal_report(world).pk}


def _write_report(client: Any, world: Any, canary: str) -> None:
    from amparo.analytics.tests.report_data import write_report_through_pages

    write_report_through_pages(client, world, canary)


def _sealed_writers() -> dict[Any, Any]:
    from amparo.analytics.models import Report

    return {Report: _write_report}


SEALED_WRITERS = _sealed_writers()
