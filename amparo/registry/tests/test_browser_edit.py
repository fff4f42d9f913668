"""The desk edits a case (issue 15): in Chromium, in Spanish, with JavaScript off, on a 360-pixel
phone. A documenter logs in with her second factor, opens a case from her inbox, edits it,
ticks two types of attack and a perpetrator, saves, and sees them on the case page. Before the
fix the edit page came back with an error on a field it did not show, and saved nothing."""

from __future__ import annotations

import datetime

import pyotp
import pytest
from django.core.cache import cache

from amparo.registry import services
from amparo.vocabulary.models import Term
from conftest import STANDING_PASSWORD, enrol_second_factor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_desk_edits_a_case_in_spanish_without_javascript(live_server, phone_without_js, world,
                                                             fast_password_hashing, vocabulary):
    cache.clear()
    user = world.users["documenter_a"]
    user.set_password(STANDING_PASSWORD)
    user.save()
    totp = pyotp.TOTP(enrol_second_factor(user))
    case = services.record_incident("system", world.desk_a, services.IncidentData(
        narrative="Hombres armados rodearon la casa de la defensora durante la noche.", country="HN",
        occurred_on=datetime.date(2026, 10, 14)))
    death, raid = (Term.objects.get(code=c) for c in ("attack.threat.death", "attack.raid.premises"))
    police = Term.objects.get(code="perpetrator.state.police")
    widths = {}

    page = phone_without_js.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STANDING_PASSWORD)
    screenshot(page, "edit-es-1-login")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    page.locator("#id_code").fill(totp.now())
    screenshot(page, "edit-es-2-code")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/dashboard/")
    widths["dashboard"] = _width(page)
    screenshot(page, "edit-es-3-dashboard")

    # From her page to the desk's inbox, and from the inbox to the case.
    page.locator(f"main a[href='/registry/desk/{world.desk_a.slug}/inbox/']").click()
    page.wait_for_url(f"**/registry/desk/{world.desk_a.slug}/inbox/")
    widths["inbox"] = _width(page)
    screenshot(page, "edit-es-4-inbox")
    page.locator(f"main a[href='/registry/incidents/{case.pk}/']").first.click()
    page.wait_for_url(f"**/registry/incidents/{case.pk}/")
    assert "Hombres armados rodearon" in page.content()
    screenshot(page, "edit-es-5-case")

    page.locator(f"main a[href='/registry/incidents/{case.pk}/edit/']").click()
    page.wait_for_url(f"**/registry/incidents/{case.pk}/edit/")
    assert page.locator("#id_occurred_on").input_value() == "2026-10-14"  # the date shows in Spanish too
    page.locator(f"input[name=attack_types][value='{death.pk}']").check()
    page.locator(f"input[name=attack_types][value='{raid.pk}']").check()
    page.locator(f"input[name=perpetrators][value='{police.pk}']").check()
    widths["edit"] = _width(page)
    screenshot(page, "edit-es-6-edit-ticked")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/registry/incidents/{case.pk}/")
    screenshot(page, "edit-es-7-saved")

    assert set(case.attack_types.all()) == {death, raid} and list(case.perpetrators.all()) == [police]
    facts = page.locator("dl.facts").inner_text()
    for term in (death, raid, police):
        assert term.label("es") in facts, facts
    assert "El incidente se ha guardado." in page.locator(".messages").inner_text()
    history = page.locator("main ul").last.inner_text()
    assert "incident." not in history
    widths["case"] = _width(page)
    print("scroll widths at 360 px:", widths)
