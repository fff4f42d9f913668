"""An assessment report as a document: its template context (every number an answer of
`stats.compute`), its PDF (WeasyPrint, fetching only the app's own static files through
`StaticOnlyFetcher`), opening its stored output, and which reports a person may see. Reads
only: asking for a report and making it are `analytics.services.reports`."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from amparo.accounts.models import User
from amparo.analytics import maps, report_sections
from amparo.analytics.models import Report
from amparo.network.models import Desk, Network
from amparo.vault import services as vault
from amparo.vault.services import Unlocked

LABEL_INTRO = "analytics.report.introduction"
LABEL_HTML = "analytics.report.html"
LABEL_PDF = "analytics.report.pdf"
# The PDF's documents are resolved against this made-up origin; the fetcher maps its static
# paths to the app's own files and refuses every other URL.
PDF_BASE_URL = "https://amparo.invalid/"


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


def visible_reports(user: User, documented: Iterable[Desk], coordinated: Iterable[Network], *,
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
