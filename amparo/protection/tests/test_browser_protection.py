"""The accompaniment in Chromium on a 360-pixel phone, in Spanish, JavaScript off: documenter_a
assesses a defender's risk, builds her plan with an emergency protocol, schedules check-ins
that are then missed (the clock frozen past the grace period): the alert reaches the desk
once. Then she generates a UN communication in Spanish and downloads it as PDF and DOCX, and
both files are read back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from amparo.protection import tasks
from amparo.protection.models import CheckInSchedule, MissedCheckIn, RiskAssessment, UnCommunication
from amparo.protection.tests.test_un_communications import VALUES, assert_every_element, read_docx, read_pdf
from amparo.registry import services as registry
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_documenter_accompanies_a_defender_in_spanish_without_javascript(
        live_server, phone_without_js, world, fast_password_hashing, smtp_server, settings, monkeypatch):
    settings.AMPARO_SMS_URL = ""  # no gateway here: e-mail only, and the page says so
    author = world.users["documenter_a"]
    author.email = "documentadora@desks.example"
    author.save()
    defender = registry.create_defender(author, world.desk_a, name="Berta Flores Prueba")
    incident = registry.record_incident(author, world.desk_a, registry.IncidentData(
        narrative=VALUES["account"], locality="La Esperanza", country="HN", occurred_on=date(2026, 9, 3),
        consent_un=True), defenders=[defender])
    base = live_server.url
    page = _log_in(phone_without_js, live_server, author)

    # The dashboard panel leads to the desk's accompaniment, then to her page.
    page.locator(f"a[href='/protection/desk/{world.desk_a.slug}/']").click()
    page.locator(f"a[href='/protection/defenders/{defender.pk}/']").click()
    assert page.locator("h1").inner_text() == "Berta Flores Prueba"
    page.locator(f"a[href='/protection/defenders/{defender.pk}/assess/']").click()
    assert page.locator("h1").inner_text() == "Evaluar el riesgo"
    _fits(page)
    page.locator("#id_threats_0_text").fill("Amenazas de muerte por mensajes")
    page.locator("#id_threats_0_rating").select_option("5")
    page.locator("#id_threats_0_incident").select_option(str(incident.pk))
    page.locator("#id_threats_1_text").fill("Vigilancia de su casa")
    page.locator("#id_threats_1_rating").select_option("3")
    page.locator("#id_vulnerabilities_0_text").fill("Vive sola")
    page.locator("#id_vulnerabilities_0_rating").select_option("4")
    page.locator("#id_capacities_0_text").fill("Red de apoyo de la comunidad")
    page.locator("#id_capacities_0_rating").select_option("2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/protection/assessments/*/")
    assessment = RiskAssessment.objects.get()
    assert str(assessment.risk) == "8.00"
    explanation = page.locator("#explanation").inner_text()
    assert "4.00 × 4.00 ÷ 2.00 = 8.00" in explanation and "riesgo alto" in explanation
    _fits(page)
    screenshot(page, "protection-assessment-es")

    # The plan: a measure with an owner and a due date, and the detention protocol.
    page.goto(f"{base}/protection/defenders/{defender.pk}/plan/")
    page.locator("details.choices summary").first.click()  # no script: <details> opens natively
    page.locator("#id_kind").first.select_option("threats")
    page.locator("#id_text").fill("Denuncia ante la Fiscalía de DDHH")
    page.locator("#id_owner").fill("Abogada de la red")
    page.locator("#id_due_on").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.locator("form[action$='/plan/measures/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Denuncia ante la Fiscalía de DDHH" in page.locator("main").inner_text()
    page.locator("details.choices summary").last.click()
    page.locator("form[action$='/plan/protocols/'] select").select_option("detention")
    page.locator("form[action$='/plan/protocols/'] button[type=submit]").click()
    page.wait_for_load_state()
    checklist = page.locator(".checklist").first
    assert "Emergencia: detención" in page.locator("main").inner_text()
    assert "Llamar" in checklist.inner_text() or "abogada" in checklist.inner_text()
    checklist.locator("input[type=checkbox]").first.check()
    page.locator("form[action^='/protection/protocols/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".checklist input[type=checkbox]").first.is_checked()
    _fits(page)
    screenshot(page, "protection-plan-es")

    # Check-ins every 12 hours, an hour's grace; no SMS gateway, so the page says e-mail only.
    page.goto(f"{base}/protection/defenders/{defender.pk}/check-ins/")
    assert "solo por correo" in page.locator("#channels").inner_text()
    page.locator("#id_contact_name").fill("Hermana de Berta")
    page.locator("#id_contact_email").fill("hermana@contacts.example")
    page.locator("#id_every_hours").fill("12")
    page.locator("#id_grace_minutes").fill("60")
    page.locator("#id_first_due_in_hours").fill("12")
    page.locator("main form:not(.inline) button[type=submit]").last.click()
    page.wait_for_load_state()
    schedule = CheckInSchedule.objects.get()
    _fits(page)

    # She does not check in. The clock stands 61 minutes past the due time; the job runs twice.
    frozen = schedule.next_due_at + timedelta(minutes=61)
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: frozen)
        assert tasks.alert_missed_check_ins() == 1
        assert tasks.alert_missed_check_ins() == 0
    assert MissedCheckIn.objects.count() == 1
    to_desk = [m for m in smtp_server if "documentadora@desks.example" in m.recipients]
    assert len(to_desk) == 1 and "Berta" not in to_desk[0].body
    assert "P-" in to_desk[0].body and f"/protection/defenders/{defender.pk}/" in to_desk[0].body
    page.reload()
    assert "alerta enviada (2 correos, 0 SMS)" in page.locator("main").inner_text()
    screenshot(page, "protection-check-ins-es")

    # A UN communication in Spanish, from the consented incident.
    page.goto(f"{base}/protection/incidents/{incident.pk}/un/")
    assert page.locator("#missing").count() == 1  # age, residence, what stays confidential …
    assert page.locator("#id_victim_name").input_value() == "Berta Flores Prueba"
    page.locator("#id_language").select_option("es")
    for key, value in VALUES.items():
        page.locator(f"#id_{key}").fill(value)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/protection/un/*/")
    communication = UnCommunication.objects.get()
    _fits(page)
    screenshot(page, "protection-un-es")
    with page.expect_download() as pdf_download:
        page.locator("#pdf").click()
    with page.expect_download() as docx_download:
        page.locator("#docx").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    docx_bytes = Path(docx_download.value.path()).read_bytes()
    assert communication.language == "es"
    for text in (read_pdf(pdf), read_docx(docx_bytes)):
        assert_every_element(text, VALUES, "es")
        assert "Comunicación a los procedimientos especiales" in text.replace("\n", " ")
