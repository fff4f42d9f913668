"""The builder, as a coordinator uses it: a survey, pages, questions of each kind with skip
logic, a translation, opening; then results as counts and the answers as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from amparo.surveys.models import Question, Survey
from amparo.surveys.tests.answering import answer_needs_survey, progress_of
from amparo.surveys.tests.tables import table_survey
from conftest import sign_in

pytestmark = pytest.mark.django_db


def test_it_builds_translates_and_opens_a_survey(client, world) -> None:
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    response = client.post("/surveys/new/", {"network": world.network_a.pk, "title": "Needs 2027", "language": "es"})
    survey = Survey.objects.get(form_id="needs_2027")
    assert response.status_code == 302 and survey.title == {"es": "Needs 2027"}
    assert client.post(f"/surveys/{survey.pk}/sections/", {"label": "Sobre usted"}).status_code == 302
    section = survey.sections.get()
    url = f"/surveys/{survey.pk}/sections/{section.pk}/questions/"
    assert client.post(url, {"label": "¿Es parte de una organización?", "kind": "single", "required": "on",
                             "choices": "Sí\nNo"}).status_code == 302
    assert client.post(url, {"label": "¿Cuál?", "kind": "text", "show_if": "es_parte_de_una_organizacion=si"}
                       ).status_code == 302
    refused = client.post(url, {"label": "Elija", "kind": "multiple", "choices": ""})
    assert refused.status_code == 400 and "Write at least one choice" in refused.content.decode()
    assert 'value="Elija"' in refused.content.decode()  # what she typed comes back
    kinds = {"scale": {"scale_min": "1", "scale_max": "4"}, "number": {}, "date": {}, "country": {},
             "subdivision": {}}
    for kind, extra in kinds.items():
        assert client.post(url, {"label": f"Pregunta {kind}", "kind": kind, **extra}).status_code == 302
    assert client.post(f"/surveys/{survey.pk}/sections/", {"label": "Organización",
                                                           "show_if": "es_parte_de_una_organizacion=si"}
                       ).status_code == 302
    assert set(survey.questions.values_list("kind", flat=True)) == set(Question.Kind.values) - {"multiple"}
    texts = {"title": "Needs 2027 (pt)"}
    form = client.get(f"/surveys/{survey.pk}/translate/pt/")
    assert form.status_code == 200
    q = survey.questions.get(name="es_parte_de_una_organizacion")
    texts |= {f"question:{q.pk}": "Você faz parte de uma organização?",
              **{f"choice:{c.pk}": word for c, word in zip(q.choices.all(), ["Sim", "Não"], strict=True)}}
    assert client.post(f"/surveys/{survey.pk}/translate/pt/", texts).status_code == 302
    survey.refresh_from_db()
    assert survey.languages == ["es", "pt"] and survey.title["pt"] == "Needs 2027 (pt)"
    assert client.post(f"/surveys/{survey.pk}/status/", {"status": "open"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    client.logout()
    page = client.get(f"/surveys/a/{survey.slug}/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    assert "Você faz parte de uma organização?" in page and "Sim" in page
    assert "Only if you answered" in client.get(f"/surveys/a/{survey.slug}/").content.decode()


def test_a_condition_on_a_later_question_is_refused(client, world) -> None:
    survey = table_survey(world)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    first = survey.sections.first()
    refused = client.post(f"/surveys/{survey.pk}/sections/{first.pk}/questions/", {
        "label": "Late", "kind": "text", "show_if": "support=funds"})
    assert refused.status_code == 400  # not offered: support comes later


def test_results_count_each_answer_and_csv_escapes_formulas(client, world) -> None:
    survey = table_survey(world)
    answer_needs_survey(client, survey, anything_else="=HYPERLINK(\"x\")")
    answer_needs_survey(client, survey, in_org="yes", threats=["physical"])
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert '<strong id="total">2</strong>' in page
    assert "Honduras" in page and "<svg" in page
    csv_rows = list(csv.reader(io.StringIO(b"".join(client.get(f"/surveys/{survey.pk}/answers.csv")
                                                    .streaming_content).decode())))
    header = csv_rows[0]
    assert header[:4] == ["response", "day", "country", "region"]
    assert csv_rows[1][header.index("anything_else")] == "'=HYPERLINK(\"x\")"
    assert csv_rows[1][header.index("threats")] == "online surveillance"
    assert csv_rows[2][header.index("org_size")] == "12"


def test_a_progress_token_for_another_survey_is_refused(client, world) -> None:
    survey = table_survey(world)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    client.post("/surveys/new/", {"network": world.network_a.pk, "title": "Other", "language": "en"})
    client.logout()
    token = progress_of(client.get(f"/surveys/a/{survey.slug}/").content.decode())
    other = Survey.objects.get(form_id="other")
    assert client.post(f"/surveys/a/{other.slug}/", {"progress": token}).status_code == 404  # a draft: not open


def test_it_cross_tabulates_two_choice_questions(client, world) -> None:
    survey = table_survey(world)
    answer_needs_survey(client, survey, in_org="yes", threats=["physical", "online"])
    answer_needs_survey(client, survey, in_org="no", threats=["online"])
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/surveys/{survey.pk}/results/", {"rows": "in_org", "columns": "threats"})
    table = page.content.decode().split('id="crosstab"')[1]
    cells = [int(n) for n in __import__("re").findall(r"<td>(\d+)</td>", table)]
    assert cells == [1, 1, 0, 0, 0, 1, 0, 0, 0, 0]  # yes: online, physical; no: online
    assert client.get(f"/surveys/{survey.pk}/results/", {"rows": "country", "columns": "threats"}).status_code == 200


def test_the_shared_results_come_as_a_pdf(client, world) -> None:
    survey = table_survey(world)
    answer_needs_survey(client, survey)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    response = client.get(f"/surveys/{survey.pk}/results.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
