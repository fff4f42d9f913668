"""Every error page is the app's own (issue 15.5): calm, in the visitor's language, with the
quick exit, never Django's stock page; a refused CSRF check gives a public form back filled
in, and never loses what she wrote."""

from __future__ import annotations

import html
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from amparo.registry.models import Incident, Message
from amparo.registry.tests.test_intake import conversation, issued, submit
from conftest import sign_in

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
# What Django's own pages say; none of it may reach a visitor.
STOCK = ("Bad Request (400)", "403 Forbidden", "CSRF verification failed", "Server Error (500)",
         "The requested resource was not found", "Not Found</h1>", "Request aborted", "Help</h2>",
         "Reason given for failure")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def ours(response, status: int) -> str:
    """The app's page: the status, the Spanish page, the quick exit, no stock text."""
    assert response.status_code == status, response.status_code
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert f'<a id="quick-exit" href="{reverse("core:leave")}"' in page and "Salir rápido" in page
    assert re.search(r"<h1[ >]", page) and 'class="bar"' in page  # our layout
    for stock in STOCK:
        assert stock not in page, stock
    assert "no-store" in response["Cache-Control"]
    return page


def test_it_answers_400_with_its_own_page(client):
    ours(client.get("/", HTTP_HOST="elsewhere.example", **ES), 400)


def test_it_answers_403_with_its_own_page(client, world):
    sign_in(client, world.users["defender"])
    ours(client.get(reverse("network:index"), **ES), 403)


def test_it_answers_404_with_its_own_page(client):
    ours(client.get("/no-such-page/", **ES), 404)


@pytest.mark.parametrize(("method", "url"), [("get", "/accounts/logout/"), ("put", "/r/"), ("delete", "/")])
def test_it_answers_405_with_its_own_page(client, method, url):
    response = getattr(client, method)(url, **ES)
    ours(response, 405)
    assert response["Allow"]


def test_it_answers_413_with_its_own_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    receipt, binding = issued(client)
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "narrative": "x" * 5000}, **ES)
    page = ours(response, 413)
    assert "20 MB" in page
    assert not Incident.objects.exists()


def test_it_answers_429_with_its_own_page(client, settings):
    settings.ANONYMOUS_GLOBAL_PER_MINUTE = 1
    client.post("/r/back/", {"receipt": "a b c"}, **ES)
    response = client.post("/r/back/", {"receipt": "a b c"}, **ES)
    ours(response, 429)
    assert response["Retry-After"] == "60"


def test_it_answers_500_with_its_own_page(world):
    client = Client(raise_request_exception=False)
    with mock.patch("amparo.core.views.render", side_effect=RuntimeError("boom")):
        ours(client.get("/", **ES), 500)


def test_its_500_page_never_promises_that_a_sent_form_was_kept(world, rf):
    """A form whose view cannot give it back: the page says it may not have been saved and how
    to keep her text; a page only read says nothing changed."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from amparo.core import errors

    pages = {}
    for method in ("get", "post"):
        request = getattr(rf, method)("/somewhere/")
        request.user, request.session = AnonymousUser(), {}
        with translation.override("es"):
            response = errors.server_error(request)
        assert response.status_code == 500
        pages[method] = response.content.decode()
    assert "No se cambió nada" in pages["get"] and "no se haya guardado" not in pages["get"]
    assert "no se haya guardado" in pages["post"] and "Cópialo en un lugar seguro" in pages["post"]


def test_its_500_page_stands_even_when_the_layout_cannot_render(world):
    client = Client(raise_request_exception=False)
    with mock.patch("amparo.core.views.render", side_effect=RuntimeError("boom")), \
            mock.patch("amparo.core.errors._page", side_effect=RuntimeError("database down")):
        response = client.get("/", **ES)
    assert response.status_code == 500
    page = response.content.decode()
    assert 'href="/today/"' in page and "Salir rápido" in page
    assert "Server Error" not in page


# --- A refused CSRF check -------------------------------------------------------------------

def strict() -> Client:
    """A browser whose CSRF cookie was lost (a page left open overnight): checks enforced."""
    return Client(enforce_csrf_checks=True)


def test_a_lost_cookie_gives_the_anonymous_form_back_filled_in_with_new_words(world):
    client = strict()
    receipt, binding = issued(client)
    client.cookies.clear()
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN",
                                   "narrative": "Me siguieron hasta la casa.", "help_wanted": "un abogado"}, **ES)
    page = ours(response, 403)
    assert "Me siguieron hasta la casa." in page and "un abogado" in page and 'value="HN" selected' in page
    new = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    assert new != receipt and new in page  # words she is shown, never the ones that came with it
    assert not Incident.objects.exists()
    # Sent again as the page now stands, it is kept.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    new_binding = re.search(r'name="binding" value="([^"]+)"', page).group(1)
    again = client.post("/r/", {"csrfmiddlewaretoken": token, "receipt": new, "binding": new_binding,
                                "country": "HN", "narrative": "Me siguieron hasta la casa."})
    assert again.status_code == 303 and Incident.objects.count() == 1


def test_a_lost_cookie_gives_the_receipt_box_back(world):
    response = strict().post("/r/back/", {"receipt": "uno dos tres"}, **ES)
    page = ours(response, 403)
    assert 'value="uno dos tres"' in page


def test_a_lost_cookie_keeps_her_message_in_the_conversation(world):
    client = Client()
    receipt, _ = submit(client)
    address = conversation(client, receipt)
    client.handler.enforce_csrf_checks = True
    del client.cookies["csrftoken"]
    page = ours(client.post(address, {"text": "Estoy bien, gracias."}, **ES), 403)
    assert "Estoy bien, gracias." in page and not Message.objects.exists()


def test_a_lost_cookie_gives_the_subscription_form_back(world):
    response = strict().post("/appeals/subscribe/", {"email": "ana@example.org", "name": "Ana"}, **ES)
    page = ours(response, 403)
    assert 'value="ana@example.org"' in page and 'value="Ana"' in page


def test_a_lost_cookie_gives_an_appeal_action_back(world):
    from amparo.appeals.tests.test_appeals import approved

    appeal = approved(world)
    response = strict().post(f"/appeals/p/{appeal.pk}/", {"submission_key": "k", "kind": "letter",
                                                          "country": "FR"}, **ES)
    page = ours(response, 403)
    assert 'value="FR" selected' in page and re.search(r'value="letter"[^>]*checked', page)


def test_a_lost_cookie_gives_the_login_back_without_the_password(world):
    response = strict().post("/accounts/login/", {"username": "ana", "password": "a secret password",
                                                   "next": "/registry/report/"}, **ES)
    page = ours(response, 403)
    assert 'value="ana"' in page and "a secret password" not in page and 'value="/registry/report/"' in page


def test_any_other_form_keeps_her_fields_to_send_again_with_one_button(world):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    client.cookies.pop("csrftoken", None)
    url = reverse("registry:incident_new", kwargs={"desk_slug": world.desk_a.slug})
    page = ours(client.post(url, {"narrative": "Lo que pasó en la radio", "country": "HN"}, **ES), 403)
    assert f'action="{url}"' in page
    assert 'name="narrative" value="Lo que pasó en la radio"' in page and 'name="country" value="HN"' in page
    assert not Incident.objects.exists()


def test_a_form_from_another_site_is_not_put_back(world):
    client = strict()
    issued(client)  # she has a cookie; the attacker's page posts without the token
    response = client.post("/r/", {"narrative": "written by someone else"}, HTTP_ORIGIN="null",
                           HTTP_SEC_FETCH_SITE="cross-site", **ES)
    page = ours(response, 403)
    assert "written by someone else" not in page and "<form method=\"post\" action=\"/r/\"" not in page


# --- A staff session that ended while she wrote (issue 15.5) ----------------------------------

def _field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


def test_a_staff_member_whose_session_ended_gets_her_text_back_after_login(world, fast_password_hashing):
    import pyotp

    from amparo.accounts.models import SecondFactor
    from amparo.accounts.policy import open_secret
    from conftest import STANDING_PASSWORD

    world.users["documenter_a"].set_password(STANDING_PASSWORD)
    world.users["documenter_a"].save()
    client = Client()
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    url = reverse("registry:incident_new", kwargs={"desk_slug": world.desk_a.slug})
    client.get(url)
    client.session.flush()  # the session ends while she writes (idle timeout)
    client.cookies.pop("sessionid", None)
    sent = {"narrative": "Lo que pasó en la radio, escrito durante una hora", "country": "HN",
            "submission_key": "k-ended", "date_precision": "day", "victims": "1",
            "reported_to_authorities": "unknown", "justice": "none", "defender_kind": "individual"}
    page = client.post(url, sent, **ES)
    assert page.status_code == 200 and 'action="/accounts/login/"' in page.content.decode()
    carried = _field(page.content.decode(), "amparo_carried")
    assert "escrito durante una hora" in carried and "password" not in carried
    from django.contrib.sessions.models import Session

    assert not any("escrito durante" in repr(s.get_decoded()) for s in Session.objects.all())  # not on the server

    step = client.post("/accounts/login/", {"username": "documenter_a", "password": STANDING_PASSWORD,
                                            "amparo_carried": carried}, **ES)
    assert step.status_code == 200 and _field(step.content.decode(), "amparo_carried") == carried
    assert 'action="/accounts/login/code/"' in step.content.decode()
    factor = SecondFactor.objects.get(user=world.users["documenter_a"])
    code = pyotp.TOTP(open_secret(bytes(factor.sealed_secret), SecondFactor.SECRET_LABEL)).now()
    again = client.post("/accounts/login/code/", {"code": code, "amparo_carried": carried}, **ES)
    resend = ours(again, 200)
    assert f'action="{url}"' in resend and "escrito durante una hora" in resend
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', resend))
    assert not Incident.objects.exists()
    saved = client.post(url, {k: html.unescape(v) for k, v in fields.items()})
    assert saved.status_code == 302 and Incident.objects.count() == 1


def test_a_defender_page_never_carries_her_words_into_the_login(client, world):
    """After the quick exit a re-post to her pages must bring nothing of hers back (15.4)."""
    response = client.post(reverse("registry:report"), {"narrative": "sus palabras"}, **ES)
    assert response.status_code == 302 and "sus palabras" not in response.content.decode()


def test_a_form_re_posted_after_the_quick_exit_gives_nothing_of_hers_back(world):
    """Back to a page that answered a POST (her report with a mistake), then Reload, after the
    quick exit: the re-post is refused, and the refusal shows nothing she wrote."""
    client = strict()
    page = client.get("/r/", **ES).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "receipt": _field(page, "receipt"), "binding": _field(page, "binding"),
            "country": "HN", "narrative": "Me siguieron hasta la casa."}
    assert client.post("/r/", form).status_code == 303  # the browser keeps this POST in its history
    client.get("/today/")  # the quick exit
    response = client.post("/r/", form, **ES)  # Back to it, and Reload
    page = ours(response, 403)
    assert "Me siguieron" not in page and 'name="narrative"' not in page
    assert Incident.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_left_open_overnight_gives_her_report_back_in_a_phone_browser(live_server, phone_without_js, world):
    """JavaScript off, Spanish, 360 px: the cookie is lost while the form is open; sending it
    shows the form again, filled in, with new words; sending again keeps the report."""
    from conftest import screenshot

    page = phone_without_js.new_page()
    page.goto(live_server.url + "/")
    page.locator("footer button[value=es]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/r/")
    words = page.locator(".receipt-words strong").inner_text()
    page.locator("#id_country").select_option("HN")
    page.locator("#id_narrative").fill("Me siguieron desde la radio hasta mi casa.")
    phone_without_js.clear_cookies(name="csrftoken")  # the night passes
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_narrative").input_value() == "Me siguieron desde la radio hasta mi casa."
    new_words = page.locator(".receipt-words strong").inner_text()
    assert new_words != words
    assert page.locator("#quick-exit").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "csrf-failure-report-back-es")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/r/v/**")
    assert new_words in page.locator(".receipt-words").inner_text()
    assert Incident.objects.count() == 1
    for name, url in [("404", "/no-such-page/"), ("405", "/accounts/logout/"), ("closed", "/r/v/made-up/")]:
        page.goto(live_server.url + url)
        assert page.locator("html").get_attribute("lang") == "es" and page.locator("#quick-exit").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, f"error-{name}-es")


@pytest.mark.parametrize("url", ["/appeals/feed/e%00s/", "/?q=%00", "/?a%00=1", "/stats/?country=M%00X"])
def test_a_nul_in_the_address_gets_the_400_page_not_a_database_error(client, url):
    """PostgreSQL refuses NUL in a text parameter; such a request never reaches a view."""
    ours(client.get(url, **ES), 400)
