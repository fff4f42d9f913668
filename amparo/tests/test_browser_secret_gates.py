"""Too many wrong codes, as a defender sees it: Spanish, JavaScript off, a 360-pixel phone.
The reset form and the supporter export say calmly how long to wait, and keep the form."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from django.core.cache import cache

from amparo.accounts import services as accounts
from amparo.accounts import throttle
from amparo.network import services as network
from amparo.network.models import Role
from amparo.network.tests.factories import UserFactory
from amparo.tests.test_secret_gates import _wrong_code
from conftest import enrol_second_factor, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "seven quiet rivers under the moon"
NEW_PASSWORD = "another quiet evening by the river"
WAIT = "Ha habido demasiados intentos. Espera 1 minuto y vuelve a intentarlo."


def test_the_reset_form_says_how_long_to_wait(live_server, phone_without_js, fast_password_hashing, world):
    cache.clear()
    person = accounts.create_user(username="lucia", password=PASSWORD, email="lucia@example.org")
    totp = pyotp.TOTP(enrol_second_factor(person))
    page = phone_without_js.new_page()
    page.goto(live_server.url + "/accounts/password-reset/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.locator("#id_email").fill("lucia@example.org")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    link = re.search(r"http://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[-1].body)
    assert link
    page.goto(live_server.url + link.group(1))
    for code in [_wrong_code(totp)] * throttle.FREE_FAILURES + [totp.now()]:
        page.locator("#id_new_password1").fill(NEW_PASSWORD)
        page.locator("#id_new_password2").fill(NEW_PASSWORD)
        page.locator("#id_code").fill(code)
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
    assert WAIT in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "reset-too-many-es-nojs")
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_supporter_export_says_how_long_to_wait(live_server, phone_without_js, world):
    cache.clear()
    coordinator = UserFactory.create(username="coalition_coordinator")
    network.add_membership("system", user=coordinator, role=Role.COORDINATOR, network=world.coalition)
    totp = pyotp.TOTP(enrol_second_factor(coordinator))
    from django.test import Client

    client = Client()
    sign_in(client, coordinator)
    phone_without_js.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                   "url": live_server.url}])
    page = phone_without_js.new_page()
    page.goto(live_server.url + "/appeals/supporters/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    for code in [_wrong_code(totp)] * throttle.FREE_FAILURES + [totp.now()]:
        page.locator("main input[name=code]").fill(code)
        page.locator("main form[action$='/export/'] button[type=submit]").click()
        page.wait_for_load_state()
    assert WAIT in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "export-too-many-es-nojs")
