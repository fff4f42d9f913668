from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session

from amparo.accounts import services
from amparo.accounts.session_store import stored_key
from amparo.vault import services as vault

PASSWORD = "a long enough passphrase for tests"


@pytest.fixture
def person(db):
    user = services.create_user(username="berta", password=PASSWORD, email="berta@example.org")
    vault.create_member_key(user, PASSWORD)  # an existing member: no first-login key page
    return user


def test_it_hashes_passwords_with_argon2id(person):
    hasher = identify_hasher(person.password)
    assert hasher.algorithm == "argon2"
    assert person.password.startswith("argon2$argon2id$")
    assert PASSWORD not in person.password


def test_it_rotates_the_session_key_at_login(client, person):
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    response = client.post("/accounts/login/", {"username": "berta", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/dashboard/"
    after = client.cookies["sessionid"].value
    assert after and after != before
    assert Session.objects.filter(session_key=stored_key(after)).exists()


def test_it_gives_one_message_for_a_wrong_user_and_a_wrong_password(client, person):
    wrong_password = client.post("/accounts/login/", {"username": "berta", "password": "x" * 20})
    wrong_user = client.post("/accounts/login/", {"username": "nobody", "password": PASSWORD})
    assert wrong_password.status_code == wrong_user.status_code == 200
    message = "That username and password do not match."
    assert message in wrong_password.content.decode()
    assert message in wrong_user.content.decode()
    # The form comes back with the username typed, never the password.
    assert 'value="berta"' in wrong_password.content.decode()
    assert "x" * 20 not in wrong_password.content.decode()


def test_it_ends_the_session_at_logout(client, person):
    client.post("/accounts/login/", {"username": "berta", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=stored_key(key)).exists()
    assert client.get("/accounts/dashboard/").status_code == 302


def test_it_keeps_session_cookies_to_the_browser_session(client, person):
    response = client.post("/accounts/login/", {"username": "berta", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


@pytest.mark.django_db
def test_it_refuses_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short-pass", "1q2w3e4r5t6y7u8i9o0p"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("seven quiet rivers under the moon")
