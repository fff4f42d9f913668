"""Reads the surveys' pages share: whose surveys she sees, a survey as a spec, its pages, and
its results as counts (one GROUP BY per kind of answer, in the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from amparo.network import permissions

from .models import Answer, Question, Response, Section, Survey
from .spec import ChoiceSpec, QuestionSpec, SectionSpec, SurveySpec


def owned_surveys(user: Any) -> QuerySet[Survey]:
    """The surveys of the networks she coordinates: their owners are the coordinators."""
    return Survey.objects.filter(network__in=permissions.coordinated_networks(user)).select_related("network")


def survey_for_owner(user: Any, survey_id: int) -> Survey:
    return get_object_or_404(owned_surveys(user), pk=survey_id)


def sections_of(survey: Survey) -> list[Section]:
    """The pages, each with its questions and their choices, in order."""
    return list(survey.sections.prefetch_related("questions__choices").order_by("position"))


def spec_of(survey: Survey) -> SurveySpec:
    sections = [
        SectionSpec(s.name, dict(s.label), s.show_if_question, s.show_if_value, [
            QuestionSpec(q.name, q.kind, dict(q.label), q.required, dict(q.hint), q.show_if_question,
                         q.show_if_value, q.scale_min, q.scale_max,
                         [ChoiceSpec(c.name, dict(c.label)) for c in q.choices.all()])
            for q in s.questions.all()])
        for s in sections_of(survey)]
    return SurveySpec(survey.form_id, dict(survey.title), survey.default_language, list(survey.languages), sections)


# --- Results --------------------------------------------------------------------------------

@dataclass
class Cell:
    label: str
    count: int
    percent: float = 0.0
    hidden: bool = False  # a small cell, shown beyond the owners as "fewer than N"


@dataclass
class QuestionResult:
    question: Question
    answered: int
    cells: list[Cell] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # opened for the owners' page, never stored


def _grouped(survey: Survey) -> dict[int, dict[Any, int]]:
    """{question id: {value: count}}: the value is a choice id, a number, a code or a month."""
    counts: dict[int, dict[Any, int]] = {}
    answers = Answer.objects.filter(response__survey=survey)
    for column in ("choice_id", "number", "code"):
        for row in answers.filter(**{f"{column.removesuffix('_id')}__isnull": False}).exclude(
                **({"code": ""} if column == "code" else {})).values("question_id", column).annotate(
                n=Count("id")).order_by():
            counts.setdefault(row["question_id"], {})[row[column]] = row["n"]
    return counts


def results(survey: Survey, *, min_cell: int = 0) -> tuple[int, list[QuestionResult]]:
    """How many sent the survey, and per question: how many answered it, and the count and
    share of each answer. With `min_cell`, counts under it are hidden (and their shares)."""
    from amparo.network import countries

    from .models import in_language

    total = Response.objects.filter(survey=survey).count()
    answered = dict(Answer.objects.filter(response__survey=survey).values("question_id").annotate(
        n=Count("response_id", distinct=True)).order_by().values_list("question_id", "n"))
    grouped = _grouped(survey)
    out = []
    for section in sections_of(survey):
        for q in section.questions.all():
            n, counts = answered.get(q.pk, 0), grouped.get(q.pk, {})
            if q.has_choices:
                labelled = [(in_language(c.label), counts.get(c.pk, 0)) for c in q.choices.all()]
            elif q.kind == Question.Kind.SCALE:
                labelled = [(str(v), counts.get(v, 0)) for v in range(q.scale_min, q.scale_max + 1)]
            elif q.kind in (Question.Kind.COUNTRY, Question.Kind.SUBDIVISION):
                labelled = sorted(((countries.name(k) if q.kind == Question.Kind.COUNTRY else k, v)
                                   for k, v in counts.items()), key=lambda kv: -kv[1])
            elif q.kind == Question.Kind.NUMBER:
                labelled = sorted(((str(k), v) for k, v in counts.items()), key=lambda kv: int(kv[0]))
            else:
                labelled = []
            cells = [Cell(label, c, round(100 * c / n, 1) if n else 0.0, hidden=bool(min_cell) and 0 < c < min_cell)
                     for label, c in labelled]
            out.append(QuestionResult(q, n, cells))
    return total, out


def free_texts(survey: Survey) -> dict[int, list[Answer]]:
    """The sealed free-text answers per question, for the owners to open."""
    found: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__survey=survey, sealed__isnull=False).order_by("question_id", "id"):
        found.setdefault(answer.question_id, []).append(answer)
    return found
