"""`visible_desk_ids` (one query compiled once per process, the staff statistics API's path)
gives the same desks as `visible_desks` for every kind of person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from amparo.network import permissions
from amparo.network import services as network
from amparo.network.models import Membership, Network, Role
from amparo.network.tests.factories import DeskFactory, MembershipFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


def _same(user: object) -> list[int]:
    ids = permissions.visible_desk_ids(user)
    assert ids == sorted(permissions.visible_desks(user).values_list("pk", flat=True))
    return ids


def test_every_kind_of_person_sees_the_same_desks_by_ids_as_by_the_query() -> None:
    coalition = NetworkFactory(kind=Network.Kind.COALITION)
    national = NetworkFactory(parent=coalition)
    other = NetworkFactory()
    in_coalition = DeskFactory(network=coalition)
    in_national, second_national = DeskFactory(network=national), DeskFactory(network=national)
    elsewhere = DeskFactory(network=other)

    documenter = UserFactory()
    MembershipFactory(user=documenter, role=Role.DOCUMENTER, network=national, desk=in_national)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, role=Role.COORDINATOR, network=coalition)
    national_coordinator = UserFactory()
    MembershipFactory(user=national_coordinator, role=Role.COORDINATOR, network=national)
    both = UserFactory()
    MembershipFactory(user=both, role=Role.DOCUMENTER, network=other, desk=elsewhere)
    MembershipFactory(user=both, role=Role.COORDINATOR, network=national)
    supporter = UserFactory()
    MembershipFactory(user=supporter, role=Role.SUPPORTER, network=national)
    former = UserFactory()
    network.end_membership("system", MembershipFactory(user=former, role=Role.DOCUMENTER, network=other,
                                                         desk=elsewhere))

    assert _same(documenter) == [in_national.pk]
    assert _same(coordinator) == sorted([in_coalition.pk, in_national.pk, second_national.pk])
    assert _same(national_coordinator) == sorted([in_national.pk, second_national.pk])
    assert _same(both) == sorted([in_national.pk, second_national.pk, elsewhere.pk])
    assert _same(supporter) == []
    assert _same(former) == []
    assert permissions.visible_desk_ids(AnonymousUser()) == []
    assert permissions.visible_desk_ids(None) == []
    assert Membership.objects.filter(user_id=former.pk, ended_at__isnull=False).exists()
