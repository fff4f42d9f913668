"""The Global Witness file (../shared/data), imported through its mapping, gives a map, a
breakdown by country and by year and a PDF report; screenshots and the PDF's first two pages
as PNG land in test-artifacts/ to be looked at."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from amparo.analytics import reports, stats
from amparo.analytics.models import Report
from amparo.analytics.tests.report_data import report_form
from amparo.analytics.tests.stats_data import ship_groupings
from conftest import SCREENSHOTS, screenshot, sign_in

ROOT = Path(__file__).resolve().parents[3]
DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"
GW = "global_witness_defenders_killed_2012_2023"


def _import(world) -> Counter:
    ship_groupings()
    call_command("import_incidents", str(DATA / f"{GW}.csv"), desk=world.desk_a.slug,
                 mapping=str(ROOT / "docs" / "mappings" / f"{GW}.json"))
    with open(DATA / f"{GW}.csv", encoding="utf-8-sig", newline="") as f:
        return Counter((row["country_numeric"].zfill(3), row["date"][:4]) for row in csv.DictReader(f))


def _pdf_pages(pdf: bytes, name: str) -> list[Path]:
    """The first two pages as PNG at 60 dpi (pdftoppm), beside the screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.pdf"
    target.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(target), str(SCREENSHOTS / name)],
                   check=True, timeout=120)
    return sorted(SCREENSHOTS.glob(f"{name}-*.png"))


@pytest.mark.django_db
def test_the_global_witness_file_gives_breakdowns_and_a_pdf_report(client, world, vocabulary):
    rows = _import(world)
    colombia_2023 = rows[("170", "2023")]
    # By country and by year: the statistics' answers agree with the file.
    by_country_year = stats.compute(["country", "year"], {"year": 2023}, desks=[world.desk_a]).as_dict()
    found = {r["country"]: r["incidents"] for r in by_country_year["rows"]}
    assert found["CO"] == colombia_2023
    by_year = stats.compute(["year"], desks=[world.desk_a]).as_dict()
    assert [r["year"] for r in by_year["rows"]] == list(range(2012, 2024))
    assert by_year["total"]["incidents"] == sum(rows.values())
    # The report, through the page, made by the worker's function, read as HTML and PDF.
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    response = client.post("/analytics/reports/", report_form(
        world, date_from="2012-01-01", date_to="2023-12-31", submission_key="gw",
        introduction="Land and environmental defenders killed, as Global Witness recorded them."))
    report = Report.objects.get(submission_key="gw")
    assert response.status_code == 302 and reports.generate(report.pk) == "done"
    html = client.get(f"/analytics/reports/{report.pk}/").content.decode()
    assert "Colombia" in html and "Brazil" in html and "Philippines" in html
    assert re.search(f"<th scope=\"row\">2023</th><td class=\"num\"[^>]*>{by_year['rows'][-1]['incidents']}</td>", html)
    pdf = client.get(f"/analytics/reports/{report.pk}/pdf/").content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "Summary" in first and str(by_year["total"]["incidents"]) in first
    pages = _pdf_pages(pdf, "gw-report-internal")
    assert len(pages) == 2
    # And the public report of the same data: the public tables only.
    public = reports.request_report(world.users["coordinator"], network_=world.network_a, audience="public",
                                    language="es", date_from=report.date_from, date_to=report.date_to)
    assert reports.generate(public.pk) == "done"
    public.refresh_from_db()
    assert "Colombia" in public.html and len(_pdf_pages(bytes(public.pdf), "gw-report-public-es")) == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_global_witness_map_with_and_without_javascript(live_server, phone, phone_without_js, world,
                                                            vocabulary):
    from amparo.analytics.services.public import refresh_public_tables

    rows = _import(world)
    assert refresh_public_tables() == "computed"  # the public-table job, as after any registry write
    public = stats.compute(["country", "year"], {"year": 2023}, public=True).as_dict()
    colombia = next(r for r in public["rows"] if r["country"] == "CO")
    shown = "hidden" if colombia["suppressed"] else f"{colombia['incidents']} incidents"
    seen = {}
    for name, context in (("js", phone), ("nojs", phone_without_js)):
        page = context.new_page()
        page.goto(live_server.url + "/analytics/map/?year=2023")
        seen[name] = [r.inner_text() for r in page.locator(".map-table tbody tr").all()]
        assert page.locator('svg.choropleth path[data-code="CO"] title').text_content() == \
            f"Colombia: {shown}"
        screenshot(page, f"gw-map-{name}")
        page.close()
    assert seen["js"] == seen["nojs"] and len(seen["js"]) == len(public["rows"])
    # Desk A's documenter sees the exact numbers of her desk.
    from django.test import Client

    client = Client()
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    context = phone.browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": n, "value": m.value, "url": live_server.url} for n, m in client.cookies.items()])
    page = context.new_page()
    page.goto(live_server.url + "/analytics/map/desks/?date_from=2023-01-01&date_to=2023-12-31")
    assert page.locator('svg.choropleth path[data-code="CO"] title').text_content() == \
        f"Colombia: {rows[('170', '2023')]} incidents"
    screenshot(page, "gw-map-desk")
    context.close()
