"""The first pages seen in a real browser on a 360-pixel phone, with and without JavaScript.

Screenshots land in test-artifacts/screens/ for a person to look at."""

from __future__ import annotations

from urllib.parse import urlparse

import pyotp
import pytest

from amparo.accounts import services as accounts
from amparo.network import services
from amparo.network.models import Role
from amparo.vault import services as vault
from conftest import enrol_second_factor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "seven quiet rivers under the moon"


def _watch_hosts(page, live_server) -> list[str]:
    own = urlparse(live_server.url).netloc
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc != own else None)
    return foreign


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_it_shows_the_home_page_on_a_phone_in_two_languages(live_server, phone):
    page = phone.new_page()
    foreign = _watch_hosts(page, live_server)
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Protection and solidarity")
    assert _fits(page)
    screenshot(page, "home-en")
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Protection and solidarity" not in page.locator("h1").inner_text()
    assert _fits(page)
    screenshot(page, "home-es")
    assert foreign == []


def test_it_logs_in_and_shows_a_dashboard_on_a_phone(live_server, phone, fast_password_hashing, world):
    person = accounts.create_user(username="rosa", password=PASSWORD, first_name="Rosa")
    vault.create_member_key(person, PASSWORD)  # not her first login: no key page
    totp = pyotp.TOTP(enrol_second_factor(person))  # staff roles need a second factor
    services.add_membership("system", user=person, role=Role.COORDINATOR, network=world.network_a)
    services.add_membership("system", user=person, role=Role.DOCUMENTER, network=world.network_a,
                            desk=world.desk_a)
    page = phone.new_page()
    foreign = _watch_hosts(page, live_server)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/login/code/")
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/dashboard/")
    assert "Hello, Rosa" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Desk A", exact=True).is_visible()
    assert _fits(page)
    screenshot(page, "dashboard-en")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert _fits(page)
    screenshot(page, "dashboard-fr")
    page.goto(live_server.url + f"/network/n/{world.network_a.slug}/members/")
    assert _fits(page)
    screenshot(page, "members-fr")
    assert foreign == []


def test_it_works_without_javascript(live_server, phone_without_js, fast_password_hashing, world):
    vault.create_member_key(accounts.create_user(username="lucia", password=PASSWORD), PASSWORD)
    page = phone_without_js.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt"
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("lucia")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/dashboard/")
    screenshot(page, "dashboard-pt-nojs")
    page.locator("header button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/dashboard/" not in page.url
