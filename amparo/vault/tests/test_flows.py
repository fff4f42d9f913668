"""The vault through the pages: first login makes a key, a reset locks it until the recovery
code, a password change keeps it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from amparo.accounts import services as accounts
from amparo.network import services as network
from amparo.network.models import MemberContact, Role
from amparo.vault import services as vault
from amparo.vault.models import MemberKey

PASSWORD = "a long enough passphrase for tests"
NEW = "another quiet evening by the river"


@pytest.fixture
def defender(world, fast_password_hashing):
    cache.clear()
    user = accounts.create_user(username="berta", password=PASSWORD, email="berta@example.org")
    network.add_membership("system", user=user, role=Role.DEFENDER, network=world.network_a)
    return user


def _login(client, password=PASSWORD):
    return client.post("/accounts/login/", {"username": "berta", "password": password})


def test_it_makes_a_key_at_first_login_and_shows_its_code_once(client, defender):
    response = _login(client)
    assert client.get("/accounts/dashboard/")["Location"] == "/vault/recovery-code/"
    page = client.get("/vault/recovery-code/").content.decode()
    code = re.search(r"<code>([A-Z2-7-]{24})</code>", page).group(1)
    assert response.status_code == 302 and MemberKey.objects.filter(user=defender).exists()
    client.post("/vault/recovery-code/")
    assert client.get("/accounts/dashboard/").status_code == 200
    assert client.get("/vault/recovery-code/").status_code == 302  # never shown again
    assert code not in str(client.session.items())
    assert vault.recover_member_key(defender, code, PASSWORD).user_id == defender.pk


def test_it_keeps_the_key_through_a_password_change(client, defender, world):
    _login(client)
    client.post("/vault/recovery-code/")
    client.post(f"/network/my-contact/{world.network_a.pk}/", {"phone": "+504 5555"})
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    client.logout()
    _login(client, NEW)
    page = client.get(f"/network/my-contact/{world.network_a.pk}/").content.decode()
    assert "+504 5555" in page


def test_it_locks_the_key_after_a_reset_until_the_recovery_code(client, defender, world, smtp_server):
    _login(client)
    page = client.get("/vault/recovery-code/").content.decode()
    code = re.search(r"<code>([A-Z2-7-]{24})</code>", page).group(1)
    client.post("/vault/recovery-code/")
    client.post(f"/network/my-contact/{world.network_a.pk}/", {"phone": "+504 5555"})
    client.logout()
    client.post("/accounts/password-reset/", {"email": "berta@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", smtp_server[-1].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    _login(client, NEW)
    dashboard = client.get("/accounts/dashboard/").content.decode()
    assert "Your key is locked since your password was reset." in dashboard
    locked = client.get(f"/network/my-contact/{world.network_a.pk}/").content.decode()
    assert "+504 5555" not in locked and "This is locked for you" in locked
    wrong = client.post("/vault/recover/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE", "password": NEW})
    assert "This recovery code does not open your key." in wrong.content.decode()
    assert client.post("/vault/recover/", {"code": code, "password": NEW}).status_code == 302
    assert "+504 5555" in client.get(f"/network/my-contact/{world.network_a.pk}/").content.decode()
    client.logout()
    _login(client, NEW)  # and from now on the new password opens it directly
    assert "+504 5555" in client.get(f"/network/my-contact/{world.network_a.pk}/").content.decode()


def test_it_shows_contact_details_to_a_coordinator_who_holds_the_key(client, defender, world):
    _login(client)
    client.post("/vault/recovery-code/")
    client.post(f"/network/my-contact/{world.network_a.pk}/",
                {"phone": "+504 5555", "emergency_contact": "her sister"})
    client.logout()
    from conftest import sign_in

    membership = defender.memberships.get()
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/network/memberships/{membership.pk}/contact/").content.decode()
    assert "+504 5555" in page and "her sister" in page
    contact = MemberContact.objects.get(user=defender)
    assert b"5555" not in bytes(contact.phone)


@pytest.mark.django_db
def test_a_new_recovery_code_needs_her_password(client, world, fast_password_hashing):
    from conftest import STANDING_PASSWORD, sign_in

    person = world.users["defender"]
    person.set_password(STANDING_PASSWORD)  # the standing users log in without one
    person.save()
    sign_in(client, person, world.unlocked["defender"])
    before = bytes(MemberKey.objects.get(user=person).wrapped_by_recovery)
    refused = client.post("/vault/recovery-code/new/", {"password": "not her password"}, follow=True)
    assert "This is not your current password" in refused.content.decode()
    assert bytes(MemberKey.objects.get(user=person).wrapped_by_recovery) == before
    shown = client.post("/vault/recovery-code/new/", {"password": STANDING_PASSWORD})
    assert shown.status_code == 200 and "recovery code" in shown.content.decode().lower()
    assert bytes(MemberKey.objects.get(user=person).wrapped_by_recovery) != before


@pytest.mark.django_db
def test_changing_the_password_counts_wrong_current_passwords_like_logins(client, world):
    from conftest import sign_in

    sign_in(client, world.users["defender"], world.unlocked["defender"])
    for _ in range(5):
        page = client.post("/accounts/password/", {"old_password": "wrong", "new_password1": "x" * 20,
                                                   "new_password2": "x" * 20})
        assert "Your old password was entered incorrectly" in page.content.decode()
    page = client.post("/accounts/password/", {"old_password": "wrong", "new_password1": "x" * 20,
                                               "new_password2": "x" * 20})
    assert "Too many attempts" in page.content.decode()
