"""Closing an account: no login, no session, no token, no role, no key ring — or, when she
alone can open a desk's records, a refusal that changes nothing."""

from __future__ import annotations

import pytest

from amparo.accounts import services as accounts
from amparo.accounts.models import ApiToken, UserSession
from amparo.accounts.session_store import SessionStore
from amparo.core.models import AuditEntry
from amparo.network import services
from amparo.network.models import Membership, Role
from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from amparo.vault.models import Grant, RingMember
from conftest import STANDING_PASSWORD, enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db


def _second_documenter(world):
    person = UserFactory.create(username="second_documenter")
    person.set_password(STANDING_PASSWORD)
    person.save()
    vault.create_member_key(person, STANDING_PASSWORD)
    services.add_membership("system", user=person, role=Role.DOCUMENTER, network=world.network_a,
                            desk=world.desk_a)
    return person


def test_it_ends_roles_rings_sessions_and_tokens(world):
    person = _second_documenter(world)
    session = SessionStore()
    session.create()
    accounts.record_session(person, str(session.session_key))
    accounts.create_api_token(person, name="scripts", days=10)
    ring = world.desk_a.ring
    epoch_before = ring.epochs.count()

    accounts.deactivate_account(world.users["coordinator"], person)

    person.refresh_from_db()
    assert not person.is_active
    assert not Membership.objects.active().filter(user=person).exists()
    assert not RingMember.objects.filter(ring=ring, user=person).exists()
    assert not Grant.objects.filter(epoch__ring=ring, user=person).exists()
    assert ring.epochs.count() == epoch_before + 1  # what is sealed from now on, she cannot open
    assert not UserSession.objects.filter(user=person).exists()
    assert not SessionStore().exists(str(session.session_key))
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="account.deactivated", object_id=str(person.pk)).exists()


def test_it_refuses_to_close_the_last_key_holder_and_changes_nothing(world):
    person = world.users["documenter_a"]  # desk A's only key holder
    with pytest.raises(accounts.DeactivationRefused, match="last person who can open"):
        accounts.deactivate_account(world.users["coordinator"], person)
    person.refresh_from_db()
    assert person.is_active
    assert Membership.objects.active().filter(user=person, role=Role.DOCUMENTER).exists()


def test_the_admin_closes_through_the_same_path_and_audits_each_change(client, world):
    admin = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    enrol_second_factor(admin)
    sign_in(client, admin)
    person = _second_documenter(world)
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200, page.status_code
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in ("password", "is_active")}
    data.update({"date_joined_0": data.pop("date_joined", "") and person.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": person.date_joined.strftime("%H:%M:%S"), "last_login_0": "", "last_login_1": ""})
    data["groups"], data["user_permissions"] = [], []
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    person.refresh_from_db()
    assert not person.is_active
    assert not Membership.objects.active().filter(user=person).exists()
    assert AuditEntry.objects.filter(action="account.changed_in_admin", object_id=str(person.pk)).exists()


def test_a_networks_only_coordinator_can_leave_once_its_recovery_sheet_is_confirmed(client, world):
    """The coordinators' ring has its own recovery sheet, made and confirmed on the network's
    page; a newcomer restores from it; a coalition coordinator cannot make one for it."""
    import re

    coordinator = world.users["coordinator"]
    membership = Membership.objects.active().get(user=coordinator, role=Role.COORDINATOR)
    with pytest.raises(services.LastKeyHolderError):
        services.end_membership("system", membership)

    sign_in(client, coordinator, world.unlocked["coordinator"])
    page = client.get(f"/network/n/{world.network_a.slug}/").content.decode()
    assert "No recovery sheet yet" in page
    shown = client.post(f"/network/n/{world.network_a.slug}/recovery-sheet/").content.decode()
    sheet = re.search(r'class="big-code"><code>([^<]+)</code>', shown)
    assert sheet is not None
    wrong = client.post(f"/network/n/{world.network_a.slug}/recovery-sheet/confirm/", {"sheet": "AAAA" * 13})
    assert "This is not the code on the sheet" in wrong.content.decode()
    done = client.post(f"/network/n/{world.network_a.slug}/recovery-sheet/confirm/", {"sheet": sheet.group(1)})
    assert done.status_code == 302
    assert "A recovery sheet is confirmed" in client.get(f"/network/n/{world.network_a.slug}/").content.decode()

    newcomer = _second_documenter(world)  # has a member key; now also a coordinator
    services.add_membership("system", user=newcomer, role=Role.COORDINATOR, network=world.network_a)
    services.end_membership("system", membership)  # no longer refused
    other = client_class_for(newcomer)
    restored = other.post(f"/network/n/{world.network_a.slug}/restore/", {"sheet": sheet.group(1)})
    assert restored.status_code == 302
    assert Grant.objects.filter(epoch__ring=world.network_a.ring, user=newcomer).exists()

    chief = UserFactory.create(username="coalition_chief")
    enrol_second_factor(chief)
    services.add_membership("system", user=chief, role=Role.COORDINATOR, network=world.coalition)
    third = client_class_for(chief)
    assert third.post(f"/network/n/{world.network_a.slug}/recovery-sheet/").status_code == 403


def client_class_for(user):
    from django.test import Client

    client = Client()
    enrol_second_factor(user)
    sign_in(client, user)
    return client
