"""A communication to the UN special procedures, generated in Spanish from a consented incident
as PDF and DOCX, and both files read back (pypdf, python-docx): every required element is in
them, under its Spanish heading. Without consent nothing can be made; missing elements are
listed first."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from amparo.protection import un_document
from amparo.protection.models import UnCommunication
from amparo.registry import services as registry
from conftest import sign_in

pytestmark = pytest.mark.django_db

VALUES = {
    "submitter": "Red Nacional de Defensoras de Honduras", "victim_name": "Berta Flores Prueba",
    "victim_age": "41", "victim_sex": "mujer", "victim_residence": "La Esperanza, Intibucá",
    "date": "2026-09-03", "place": "La Esperanza, Intibucá, Honduras",
    "account": "Recibió mensajes con amenazas de muerte tras hablar en una audiencia pública sobre una mina.",
    "perpetrators": "Policía Nacional; seguridad privada de la empresa minera",
    "authorities": "Denuncia ante la Fiscalía Especial de DDHH el 2026-09-05; no hubo investigación.",
    "confidential": "El nombre de la organización que envía esta comunicación.",
}


def read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def read_docx(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _flat(text: str) -> str:
    return " ".join(text.split())


def assert_every_element(text: str, values: dict[str, str], language: str) -> None:
    flat = _flat(text)
    with translation.override(language):
        headings = [str(e.label) for e in un_document.ELEMENTS] + [translation.gettext("Consent")]
    for heading in headings:
        assert _flat(heading) in flat, heading
    for key, value in values.items():
        assert _flat(value) in flat, key


@pytest.fixture
def incident(world):
    author = world.users["documenter_a"]
    defender = registry.create_defender(author, world.desk_a, name="Berta Flores Prueba")
    return registry.record_incident(author, world.desk_a, registry.IncidentData(
        narrative=VALUES["account"], locality="La Esperanza", country="HN", occurred_on=date(2026, 9, 3),
        consent_un=True), defenders=[defender])


def test_it_generates_the_communication_in_spanish_as_pdf_and_docx(client, world, incident):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    url = f"/protection/incidents/{incident.pk}/un/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # What the case already says is filled in; what it cannot say is listed as missing.
    assert "Berta Flores Prueba" in page and "2026-09-03" in page and 'id="missing"' in page
    refused = client.post(url, {"language": "es", **{**VALUES, "victim_age": ""}})
    assert refused.status_code == 400 and refused.context["form"].errors["victim_age"]
    assert VALUES["account"] in refused.content.decode()  # what she typed comes back
    response = client.post(url, {"language": "es", **VALUES})
    assert response.status_code == 302
    communication = UnCommunication.objects.get()
    assert communication.language == "es"
    pdf = client.get(f"/protection/un/{communication.pk}/file.pdf")
    docx_file = client.get(f"/protection/un/{communication.pk}/file.docx")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert docx_file.content.startswith(b"PK")
    for text in (read_pdf(pdf.content), read_docx(docx_file.content)):
        assert_every_element(text, VALUES, "es")
        assert "Comunicación" in text  # the title, in Spanish
    assert b"Berta" not in bytes(communication.pdf) and b"Berta" not in bytes(communication.elements)
    # Sent, then the 60-day window, then the reply.
    assert client.post(f"/protection/un/{communication.pk}/sent/", {"sent_on": timezone.localdate().isoformat()}
                       ).status_code == 302
    page = client.get(f"/protection/un/{communication.pk}/").content.decode()
    assert (timezone.localdate() + timedelta(days=60)).strftime("%Y") in page and "60 days left" in page
    today = timezone.localdate().isoformat()
    assert client.post(f"/protection/un/{communication.pk}/reply/", {
        "replied_on": today, "reply": "El Estado respondió que investiga"}).status_code == 302
    assert "El Estado respondió que investiga" in client.get(f"/protection/un/{communication.pk}/").content.decode()
    # Another desk's documenter gets nothing.
    sign_in(client, world.users["documenter_b"], world.unlocked["documenter_b"])
    assert client.get(f"/protection/un/{communication.pk}/file.pdf").status_code == 404


def test_french_and_english_headings(world, incident):
    for language in ("fr", "en"):
        assert_every_element(read_docx(un_document.render_docx(VALUES, language)), VALUES, language)


def test_an_incident_without_un_consent_cannot_produce_one(client, world):
    author = world.users["documenter_a"]
    incident = registry.record_incident(author, world.desk_a, registry.IncidentData(
        narrative="Solo documentar", country="HN", consent_un=False))
    sign_in(client, author, world.unlocked["documenter_a"])
    url = f"/protection/incidents/{incident.pk}/un/"
    response = client.get(url)
    assert response.status_code == 409 and "no consent" in response.content.decode()
    assert client.post(url, {"language": "es", **VALUES}).status_code == 409
    assert not UnCommunication.objects.exists()
