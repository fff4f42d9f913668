"""An anonymous report in Chromium with JavaScript off, in Spanish, on a 360-pixel phone: she
sends a report with a file, keeps her words, comes back with them, reads the desk's answer and
answers; the desk sees the report in its inbox and the conversation; desk B gets 404."""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.cache import cache

from amparo.registry.models import Incident, Message
from amparo.registry.services import intake
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUDGET = 30_000


def _submit_and_check(page, button, words: str) -> None:
    """Send a form, then hold the page it answers with (reached only by POST, so the GET-only
    page-quality harness cannot visit it) to the same bars: 30 KB compressed with everything
    it loads, the strict policy, no-store, the quick exit, a neutral title, no words in the URL."""
    responses: list = []

    def record(response) -> None:  # noqa: ANN001 - Playwright's Response
        responses.append(response)

    page.on("response", record)
    try:
        with page.expect_navigation() as navigation:
            page.locator(button).click()
        response = navigation.value
        page.wait_for_load_state("load")
    finally:
        page.remove_listener("response", record)
    assert response is not None and response.status == 200
    weight = sum(len(gzip.compress(r.body())) for r in responses if not 300 <= r.status < 400)
    assert weight <= BUDGET, weight
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]
    assert page.locator("#quick-exit").is_visible()
    title = page.title().lower()
    assert "attack" not in title and "ataque" not in title and words.split()[0] not in title
    # Her words in no part of the address (a random token may hold three letters of one by chance).
    parts = set(re.split(r"[/?&=#]", page.url.lower()))
    assert not any(word.lower() in parts for word in words.split())


def test_an_anonymous_report_and_its_conversation_without_javascript(live_server, chromium, phone_without_js,
                                                                      world, fast_password_hashing, settings,
                                                                      tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path
    # 1. From the home page, in Spanish, with JavaScript off.
    page = phone_without_js.new_page()
    page.goto(live_server.url + "/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator("main a[href='/r/']").click()
    page.wait_for_url("**/r/")
    words = page.locator(".receipt-words strong").inner_text()
    assert all(word in intake.wordlist("es") for word in words.split())
    assert len(words.split()) >= 6
    page.locator("#id_country").select_option("HN")
    page.locator("#id_narrative").fill("Me siguieron desde la radio hasta mi casa.")
    page.locator("#id_when").fill("la semana pasada")
    page.locator("#id_safe_now_2").check()
    page.locator("#id_file").set_input_files(files=[{"name": "nota.txt", "mimeType": "text/plain",
                                                     "buffer": b"una nota"}])
    screenshot(page, "anonymous-form-es")
    _submit_and_check(page, "main form button[type=submit]", words)
    assert words in page.locator(".receipt-words strong").inner_text()
    incident = Incident.objects.get(channel=Incident.Channel.ANONYMOUS)
    assert incident.desk == world.desk_a and incident.attachments.count() == 1

    # 2. The desk sees it in its inbox and answers.
    desk = chromium.new_context(viewport={"width": 360, "height": 740})
    staff = _log_in(desk, live_server, world.users["documenter_a"])
    staff.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/inbox/")
    assert staff.locator(f"a[href='/registry/incidents/{incident.pk}/']").count() >= 1
    staff.goto(live_server.url + f"/registry/incidents/{incident.pk}/")
    assert "Me siguieron desde la radio" in staff.locator("main").inner_text()
    staff.locator("#id_text").fill("Te leímos. ¿Podemos llamarte?")
    staff.locator("form[action$='/reply/'] button[type=submit]").click()
    staff.wait_for_load_state()

    # 3. She comes back with her words (typed in capitals), reads it and answers.
    page.goto(live_server.url + "/r/back/")
    page.locator("#id_receipt").fill(words.upper())
    _submit_and_check(page, "main form button[type=submit]", words)
    assert "Te leímos. ¿Podemos llamarte?" in page.locator("main").inner_text()
    page.locator("#id_text").fill("Sí, por la tarde.")
    _submit_and_check(page, "main form[enctype='multipart/form-data'] button[type=submit]", words)
    assert "Sí, por la tarde." in page.locator("main").inner_text()
    screenshot(page, "anonymous-conversation-es")
    assert [m.author for m in Message.objects.filter(incident=incident)] == ["desk", "reporter"]

    # 4. The desk sees her answer in the incident; desk B does not see the incident at all.
    staff.goto(live_server.url + f"/registry/incidents/{incident.pk}/")
    assert "Sí, por la tarde." in staff.locator("main").inner_text()
    desk.close()
    other = chromium.new_context(viewport={"width": 360, "height": 740})
    outsider = _log_in(other, live_server, world.users["documenter_b"])
    response = outsider.goto(live_server.url + f"/registry/incidents/{incident.pk}/")
    assert response is not None and response.status == 404
    other.close()
