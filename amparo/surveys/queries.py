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


def _grouped(question_ids: list[int]) -> dict[int, dict[Any, int]]:
    """{question id: {value: count}} in one GROUP BY (read in the order of the answers' covering
    index): the value is a choice id, a number, a code, or None for a date or free text."""
    counts: dict[int, dict[Any, int]] = {}
    rows = Answer.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "choice_id", "number", "code").annotate(n=Count("*")).order_by()
    for question_id, choice_id, number, code, n in rows:
        value = choice_id if choice_id is not None else number if number is not None else code or None
        counts.setdefault(question_id, {})[value] = n
    return counts


def _answered(questions: list[Question], counts: dict[int, dict[Any, int]]) -> dict[int, int]:
    """How many sheets answered each question: one row per sheet, but several for a multiple choice."""
    answered = {q.pk: sum(counts.get(q.pk, {}).values()) for q in questions}
    several = [q.pk for q in questions if q.kind == Question.Kind.MULTIPLE]
    if several:
        answered.update(Answer.objects.filter(question_id__in=several).values("question_id").annotate(
            n=Count("response_id", distinct=True)).order_by().values_list("question_id", "n"))
    return answered


def results(survey: Survey, *, min_cell: int = 0) -> tuple[int, list[QuestionResult]]:
    """How many sent the survey, and per question: how many answered it, and the count and
    share of each answer. With `min_cell`, counts under it are hidden (and their shares)."""
    from amparo.network import countries

    from .models import in_language

    total = Response.objects.filter(survey=survey).count()
    sections = sections_of(survey)
    questions = [q for s in sections for q in s.questions.all()]
    grouped = _grouped([q.pk for q in questions])
    answered = _answered(questions, grouped)
    out = []
    for section in sections:
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


TEXTS_SHOWN = 50  # the newest, per question; all of them are in the CSV


def free_texts(survey: Survey) -> dict[int, list[Answer]]:
    """The newest sealed free-text answers per question, for the owners to open."""
    found: dict[int, list[Answer]] = {}
    for question in survey.questions.filter(kind=Question.Kind.TEXT):
        found[question.pk] = list(Answer.objects.filter(question=question, sealed__isnull=False)
                                  .order_by("-id")[:TEXTS_SHOWN])
    return found


@dataclass
class CrossTab:
    rows: Question
    columns: Question
    row_labels: list[str]
    column_labels: list[str]
    counts: list[list[int]]  # counts[row][column]: sheets that gave both answers

    @property
    def pairs(self) -> list[tuple[str, list[int]]]:
        return list(zip(self.row_labels, self.counts, strict=True))


def crosstab(survey: Survey, row_name: str, column_name: str) -> CrossTab | None:
    """The sheets per pair of choices of two choice questions, in one GROUP BY over the answers
    joined on their sheet; None unless both are choice questions of this survey."""
    from .models import in_language

    found = {q.name: q for q in survey.questions.filter(name__in=[row_name, column_name]).prefetch_related("choices")}
    rows, columns = found.get(row_name), found.get(column_name)
    if rows is None or columns is None or row_name == column_name or not (rows.has_choices and columns.has_choices):
        return None
    pairs = {(r, c): n for r, c, n in Answer.objects.filter(
        question=rows, response__answers__question=columns).values_list(
        "choice_id", "response__answers__choice_id").annotate(n=Count("*")).order_by()}
    row_choices, column_choices = list(rows.choices.all()), list(columns.choices.all())
    return CrossTab(rows, columns, [in_language(c.label, None, survey.default_language) for c in row_choices],
                    [in_language(c.label, None, survey.default_language) for c in column_choices],
                    [[pairs.get((r.pk, c.pk), 0) for c in column_choices] for r in row_choices])
