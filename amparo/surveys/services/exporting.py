"""The answers as CSV, for the owners only: a row per response, a column per question,
free text opened with her key, every cell escaped so a spreadsheet runs no formula. The
export is audited (who, which survey), never what it held."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from amparo.core.services import record_audit
from amparo.network.services import scope_of
from amparo.registry.transfer.exporting import escape_formula
from amparo.vault.services import Unlocked

from .. import sealing
from ..actions import Action
from ..models import Answer, Question, Survey


def _value(answer: Answer, unlocked: Unlocked | None) -> str:
    if answer.sealed:
        return sealing.open_free_text_answer(unlocked, answer)
    if answer.choice is not None:
        return answer.choice.name
    if answer.number is not None:
        return str(answer.number)
    if answer.day is not None:
        return answer.day.isoformat()
    return answer.code


def answers_csv_rows(actor: Any, survey: Survey, unlocked: Unlocked | None) -> Iterator[list[str]]:
    """The header, then one row per response (several choices of one question joined by a
    space, as ODK does). Raises the vault's KeyLocked or NotAReader before any row when her
    key cannot open the free text."""
    first_text = Answer.objects.filter(response__survey=survey, sealed__isnull=False).first()
    if first_text is not None:
        sealing.open_free_text_answer(unlocked, first_text)  # her key must open them all: fail before any row
    questions: list[Question] = list(survey.questions.order_by("section__position", "position"))
    record_audit(actor, Action.SURVEY_ANSWERS_EXPORTED, survey, scope=scope_of(survey.network))
    yield ["response", "day", *[q.name for q in questions]]
    current: tuple[int, str] | None = None
    cells: dict[int, list[str]] = {}
    answers = Answer.objects.filter(response__survey=survey).select_related("choice", "response").order_by(
        "response_id", "id")
    for answer in answers.iterator(chunk_size=2000):
        key = (answer.response_id, answer.response.submitted_on.isoformat())
        if current is not None and key != current:
            yield _row(current, questions, cells)
            cells = {}
        current = key
        cells.setdefault(answer.question_id, []).append(_value(answer, unlocked))
    if current is not None:
        yield _row(current, questions, cells)


def _row(key: tuple[int, str], questions: list[Question], cells: dict[int, list[str]]) -> list[str]:
    return [str(key[0]), key[1], *[escape_formula(" ".join(cells.get(q.pk, []))) for q in questions]]
