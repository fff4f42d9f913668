"""Answering: a respondent's sheet stored once she sends the last page.

Nothing here reads or stores who answers: no account, no address, no user agent, and only
the day. An invitation link is spent in the same transaction, by its hash, and the response
keeps no trace of it; no audit entry is written for an answer (its time beside the spent
invitation would link the two)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.core import counters
from amparo.core.tokens import hash_token

from .. import sealing
from ..models import Answer, Invitation, Question, Response, Survey
from ..spec import shown

WINDOW = 60


class InvitationSpent(ValueError):
    """The link was used already (or never existed)."""


def within_global_limit(now: float | None = None) -> bool:
    """Count one page sent by anyone to any survey; False past the limit. One counter, keyed by
    the minute only: nothing about who sends."""
    return counters.bump("anonymous-surveys", WINDOW, now) <= settings.ANONYMOUS_GLOBAL_PER_MINUTE


def open_invitation(survey: Survey, raw: str) -> Invitation | None:
    """The unspent invitation this link is, for this survey; None otherwise."""
    return Invitation.objects.filter(survey=survey, token_hash=hash_token(raw), spent=False).first()


def _rows(survey: Survey, question: Question, value: Any) -> list[Answer]:
    kind = Question.Kind
    if question.kind == kind.TEXT:
        return [Answer(question=question, sealed=sealing.seal_free_text_answer(survey, str(value)))]
    if question.has_choices:
        by_name = {c.name: c for c in question.choices.all()}
        names = value if isinstance(value, list) else [value]
        return [Answer(question=question, choice=by_name[n]) for n in names if n in by_name]
    if question.kind in (kind.NUMBER, kind.SCALE):
        return [Answer(question=question, number=int(value))]
    if question.kind == kind.DATE:
        return [Answer(question=question, day=datetime.date.fromisoformat(str(value)))]
    return [Answer(question=question, code=str(value)[:8])]


def submit_response(survey: Survey, answers: dict[str, Any], *, invitation: str = "") -> Response:
    """Store her answers (those of questions she was shown; free text sealed to the owners).
    With an invitation link, spend it first: a spent or unknown link stores nothing."""
    questions = list(survey.questions.select_related("section").prefetch_related("choices"))
    with transaction.atomic():
        if invitation and not Invitation.objects.filter(survey=survey, token_hash=hash_token(invitation),
                                                        spent=False).update(spent=True):
            raise InvitationSpent
        response = Response.objects.create(survey=survey, submitted_on=timezone.localdate())
        rows: list[Answer] = []
        for q in questions:
            value = answers.get(q.name)
            if value in (None, "", []) or not (shown(q.section, answers) and shown(q, answers)):
                continue
            rows += _rows(survey, q, value)
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
    return response
