"""The help desk's journey in Chromium on a 360-pixel phone, in Spanish, JavaScript off: a
defender asks for help with a seized phone and is shown the matching guide; the expert who
speaks Spanish (not the one who speaks only French) is matched and answers from the seized-
device template; the defender reads the answer on her page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from amparo.helpdesk.models import HelpRequest
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import STANDING_PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _defender_logs_in(context, live_server, user):
    user.set_password(STANDING_PASSWORD)
    user.save()
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STANDING_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/dashboard/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    return page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_defender_with_a_seized_phone_gets_a_guide_and_an_answer_in_spanish(
        live_server, chromium, phone_without_js, world, experts, fast_password_hashing):
    cache.clear()
    base = live_server.url

    # 1. The defender, in Spanish without JavaScript, says her phone was taken.
    page = _defender_logs_in(phone_without_js, live_server, world.users["defender"])
    page.goto(f"{base}/helpdesk/")
    assert page.locator("h1").inner_text() == "Ayuda en seguridad digital"
    page.get_by_role("link", name="Dispositivo incautado o perdido").click()
    page.wait_for_url("**/helpdesk/ask/?category=device")
    guides = page.locator("section.card")
    assert "Guías que ayudan ahora" in guides.inner_text()
    _fits(page)
    screenshot(page, "helpdesk-ask-es")
    # 2. The matching guide, before she writes.
    page.get_by_role("link", name="Qué hacer si te quitan el teléfono").click()
    page.wait_for_url("**/helpdesk/guides/phone-seized/")
    assert "Bloquea tu cuenta de Amparo" in page.locator("article").inner_text()
    assert page.locator("script:not([src])").count() == 0
    _fits(page)
    screenshot(page, "helpdesk-guide-es")
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("#id_language").input_value() == "es"
    page.locator("#id_text").fill("Me quitaron el teléfono en la marcha de ayer. Estaba bloqueado con PIN.")
    page.get_by_role("button", name="Enviar a una persona experta").click()
    page.wait_for_url("**/helpdesk/mine/*/")
    assert "Una persona experta responderá aquí" in page.locator("main").inner_text()
    request = HelpRequest.objects.get()
    assert request.expert_id == experts["es"].pk and request.language == "es" and request.category == "device"

    # 3. The Spanish-speaking expert answers from the seized-device template.
    expert_context = phone_without_js.browser.new_context(viewport={"width": 360, "height": 740},
                                                          java_script_enabled=False)
    expert = _log_in(expert_context, live_server, experts["es"])
    expert.goto(f"{base}/helpdesk/desk/")
    expert.get_by_role("link", name=f"#{request.pk} Dispositivo incautado o perdido").first.click()
    expert.wait_for_url(f"**/helpdesk/desk/{request.pk}/")
    assert "Me quitaron el teléfono" in expert.locator("main").inner_text()
    expert.locator("details.choices summary").click()
    expert.get_by_role("link", name="Primera respuesta").click()
    expert.wait_for_load_state()
    template = expert.locator("#id_text").input_value()
    assert template.startswith("Lo siento mucho.")
    expert.locator("#id_text").fill(template + "\n\nAna, del servicio de ayuda.")
    expert.get_by_role("button", name="Enviar la respuesta").click()
    expert.wait_for_load_state()
    _fits(expert)
    screenshot(expert, "helpdesk-expert-es")
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.WAITING and request.first_response_at is not None
    expert_context.close()

    # 4. She reads the answer on her page.
    page.reload()
    text = page.locator("main").inner_text()
    assert "La persona experta escribió" in text and "Ana, del servicio de ayuda." in text
    assert "La persona experta respondió" in text
    _fits(page)
    screenshot(page, "helpdesk-answer-es")
