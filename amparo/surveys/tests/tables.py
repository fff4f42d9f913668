"""The surveys rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page
from amparo.tests.tables import COORDINATOR_ONLY, LOGIN, Row, same, signed_in

# A survey's owners are the coordinators of its network; every other role never builds one (403).
OWNERS = COORDINATOR_ONLY

AUTHORIZATION: dict[str, Row] = {
    "surveys:index": signed_in("GET", LOGIN, **OWNERS),
    "surveys:new": signed_in("GET", LOGIN, **OWNERS),
    "surveys:import": signed_in("GET", LOGIN, **OWNERS),
    "surveys:detail": signed_in("GET", LOGIN, **OWNERS),
    # An empty page title: refused (400) after the role check.
    "surveys:section_add": signed_in("POST", LOGIN, **{**OWNERS, "coordinator": 400}),
    "surveys:question_add": signed_in("GET", LOGIN, **OWNERS),
    # The table's survey is open: the question stays, and she is sent back to the survey.
    "surveys:question_remove": signed_in("POST", LOGIN, **{**OWNERS, "coordinator": 302}),
    "surveys:translate": signed_in("GET", LOGIN, **OWNERS),
    "surveys:status": signed_in("POST", LOGIN, **{**OWNERS, "coordinator": 302}),
    "surveys:invite": signed_in("GET", LOGIN, **OWNERS),
    "surveys:export_xlsform": signed_in("GET", LOGIN, **OWNERS),
    "surveys:export_xform": signed_in("GET", LOGIN, **OWNERS),
    "surveys:results": signed_in("GET", LOGIN, **OWNERS),
    "surveys:results_shared": signed_in("GET", LOGIN, **OWNERS),
    "surveys:answers_csv": signed_in("GET", LOGIN, **OWNERS),
    "surveys:results_pdf": signed_in("GET", LOGIN, **OWNERS),
    # Answering needs no account; an invitation link that is not one answers 404.
    "surveys:answer": same("GET", 200),
    "surveys:invited": same("GET", 404),
    "surveys:thanks": same("GET", 200),
    "api:surveys": same("GET", 200),
}


def table_survey(world: Any) -> Any:
    """The demo needs survey of network A, open; made once per database."""
    from amparo.surveys import services
    from amparo.surveys.demo import needs_survey
    from amparo.surveys.models import Survey

    survey = Survey.objects.filter(network=world.network_a, form_id="whrd_needs").first()
    if survey is None:
        survey = services.create_survey("system", world.network_a, needs_survey())
        services.set_status("system", survey, Survey.Status.OPEN)
    return survey


def url_values(world: Any) -> dict[str, object]:
    survey = table_survey(world)
    return {
        "survey_id": survey.pk,
        "survey_section_id": survey.sections.first().pk,
        "survey_question_id": survey.questions.last().pk,
        "survey_slug": survey.slug,
    }


def _invitation_link(world: Any) -> str:
    from amparo.core.tokens import hash_token
    from amparo.surveys.models import Invitation

    survey = table_survey(world)
    raw = f"page-quality-{survey.pk}"
    Invitation.objects.get_or_create(survey=survey, token_hash=hash_token(raw),
                                     defaults={"recipient_index": "page-quality", "sent_on": survey.created_on})
    return f"/surveys/i/{survey.slug}/{raw}/"


PAGES: dict[str, Page] = {
    "surveys:index": Page("coordinator"),
    "surveys:new": Page("coordinator"),
    "surveys:import": Page("coordinator"),
    "surveys:detail": Page("coordinator"),
    "surveys:question_add": Page("coordinator"),
    "surveys:translate": Page("coordinator"),
    "surveys:invite": Page("coordinator"),
    "surveys:results": Page("coordinator"),
    "surveys:results_shared": Page("coordinator"),
    "surveys:answer": Page(),
    "surveys:invited": Page(url=_invitation_link),
    "surveys:thanks": Page(),
}

NOT_PAGES: dict[str, str] = {
    "surveys:section_add": "POST only; then a redirect to the survey",
    "surveys:question_remove": "POST only; then a redirect to the survey",
    "surveys:status": "POST only: open or close; then a redirect to the survey",
    "surveys:export_xlsform": "an .xlsx download",
    "surveys:export_xform": "an XML download",
    "surveys:answers_csv": "a CSV download",
    "surveys:results_pdf": "a PDF download",
}


def _write_answer(client: Any, world: Any, canary: str) -> None:
    """Through the public pages, as anyone: her own words in the last page's free-text box."""
    from amparo.surveys.tests.answering import answer_needs_survey

    client.logout()
    answer_needs_survey(client, table_survey(world), anything_else=f"{canary}-words")


def _sealed_writers() -> dict:
    from amparo.surveys.models import Answer

    return {Answer: _write_answer}


SEALED_WRITERS = _sealed_writers()

LABELS = "the owners' published words of a survey, in each language"
CLEAR_FIELDS: dict[str, str] = {
    "surveys.Survey.slug": "random public link name",
    "surveys.Survey.form_id": "the XLSForm's form id, a machine name",
    "surveys.Survey.title": LABELS,
    "surveys.Survey.languages": "language codes",
    "surveys.Survey.default_language": "language code",
    "surveys.Survey.status": "status code",
    "surveys.Section.name": "machine name of a page",
    "surveys.Section.label": LABELS,
    "surveys.Section.show_if_question": "machine name of a question (skip logic)",
    "surveys.Section.show_if_value": "machine name of a choice (skip logic)",
    "surveys.Question.name": "machine name of a question",
    "surveys.Question.kind": "status code (kind of answer)",
    "surveys.Question.label": LABELS,
    "surveys.Question.hint": LABELS,
    "surveys.Question.show_if_question": "machine name of a question (skip logic)",
    "surveys.Question.show_if_value": "machine name of a choice (skip logic)",
    "surveys.Choice.name": "machine name of a choice",
    "surveys.Choice.label": LABELS,
    "surveys.Answer.code": "ISO country or subdivision code, for counts",
    "surveys.Invitation.token_hash": "hash of an invitation link",
    "surveys.Invitation.recipient_index": "keyed hash (blind index) of the invited address: one link each",
}
