"""Issue 17.4 in Chromium, in Spanish, on a 360-pixel phone without JavaScript: the number of
people attacked stops at 100,000 in the browser itself, and a date in the future comes back
from the server with a message beside the field, the rest of the form kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from amparo.registry.bounds import MAX_VICTIMS
from amparo.registry.models import Incident
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/notes/shots/bounds")


def test_the_incident_form_bounds_people_and_dates_on_a_phone(live_server, chromium, world, fast_password_hashing,
                                                               vocabulary):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="es")
    page = _log_in(context, live_server, world.users["documenter_a"])
    page.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/new/")
    page.locator("#id_narrative").fill("Dispararon contra la marcha de la comunidad.")
    victims = page.locator("#id_victims")
    assert victims.get_attribute("max") == str(MAX_VICTIMS)
    victims.fill(str(2**63 - 1))
    page.locator("main form button[type=submit]").last.click()
    # The browser keeps the form: the number is over the field's maximum.
    assert victims.evaluate("e => e.validity.rangeOverflow") is True
    assert not Incident.objects.exists()

    victims.fill("250")
    page.locator("#id_occurred_on").fill("2999-01-01")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    field = page.locator("#id_occurred_on")
    assert field.input_value() == "2999-01-01" and page.locator("#id_victims").input_value() == "250"
    assert "futur" in page.locator("main").inner_text()
    assert not Incident.objects.exists()
    page.locator("#id_occurred_on").scroll_into_view_if_needed()
    screenshot(page, "bounds-future-date-es")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "incident-form-future-date-es.png"), full_page=False)
    context.close()
