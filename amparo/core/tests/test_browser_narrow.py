"""The pages a desk fills with real data, as a defender's or a documenter's phone shows them:
Spanish, JavaScript off, 360 pixels wide. Nothing scrolls sideways; each one is photographed
(test-artifacts/screens/narrow-*.png) to be looked at."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings

from amparo.core.tests.test_page_quality import REAL_DATA, SIDEWAYS, _cookies, new_context
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_real_data_within_the_phone_in_spanish(live_server, chromium, world, vocabulary):
    context = new_context(chromium, urlparse(live_server.url).netloc, java_script_enabled=False, locale="es-ES")
    tab = context.new_page()
    wide = {}
    for key, (_name, page) in REAL_DATA.items():
        assert page.url is not None
        url = live_server.url + page.url(world)
        context.clear_cookies()
        context.add_cookies([*_cookies(world, page, live_server.url),
                             {"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])
        if page.refuse:
            tab.route(page.refuse, lambda route: route.abort())
        response = tab.goto(url, wait_until="load")
        assert response is not None and response.status == 200, key
        assert tab.locator("html").get_attribute("lang") == "es", key
        screenshot(tab, "narrow-" + key.split(",")[0].replace(":", "-"))
        if page.refuse:
            tab.unroute_all()
        found = tab.evaluate(SIDEWAYS)
        if found or tab.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            wide[key] = found
    context.close()
    assert not wide, wide
