"""Asking for an assessment report and making it (in a worker).

The worker receives a report's id, never content or keys: it may open only the coordinator's
introduction (sealed with the service key); it seals an internal report's output to the desk's
ring and to the person who asked for it, with public keys. Work is claimed with a conditional
UPDATE, so a retry or a second worker never makes the same report twice."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from amparo.accounts.models import User
from amparo.analytics.actions import Action
from amparo.analytics.models import SECTION_CODES, Report
from amparo.analytics.report_document import LABEL_HTML, LABEL_INTRO, LABEL_PDF, build, render_pdf
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk, Network
from amparo.vault import services as vault

# A claim older than this belongs to a worker that died: another may take the report over.
STALE_CLAIM = timedelta(minutes=15)


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
        record_audit(actor, Action.REPORT_REQUESTED, report, scope=network.scope_of(network_))
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
                record_audit("system", Action.REPORT_FAILED, report, scope=network.scope_of(report.network))
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
        record_audit("system", Action.REPORT_GENERATED, report, scope=network.scope_of(report.network))
    return "done"
