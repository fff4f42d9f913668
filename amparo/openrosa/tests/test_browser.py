"""The desk's journey for its phone apps, in Spanish, JavaScript off, 360 px wide: from the
dashboard to a new address with its QR codes, a phone sending to it, and revoking it."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from django.core.cache import cache

from amparo.openrosa.models import Link
from amparo.registry.tests.test_browser_registry import _log_in
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_documenter_gives_a_phone_an_address_and_revokes_it(live_server, phone_without_js, world, settings,
                                                              fast_password_hashing):
    cache.clear()
    settings.AMPARO_PUBLIC_URL = live_server.url
    page = _log_in(phone_without_js, live_server, world.users["documenter_a"])
    page.get_by_role("link", name="Direcciones de servidor de Desk A").click()
    assert page.locator("h1").inner_text() == "Aplicaciones de teléfono de Desk A"
    assert "Todavía no hay direcciones." in page.content()
    page.get_by_role("button", name="Crear una dirección nueva").click()
    address = page.locator("#new-address").inner_text()
    assert address.startswith(f"{live_server.url}/openrosa/")
    assert page.locator(".qr svg").count() == 2 and "solo se muestra una vez" in page.content()
    screenshot(page, "openrosa-new-address-es")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with urllib.request.urlopen(address + "formList") as answer:  # noqa: S310 - the live server, on loopback
        assert answer.status == 200 and answer.headers["X-OpenRosa-Version"] == "1.0"

    link = Link.objects.get()
    page.goto(f"{live_server.url}/openrosa/desk/{world.desk_a.slug}/")
    assert address not in page.content()  # shown once
    page.get_by_role("button", name=f"Revocar {link.username}").click()
    assert f"La dirección {link.username} ya no funciona" in page.content()
    screenshot(page, "openrosa-revoked-es")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(address + "formList")  # noqa: S310 - the live server, on loopback
    assert refused.value.code == 404
    refused.value.close()
