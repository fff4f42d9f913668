"""Assessment reports: what a coordinator asks for, how a worker makes it, how it is opened.

A report is made from coarse counts only: every number is an answer of `stats.compute`
(public reports: only the fixed public tables, with their suppression). One template body
renders the HTML page and the PDF (WeasyPrint), charts and map as inline SVG. The PDF renderer
fetches nothing but the app's own static files (`StaticOnlyFetcher`).

The worker receives a report's id, never content or keys: it may open only the coordinator's
introduction (sealed with the service key); it seals an internal report's output to the desk's
ring and to the person who asked for it, with public keys. Work is claimed with a conditional
UPDATE, so a retry or a second worker never makes the same report twice.

The making is in `analytics.services.reports` (the writes) and `analytics.report_document`
(the document); this module names both for the views, the task and the tests.
"""

from amparo.analytics import report_sections
from amparo.analytics.report_document import (
    LABEL_HTML,
    LABEL_INTRO,
    LABEL_PDF,
    PDF_BASE_URL,
    build,
    open_html,
    open_pdf,
    render_pdf,
    report_desks,
    static_file_for,
    static_only_fetcher,
    visible_reports,
)
from amparo.analytics.services.reports import STALE_CLAIM, ReportRefused, _claim, generate, request_report

__all__ = [
    "LABEL_HTML", "LABEL_INTRO", "LABEL_PDF", "PDF_BASE_URL", "STALE_CLAIM", "ReportRefused", "_claim", "build",
    "generate", "open_html", "open_pdf", "render_pdf", "report_desks", "report_sections", "request_report",
    "static_file_for", "static_only_fetcher", "visible_reports",
]
