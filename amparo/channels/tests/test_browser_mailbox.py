"""The coordinator sets up her desk's mailbox (issue 24): in Chromium, in Spanish, with
JavaScript off, on a 360-pixel phone; then a message in that mailbox (Dovecot on loopback)
becomes a sealed report of the desk."""

from __future__ import annotations

import imaplib

import pyotp
import pytest
from django.core.cache import cache

from amparo.channels import tasks
from amparo.registry.models import Incident
from conftest import STANDING_PASSWORD, enrol_second_factor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.channels, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_sets_up_the_desk_mailbox_in_spanish(live_server, phone_without_js, world,
                                                             fast_password_hashing, imap_server):
    cache.clear()
    user = world.users["coordinator"]
    user.set_password(STANDING_PASSWORD)
    user.save()
    totp = pyotp.TOTP(enrol_second_factor(user))
    page = phone_without_js.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STANDING_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    page.locator("#id_code").fill(totp.now())
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/dashboard/")
    page.locator(f"main a[href='/channels/desk/{world.desk_a.slug}/mailbox/']").click()
    page.wait_for_url(f"**/channels/desk/{world.desk_a.slug}/mailbox/")
    assert "Denuncias por correo" in page.locator("h1").inner_text()

    # Without a password: refused, what she typed given back.
    page.locator("#id_host").fill(imap_server.host)
    page.locator("#id_port").fill(str(imap_server.port))
    page.locator("#id_use_tls").uncheck()
    page.locator("#id_username").fill(imap_server.user)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "necesita su contraseña" in page.content()
    assert page.locator("#id_host").input_value() == imap_server.host
    screenshot(page, "channels-es-1-refused")

    page.locator("#id_password").fill(imap_server.password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/channels/desk/{world.desk_a.slug}/mailbox/")
    assert "El buzón está guardado" in page.content()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 360
    screenshot(page, "channels-es-2-saved")

    with imaplib.IMAP4(imap_server.host, imap_server.port) as imap:
        imap.login(imap_server.user, imap_server.password)
        imap.append("INBOX", None, None, b"From: defensora@correo.example\r\nSubject: Denuncia\r\n"
                    b"Message-ID: <b1@correo.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    b"Me amenazaron en la plaza.\r\n")
    assert tasks.poll_mailboxes() == 1
    assert Incident.objects.get().channel == Incident.Channel.EMAIL
    page.reload()
    assert "Última lectura" in page.content()
