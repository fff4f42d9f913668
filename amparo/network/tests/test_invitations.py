from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.accounts.models import User
from amparo.network import permissions
from amparo.network.models import Invitation, Role
from conftest import sign_in

NEW_PASSWORD = "seven quiet rivers under the moon"


def _invite(client, world, smtp_server, **extra) -> str:
    sign_in(client, world.users["coordinator"])
    data = {"email": "lucia@example.org", "role": Role.DOCUMENTER, "desk": world.desk_a.pk,
            "language": "es", **extra}
    response = client.post(f"/network/n/{world.network_a.slug}/invite/", data)
    assert response.status_code == 302, response.content.decode()
    client.logout()
    body = smtp_server[-1].body
    match = re.search(r"http://testserver(/network/invitation/\S+/)", body)
    assert match
    return match.group(1)


@pytest.mark.django_db
def test_it_opens_an_account_from_an_invitation_once(client, world, smtp_server, fast_password_hashing):
    link = _invite(client, world, smtp_server)
    assert smtp_server[-1].recipients == ["lucia@example.org"]
    assert "invitación" in smtp_server[-1].body.lower() or "invit" in smtp_server[-1].body.lower()
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200  # opening changes nothing
    form = {"username": "lucia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(link, form).status_code == 302
    lucia = User.objects.get(username="lucia")
    assert permissions.is_documenter_of(lucia, world.desk_a)
    assert lucia.email == "lucia@example.org" and lucia.language == "es"
    client.logout()
    # The link is spent: a second submit (a double tap) stores nothing more.
    again = client.post(link, {**form, "username": "lucia2"})
    assert again.status_code == 404
    assert not User.objects.filter(username="lucia2").exists()


@pytest.mark.django_db
def test_it_refuses_an_expired_invitation(client, world, smtp_server):
    link = _invite(client, world, smtp_server)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(link).status_code == 404


@pytest.mark.django_db
def test_it_keeps_what_was_typed_when_the_password_is_weak(client, world, smtp_server):
    link = _invite(client, world, smtp_server)
    response = client.post(link, {"username": "lucia", "password1": "short", "password2": "short"})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="lucia"' in page
    assert "at least 15 characters" in page
    assert not User.objects.filter(username="lucia").exists()


@pytest.mark.django_db
def test_it_stores_only_a_hash_of_the_invitation_token(client, world, smtp_server):
    link = _invite(client, world, smtp_server)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert not Invitation.objects.filter(token_hash__contains=token).exists()
