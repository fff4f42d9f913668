"""The needs survey answered in Chromium on a 360-pixel phone without JavaScript, in
Portuguese, across three pages (answering "no" skips the organisation page; a date asked
only after "physical attack" on the same page); then the coordinator's results page counts it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from amparo.registry.tests.test_browser_registry import _log_in
from amparo.surveys.models import Answer, Response
from amparo.surveys.tests.tables import table_survey
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_says(page, number: int, pages: int) -> None:
    with translation.override("pt"):
        words = gettext("Page %(number)s of %(pages)s") % {"number": number, "pages": pages}
    assert page.locator("#page-number").inner_text() == words


def test_she_answers_in_portuguese_without_javascript_and_the_results_count_it(
        live_server, chromium, phone_without_js, world, fast_password_hashing):
    cache.clear()
    survey = table_survey(world)
    base = live_server.url
    page = phone_without_js.new_page()
    page.goto(f"{base}/surveys/a/{survey.slug}/")
    page.locator("footer button[value=pt]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.locator("h1").inner_text() == "Necessidades das defensoras de direitos humanos"
    assert page.locator("h2").inner_text() == "Sobre você"
    _page_says(page, 1, 4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "survey-page1-pt")

    # Page 1: her country, not part of an organisation (the organisation page will be skipped).
    page.locator("#id_country").select_option("HN")
    page.locator("input[name=in_org][value=no]").check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("h2").inner_text() == "Proteção"
    _page_says(page, 2, 3)

    # Page 2: a required answer left out comes back refused, with what she ticked kept.
    page.locator("input[name=threats][value=physical]").check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    with translation.override("pt"):
        assert gettext("Please answer this question.") in page.locator("main").inner_text()
    assert page.locator("input[name=threats][value=physical]").is_checked()
    assert "ataque físico" in page.locator("main").inner_text()  # the date's condition, said in words
    page.locator("#id_last_attack").fill("2026-10-14")
    page.locator("input[name=safety][value='2']").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "survey-page2-pt")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # Page 3 of 3: the organisation page was skipped.
    assert page.locator("h2").inner_text() == "O que você precisa"
    _page_says(page, 3, 3)
    page.locator("input[name=support][value=care]").check()
    page.locator("#id_anything_else").fill("Precisamos de um lugar seguro")
    screenshot(page, "survey-page3-pt")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/surveys/t/{survey.slug}/")
    with translation.override("pt"):
        assert page.locator("h1").inner_text() == gettext("Thank you")
    assert not [c for c in phone_without_js.cookies() if c["name"] != "django_language"]  # no identifier

    response = Response.objects.get(survey=survey)
    assert set(Answer.objects.filter(response=response).values_list("question__name", flat=True)) == {
        "country", "in_org", "threats", "last_attack", "safety", "support", "anything_else"}

    # The coordinator's results page counts it.
    coordinator = chromium.new_context(viewport={"width": 360, "height": 740})
    staff = _log_in(coordinator, live_server, world.users["coordinator"])
    staff.goto(f"{base}/surveys/{survey.pk}/results/")
    assert staff.locator("#total").inner_text() == "1"
    in_org = staff.locator("#q-in_org tbody tr", has_text="No")
    assert in_org.locator(".count").inner_text() == "1"
    assert "Precisamos de um lugar seguro" in staff.locator("#q-anything_else").inner_text()
    assert staff.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(staff, "survey-results-es")
    coordinator.close()
