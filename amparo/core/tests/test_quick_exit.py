"""The quick exit (DESIGN.md, "Safety in the interface").

A visible "Leave quickly" on every public and defender page, and the Esc key where JavaScript
runs, leave at once for a neutral page that ends the session; with JavaScript the page left
behind is replaced in the history, so Back does not bring it up. The page-quality harness
checks that every strict page carries the control; here are the details of its behaviour.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.core.security import STRICT_CSP
from amparo.core.tests.test_page_quality import signed_in_cookie
from conftest import SCREENSHOTS, screenshot, sign_in


def _has_exit(html: str) -> bool:
    return (f'<a id="quick-exit" href="{reverse("core:leave")}"' in html
            and 'src="/static/core/quick-exit.js"' in html)


@pytest.mark.django_db
def test_it_offers_the_quick_exit_on_home_login_and_dashboard(client, world):
    assert _has_exit(client.get(reverse("core:home")).content.decode())
    assert _has_exit(client.get(reverse("accounts:login")).content.decode())
    sign_in(client, world.users["defender"])
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    assert _has_exit(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_it_says_nothing_of_amparo_on_the_neutral_page(client, language):
    response = client.get(reverse("core:leave"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert "amparo" not in page.lower()
    assert "<a " not in page  # no way back into the site from here
    assert "quick-exit" not in page and "/static/core/amparo.css" not in page
    assert str(timezone.localdate().year) in page
    assert response["Content-Security-Policy"] == STRICT_CSP
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_gives_the_neutral_page_a_plain_title(client):
    page = client.get(reverse("core:leave")).content.decode()
    assert re.search(r"<title>(.*)</title>", page).group(1) == "Calendar"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["defender", "coordinator"])
def test_it_logs_out_on_the_neutral_page(client, world, who):
    sign_in(client, world.users[who])
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.get(reverse("core:leave")).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_answers_an_anonymous_visitor_too(client):
    assert client.get(reverse("core:leave")).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["the Esc key", "the button"])
def test_it_leaves_and_takes_the_page_out_of_the_history(live_server, phone, world, how):
    phone.add_cookies([signed_in_cookie(world.users["defender"], live_server.url)])
    page = phone.new_page()
    page.goto(live_server.url + reverse("core:home"))
    page.goto(live_server.url + reverse("accounts:dashboard"))  # the page she must hide
    entries = page.evaluate("history.length")
    if how == "the Esc key":
        page.keyboard.press("Escape")
    else:
        page.get_by_role("link", name="Leave quickly").click()
    page.wait_for_url("**" + reverse("core:leave"))
    assert page.evaluate("history.length") == entries  # replaced, not added
    assert "amparo" not in page.content().lower()
    page.go_back()
    assert page.url == live_server.url + reverse("core:home")  # the dashboard is gone
    page.goto(live_server.url + reverse("accounts:dashboard"))
    assert reverse("accounts:login") in page.url  # and so is the session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_leaves_with_the_esc_key_while_she_types(live_server, phone):
    page = phone.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Username").fill("someone")
    page.keyboard.press("Escape")
    page.wait_for_url("**" + reverse("core:leave"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_leaves_by_a_plain_link_without_javascript(live_server, phone_without_js):
    page = phone_without_js.new_page()
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="Leave quickly").click()
    page.wait_for_url("**" + reverse("core:leave"))
    assert str(timezone.localdate().year) in page.locator("h1").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_the_control_and_the_neutral_page_on_a_phone(live_server, phone):
    """Screenshots in test-artifacts/screens/ for a person to look at."""
    page = phone.new_page()
    page.goto(live_server.url + reverse("core:home"))
    control = page.get_by_role("link", name="Leave quickly")
    assert control.is_visible()
    box = control.bounding_box()
    assert box is not None and box["height"] >= 44 and box["y"] < 60  # a thumb's target, on top
    screenshot(page, "quick-exit-home")
    page.mouse.wheel(0, 600)  # still there once she has scrolled
    page.wait_for_function("() => window.scrollY > 0")
    scrolled = control.bounding_box()
    assert scrolled is not None and 0 <= scrolled["y"] < 60
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "quick-exit-home-scrolled.png"))
    control.click()
    page.wait_for_url("**" + reverse("core:leave"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "quick-exit-neutral-page")


# --- Nothing of hers one Back + Reload away (issue 15.4) ----------------------------------------

def _nothing_of_hers(page, *secrets: str) -> None:
    text = page.content()
    for secret in secrets:
        assert secret not in text, secret


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_the_quick_exit_back_and_reload_show_nothing_of_hers(live_server, phone_without_js, world):
    """JavaScript off, in Spanish, 360 px: she sends a report, then comes back with her words
    to the conversation; after each, the quick exit, Back and Reload show nothing of hers and
    re-post nothing."""
    from amparo.registry.models import Incident, Message
    from amparo.registry.services import intake

    posts: list[str] = []
    page = phone_without_js.new_page()
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(live_server.url + "/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"

    # 1. She sends a report: the answer (her words again) is reached by a redirect.
    page.goto(live_server.url + "/r/")
    words = page.locator(".receipt-words strong").inner_text()
    page.locator("#id_country").select_option("HN")
    page.locator("#id_narrative").fill("Me esperaban frente a la radio comunitaria.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/r/v/**")
    assert words in page.locator(".receipt-words").inner_text()
    assert not any(word.lower() in re.split(r"[/?&=#]", page.url.lower()) for word in words.split())
    screenshot(page, "her-pages-1-sent-es")
    page.locator("#quick-exit").click()
    page.wait_for_url("**" + reverse("core:leave"))
    posts.clear()
    page.go_back()
    _nothing_of_hers(page, words, "Me esperaban")
    screenshot(page, "her-pages-2-back-after-exit-es")
    page.reload()
    _nothing_of_hers(page, words, "Me esperaban")
    assert posts == [] and Incident.objects.count() == 1

    # 2. The desk answers; she comes back with her words and reads the conversation.
    incident = Incident.objects.get()
    intake.reply_to_reporter(world.users["documenter_a"], incident, "Te leímos. ¿Estás a salvo?")
    page.goto(live_server.url + "/r/back/")
    page.locator("#id_receipt").fill(words)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/r/v/**")
    assert "Te leímos" in page.locator("main").inner_text()
    page.locator("#id_text").fill("Sí, estoy con mi hermana.")
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url("**/r/v/**")
    assert "Sí, estoy con mi hermana." in page.locator("main").inner_text()
    screenshot(page, "her-pages-3-conversation-es")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # 3. The quick exit; Back and Reload show nothing of hers, and send nothing again.
    page.locator("#quick-exit").click()
    page.wait_for_url("**" + reverse("core:leave"))
    posts.clear()
    page.go_back()
    assert "/r/v/" in page.url
    _nothing_of_hers(page, words, "Me esperaban", "Te leímos", "Sí, estoy con mi hermana")
    page.reload()
    _nothing_of_hers(page, words, "Me esperaban", "Te leímos", "Sí, estoy con mi hermana")
    assert page.locator("#quick-exit").is_visible() and page.locator("html").get_attribute("lang") == "es"
    screenshot(page, "her-pages-4-reload-after-exit-es")
    page.go_back()  # further back: the receipt page, empty
    _nothing_of_hers(page, words, "Me esperaban", "Te leímos", "Sí, estoy con mi hermana")
    page.reload()
    _nothing_of_hers(page, words, "Me esperaban", "Te leímos", "Sí, estoy con mi hermana")
    assert posts == []
    assert Message.objects.filter(author=Message.Author.REPORTER).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_the_quick_exit_back_and_reload_show_nothing_of_a_defenders_report(
        live_server, phone_without_js, world, fast_password_hashing):
    """JavaScript off, Spanish, 360 px: a defender opens her own report (a POST, then its
    short-lived address); after the quick exit, Back and Reload show nothing of it."""
    from amparo.registry import services
    from amparo.registry.models import Incident
    from amparo.registry.tests.test_browser_registry import _log_in

    services.record_incident(world.users["defender"], world.desk_a,
                             services.IncidentData(narrative="Me quitaron el teléfono en el retén.", country="HN"),
                             channel=Incident.Channel.DEFENDER, reporter=world.users["defender"])
    page = _log_in(phone_without_js, live_server, world.users["defender"])
    page.goto(live_server.url + reverse("registry:my_reports"))
    screenshot(page, "her-pages-5-defender-list-es")
    page.locator("main form.row-open button").first.click()
    page.wait_for_url("**/registry/my-reports/v/**")
    page.locator("main details summary").first.click()  # "Lo que escribiste" opens her words
    assert "Me quitaron el teléfono" in page.locator("main").inner_text()
    screenshot(page, "her-pages-6-defender-report-es")
    page.locator("#quick-exit").click()
    page.wait_for_url("**" + reverse("core:leave"))
    page.go_back()
    _nothing_of_hers(page, "Me quitaron el teléfono")
    page.reload()
    _nothing_of_hers(page, "Me quitaron el teléfono")
    screenshot(page, "her-pages-7-defender-back-after-exit-es")
