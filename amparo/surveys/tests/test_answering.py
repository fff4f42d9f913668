"""Answering without an account: one page per section, skip logic, her answers carried sealed
between pages, nothing about her stored; invitations by e-mail, one answer each, untraceable."""

from __future__ import annotations

import quopri
import re

import pytest
from django.db import connection

from amparo.surveys import queries, services
from amparo.surveys.models import Answer, Invitation, Response, Survey
from amparo.surveys.tests.answering import answer_needs_survey, progress_of
from amparo.surveys.tests.tables import table_survey
from conftest import sign_in

pytestmark = pytest.mark.django_db


def test_it_walks_the_pages_skipping_the_organisation_page(client, world) -> None:
    survey = table_survey(world)
    first = client.get(f"/surveys/a/{survey.slug}/").content.decode()
    assert "About you" in first and "Page 1 of 4" in first
    second = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(first), "country": "HN",
                                                         "in_org": "no"}).content.decode()
    assert "Protection" in second and "Page 2 of 3" in second
    # The token is sealed: neither her answer nor its name shows (two letters alone, "HN", could
    # appear in any random token by chance).
    token = progress_of(second)
    assert "Tegucigalpa" not in second and "country" not in token and '"HN"' not in token
    third = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(second), "threats": ["online"],
                                                        "safety": "3"}).content.decode()
    assert "What you need" in third and "Your organisation" not in third
    done = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(third), "support": ["funds"]})
    assert done.status_code == 303 and done["Location"] == f"/surveys/t/{survey.slug}/"
    assert not done.cookies and not client.cookies  # no cookie at all, no CSRF one either
    response = Response.objects.get(survey=survey)
    assert set(Answer.objects.filter(response=response).values_list("question__name", flat=True)) == {
        "country", "in_org", "threats", "safety", "support"}


def test_it_refuses_a_missing_required_answer_and_gives_back_what_she_chose(client, world) -> None:
    survey = table_survey(world)
    first = client.get(f"/surveys/a/{survey.slug}/").content.decode()
    again = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(first), "country": "HN"})
    assert again.status_code == 400
    html = again.content.decode()
    assert "Please answer this question." in html and 'value="HN" selected' in html


def test_it_goes_back_a_page_with_her_answers(client, world) -> None:
    survey = table_survey(world)
    first = client.get(f"/surveys/a/{survey.slug}/").content.decode()
    second = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(first), "country": "HN",
                                                         "in_org": "yes"}).content.decode()
    back = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(second), "back": "1"}).content.decode()
    assert "About you" in back and 'value="HN" selected' in back and 'value="yes" id="id_in_org_0" checked' in back


def test_a_changed_or_old_token_starts_again(client, world, settings) -> None:
    survey = table_survey(world)
    refused = client.post(f"/surveys/a/{survey.slug}/", {"progress": "made-up", "country": "HN"})
    assert refused.status_code == 400 and "start again" in refused.content.decode().lower()


def test_the_global_limit_gives_her_page_back(client, world, settings) -> None:
    settings.ANONYMOUS_GLOBAL_PER_MINUTE = 1
    survey = table_survey(world)
    first = client.get(f"/surveys/a/{survey.slug}/").content.decode()
    client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(first), "country": "HN", "in_org": "no"})
    busy = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(first), "country": "HN",
                                                       "in_org": "no"})
    assert busy.status_code == 429 and 'value="HN" selected' in busy.content.decode()


def test_a_closed_survey_takes_no_answers(client, world) -> None:
    survey = table_survey(world)
    services.set_status("system", survey, Survey.Status.CLOSED)
    assert client.get(f"/surveys/a/{survey.slug}/").status_code == 404


def _table_text() -> str:
    """Every row of the response, answer and invitation tables as text, as a copy of the database shows them."""
    with connection.cursor() as cursor:
        dump = []
        for table in ("surveys_response", "surveys_answer", "surveys_invitation"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump += [repr(row) for row in cursor.fetchall()]
    return "\n".join(dump)


def test_an_emailed_link_answers_once_and_the_answer_cannot_be_traced(client, world, smtp_server) -> None:
    survey = table_survey(world)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    supporter_email = "ana-supporter@supporters.example"
    sent = client.post(f"/surveys/{survey.pk}/invite/", {"emails": f"{supporter_email}\nbea@supporters.example"})
    assert sent.status_code == 302
    again = client.post(f"/surveys/{survey.pk}/invite/", {"emails": supporter_email})
    assert again.status_code == 302 and len(smtp_server) == 2  # one link each
    client.logout()
    body = next(m for m in smtp_server if supporter_email in m.recipients).body
    link = re.search(r"https?://[^/]+(/surveys/i/\S+/)", quopri.decodestring(body.encode()).decode())
    assert link
    answer_needs_survey(client, survey, start=link.group(1), anything_else="she said this")
    invitation = Invitation.objects.get(spent=True)
    response = Response.objects.get()
    # The link is spent; a second answer with it is refused, and the link page says so.
    assert client.get(link.group(1)).status_code == 404
    # Look in the database: nothing in the response or its answers names the invitation or her.
    dump = _table_text()
    response_rows = "\n".join(line for line in dump.splitlines() if "Invitation" not in line)
    assert supporter_email not in dump and "ana-supporter" not in dump
    assert {f.name for f in Response._meta.get_fields()} == {"id", "survey", "submitted_on", "answers"}
    assert {f.name for f in Invitation._meta.get_fields()} == {"id", "survey", "token_hash", "recipient_index",
                                                               "sent_on", "spent"}
    assert invitation.token_hash not in response_rows.replace(repr(invitation.token_hash), "")
    assert str(response.submitted_on) == response.submitted_on.isoformat()  # a day, no time
    assert "she said this" not in dump  # her words sealed to the owners
    from amparo.core.models import AuditEntry
    assert not AuditEntry.objects.filter(object_type__startswith="surveys.response").exists()
    assert not AuditEntry.objects.filter(action__startswith="survey.answer").exists()


def test_only_the_owners_open_her_words(client, world) -> None:
    survey = table_survey(world)
    answer_needs_survey(client, survey, anything_else="we need a safe house")
    total, rows = queries.results(survey)
    assert total == 1
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "we need a safe house" in page
    shared = client.get(f"/surveys/{survey.pk}/results/shared/").content.decode()
    assert "we need a safe house" not in shared and "fewer than 5" in shared
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.get(f"/surveys/{survey.pk}/results/").status_code == 403


def test_a_question_whose_earlier_answer_was_left_empty_is_not_asked(client, world) -> None:
    from amparo.surveys.spec import ChoiceSpec, QuestionSpec, SectionSpec, SurveySpec

    yes_no = [ChoiceSpec("yes", {"en": "Yes"}), ChoiceSpec("no", {"en": "No"})]
    spec = SurveySpec("skip", {"en": "Skip"}, sections=[
        SectionSpec("one", {"en": "One"}, questions=[QuestionSpec("q1", "single", {"en": "First?"}, choices=yes_no)]),
        SectionSpec("two", {"en": "Two"}, questions=[
            QuestionSpec("q2", "text", {"en": "Why yes?"}, show_if_question="q1", show_if_value="yes"),
            QuestionSpec("q3", "number", {"en": "How many?"})])])
    survey = services.create_survey("system", world.network_a, spec)
    services.set_status("system", survey, Survey.Status.OPEN)
    first = client.get(f"/surveys/a/{survey.slug}/").content.decode()
    second = client.post(f"/surveys/a/{survey.slug}/", {"progress": progress_of(first)}).content.decode()
    assert "How many?" in second and "Why yes?" not in second
