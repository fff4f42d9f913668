"""Answering, without an account: one section per page, JavaScript not needed. Her answers
so far ride in the page's form as a sealed, short-lived token (sealing.seal_progress), not in
a cookie or a row; nothing is stored until she sends the last page, and then nothing about
her (no address, no user agent, only the day). One global limit for every survey."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import queries, sealing, services
from .forms import AnswerPage, condition_words
from .models import Section, Survey
from .spec import shown


def _open_survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("network"), slug=slug, status=Survey.Status.OPEN)


def _next(sections: list[Section], after: int, answers: dict[str, Any]) -> int | None:
    return next((i for i in range(after + 1, len(sections)) if shown(sections[i], answers)), None)


def _previous(sections: list[Section], before: int, answers: dict[str, Any]) -> int | None:
    return next((i for i in range(before - 1, -1, -1) if shown(sections[i], answers)), None)


def _page(request: HttpRequest, survey: Survey, sections: list[Section], state: dict[str, Any],
          form: AnswerPage | None = None, status: int = 200) -> HttpResponse:
    index = state["p"]
    section = sections[index]
    form = form or AnswerPage(initial=state["a"], survey=survey, section=section, answers=state["a"])
    by_name = {q.name: q for s in sections for q in s.questions.all()}
    same_page = {q.name for q in section.questions.all()}
    notes = {q.name: condition_words(q, survey, by_name) for q in form.questions if q.show_if_question in same_page}
    # Pages still possible: shown by her answers, or waiting for the answer they depend on.
    answers = state["a"]
    upcoming = [i for i in range(len(sections)) if i == index or shown(sections[i], answers)
                or (i > index and sections[i].show_if_question not in answers)]
    return render(request, "surveys/answer.html", {
        "survey": survey, "section": section, "form": form, "notes": notes,
        "fields": [(form[q.name], notes.get(q.name, "")) for q in form.questions],
        "progress": sealing.seal_progress(survey, state), "number": upcoming.index(index) + 1,
        "pages": len(upcoming), "last": _next(sections, index, state["a"]) is None, "first": index == 0,
    }, status=status)


def _start(request: HttpRequest, survey: Survey, invitation: str = "") -> HttpResponse:
    sections = queries.sections_of(survey)
    first = _next(sections, -1, {})
    if first is None:
        raise Http404
    return _page(request, survey, sections, {"p": first, "a": {}, "i": invitation})


# No CSRF cookie: the sealed progress token, which only this page issues and which dies
# within minutes, already proves the form came from us; so answering sets no cookie at all.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, survey_slug: str) -> HttpResponse:
    survey = _open_survey(survey_slug)
    if request.method == "GET":
        return _start(request, survey)
    sections = queries.sections_of(survey)
    state = sealing.open_progress(survey, request.POST.get("progress", ""))
    if state is None or not 0 <= int(state.get("p", -1)) < len(sections):
        return render(request, "surveys/expired.html", {"survey": survey}, status=400)
    section = sections[state["p"]]
    form = AnswerPage(request.POST, survey=survey, section=section, answers=state["a"])
    if not services.within_global_limit():
        form.is_valid()
        form.add_error(None, _("Many people are answering right now. Please wait a minute and send again."))
        return _page(request, survey, sections, state, form, status=429)
    if request.POST.get("back"):
        earlier = _previous(sections, state["p"], state["a"])
        return _page(request, survey, sections, {**state, "p": earlier if earlier is not None else state["p"]})
    if not form.is_valid():
        return _page(request, survey, sections, state, form, status=400)
    answers = {k: v for k, v in state["a"].items() if k not in form.fields} | form.values()
    following = _next(sections, state["p"], answers)
    if following is not None:
        return _page(request, survey, sections, {**state, "p": following, "a": answers})
    try:
        services.submit_response(survey, answers, invitation=state.get("i", ""))
    except services.InvitationSpent:
        return render(request, "surveys/link_used.html", {"survey": survey}, status=410)
    response = HttpResponseRedirect(reverse("surveys:thanks", kwargs={"survey_slug": survey.slug}))
    response.status_code = 303  # Reload on the thanks page sends nothing again
    return response


@require_GET
def invited(request: HttpRequest, survey_slug: str, token: str) -> HttpResponse:
    """An e-mailed link: the survey's first page, with the link carried (sealed) to the last."""
    survey = _open_survey(survey_slug)
    if services.open_invitation(survey, token) is None:
        return render(request, "surveys/link_used.html", {"survey": survey}, status=404)
    return _start(request, survey, invitation=token)


@require_GET
def thanks(request: HttpRequest, survey_slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=survey_slug)
    return render(request, "surveys/thanks.html", {"survey": survey})
