"""The builder's pages, for the coordinators of the survey's network (its owners): the list,
a new survey, a survey's pages and questions, translations, opening and closing. Thin views:
parse, authorise (403 for a role that never builds surveys, 404 for another network's
survey), call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network import permissions

from . import queries, services
from .forms import LANGUAGE_CHOICES, QuestionForm, SectionForm, SurveyForm, TranslateForm
from .models import LANGUAGES, Question, Section, Survey, in_language
from .spec import ChoiceSpec, QuestionSpec, SectionSpec, SurveySpec

owner_required = permissions.coordinator_required


@require_GET
@owner_required
@staff_page
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    surveys = queries.owned_surveys(user).order_by("-created_on", "-pk")
    return render(request, "surveys/index.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
@owner_required
@staff_page
def new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = SurveyForm(request.POST or None, networks=permissions.coordinated_networks(user))
    if request.method == "POST" and form.is_valid():
        language, title = form.cleaned_data["language"], form.cleaned_data["title"]
        spec = SurveySpec(form_id=services.machine_name(title, set()), title={language: title},
                          default_language=language, languages=[language])
        survey = services.create_survey(user, form.cleaned_data["network"], spec)
        return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/new.html", {"form": form}, status=400 if form.errors else 200)


def _conditions(survey: Survey, up_to: Section | None = None) -> list[tuple[str, str]]:
    """The answers a page or question may depend on: choices of questions asked before it."""
    lang = survey.default_language
    found = []
    for section in queries.sections_of(survey):
        if up_to is not None and section.position > up_to.position:
            break
        for q in section.questions.all():
            found += [(f"{q.name}={c.name}", f"{in_language(q.label, lang)} → {in_language(c.label, lang)}")
                      for c in q.choices.all()]
    return found


def _detail(request: HttpRequest, survey: Survey, section_form: SectionForm | None = None,
            status: int = 200) -> HttpResponse:
    return render(request, "surveys/detail.html", {
        "survey": survey, "sections": queries.sections_of(survey), "languages": LANGUAGE_CHOICES,
        "section_form": section_form or SectionForm(conditions=_conditions(survey)),
        "link": request.build_absolute_uri(f"/surveys/a/{survey.slug}/"),
    }, status=status)


@require_GET
@owner_required
@staff_page
def detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _detail(request, queries.survey_for_owner(request.user, survey_id))


def _split(value: str) -> tuple[str, str]:
    question, _sep, choice = (value or "").partition("=")
    return question, choice


@require_POST
@owner_required
@staff_page
def section_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = queries.survey_for_owner(user, survey_id)
    form = SectionForm(request.POST, conditions=_conditions(survey))
    if form.is_valid():
        taken = set(survey.sections.values_list("name", flat=True))
        name = services.machine_name(form.cleaned_data["label"], taken)
        spec = SectionSpec(name, {survey.default_language: form.cleaned_data["label"]},
                           *_split(form.cleaned_data["show_if"]))
        try:
            services.add_section(user, survey, spec)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("surveys:detail", survey_id=survey.pk)
    return _detail(request, survey, form, status=400)


def _question_spec(survey: Survey, data: dict[str, Any]) -> QuestionSpec:
    lang = survey.default_language
    taken = set(survey.questions.values_list("name", flat=True))
    choices: list[ChoiceSpec] = []
    if data["kind"] in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        names: set[str] = set()
        for line in data["choices"].splitlines():
            if line.strip():
                names.add(name := services.machine_name(line.strip(), names))
                choices.append(ChoiceSpec(name, {lang: line.strip()}))
    question, value = _split(data["show_if"])
    return QuestionSpec(services.machine_name(data["label"], taken), data["kind"], {lang: data["label"]},
                        bool(data["required"]), {lang: data["hint"]} if data["hint"] else {}, question, value,
                        data["scale_min"] or 1, data["scale_max"] or 5, choices)


@require_http_methods(["GET", "POST"])
@owner_required
@staff_page
def question_add(request: HttpRequest, survey_id: int, survey_section_id: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = queries.survey_for_owner(user, survey_id)
    section = get_object_or_404(Section, survey=survey, pk=survey_section_id)
    form = QuestionForm(request.POST or None, conditions=_conditions(survey, section))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(user, section, _question_spec(survey, form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/question_form.html", {"survey": survey, "section": section, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@owner_required
@staff_page
def question_remove(request: HttpRequest, survey_id: int, survey_question_id: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = queries.survey_for_owner(user, survey_id)
    question = get_object_or_404(Question, survey=survey, pk=survey_question_id)
    try:
        services.remove_question(user, question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", survey_id=survey.pk)


@require_http_methods(["GET", "POST"])
@owner_required
@staff_page
def translate(request: HttpRequest, survey_id: int, language: str) -> HttpResponse:
    user = signed_in_user(request)
    survey = queries.survey_for_owner(user, survey_id)
    if language not in LANGUAGES:
        return redirect("surveys:detail", survey_id=survey.pk)
    sections = queries.sections_of(survey)
    form = TranslateForm(request.POST or None, survey=survey, sections=sections, language=language)
    if request.method == "POST" and form.is_valid():
        services.translate_survey(user, survey, language, form.cleaned_data)
        messages.success(request, _("The translation is saved."))
        return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/translate.html", {
        "survey": survey, "form": form, "language": dict(LANGUAGE_CHOICES)[language]},
        status=400 if form.errors else 200)


@require_POST
@owner_required
@staff_page
def status(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = queries.survey_for_owner(user, survey_id)
    try:
        services.set_status(user, survey, request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", survey_id=survey.pk)
