"""A documenter's account, end to end in Chromium with JavaScript off on a 360-pixel phone:
password and second factor, Spanish, her sessions, ending the others, leaving quickly."""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from amparo.accounts import services as accounts
from amparo.accounts.models import UserSession
from amparo.accounts.session_store import stored_key
from amparo.network import services
from amparo.network.models import Role
from conftest import enrol_second_factor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "seven quiet rivers under the moon"


def test_it_logs_in_with_a_second_factor_and_ends_other_sessions_without_javascript(
    live_server, phone_without_js, fast_password_hashing, world
):
    person = accounts.create_user(username="lucia", password=PASSWORD, first_name="Lucía")
    services.add_membership("system", user=person, role=Role.DOCUMENTER, network=world.network_a,
                            desk=world.desk_a)
    totp = pyotp.TOTP(enrol_second_factor(person))
    elsewhere = Client()
    elsewhere.force_login(person)  # another device, already logged in
    other_key = elsewhere.session.session_key

    page = phone_without_js.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("lucia")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    page.locator("#id_code").fill(totp.now())
    page.locator("main button[type=submit]").click()
    # Her first login since the vault: her key is made and its recovery code shown once.
    page.wait_for_url("**/vault/recovery-code/")
    assert page.locator("main code").inner_text().count("-") == 4
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/dashboard/")

    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Hola, Lucía" in page.locator("h1").inner_text()

    page.goto(live_server.url + "/accounts/security/")
    assert page.locator("h1").inner_text() == "La seguridad de tu cuenta"
    sessions = page.locator("main ul.rows li")
    assert sessions.count() == 2
    assert page.get_by_text("este dispositivo").count() == 1
    screenshot(page, "security-es-nojs")
    page.get_by_role("button", name="Cerrar todas las demás sesiones").click()
    page.wait_for_load_state()
    assert page.locator("main ul.rows li").count() == 1
    assert not Session.objects.filter(session_key=stored_key(other_key)).exists()
    assert elsewhere.get("/accounts/dashboard/").status_code == 302

    page.get_by_role("link", name="Salir rápido").click()
    page.wait_for_load_state()
    assert "Amparo" not in page.content()
    screenshot(page, "left-quickly-es-nojs")
    assert UserSession.objects.filter(user=person).count() == 0
    page.goto(live_server.url + "/accounts/dashboard/")
    assert "/accounts/login/" in page.url
