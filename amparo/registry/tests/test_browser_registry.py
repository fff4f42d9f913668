"""The desk's daily work in Chromium, in Spanish, on a 360-pixel phone: one documenter records
a case, a colleague finds it by the defender's name, marks another as its duplicate and hands
a third to desk B, whose documenter sees only that one."""

from __future__ import annotations

import pyotp
import pytest
from django.core.cache import cache

from amparo.network import services as network
from amparo.network.models import Role
from amparo.registry import services
from amparo.registry.models import Incident
from amparo.vault import services as vault
from amparo.vocabulary.models import Term
from conftest import STANDING_PASSWORD, enrol_second_factor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(context, live_server, user) -> object:
    """Password, then the second factor, then Spanish."""
    user.set_password(STANDING_PASSWORD)
    user.save()
    totp = pyotp.TOTP(enrol_second_factor(user))
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STANDING_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    page.locator("#id_code").fill(totp.now())
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/dashboard/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    return page


def test_it_records_finds_merges_and_moves_cases_in_spanish(live_server, chromium, world, fast_password_hashing,
                                                             vocabulary):
    cache.clear()
    colleague = world.users["supporter"]  # a second documenter of desk A, with her own key
    network.add_membership("system", user=colleague, role=Role.DOCUMENTER, network=world.network_a,
                           desk=world.desk_a)
    vault.complete_pending_grants(world.unlocked["documenter_a"])
    death, raid = (Term.objects.get(code=c) for c in ("attack.threat.death", "attack.raid.premises"))
    police = Term.objects.get(code="perpetrator.state.police")
    assert police.state_actor

    # 1. documenter_a records a case in Spanish.
    first = chromium.new_context(viewport={"width": 360, "height": 740})
    page = _log_in(first, live_server, world.users["documenter_a"])
    page.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/new/")
    assert page.locator("h1").inner_text() == "Registrar un incidente"
    page.locator("#id_narrative").fill("Hombres armados llegaron a la oficina de la organización de noche.")
    page.locator("#id_occurred_on").fill("2026-10-14")
    page.locator("#id_country").select_option("HN")
    page.locator("#id_locality").fill("La Esperanza")
    page.locator("#id_defender_name").fill("Marta Quispe")
    page.locator(f"input[name=attack_types][value='{death.pk}']").check()
    page.locator(f"input[name=attack_types][value='{raid.pk}']").check()
    page.locator(f"input[name=perpetrators][value='{police.pk}']").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "incident-form-es")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/registry/incidents/*/")
    recorded = Incident.objects.get(channel=Incident.Channel.DESK, narrative__isnull=False,
                                    defenders__isnull=False)
    assert set(recorded.attack_types.all()) == {death, raid} and list(recorded.perpetrators.all()) == [police]
    first.close()

    # Two more cases arrive (say, from anonymous reports and another colleague).
    repeat = services.record_incident("system", world.desk_a, services.IncidentData(narrative="la misma noche"))
    to_move = services.record_incident("system", world.desk_a, services.IncidentData(
        narrative="ocurrió en Kinshasa", country="CD"))

    # 2. The colleague finds it by the defender's name, marks a duplicate, hands one to desk B.
    second = chromium.new_context(viewport={"width": 360, "height": 740})
    page = _log_in(second, live_server, colleague)
    page.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/inbox/")
    page.locator("details.filters summary").click()
    page.locator("#id_name").fill("marta quispe")
    page.locator("details.filters button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator("ul.incidents li")
    assert rows.count() == 1 and f"#{recorded.pk}" in rows.first.inner_text()
    page.goto(live_server.url + f"/registry/desk/{world.desk_a.slug}/inbox/")
    screenshot(page, "inbox-es")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(live_server.url + f"/registry/incidents/{repeat.pk}/")
    page.locator("#id_original").fill(str(recorded.pk))
    page.locator(f"form[action$='/{repeat.pk}/duplicate/'] button").click()
    page.wait_for_load_state()
    page.goto(live_server.url + f"/registry/incidents/{to_move.pk}/")
    page.locator("#id_desk").select_option(str(world.desk_b.pk))
    page.locator(f"form[action$='/{to_move.pk}/move/'] button").click()
    page.wait_for_url("**/inbox/")
    second.close()
    repeat.refresh_from_db()
    to_move.refresh_from_db()
    assert repeat.status == Incident.Status.DUPLICATE and repeat.duplicate_of_id == recorded.pk
    assert to_move.desk == world.desk_b

    # 3. documenter_b sees the moved case, and nothing else of desk A.
    third = chromium.new_context(viewport={"width": 360, "height": 740})
    page = _log_in(third, live_server, world.users["documenter_b"])
    response = page.goto(live_server.url + f"/registry/incidents/{to_move.pk}/")
    assert response.status == 200 and "ocurrió en Kinshasa" in page.content()
    for other in (recorded, repeat):
        assert page.goto(live_server.url + f"/registry/incidents/{other.pk}/").status == 404
    third.close()
