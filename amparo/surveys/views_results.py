"""Results: counts and shares per question with bars drawn in SVG, the free text opened for
the owners, a printable page to share (small cells hidden, no free text), the answers as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered

from . import pdf, queries, sealing, services

owner_required = permissions.coordinator_required


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@owner_required
@staff_page
def results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = queries.survey_for_owner(request.user, survey_id)
    total, rows = queries.results(survey)
    unlocked = vault_session.unlocked_for(request)
    locked = False
    texts = queries.free_texts(survey)
    for row in rows:
        for answer in texts.get(row.question.pk, []):
            try:
                row.texts.append(sealing.open_free_text_answer(unlocked, answer))
            except (KeyLocked, NotAReader, Tampered):
                locked = True
                break
    by = (request.GET.get("rows", ""), request.GET.get("columns", ""))
    return render(request, "surveys/results.html", {
        "survey": survey, "total": total, "rows": rows, "locked": locked, "shared": False,
        "choice_questions": [r.question for r in rows if r.question.has_choices], "by": by,
        "crosstab": queries.crosstab(survey, *by) if all(by) else None})


@require_GET
@owner_required
@staff_page
def results_shared(request: HttpRequest, survey_id: int) -> HttpResponse:
    """What may leave the owners: counts under the statistics' threshold shown as "fewer than N"."""
    survey = queries.survey_for_owner(request.user, survey_id)
    min_cell = settings.AMPARO_STATS_MIN_CELL
    total, rows = queries.results(survey, min_cell=min_cell)
    return render(request, "surveys/results.html", {"survey": survey, "total": total, "rows": rows,
                                                    "shared": True, "min_cell": min_cell})


@require_GET
@owner_required
@staff_page
def results_pdf(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The shared results (small cells hidden, no free text) as a PDF."""
    survey = queries.survey_for_owner(request.user, survey_id)
    min_cell = settings.AMPARO_STATS_MIN_CELL
    total, rows = queries.results(survey, min_cell=min_cell)
    html = render_to_string("surveys/results_pdf.html", {"survey": survey, "total": total, "rows": rows,
                                                         "min_cell": min_cell}, request=request)
    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{survey.form_id}-results.pdf"'
    return response


@require_GET
@owner_required
@staff_page
def answers_csv(request: HttpRequest, survey_id: int) -> HttpResponseBase:
    survey = queries.survey_for_owner(request.user, survey_id)
    rows = services.answers_csv_rows(request.user, survey, vault_session.unlocked_for(request))
    try:
        first = next(rows)
    except (KeyLocked, NotAReader):
        return render(request, "network/key_locked.html", status=403)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(first)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{survey.form_id}-answers.csv"'
    return response
