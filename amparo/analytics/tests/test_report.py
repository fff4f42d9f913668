"""Assessment reports: asked for on a page, made once by a worker from statistics only, HTML and
PDF from one template, sealed when internal, public ones with the public tables only, and a PDF
renderer that fetches nothing but the app's own static files."""

from __future__ import annotations

import io
import re
import socket

import pytest
from pypdf import PdfReader

from amparo.analytics import reports, tasks
from amparo.analytics.models import SECTION_CODES, Report
from amparo.analytics.tests.report_data import report_form
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.core.models import AuditEntry
from conftest import sign_in


@pytest.fixture
def data(world, vocabulary):
    ship_groupings()
    make(world.desk_a, 14, country="CO", year=2023, month=3, attack=["attack.killing"],
         perps=["perpetrator.state.police"])
    make(world.desk_a, 8, country="BR", year=2023, month=6, attack=["attack.threat.death"])
    make(world.desk_a, 2, country="HN", year=2023, month=7, attack=["attack.killing"])
    make(world.desk_a, 6, country="DE", year=2022, month=2)
    make(world.desk_b, 5, country="CD", year=2023)
    return world


def _ask(client, world, who="coordinator", **changes):
    sign_in(client, world.users[who], world.unlocked[who])
    response = client.post("/analytics/reports/", report_form(world, **changes))
    assert response.status_code == 302, response.content.decode()[:1500]
    return Report.objects.get(pk=int(re.search(r"/reports/(\d+)/", response["Location"]).group(1)))


def test_a_coordinator_asks_for_an_internal_report_and_reads_it_as_html_and_pdf(client, data):
    report = _ask(client, data, introduction="Written for the annual meeting.")
    page = client.get(f"/analytics/reports/{report.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "Waiting for a worker" in page
    assert tasks.generate_report.apply(args=[report.pk]).get() == "done"
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100
    # Sealed when stored: nothing readable in the row.
    assert report.html == "" and report.pdf is None
    assert b"Colombia" not in bytes(report.sealed_html) and b"annual meeting" not in bytes(report.introduction)
    html = client.get(f"/analytics/reports/{report.pk}/").content.decode()
    assert "refresh" not in html
    assert "Written for the annual meeting." in html
    assert 'id="section-countries"' in html and "Colombia" in html and ">14<" in html
    assert ">2<" in html  # internal: Honduras' exact 2, no suppression
    assert 'class="choropleth"' in html and 'data-code="CO"' in html
    countries = html.split('id="section-countries"')[1].split("</section>")[0]
    assert "Congo" not in countries  # desk B's incidents are not in desk A's report
    pdf = client.get(f"/analytics/reports/{report.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and "attachment" in pdf["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) >= 2
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Colombia" in text and "INTERNAL ASSESSMENT REPORT" in text
    # Desk A's documenter holds the ring's key: she reads it; desk B's does not even see it.
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    assert "Colombia" in client.get(f"/analytics/reports/{report.pk}/").content.decode()
    sign_in(client, data.users["documenter_b"], data.unlocked["documenter_b"])
    assert client.get(f"/analytics/reports/{report.pk}/").status_code == 404
    assert client.get(f"/analytics/reports/{report.pk}/pdf/").status_code == 404


def test_the_job_is_idempotent(client, data):
    report = _ask(client, data)
    assert reports.generate(report.pk) == "done"
    assert reports.generate(report.pk) == "skipped"  # a retry, or the message delivered twice
    assert AuditEntry.objects.filter(action="report.generated", object_id=str(report.pk)).count() == 1
    # Two workers at once: the second finds it claimed and leaves it.
    other = _ask(client, data, submission_key="second")
    assert reports._claim(other.pk) is not None
    assert reports.generate(other.pk) == "skipped"
    # ...unless the claim is stale (its worker died): then it is taken over, once.
    Report.objects.filter(pk=other.pk).update(claimed_at=other.created_at - reports.STALE_CLAIM * 2)
    assert reports.generate(other.pk) == "done"
    # A double submit of the form stores one report.
    before = Report.objects.count()
    _ask(client, data, submission_key="second")
    assert Report.objects.count() == before


def test_a_public_report_has_the_public_tables_only(client, data, settings):
    k = settings.AMPARO_STATS_MIN_CELL
    report = _ask(client, data, audience="public", desks=[], date_from="2022-01-01", date_to="2023-12-31",
                  submission_key="public")
    assert reports.generate(report.pk) == "done"
    report.refresh_from_db()
    assert report.html and bytes(report.pdf).startswith(b"%PDF") and report.sealed_html is None
    html = report.html
    assert "Public assessment report" in html
    assert re.search(r'<td class="num"[^>]*>hidden</td>', html)  # Honduras: 2, under k
    cells = [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', html)]
    assert cells and all(n >= k for n in cells), cells  # no number under k, not even 0
    assert "are not in public reports" in html  # profiles and justice: not public tables
    # A public report counts the coalition's public tables, desk B's consented incidents too.
    assert "Congo" in html


def test_who_may_ask_for_what(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    refused = client.post("/analytics/reports/", report_form(data, audience="public", desks=[]))
    assert refused.status_code == 200 and Report.objects.count() == 0
    # Her own desk's internal report, yes; desk B's, no.
    assert client.post("/analytics/reports/", report_form(data, desks=[data.desk_b.pk])).status_code == 200
    own = _ask(client, data, who="documenter_a", submission_key="own")
    assert own.desk == data.desk_a and own.audience == "internal"
    # A coordinator's public report takes no desk and no country: it is the public tables.
    sign_in(client, data.users["coordinator"], data.unlocked["coordinator"])
    mixed = client.post("/analytics/reports/", report_form(data, audience="public", countries="CO",
                                                            submission_key="mixed"))
    assert mixed.status_code == 200 and not Report.objects.filter(submission_key="mixed").exists()
    for who in ("defender", "supporter", "outsider"):
        sign_in(client, data.users[who], data.unlocked[who])
        assert client.get("/analytics/reports/").status_code == 403


def test_it_writes_the_report_in_the_language_asked(client, data):
    report = _ask(client, data, language="es", sections=["countries", "methodology"], submission_key="es",
                  date_from="2022-01-01")
    assert reports.generate(report.pk) == "done"
    html = client.get(f"/analytics/reports/{report.pk}/").content.decode()
    assert 'lang="es"' in html and "Alemania" in html and "Brasil" in html
    assert 'id="section-map"' not in html  # only the sections asked for


def test_a_failed_job_says_so(client, data, monkeypatch):
    report = _ask(client, data, submission_key="fails")

    def broken(*args, **kwargs):
        raise RuntimeError("the statistics are down")

    monkeypatch.setattr(reports.report_sections, "build_sections", broken)
    with pytest.raises(RuntimeError):
        reports.generate(report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and report.error == "RuntimeError"
    assert "could not be made" in client.get(f"/analytics/reports/{report.pk}/").content.decode()


# --- The PDF renderer fetches only the app's own static files -----------------------------------

def test_the_fetcher_serves_static_files_and_refuses_everything_else():
    own = reports.PDF_BASE_URL + "static/analytics/report.css"
    assert reports.static_file_for(own) is not None
    for url in ("https://example.org/static/analytics/report.css", "http://amparo.invalid/static/analytics/report.css",
                "file:///etc/passwd", "https://amparo.invalid/static/../../amparo/settings.py",
                "https://amparo.invalid/media/x.png", "data:text/css,body{}", "https://amparo.invalid/static/nope.css",
                own + "?x=1"):
        assert reports.static_file_for(url) is None, url
    fetcher = reports.static_only_fetcher()
    with pytest.raises(ValueError):
        fetcher("https://example.org/tracker.png")


def test_a_pdf_with_foreign_resources_loads_none_of_them(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = reports.static_only_fetcher()
    html = ('<html><head><link rel="stylesheet" href="/static/analytics/report.css">'
            '<link rel="stylesheet" href="https://example.org/evil.css">'
            '<link rel="stylesheet" href="file:///etc/passwd"></head>'
            '<body><p>Hello</p><img src="http://169.254.169.254/latest/meta-data/" alt="">'
            '<img src="https://example.org/pixel.png" alt=""></body></html>')
    pdf = reports.render_pdf(html, fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == [reports.PDF_BASE_URL + "static/analytics/report.css"]
    assert set(fetcher.refused) == {"https://example.org/evil.css", "file:///etc/passwd",
                                    "http://169.254.169.254/latest/meta-data/", "https://example.org/pixel.png"}


def test_every_section_can_be_asked_for(client, data):
    report = _ask(client, data, sections=list(SECTION_CODES), date_from="2023-01-01", date_to="2023-12-31",
                  submission_key="all")
    assert reports.generate(report.pk) == "done"
    html = client.get(f"/analytics/reports/{report.pk}/").content.decode()
    for code in SECTION_CODES:
        assert f'id="section-{code}"' in html, code
    assert "Incidents by month" in html  # a short period: monthly trend too


def test_a_desks_documenters_do_not_read_a_report_that_counts_other_desks_too(client, data):
    # A second desk in network A: the coordinator's report over both is sealed to desk A's ring,
    # but desk A's documenters must not read desk A2's numbers through it.
    from amparo.network import services as network

    other = network.create_desk("system", data.network_a, slug="desk-a2", name="Desk A2", countries=["GT"])
    both = _ask(client, data, desks=[data.desk_a.pk, other.pk], submission_key="both")
    assert both.desk == data.desk_a  # sealed to the first desk's ring (and to the coordinator)
    alone = _ask(client, data, submission_key="alone")
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    assert client.get(f"/analytics/reports/{both.pk}/").status_code == 404
    assert client.get(f"/analytics/reports/{alone.pk}/").status_code == 200
    listed = client.get("/analytics/reports/").content.decode()
    assert f"/analytics/reports/{alone.pk}/" in listed and f"/analytics/reports/{both.pk}/" not in listed
