"""An urgent appeal's whole loop in Chromium on a 360-pixel phone: documenter_a drafts it in
Spanish from a consented incident and cannot approve it herself; the coordinator approves it;
a visitor records an action from the public page in Spanish, without JavaScript; the counts
update; an update and then a closing outcome are added. An incident without consent to a
public appeal cannot be linked."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from amparo.appeals.models import Appeal, AppealUpdate
from amparo.registry import services as registry
from amparo.registry.tests.test_browser_registry import _log_in
from amparo.vocabulary.models import Term
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LETTER = ("Le escribo para expresar mi preocupación por las amenazas de muerte contra Berta Flores. Le pido que "
          "ordene una investigación inmediata e imparcial y que se le den medidas de protección acordadas con ella.")


def test_an_appeal_goes_from_draft_to_outcome(live_server, chromium, phone_without_js, world,
                                              fast_password_hashing, outcomes):
    cache.clear()
    consented = registry.record_incident(world.users["documenter_a"], world.desk_a, registry.IncidentData(
        narrative="Mensajes con amenazas de muerte (sellado)", country="HN", consent_public_appeal=True))
    refused = registry.record_incident(world.users["documenter_a"], world.desk_a, registry.IncidentData(
        narrative="Solo para documentar", country="HN", consent_public_appeal=False))
    base = live_server.url

    # 1. documenter_a drafts the appeal from the consented incident, in Spanish.
    documenter = chromium.new_context(viewport={"width": 360, "height": 740})
    page = _log_in(documenter, live_server, world.users["documenter_a"])
    page.goto(f"{base}/appeals/desk/{world.desk_a.slug}/new/?incident={refused.pk}")
    with translation.override(page.locator("html").get_attribute("lang")):
        refusal = gettext("This incident cannot be the subject of a public appeal: the defender has not consented "
                          "to it.")
    assert refusal in page.locator("main").inner_text()
    assert page.locator(f"#id_incident option[value='{refused.pk}']").count() == 0
    page.goto(f"{base}/appeals/desk/{world.desk_a.slug}/new/?incident={consented.pk}")
    assert page.locator("#id_incident").input_value() == str(consented.pk)
    assert "sellado" not in page.content()  # nothing sealed flows into the form
    page.locator("#id_language").select_option("es")
    page.locator("#id_title").fill("Honduras: amenazas de muerte – Berta Flores")
    page.locator("#id_summary").fill("Berta Flores, defensora del río, recibió amenazas de muerte tras una audiencia.")
    page.locator("#id_actions").fill("Investigar las amenazas\nProteger a Berta Flores y a su familia")
    page.locator("#id_letter").fill(LETTER)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/appeals/*/")
    appeal = Appeal.objects.get()
    assert appeal.incident_id == consented.pk and appeal.language == "es" and appeal.country == "HN"
    page.locator("#id_authority").fill("Fiscal General de la República")
    page.locator("#id_salutation").fill("Señor Fiscal General:")
    page.locator("#id_email").fill("fiscal@authorities.example")
    page.locator("form[action$='/addressees/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#submit-review").click()
    page.wait_for_load_state()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVIEW
    assert page.locator("#approve").count() == 0  # she cannot approve her own appeal
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "appeal-staff-es")

    # 2. The coordinator approves it.
    coordinator = chromium.new_context(viewport={"width": 360, "height": 740})
    page_c = _log_in(coordinator, live_server, world.users["coordinator"])
    page_c.goto(f"{base}/appeals/{appeal.pk}/")
    page_c.locator("#approve").click()
    page_c.wait_for_load_state()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.APPROVED and appeal.reference.startswith("UA-")

    # 3. A visitor, in Spanish and without JavaScript, records what she did.
    visitor = phone_without_js.new_page()
    visitor.goto(f"{base}/appeals/p/")
    visitor.locator("footer button[value=es]").click()
    visitor.wait_for_load_state()
    visitor.locator("main a", has_text="Berta Flores").first.click()
    visitor.wait_for_load_state()
    assert visitor.locator("h1").inner_text() == "Honduras: amenazas de muerte – Berta Flores"
    assert visitor.locator("html").get_attribute("lang") == "es"
    assert visitor.locator("textarea[readonly]").input_value().startswith("Señor Fiscal General:")
    assert visitor.locator("a[href^='mailto:fiscal@authorities.example']").count() == 1
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(visitor, "appeal-public-es")
    visitor.locator("input[name=kind][value=letter]").check()
    visitor.locator("#id_country").select_option("ES")
    visitor.locator("#thanks button[type=submit]").click()
    visitor.wait_for_load_state()
    assert visitor.locator("#thanks [role=status]").count() == 1
    assert "1" in visitor.locator("#public-total").inner_text()
    screenshot(visitor, "appeal-public-es-thanks")
    assert appeal.actions.get().country == "ES"

    # The desk's page counts it by kind and by country.
    page.goto(f"{base}/appeals/{appeal.pk}/")
    assert "1" in page.locator("#actions-total").inner_text()
    assert page.locator("#actions-by-country").inner_text().count("1") >= 1

    # 4. An update, approved by the coordinator; then the outcome that closes it.
    page.goto(f"{base}/appeals/{appeal.pk}/updates/new/")
    page.locator("#id_title").fill("Berta Flores recibió medidas de protección")
    page.locator("#id_body").fill("La fiscalía abrió una investigación.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    update = AppealUpdate.objects.get()
    page_c.goto(f"{base}/appeals/{appeal.pk}/")
    page_c.locator(f"#update-{update.number} form[action*='approve'] button").click()
    page_c.wait_for_load_state()
    update.refresh_from_db()
    appeal.refresh_from_db()
    assert update.status == AppealUpdate.Status.APPROVED and appeal.status == Appeal.Status.UPDATED
    visitor.reload()
    assert "Berta Flores recibió medidas de protección" in visitor.locator("main").inner_text()

    outcome = Term.objects.get(code="outcome.favourable.protection_granted")
    page.goto(f"{base}/appeals/{appeal.pk}/close/")
    page.locator(f"input[name=outcome][value='{outcome.pk}']").check()
    page.locator("#id_outcome_on").fill("2026-11-20")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CLOSED and appeal.outcome == outcome
    assert outcome.label("es") in page.locator("#outcome").inner_text() or outcome.label() in page.locator(
        "#outcome").inner_text()
    visitor.reload()
    assert outcome.label("es") in visitor.locator("main").inner_text()
    screenshot(visitor, "appeal-public-es-closed")
    for context in (documenter, coordinator):
        context.close()


def test_a_supporter_subscribes_confirms_and_unsubscribes_on_a_phone_without_javascript(
        live_server, phone_without_js, world, vocabulary):
    from django.core import mail

    from amparo.appeals.models import Supporter

    cache.clear()
    page = phone_without_js.new_page()
    page.goto(f"{live_server.url}/appeals/subscribe/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.locator("#id_email").fill("marta@supporters.example")
    assert page.locator("input[name=languages][value=es]").is_checked()  # her language, chosen for her
    page.locator("details:has(input[name=countries]) > summary").click()
    for code in ("HN", "GT"):
        page.locator(f"input[name=countries][value={code}]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "appeal-subscribe-es")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[role=status]").count() == 1
    assert Supporter.objects.get().status == Supporter.Status.PENDING
    link = next(word for word in mail.outbox[-1].body.split() if "/appeals/confirm/" in word)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appeals/s/*/")
    assert Supporter.objects.get().status == Supporter.Status.CONFIRMED
    assert page.locator("input[name=countries]:checked").evaluate_all("l => l.map(i => i.value).sort()") == [
        "GT", "HN"]
    assert "Guatemala, Honduras" in page.locator("details:has(input[name=countries]) > summary").inner_text()
    screenshot(page, "appeal-preferences-es")
    page.locator("main a[href$='/unsubscribe/']").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Supporter.objects.get().status == Supporter.Status.UNSUBSCRIBED
