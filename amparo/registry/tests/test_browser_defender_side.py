"""The defender's side in Chromium, JavaScript off, 360 pixels wide, in Spanish and in Portuguese
(issue 16): the defender with an account reports with her short form and a file, talks with
her desk both ways, takes back one consent and gives it again; the desk's inbox puts her "not
safe" case first with its unread count; a returning anonymous reporter types her words with a
slip and gets in, and with a wrong word is told which one."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from amparo.registry import services
from amparo.registry.models import ConsentRecord, Incident, Message
from amparo.registry.services import intake, receipts
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "es": {"not_safe": "No está a salvo", "unread": "1 mensaje sin leer", "new": "1 mensaje nuevo",
           "allowed": "Permitido", "not_allowed": "No permitido", "word": "La palabra 3 de 8",
           "form": "Cuéntanos qué pasó", "back": "Ya tengo mis palabras"},
    "pt": {"not_safe": "Não está em segurança", "unread": "1 mensagem não lida", "new": "1 nova mensagem",
           "allowed": "Permitido", "not_allowed": "Não permitido", "word": "A palavra 3 de 8",
           "form": "Conte-nos o que aconteceu", "back": "Já tenho minhas palavras"},
}


def _language(page, language: str) -> None:
    page.locator(f"footer button[value={language}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["es", "pt"])
def test_the_defender_reports_talks_with_her_desk_and_changes_one_consent(live_server, chromium, world, language,
                                                                           fast_password_hashing, settings,
                                                                           tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path
    words = WORDS[language]
    # 1. Her own short form, with a file (JavaScript off).
    hers = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = _log_in(hers, live_server, world.users["defender"])
    _language(page, language)
    page.goto(live_server.url + "/registry/report/")
    assert page.locator("#id_subdivision").count() == 0 and page.locator("#id_coordinates").count() == 0
    page.locator("#id_country").select_option("HN")
    page.locator("#id_narrative").fill("Hombres armados rondan la radio comunitaria.")
    page.locator("#id_when").fill("anoche")
    page.locator("#id_safe_now_2").check()  # "no"
    page.locator("#id_help_wanted").fill("Un lugar seguro esta semana.")
    page.locator("#id_consent_statistics").check()
    page.locator("#id_file").set_input_files(files=[{"name": "foto.txt", "mimeType": "text/plain",
                                                     "buffer": b"una prueba"}])
    screenshot(page, f"defender-short-form-{language}")
    _click(page, "main form button[type=submit]")
    assert "/registry/my-reports/v/" in page.url
    incident = Incident.objects.get(channel=Incident.Channel.DEFENDER)
    assert incident.safe_now == Incident.Safety.NO and incident.attachments.count() == 1
    assert incident.consent_statistics
    # A newer case, safe: "newest first" would put it above hers.
    services.record_incident("system", world.desk_a, services.IncidentData(narrative="otro", safe_now="yes"))

    # 2. She writes to her desk.
    page.locator("#id_text").fill("Volvieron esta mañana.")
    _click(page, "main form[action$='/write/'] button[type=submit]")
    assert "Volvieron esta mañana." in page.locator("main").inner_text()

    # 3. The desk's inbox, "not safe" first, with the unread count; the desk answers.
    desk = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    staff = _log_in(desk, live_server, world.users["documenter_a"])
    _language(staff, language)
    staff.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/inbox/")
    staff.locator("details.filters summary").click()
    staff.locator("#id_order").select_option("danger")
    _click(staff, "details.filters button[type=submit]")
    first = staff.locator("ul.incidents > li").first
    assert f"#{incident.pk}" in first.inner_text()
    assert words["not_safe"] in first.inner_text() and words["unread"] in first.inner_text()
    screenshot(staff, f"desk-inbox-danger-first-{language}")
    _click(staff, f"ul.incidents > li >> nth=0 >> a[href='/registry/incidents/{incident.pk}/']")
    assert "Volvieron esta mañana." in staff.locator("main").inner_text()
    assert "Un lugar seguro esta semana." in staff.locator("main").inner_text()
    staff.locator("form[action$='/reply/'] #id_text").fill("Te llamamos hoy.")
    _click(staff, "form[action$='/reply/'] button[type=submit]")
    assert Message.objects.filter(incident=incident, author=Message.Author.DESK).count() == 1
    desk.close()

    # 4. She sees the new message in her list and reads it.
    page.goto(live_server.url + "/registry/my-reports/")
    assert words["new"] in page.locator("main").inner_text()
    _click(page, "main form.row-open button[type=submit]")
    assert "Te llamamos hoy." in page.locator("main").inner_text()
    screenshot(page, f"defender-conversation-{language}")

    # 5. She takes back one use, with a page that says what changes, then gives it again.
    _click(page, "main a[href$='/consent/statistics/']")
    screenshot(page, f"defender-consent-confirm-{language}")
    _click(page, "main form button[type=submit]")
    row = page.locator("ul.consents > li").first
    assert row.inner_text().startswith(words["not_allowed"])
    incident.refresh_from_db()
    assert not incident.consent_statistics and incident not in Incident.objects.statistics_eligible()
    _click(page, "main a[href$='/consent/statistics/']")
    _click(page, "main form button[type=submit]")
    assert page.locator("ul.consents > li").first.inner_text().startswith(words["allowed"])
    incident.refresh_from_db()
    assert incident in Incident.objects.statistics_eligible()
    assert list(ConsentRecord.objects.filter(incident=incident).values_list("given", flat=True)) == [False, True]
    hers.close()


def _slip(word: str) -> str:
    plain = receipts.plain(word)
    return plain[:4] + ("zz" if len(plain) > 4 else "")


@pytest.mark.parametrize("language", ["es", "pt"])
def test_a_returning_reporter_types_her_words_with_a_slip_and_is_told_which_word_is_wrong(
        live_server, phone_without_js, world, language):
    cache.clear()
    words = WORDS[language]
    receipt, binding = intake.issue_receipt(language)
    incident = intake.submit_anonymous_report(receipt, binding, services.IncidentData(narrative="x", country="HN"))
    issued = receipt.split()
    page = phone_without_js.new_page()
    page.goto(live_server.url + "/")
    _language(page, language)
    # The way back is on the home page, and at the top of /r/ above any new words.
    page.goto(live_server.url + "/r/")
    link = page.locator("main a[href='/r/back/']").first
    assert words["back"] in link.inner_text()
    assert link.bounding_box()["y"] < page.locator(".receipt-words").bounding_box()["y"]
    page.goto(live_server.url + "/")
    assert words["back"] in page.locator("main a[href='/r/back/']").first.inner_text()
    _click(page, "main a[href='/r/back/']")

    # A wrong third word: she is told which, and what she typed is still there.
    wrong = " ".join(issued[:2] + ["xyzq"] + issued[3:])
    page.locator("#id_receipt").fill(wrong)
    _click(page, "main form button[type=submit]")
    assert words["word"] in page.locator("main").inner_text() and "xyzq" in page.locator("main").inner_text()
    assert page.locator("#id_receipt").input_value() == wrong
    screenshot(page, f"anonymous-wrong-word-{language}")

    # A slip after a word's fourth letter, without accents: she gets in.
    longest = max(range(8), key=lambda i: len(issued[i]))
    typed = [receipts.plain(w) for w in issued]
    typed[longest] = _slip(issued[longest])
    page.locator("#id_receipt").fill(" ".join(typed))
    _click(page, "main form button[type=submit]")
    assert "/r/v/" in page.url and incident.pk
    screenshot(page, f"anonymous-back-with-a-slip-{language}")
