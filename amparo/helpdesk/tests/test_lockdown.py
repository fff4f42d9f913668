"""Lockdown by a trusted contact with the code the defender set: every session gone, her API
tokens refused, her rings in a new epoch she cannot open, her desk alerted, each trusted
contact warned exactly once over real SMTP on loopback; and the undo by her desk."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from amparo.accounts import services as accounts
from amparo.accounts.models import UserSession
from amparo.helpdesk import services, tasks
from amparo.helpdesk.models import ContactWarning, Lockdown
from amparo.network import services as network
from amparo.network.models import Role
from amparo.vault import services as vault
from amparo.vault.errors import NotAReader
from amparo.vault.models import RingMember
from conftest import enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db
CODE = "rio-verde-27-luna"


def test_a_trusted_contact_locks_her_account_down(world, smtp_server, fast_password_hashing):
    cache.clear()
    defender = world.users["defender"]
    # She is also an ICT expert now (a defender who learned and helps others): she holds the
    # coalition's help-desk ring with the standing expert.
    network.add_membership("system", user=defender, role=Role.ICT_EXPERT, network=world.coalition)
    vault.complete_pending_grants(world.unlocked["ict_expert"])
    enrol_second_factor(defender)  # staff roles need one
    ring = network.role_ring(world.coalition, Role.ICT_EXPERT)
    assert vault.is_reader(ring, defender)
    her_browser = Client()
    sign_in(her_browser, defender, world.unlocked["defender"])
    _token, raw = accounts.create_api_token(defender, name="phone", days=30)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert her_browser.get("/helpdesk/lockdown/").status_code == 200
    her_browser.post("/helpdesk/lockdown/code/", {"code": CODE, "code_again": CODE})
    for address in ("hermana@example.org", "colega@example.org"):
        her_browser.post("/helpdesk/lockdown/contacts/", {"channel": "email", "address": address, "language": "es"})
    assert services.has_lockdown_code(defender)

    friend = Client()
    wrong = friend.post("/helpdesk/lockdown/contact/", {"username": "defender", "code": "not the code"})
    assert wrong.status_code == 400 and not Lockdown.objects.exists()
    done = friend.post("/helpdesk/lockdown/contact/", {"username": "defender", "code": CODE})
    assert done.status_code == 303 and done["Location"] == "/helpdesk/lockdown/done/"

    lockdown = Lockdown.objects.get()
    assert lockdown.by == Lockdown.By.CONTACT and lockdown.desk == world.desk_a
    # Every session gone (the one of the world fixture too), her token refused.
    assert not UserSession.objects.filter(user=defender).exists()
    assert Session.objects.filter(session_key=world.defender_session.session_key).count() == 0
    assert her_browser.get("/helpdesk/lockdown/").status_code == 302
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code in (401, 403)
    assert accounts.user_for_api_token(raw) is None
    # Her ring moved to a new epoch she cannot open; the other expert can.
    assert ring.current_epoch().reason == "lockdown" and lockdown.rings_rotated == [ring.pk]
    after = vault.seal_for_ring(ring, "después", label="t")
    with pytest.raises(NotAReader):
        vault.open_sealed(world.unlocked["defender"], after, label="t")
    assert vault.open_sealed(world.unlocked["ict_expert"], after, label="t") == "después"
    # Her desk is alerted on its dashboard.
    desk = Client()
    sign_in(desk, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert f"/helpdesk/lockdowns/{lockdown.pk}/" in desk.get("/accounts/dashboard/").content.decode()
    # Each trusted contact warned exactly once, over SMTP, however often the worker runs.
    assert tasks.send_lockdown_warnings() == 2
    assert tasks.send_lockdown_warnings() == 0
    tasks.tick()
    desk_mail = [m for m in smtp_server if world.users["documenter_a"].email in m.recipients]
    assert len(desk_mail) == 1 and "defender" not in desk_mail[0].body  # her desk, once, with no name
    warned = [m for m in smtp_server if m not in desk_mail]
    assert sorted(r for m in warned for r in m.recipients) == ["colega@example.org", "hermana@example.org"]
    assert all("pueden no ser suyos" in m.body for m in warned)  # in the language she chose for them
    assert ContactWarning.objects.filter(sent_at__isnull=False).count() == 2
    # A second lockdown changes nothing.
    assert services.lock_down(defender, by=Lockdown.By.HERSELF) == lockdown

    # Her desk undoes it after an identity check; she comes back as a newcomer to the ring.
    assert desk.post(f"/helpdesk/lockdowns/{lockdown.pk}/", {}).status_code == 400
    assert desk.post(f"/helpdesk/lockdowns/{lockdown.pk}/", {"identity_checked": "on"}).status_code == 303
    defender.refresh_from_db()
    assert defender.is_active and not defender.has_usable_password()
    assert RingMember.objects.get(ring=ring, user=defender).pending
    other_desk = Client()
    sign_in(other_desk, world.users["documenter_b"], world.unlocked["documenter_b"])
    assert other_desk.get(f"/helpdesk/lockdowns/{lockdown.pk}/").status_code == 404


def test_the_last_key_holder_is_locked_out_of_her_sessions_and_the_desk_restores_the_ring(world):
    documenter = world.users["documenter_a"]  # desk A's only documenter
    lockdown = services.lock_down(documenter, by=Lockdown.By.HERSELF)
    assert lockdown.rings_to_restore == [world.desk_a.ring_id] and lockdown.rings_rotated == []
    assert not UserSession.objects.filter(user=documenter).exists()
    documenter.refresh_from_db()
    assert not documenter.is_active


def test_she_locks_down_herself_with_one_button_and_is_signed_out(world, client):
    defender = world.users["defender"]
    sign_in(client, defender, world.unlocked["defender"])
    refused = client.post("/helpdesk/lockdown/now/", {})
    assert refused.status_code == 400 and not Lockdown.objects.exists()  # the box says what and why
    done = client.post("/helpdesk/lockdown/now/", {"confirm": "on"})
    assert done.status_code == 303 and done["Location"] == "/helpdesk/lockdown/done/"
    assert Lockdown.objects.get().by == Lockdown.By.HERSELF
    assert "_auth_user_id" not in client.session
    assert client.get("/helpdesk/mine/").status_code == 302  # to the login
    defender.refresh_from_db()
    assert not defender.is_active and not defender.has_usable_password()
