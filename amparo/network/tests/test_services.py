from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from amparo.core.models import AuditEntry
from amparo.network import permissions, services
from amparo.network.models import Membership, Network, Role
from amparo.network.tests.factories import DeskFactory, UserFactory
from conftest import sign_in


@pytest.mark.django_db
def test_it_routes_a_country_to_its_desk_or_the_coalition_desk(world):
    wide = DeskFactory.create(slug="wide", network=world.coalition, countries=[], coalition_wide=True)
    assert services.desk_for_country("hn") == world.desk_a
    assert services.desk_for_country("CD") == world.desk_b
    assert services.desk_for_country("GT") == wide


@pytest.mark.django_db
def test_it_refuses_a_second_coalition_wide_desk_and_one_outside_the_coalition(world):
    services.create_desk("system", world.coalition, name="Wide", slug="wide", countries=[], coalition_wide=True)
    with pytest.raises(ValidationError):
        services.create_desk("system", world.coalition, name="Wide 2", slug="wide2", countries=[],
                             coalition_wide=True)
    with pytest.raises(ValidationError):
        services.create_desk("system", world.network_a, name="Wide 3", slug="wide3", countries=[],
                             coalition_wide=True)


@pytest.mark.django_db
def test_it_audits_every_write_with_the_network_scope(world):
    coordinator = world.users["coordinator"]
    before = AuditEntry.objects.count()
    desk = services.create_desk(coordinator, world.network_a, name="North", slug="north", countries=["HN"])
    services.update_desk(coordinator, desk, name="North desk", countries=["HN", "GT"])
    person = UserFactory.create(username="newcomer")
    membership = services.add_membership(coordinator, user=person, role=Role.DOCUMENTER,
                                         network=world.network_a, desk=desk)
    services.end_membership(coordinator, membership)
    entries = [e for e in AuditEntry.objects.order_by("seq")[before:] if not e.action.startswith("vault.")]
    assert [e.action for e in entries] == ["desk.created", "desk.updated", "membership.added", "membership.ended"]
    assert {e.scope for e in entries} == {f"network:{world.network_a.pk}"}
    assert {e.actor_id for e in entries} == {coordinator.pk}


@pytest.mark.django_db
def test_it_gives_a_role_once_and_ends_it_for_good(world):
    person = UserFactory.create(username="newcomer")
    first = services.add_membership("system", user=person, role=Role.SUPPORTER, network=world.network_a)
    again = services.add_membership("system", user=person, role=Role.SUPPORTER, network=world.network_a)
    assert first.pk == again.pk
    services.end_membership("system", first)
    services.end_membership("system", first)  # twice changes nothing more
    assert not permissions.has_role(person, Role.SUPPORTER)
    assert Membership.objects.filter(user=person).count() == 1


@pytest.mark.django_db
def test_it_refuses_a_documenter_without_a_desk_or_with_another_networks_desk(world):
    person = UserFactory.create(username="newcomer")
    with pytest.raises(ValidationError):
        services.add_membership("system", user=person, role=Role.DOCUMENTER, network=world.network_a)
    with pytest.raises(ValidationError):
        services.add_membership("system", user=person, role=Role.DOCUMENTER, network=world.network_a,
                                desk=world.desk_b)


@pytest.mark.django_db
def test_it_lets_a_coalition_coordinator_see_every_national_network(world):
    person = UserFactory.create(username="coalition_coordinator")
    services.add_membership("system", user=person, role=Role.COORDINATOR, network=world.coalition)
    assert set(permissions.coordinated_networks(person)) == {world.coalition, world.network_a, world.network_b}
    assert set(permissions.coordinated_networks(world.users["coordinator"])) == {world.network_a}


@pytest.mark.django_db
def test_it_hides_another_networks_objects_from_a_coordinator(client, world):
    sign_in(client, world.users["coordinator"])
    assert client.get(f"/network/n/{world.network_b.slug}/").status_code == 404
    assert client.get(f"/network/desks/{world.desk_b.slug}/").status_code == 404
    assert client.get(f"/network/n/{world.network_b.slug}/audit/").status_code == 404
    assert client.get(f"/api/v1/desks/{world.desk_b.slug}/").status_code == 404
    other = world.memberships["documenter_b"]
    assert client.post(f"/network/memberships/{other.pk}/end/").status_code == 404
    assert client.post(f"/api/v1/memberships/{other.pk}/end/").status_code == 404
    other.refresh_from_db()
    assert other.ended_at is None


@pytest.mark.django_db
def test_it_creates_a_desk_from_the_page_and_keeps_input_on_error(client, world):
    sign_in(client, world.users["coordinator"])
    url = f"/network/n/{world.network_a.slug}/desks/new/"
    response = client.post(url, {"name": "Sur", "slug": "sur", "countries": "hn, XX"})
    assert response.status_code == 200
    assert "These are not country codes: XX" in response.content.decode()
    assert 'value="Sur"' in response.content.decode()
    response = client.post(url, {"name": "Sur", "slug": "sur", "countries": "hn, gt"})
    assert response.status_code == 302
    desk = world.network_a.desks.get(slug="sur")
    assert desk.countries == ["GT", "HN"]


@pytest.mark.django_db
def test_it_gives_and_ends_roles_from_the_members_page(client, world):
    sign_in(client, world.users["coordinator"])
    person = UserFactory.create(username="lucia")
    url = f"/network/n/{world.network_a.slug}/members/"
    response = client.post(url, {"username": "lucia", "role": Role.DOCUMENTER})
    assert "A documenter belongs to a desk." in response.content.decode()
    response = client.post(url, {"username": "lucia", "role": Role.DOCUMENTER, "desk": world.desk_a.pk})
    assert response.status_code == 302
    assert permissions.is_documenter_of(person, world.desk_a)
    membership = Membership.objects.active().get(user=person)
    client.post(f"/network/memberships/{membership.pk}/end/")
    assert not permissions.is_documenter_of(person, world.desk_a)


@pytest.mark.django_db
def test_it_gives_roles_through_the_api(client, world):
    sign_in(client, world.users["coordinator"])
    UserFactory.create(username="ana")
    url = f"/api/v1/networks/{world.network_a.slug}/memberships/"
    # Another network's desk and a desk that exists nowhere get the same answer (issue 17.7).
    foreign = client.post(url, {"username": "ana", "role": "documenter", "desk": "desk-b"},
                          content_type="application/json")
    unknown = client.post(url, {"username": "ana", "role": "documenter", "desk": "no-such-desk"},
                          content_type="application/json")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content == b'{"desk":["Not one of your desks."]}'
    response = client.post(url, {"username": "ana", "role": "documenter", "desk": "desk-a"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["desk"] == "desk-a"
    listed = client.get(url).json()["results"]
    assert "ana" in {m["username"] for m in listed}


@pytest.mark.django_db
def test_it_shows_a_coordinator_only_her_networks_audit_entries(client, world):
    sign_in(client, world.users["coordinator"])
    before = client.get(f"/network/n/{world.network_a.slug}/audit/").content.decode().count("desk.created")
    services.create_desk("system", world.network_a, name="A2", slug="a2", countries=[])
    services.create_desk("system", world.network_b, name="B2", slug="b2", countries=[])
    page = client.get(f"/network/n/{world.network_a.slug}/audit/").content.decode()
    assert page.count("desk.created") == before + 1


@pytest.mark.django_db
def test_it_shows_each_role_its_dashboard(client, world):
    expectations = {
        "coordinator": "Networks you coordinate",
        "documenter_a": "Your desks",
        "defender": "Your safety",
        "outsider": "You have no role in any network yet",
    }
    for who, text in expectations.items():
        sign_in(client, world.users[who])
        assert text in client.get("/accounts/dashboard/").content.decode(), who
    assert Network.objects.count() == 3


@pytest.mark.django_db
def test_it_lets_a_coalition_coordinator_add_a_national_network(client, world):
    person = UserFactory.create(username="coalition_coordinator")
    services.add_membership("system", user=person, role=Role.COORDINATOR, network=world.coalition)
    from conftest import enrol_second_factor

    enrol_second_factor(person)
    sign_in(client, person)
    response = client.post(f"/network/n/{world.coalition.slug}/networks/new/",
                           {"name": "Red de Guatemala", "slug": "red-gt", "country": "gt"})
    assert response.status_code == 302
    created = Network.objects.get(slug="red-gt")
    assert created.parent == world.coalition and created.country == "GT" and created.ring is not None
    assert client.get(f"/network/n/{world.network_a.slug}/networks/new/").status_code == 404
