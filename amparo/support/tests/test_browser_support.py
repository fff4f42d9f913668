"""The journey of the issue in Chromium, JavaScript off, in Spanish, on a 360-pixel phone: she
said "not safe" on her anonymous report; with her receipt's words she is led to ask for
relocation (prefilled); a fund reviewer sees three funds that fit with their reasons and the
excluded ones with theirs, and partly approves; she reads the decision with her words; an
outsider and a documenter of another desk get 404.

Her way in starts at support's own entry point (/support/receipt/) with her receipt: the link
from the registry's report pages is wired when the branches are merged."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.registry.services import intake
from amparo.registry.tests.test_browser_registry import _log_in
from amparo.support import services
from amparo.support.models import SupportRequest
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _her_words(world) -> str:
    receipt, binding = intake.issue_receipt("es")
    incident = intake.submit_anonymous_report(receipt, binding, registry.IncidentData(
        narrative="Me siguieron hasta mi casa.", country="HN"))
    # Her answer "are you safe now? — no", as the anonymous form stores it (registry, h16).
    Incident.objects.filter(pk=incident.pk).update(safe_now=Incident.Safety.NO)
    return receipt


def _open_with_words(context, live_server, words: str):
    page = context.new_page()
    page.goto(live_server.url + "/support/receipt/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.locator("#id_receipt").fill(words)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/support/r/*/")
    assert not any(word.lower() in re.split(r"[/?&=#]", page.url.lower()) for word in words.split())
    return page


def test_not_safe_relocation_matched_partly_approved_and_read_with_her_words(
        live_server, chromium, phone_without_js, world, fast_password_hashing):
    cache.clear()
    services.add_demo_funds(world.coalition)
    words = _her_words(world)

    # 1. With her words, in Spanish, she is led to ask for relocation: prefilled.
    page = _open_with_words(phone_without_js, live_server, words)
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("input[name=kind][value=relocation]").is_checked()
    assert page.locator("input[name=urgency][value=critical]").is_checked()
    assert page.locator("#id_country").input_value() == "HN"
    page.locator("#id_amount").fill("3000")
    page.locator("#id_currency").select_option("USD")
    page.locator("#id_months").fill("6")
    page.locator("#id_travellers").fill("Yo y mi hija")
    page.locator("#id_destination").fill("Una ciudad segura, con una organización amiga")
    page.locator("#id_travel_security").fill("En autobús, de noche no")
    page.locator("#id_return_plan").fill("Volver cuando baje el riesgo")
    screenshot(page, "support-ask-es")
    page.locator("form[action$='/ask/'] button[type=submit]").click()
    page.wait_for_url("**/support/r/*/")
    assert "Tu solicitud ha llegado" in page.content()
    request = SupportRequest.objects.get()
    assert request.kind == "relocation" and request.channel == "anonymous" and request.network == world.coalition

    # 2. A fund reviewer: three funds fit, with reasons; the others are excluded, with why.
    reviewer = _log_in(chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False),
                       live_server, world.users["fund_reviewer"])
    reviewer.goto(live_server.url + "/support/")
    reviewer.locator(f"a[href='/support/{request.pk}/']").click()
    reviewer.wait_for_url(f"**/support/{request.pk}/")
    fitting = reviewer.locator("main ol li")
    assert fitting.count() == 3
    assert "cubre reubicación temporal" in fitting.first.inner_text()
    assert "Una ciudad segura" in reviewer.content()
    excluded = reviewer.locator("details.choices li").all_text_contents()
    assert any("Example: Legal Defence Fund" in t and "no paga reubicación temporal" in t for t in excluded)
    screenshot(reviewer, "support-review-es")
    reviewer.locator("input[name=outcome][value=partly]").check()
    reviewer.locator("#id_amount").fill("2000")
    reviewer.locator("#id_note").fill("Cubrimos el viaje y dos meses de alojamiento.")
    reviewer.locator("form[action$='/decide/'] button[type=submit]").click()
    reviewer.wait_for_url(f"**/support/{request.pk}/")
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.PARTLY

    # 3. She reads the decision with her words, in another browser.
    later = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = _open_with_words(later, live_server, words)
    text = page.content()
    assert "parcialmente aprobada" in text and "2000 USD" in text and "dos meses de alojamiento" in text
    screenshot(page, "support-decision-es")

    # 4. An outsider and a documenter of another desk: 404.
    for name in ("outsider", "documenter_b"):
        other = _log_in(chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False),
                        live_server, world.users[name])
        response = other.goto(live_server.url + f"/support/{request.pk}/")
        assert response is not None and response.status == 404, name
