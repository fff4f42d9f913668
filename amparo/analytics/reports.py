"""Assessment reports: what a coordinator asks for, how a worker makes it, how it is opened.

A report is made from coarse counts only: every number is an answer of `stats.compute`
(public reports: only the fixed public tables, with their suppression). One template body
renders the HTML page and the PDF (WeasyPrint), charts and map as inline SVG. The PDF renderer
fetches nothing but the app's own static files (`StaticOnlyFetcher`).

The worker receives a report's id, never content or keys: it may open only the coordinator's
introduction (sealed with the service key); it seals an internal report's output to the desk's
ring and to the person who asked for it, with public keys. Work is claimed with a conditional
UPDATE, so a retry or a second worker never makes the same report twice.
"""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from amparo.accounts.models import User
from amparo.analytics import maps, report_sections
from amparo.analytics.models_geo import SECTION_CODES, Report
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk, Network
from amparo.vault import services as vault
from amparo.vault.services import Unlocked

# A claim older than this belongs to a worker that died: another may take the report over.
STALE_CLAIM = timedelta(minutes=15)
LABEL_INTRO = "analytics.report.introduction"
LABEL_HTML = "analytics.report.html"
LABEL_PDF = "analytics.report.pdf"
# The PDF's documents are resolved against this made-up origin; the fetcher maps its static
# paths to the app's own files and refuses every other URL.
PDF_BASE_URL = "https://amparo.invalid/"


# --- Asking for a report ----------------------------------------------------------------------

class ReportRefused(ValueError):
    """What was asked does not fit the rules (audience, desks, sections)."""


def request_report(
    actor: User, *, network_: Network, audience: str, language: str, date_from: date, date_to: date,
    desks: Sequence[Desk] = (), countries: Sequence[str] = (), grouping: str = "",
    sections: Sequence[str] = tuple(SECTION_CODES), introduction: str = "", sealed_for: Desk | None = None,
    submission_key: str | None = None,
) -> Report:
    """Record what the person asked for and queue its making. A repeated `submission_key`
    (a double submit on a slow line) returns the first report. An internal report names the desk
    whose ring its output will be sealed to (`sealed_for`, by default the first desk)."""
    if submission_key and (existing := Report.objects.filter(submission_key=submission_key).first()):
        return existing
    if audience not in Report.Audience.values:
        raise ReportRefused("audience")
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ReportRefused("language")
    if date_to < date_from:
        raise ReportRefused("period")
    chosen = [s for s in SECTION_CODES if s in set(sections)]
    if not chosen:
        raise ReportRefused("sections")
    ring_desk = None
    if audience == Report.Audience.INTERNAL:
        ring_desk = sealed_for or (desks[0] if desks else None)
        if ring_desk is None:
            raise ReportRefused("desk")
    with transaction.atomic():
        report = Report.objects.create(
            network=network_, desk=ring_desk, requested_by=actor, audience=audience, language=language,
            date_from=date_from, date_to=date_to, sections=chosen, submission_key=submission_key,
            scope={"desks": [d.slug for d in desks], "countries": sorted(set(countries)), "grouping": grouping},
            introduction=vault.seal_with_service_key(introduction, label=LABEL_INTRO) if introduction else None,
        )
        record_audit(actor, "report.requested", report, scope=network.scope_of(network_))
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from amparo.analytics.tasks import generate_report

    generate_report.delay(report_id)


# --- Making it (in a worker) ------------------------------------------------------------------

def _claim(report_id: int) -> str | None:
    """Take the report for this worker, atomically; None when it is done or someone else's."""
    token = secrets.token_hex(8)
    now = timezone.now()
    taken = Report.objects.filter(pk=report_id, status=Report.Status.PENDING).update(
        status=Report.Status.RUNNING, claim=token, claimed_at=now, progress=1)
    if not taken:  # a worker that died long ago leaves a claim that another may take over
        taken = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING,
                                      claimed_at__lt=now - STALE_CLAIM).update(claim=token, claimed_at=now, progress=1)
    return token if taken else None


def _progress(report_id: int, token: str, value: int) -> None:
    Report.objects.filter(pk=report_id, claim=token).update(progress=max(1, min(99, value)))


def generate(report_id: int) -> str:
    """Make the report once: "done", "failed", or "skipped" when it was made or is being made
    by another worker. Only the worker holding the claim writes the result."""
    token = _claim(report_id)
    if token is None:
        return "skipped"
    report = Report.objects.select_related("network", "desk", "requested_by").get(pk=report_id)
    try:
        with translation.override(report.language):
            context = build(report, progress=lambda v: _progress(report_id, token, v))
            body = render_to_string("analytics/reports/body.html", context)
            pdf = render_pdf(render_to_string("analytics/reports/pdf.html", {**context, "body": body}))
    except Exception as exc:
        with transaction.atomic():
            if Report.objects.filter(pk=report_id, claim=token).update(
                    status=Report.Status.FAILED, error=type(exc).__name__[:200], finished_at=timezone.now()):
                record_audit("system", "report.failed", report, scope=network.scope_of(report.network))
        raise
    values: dict[str, Any] = {"status": Report.Status.DONE, "progress": 100, "finished_at": timezone.now()}
    if report.internal:
        also = [report.requested_by] if report.requested_by is not None else []
        assert report.desk is not None  # noqa: S101 - request_report requires it
        values["sealed_html"] = network.seal_for_desk(report.desk, body, label=LABEL_HTML, also_to=also)
        values["sealed_pdf"] = network.seal_for_desk(report.desk, pdf, label=LABEL_PDF, also_to=also)
    else:
        values["html"], values["pdf"] = body, pdf
    with transaction.atomic():
        if not Report.objects.filter(pk=report_id, claim=token, status=Report.Status.RUNNING).update(**values):
            return "skipped"  # taken over meanwhile (a stale claim): the other worker writes it
        record_audit("system", "report.generated", report, scope=network.scope_of(report.network))
    return "done"


def build(report: Report, progress: Any = None) -> dict[str, Any]:
    """The template context of a report: its sections, each made of stats.compute answers."""
    introduction = vault.open_with_service_key(report.introduction, label=LABEL_INTRO) \
        if report.introduction else ""
    desks = report_desks(report)
    sections = report_sections.build_sections(report, desks, progress=progress)
    return {
        "report": report, "sections": sections, "introduction": introduction, "desks": desks,
        "years": report_sections.whole_years(report), "k": maps.suppression_k(),
        "generated_at": timezone.now(), "section_codes": report.sections,
        "countries": report.scope.get("countries") or [],
    }


def report_desks(report: Report) -> list[Desk]:
    """The desks a report counts: those it names, else every desk of its network (and of the
    networks under it, for a coalition)."""
    slugs = report.scope.get("desks") or []
    found = Desk.objects.filter(network__in=[report.network, *report.network.children.all()])
    if slugs:
        found = found.filter(slug__in=slugs)
    return list(found.order_by("name"))


# --- The PDF ----------------------------------------------------------------------------------

def static_file_for(url: str) -> Path | None:
    """The app's own static file that a URL in the PDF's HTML names, or None."""
    parts = urlsplit(url)
    own = urlsplit(PDF_BASE_URL)
    if (parts.scheme, parts.netloc) != (own.scheme, own.netloc) or parts.query or parts.fragment:
        return None
    static_url = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(static_url) or ".." in parts.path.split("/"):
        return None
    found = finders.find(parts.path[len(static_url):])
    if not found or isinstance(found, list):
        return None
    return Path(found)


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]  # weasyprint ships no type hints

    class StaticOnlyFetcher(URLFetcher):
        """Serves the app's own static files and refuses everything else: no network request,
        no local file outside the static folders, no data: or file: URL."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("https",), allow_redirects=False)
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file_for(url)
            if path is None:
                self.refused.append(url)
                raise ValueError("the PDF may load only the app's own static files")
            self.served.append(url)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return StaticOnlyFetcher


def static_only_fetcher() -> Any:
    return _fetcher_class()()


def render_pdf(html: str, fetcher: Any = None) -> bytes:
    """The PDF of a whole HTML document, fetching only the app's static files."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # weasyprint ships no type hints

    fetcher = fetcher or static_only_fetcher()
    return bytes(HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf())


# --- Reading it -------------------------------------------------------------------------------

def open_html(report: Report, unlocked: Unlocked | None) -> str:
    """The report's HTML: plain for a public report, opened with the member's key otherwise
    (raises KeyLocked, NotAReader or Tampered like every sealed field)."""
    if not report.internal:
        return report.html
    return vault.open_sealed(unlocked, report.sealed_html, label=LABEL_HTML)


def open_pdf(report: Report, unlocked: Unlocked | None) -> bytes:
    if not report.internal:
        return bytes(report.pdf or b"")
    return vault.open_sealed_bytes(unlocked, report.sealed_pdf, label=LABEL_PDF)


def visible_reports(user: Any, documented: Iterable[Desk], coordinated: Iterable[Network], *,
                    pk: int | None = None, limit: int = 50) -> list[Report]:
    """Reports the person may see, newest first: every report of a network she coordinates;
    and, for a documenter, the internal reports sealed to her desks (she holds their key) that
    count only desks she documents — a coordinator's report over several desks, sealed to the
    first, does not show the others' numbers to that desk's documenters."""
    from django.db.models import Q

    own = list(documented)
    own_slugs = {d.slug for d in own}
    networks = [n.pk for n in coordinated]
    found = Report.objects.filter(
        Q(network__in=networks) | Q(audience=Report.Audience.INTERNAL, desk__in=own)
    ).select_related("network", "desk", "requested_by")
    # One report, whole; or a list without the stored outputs (which can weigh megabytes).
    found = found.filter(pk=pk) if pk is not None else found.defer("html", "pdf", "sealed_html", "sealed_pdf")
    readable = [r for r in found[: limit * 4]
                if r.network_id in networks or set(r.scope.get("desks") or []) <= own_slugs]
    return readable[:limit]
