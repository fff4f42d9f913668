"""Reports and incidents for the map and report tests (and the project-wide tables)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from amparo.analytics import reports
from amparo.analytics.models import SECTION_CODES, Report
from amparo.network import services as network


def finished_internal_report(world: Any) -> Report:
    """A done internal report of desk A, sealed to its ring and to the coordinator, made without
    a worker (the authorization table needs one per test, cheaply)."""
    found = Report.objects.filter(network=world.network_a, desk=world.desk_a, status=Report.Status.DONE).first()
    if found is not None:
        return found
    also = [world.users["coordinator"]]
    return Report.objects.create(
        network=world.network_a, desk=world.desk_a, requested_by=world.users["coordinator"],
        audience=Report.Audience.INTERNAL, language="en", date_from=date(2023, 1, 1), date_to=date(2023, 12, 31),
        sections=list(SECTION_CODES), status=Report.Status.DONE, progress=100, finished_at=timezone.now(),
        sealed_html=network.seal_for_desk(world.desk_a, "<p>Report</p>", label=reports.LABEL_HTML, also_to=also),
        sealed_pdf=network.seal_for_desk(world.desk_a, b"%PDF-1.7 test", label=reports.LABEL_PDF, also_to=also),
    )


def report_form(world: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "network": world.network_a.pk, "audience": "internal", "date_from": "2023-01-01", "date_to": "2023-12-31",
        "desks": [world.desk_a.pk], "countries": "", "grouping": "un-sr", "language": "en",
        "sections": list(SECTION_CODES), "introduction": "", "submission_key": "report-form-key",
    }
    data.update(changes)
    return data


def write_report_through_pages(client: Any, world: Any, canary: str) -> Report:
    """As network A's coordinator, through the page: an internal report whose introduction is
    the canary; then the worker's job, run here."""
    from amparo.analytics.tests.stats_data import ship_groupings
    from conftest import sign_in

    ship_groupings()  # a transactional test before this one may have flushed them (the form needs un-sr)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    response = client.post("/analytics/reports/", report_form(
        world, introduction=f"{canary}-introduction", submission_key="canary-report"))
    assert response.status_code == 302, response.content.decode()[:800]
    report = Report.objects.get(submission_key="canary-report")
    assert reports.generate(report.pk) == "done"
    client.logout()
    return report


def plant_incidents(world: Any) -> None:
    """Consented incidents of desks A and B in a few countries, 2022 and 2023 (once)."""
    from amparo.analytics.tests.stats_data import make, ship_groupings
    from amparo.registry.models import Incident

    ship_groupings()
    if Incident.objects.filter(country="CO").exists():
        return
    make(world.desk_a, 40, country="CO", year=2023)
    make(world.desk_a, 12, country="BR", year=2023)
    make(world.desk_a, 7, country="MX", year=2023)
    make(world.desk_a, 2, country="HN", year=2023)
    make(world.desk_b, 9, country="CD", year=2023)
    make(world.desk_b, 6, country="CD", year=2022)


def made_report(world: Any) -> Report:
    plant_incidents(world)
    report = reports.request_report(
        world.users["coordinator"], network_=world.network_a, audience=Report.Audience.INTERNAL, language="en",
        date_from=date(2022, 1, 1), date_to=date(2023, 12, 31), desks=[world.desk_a])
    reports.generate(report.pk)
    return report
