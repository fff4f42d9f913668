"""The builder's writes: a survey from a spec (the builder's first step, an XLSForm, the
demo), sections and questions added or removed, translations, opening and closing."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amparo.core.services import record_audit
from amparo.network.models import Network
from amparo.network.services import scope_of

from ..actions import Action
from ..models import LANGUAGES, Choice, Question, Section, Survey
from ..spec import QuestionSpec, SectionSpec, SurveySpec

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def machine_name(text: str, taken: set[str]) -> str:
    """A name for XLSForm (letters, digits, _) from `text`, not among `taken`."""
    base = (slugify(text).replace("-", "_") or "q")[:40]
    base = base if NAME.match(base) else f"q_{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _check(spec: SurveySpec) -> None:
    seen: dict[str, QuestionSpec] = {}
    for section in spec.sections:
        _check_condition(section, seen, section.name)
        for q in section.questions:
            if not NAME.match(q.name) or q.name in seen:
                raise ValidationError(_("“%(name)s” cannot be a question's name (letters, digits and _ only, "
                                        "each name once).") % {"name": q.name})
            _check_condition(q, seen, q.name)
            if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and not q.choices:
                raise ValidationError(_("“%(name)s” needs at least one choice.") % {"name": q.name})
            if q.kind == Question.Kind.SCALE and not q.scale_min < q.scale_max <= q.scale_min + 20:
                raise ValidationError(_("A scale goes up from its lowest to its highest value, 20 steps at most."))
            seen[q.name] = q


def _check_condition(item: Any, earlier: dict[str, QuestionSpec], name: str) -> None:
    if not item.show_if_question:
        return
    target = earlier.get(item.show_if_question)
    if target is None:
        raise ValidationError(_("“%(name)s” can depend only on a question asked before it.") % {"name": name})
    if target.choices and item.show_if_value not in {c.name for c in target.choices}:
        raise ValidationError(_("“%(value)s” is not one of the choices of “%(question)s”.")
                              % {"value": item.show_if_value, "question": target.name})


def _store_question(survey: Survey, section: Section, position: int, q: QuestionSpec) -> Question:
    question = Question.objects.create(
        survey=survey, section=section, position=position, name=q.name, kind=q.kind, required=q.required,
        label=q.label, hint=q.hint, show_if_question=q.show_if_question, show_if_value=q.show_if_value,
        scale_min=q.scale_min, scale_max=q.scale_max)
    Choice.objects.bulk_create([Choice(question=question, position=i, name=c.name, label=c.label)
                                for i, c in enumerate(q.choices)])
    return question


def _store_section(survey: Survey, position: int, s: SectionSpec) -> Section:
    return Section.objects.create(survey=survey, position=position, name=s.name, label=s.label,
                                  show_if_question=s.show_if_question, show_if_value=s.show_if_value)


def create_survey(actor: Any, network: Network, spec: SurveySpec, *, imported: bool = False) -> Survey:
    """Store `spec` as a draft survey of `network` (raises ValidationError for names that clash,
    a condition on a later question, a choice question without choices)."""
    _check(spec)
    with transaction.atomic():
        survey = Survey.objects.create(
            network=network, slug=secrets.token_urlsafe(12), form_id=spec.form_id or "survey", title=spec.title,
            languages=[code for code in LANGUAGES if code in spec.languages] or [spec.default_language],
            default_language=spec.default_language, created_on=timezone.localdate())
        for i, s in enumerate(spec.sections):
            section = _store_section(survey, i, s)
            for j, q in enumerate(s.questions):
                _store_question(survey, section, j, q)
        record_audit(actor, Action.SURVEY_IMPORTED if imported else Action.SURVEY_CREATED, survey,
                     scope=scope_of(network))
    return survey


def _changed(actor: Any, survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Questions can be changed only while the survey is a draft."))
    record_audit(actor, Action.SURVEY_CHANGED, survey, scope=scope_of(survey.network))


def _spec_so_far(survey: Survey) -> SurveySpec:
    from ..queries import spec_of

    return spec_of(survey)


def add_section(actor: Any, survey: Survey, spec: SectionSpec) -> Section:
    """A new page at the end of the survey."""
    whole = _spec_so_far(survey)
    whole.sections.append(spec)
    _check(whole)
    with transaction.atomic():
        _changed(actor, survey)
        last = survey.sections.aggregate(m=Max("position"))["m"]
        return _store_section(survey, 0 if last is None else last + 1, spec)


def add_question(actor: Any, section: Section, spec: QuestionSpec) -> Question:
    """A new question at the end of `section`; its condition may name only an earlier question."""
    survey = section.survey
    whole = _spec_so_far(survey)
    for s in whole.sections:
        if s.name == section.name:
            s.questions.append(spec)
            break
    _check(whole)
    with transaction.atomic():
        _changed(actor, survey)
        last = section.questions.aggregate(m=Max("position"))["m"]
        return _store_question(survey, section, 0 if last is None else last + 1, spec)


def remove_question(actor: Any, question: Question) -> None:
    """Take a question out of a draft (and any condition that named it goes with it)."""
    survey = question.survey
    with transaction.atomic():
        _changed(actor, survey)
        Question.objects.filter(survey=survey, show_if_question=question.name).update(show_if_question="",
                                                                                      show_if_value="")
        Section.objects.filter(survey=survey, show_if_question=question.name).update(show_if_question="",
                                                                                     show_if_value="")
        question.delete()


def translate_survey(actor: Any, survey: Survey, language: str, texts: dict[str, str]) -> Survey:
    """Set the words of one language: `texts` maps "title", "section:<id>", "question:<id>",
    "hint:<id>" and "choice:<id>" to text (empty removes that language's words)."""
    if language not in LANGUAGES:
        raise ValidationError(_("Amparo offers English, Spanish, French and Portuguese."))

    def put(labels: dict[str, str], key: str) -> dict[str, str]:
        value = (texts.get(key) or "").strip()
        return {**{k: v for k, v in labels.items() if k != language}, **({language: value} if value else {})}

    with transaction.atomic():
        survey.title = put(survey.title, "title")
        if language not in survey.languages:
            survey.languages = [code for code in LANGUAGES if code in {*survey.languages, language}]
        survey.save(update_fields=["title", "languages"])
        for section in survey.sections.all():
            section.label = put(section.label, f"section:{section.pk}")
            section.save(update_fields=["label"])
        for question in survey.questions.prefetch_related("choices"):
            question.label, question.hint = put(question.label, f"question:{question.pk}"), put(
                question.hint, f"hint:{question.pk}")
            question.save(update_fields=["label", "hint"])
            for choice in question.choices.all():
                choice.label = put(choice.label, f"choice:{choice.pk}")
                choice.save(update_fields=["label"])
        record_audit(actor, Action.SURVEY_TRANSLATED, survey, scope=scope_of(survey.network))
    return survey


def set_status(actor: Any, survey: Survey, status: str) -> Survey:
    """Open a survey to answers (it needs a question) or close it."""
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise ValidationError(_("Add a question before opening the survey."))
    if status not in (Survey.Status.OPEN, Survey.Status.CLOSED):
        raise ValidationError(_("A survey can be opened or closed."))
    with transaction.atomic():
        survey.status = status
        survey.save(update_fields=["status"])
        record_audit(actor, Action.SURVEY_OPENED if status == Survey.Status.OPEN else Action.SURVEY_CLOSED, survey,
                     scope=scope_of(survey.network))
    return survey
