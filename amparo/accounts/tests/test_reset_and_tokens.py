from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from django.core.cache import cache
from django.utils import timezone

from amparo.accounts import services
from amparo.accounts.models import ApiToken
from amparo.vault import services as vault
from conftest import enrol_second_factor

PASSWORD = "a long enough passphrase for tests"
NEW_PASSWORD = "another quiet evening by the river"


@pytest.fixture
def person(db, fast_password_hashing):
    cache.clear()
    user = services.create_user(username="grace", password=PASSWORD, email="grace@example.org")
    vault.create_member_key(user, PASSWORD)  # an existing member: no first-login key page
    return user


def _reset_link(client, smtp_server) -> str:
    client.post("/accounts/password-reset/", {"email": "grace@example.org"})
    assert len(smtp_server) == 1
    body = smtp_server[-1].body
    assert "A request for your account" in body  # the neutral subject
    assert "human rights" not in body.lower() and "amparo" not in body.lower()
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", body)
    assert match
    return match.group(1)


def test_it_resets_a_password_by_a_one_time_link(client, person, smtp_server):
    link = _reset_link(client, smtp_server)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_it_says_nothing_about_unknown_addresses(client, person, smtp_server):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert smtp_server == []


def test_it_refuses_a_reset_without_the_second_factor_when_enrolled(client, person, smtp_server):
    totp = pyotp.TOTP(enrol_second_factor(person))
    link = _reset_link(client, smtp_server)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    refused = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert refused.status_code == 200
    assert "A valid code from your second factor is needed." in refused.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    accepted = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
                                     "code": totp.now()})
    assert accepted.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_it_stores_a_hash_not_the_token_and_shows_it_once(client, person):
    enrol_second_factor(person)
    from conftest import sign_in

    sign_in(client, person)
    page = client.post("/accounts/tokens/", {"name": "sync", "days": 30}).content.decode()
    match = re.search(r"(amp_[0-9a-f]{8}_[\w-]+)", page)
    assert match
    raw = match.group(1)
    stored = ApiToken.objects.get(user=person)
    assert stored.token_hash != raw and raw not in stored.token_hash
    assert raw not in client.get("/accounts/tokens/").content.decode()
    api = client.__class__()
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "grace"
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer amp_00000000_nope").status_code == 401
    client.post(f"/accounts/tokens/{stored.pk}/revoke/")
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_refuses_an_expired_token(person):
    token, raw = services.create_api_token(person, name="old", days=1)
    assert services.user_for_api_token(raw) == person
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.user_for_api_token(raw) is None


def test_it_needs_a_second_factor_to_create_tokens(client, person):
    client.force_login(person)
    response = client.post("/accounts/tokens/", {"name": "sync", "days": 30})
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    assert not ApiToken.objects.exists()
