"""The onion service's settings (docs/deploy.md): the onion block of the proxy marks its
requests as HTTPS (the Tor circuit is encrypted end to end), so the production redirect to
HTTPS leaves them alone and a form posted from the onion address passes the CSRF check,
while a plain-HTTP request to the clear site is still redirected."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

CLEAR = "amparo.example.org"
ONION = "a" * 56 + ".onion"
PRODUCTION_TLS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": [CLEAR, ONION],
    "CSRF_TRUSTED_ORIGINS": [f"https://{CLEAR}", f"http://{ONION}"],
}


def _onion_client() -> Client:
    # What nginx's onion block sends on: the onion name and X-Forwarded-Proto: https.
    return Client(HTTP_HOST=ONION, HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=True)


@pytest.mark.django_db
@override_settings(**PRODUCTION_TLS)
def test_the_clear_site_over_plain_http_is_still_redirected():
    response = Client(HTTP_HOST=CLEAR).get("/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{CLEAR}/"


@pytest.mark.django_db
@override_settings(**PRODUCTION_TLS)
def test_the_onion_address_is_served_without_a_redirect():
    client = _onion_client()
    for path in ("/", "/r/", "/accounts/login/", "/health"):
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
@override_settings(**PRODUCTION_TLS)
@pytest.mark.parametrize("origin", [f"http://{ONION}", "null"])
def test_a_form_posted_from_the_onion_address_passes_the_csrf_check(origin):
    client = _onion_client()
    page = client.get("/accounts/login/")
    token = page.context["csrf_token"]
    headers = {"HTTP_ORIGIN": origin, "HTTP_SEC_FETCH_SITE": "same-origin"}
    response = client.post("/accounts/login/", {"csrfmiddlewaretoken": str(token), "username": "nobody",
                                                 "password": "not the right one at all"}, **headers)
    assert response.status_code == 200  # the form again, refusing the password: not the CSRF refusal (403)


@pytest.mark.django_db
@override_settings(**{**PRODUCTION_TLS, "CSRF_TRUSTED_ORIGINS": [f"https://{CLEAR}"]})
def test_without_the_onion_in_the_trusted_origins_its_posts_are_refused():
    client = _onion_client()
    token = client.get("/accounts/login/").context["csrf_token"]
    response = client.post("/accounts/login/", {"csrfmiddlewaretoken": str(token), "username": "nobody",
                                                 "password": "not the right one at all"},
                           HTTP_ORIGIN=f"http://{ONION}")
    assert response.status_code == 403
