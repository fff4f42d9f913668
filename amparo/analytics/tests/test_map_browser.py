"""The map and a report in a real browser on a phone, with and without JavaScript: the same data
either way, nothing sideways, screenshots to look at (test-artifacts/screens/)."""

from __future__ import annotations

import pytest

from amparo.analytics.services.public import refresh_public_tables
from amparo.analytics.tests.report_data import made_report, plant_incidents
from conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rows(page) -> list[str]:
    return [r.inner_text() for r in page.locator(".map-table tbody tr").all()]


def test_the_public_map_shows_the_same_with_and_without_javascript(live_server, phone, phone_without_js, world,
                                                                   vocabulary):
    plant_incidents(world)
    refresh_public_tables()
    seen = {}
    for name, context in (("js", phone), ("nojs", phone_without_js)):
        page = context.new_page()
        page.goto(live_server.url + "/analytics/map/?year=2023")
        assert page.locator("svg.choropleth path").count() > 200
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        seen[name] = _rows(page)
        screenshot(page, f"map-public-{name}")
        page.close()
    assert seen["js"] == seen["nojs"] and any("Colombia" in r for r in seen["js"])
    assert any("hidden" in r for r in seen["js"])
    page = phone.new_page()
    page.goto(live_server.url + "/analytics/map/?year=2023")
    page.locator('svg.choropleth path[data-code="CO"]').dispatch_event("click")
    assert "Colombia: 40 incidents" in page.locator("#map-tip").inner_text()
    assert page.locator('.map-table tr.on[data-code="CO"]').count() == 1
    page.locator(".zoom button").first.click()  # zoom in: the viewBox narrows
    assert page.locator("svg.choropleth").get_attribute("viewBox") != "0 0 2000 974"
    page.select_option("#map-year", "2022")  # the year select submits itself with JavaScript
    page.wait_for_url("**year=2022")
    assert page.locator("#map-year").input_value() == "2022"


def _unlocked_cookies(world, who: str, url: str) -> list[dict[str, str]]:
    """A session of `who` with her key unlocked, as after a real login."""
    from django.test import Client

    client = Client()
    sign_in(client, world.users[who], world.unlocked[who])
    return [{"name": name, "value": morsel.value, "url": url} for name, morsel in client.cookies.items()]


def test_staff_map_and_report_on_a_phone(live_server, chromium, world, vocabulary):
    report = made_report(world)
    for who, url, name in (("documenter_a", "/analytics/map/desks/", "map-desk"),
                           ("coordinator", f"/analytics/reports/{report.pk}/", "report")):
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies(_unlocked_cookies(world, who, live_server.url))
        page = context.new_page()
        page.goto(live_server.url + url)
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName + '.' + e.className)
            .slice(0, 5)""")
        screenshot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
        context.close()
