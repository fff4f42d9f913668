"""The rings of the fund reviewers and the ICT experts: each opens what is sealed to its role in
its network, and nobody else in the network does."""

from __future__ import annotations

import pytest

from amparo.network import services
from amparo.network.models import Network, Role
from amparo.vault import services as vault
from amparo.vault.errors import NotAReader


def test_each_role_opens_only_its_own_ring(world):
    coalition = world.coalition
    for_funds = services.seal_for_role(coalition, Role.FUND_REVIEWER, "she needs to leave", label="t.support")
    for_desk = services.seal_for_role(coalition, Role.ICT_EXPERT, "her phone was taken", label="t.helpdesk")
    assert vault.open_sealed(world.unlocked["fund_reviewer"], for_funds, label="t.support") == "she needs to leave"
    assert vault.open_sealed(world.unlocked["ict_expert"], for_desk, label="t.helpdesk") == "her phone was taken"
    for name in ("ict_expert", "coordinator", "documenter_a", "supporter"):
        with pytest.raises(NotAReader):
            vault.open_sealed(world.unlocked[name], for_funds, label="t.support")
    with pytest.raises(NotAReader):
        vault.open_sealed(world.unlocked["fund_reviewer"], for_desk, label="t.helpdesk")


def test_a_network_made_before_the_rings_gets_them_with_its_members(world):
    Network.objects.filter(pk=world.coalition.pk).update(support_ring=None)
    coalition = Network.objects.get(pk=world.coalition.pk)
    sealed = services.seal_for_role(coalition, Role.FUND_REVIEWER, "relocation", label="t.support")
    assert Network.objects.get(pk=coalition.pk).support_ring is not None
    assert vault.open_sealed(world.unlocked["fund_reviewer"], sealed, label="t.support") == "relocation"


def test_a_fund_reviewer_whose_role_ends_leaves_the_ring(world):
    ring = services.role_ring(world.coalition, Role.FUND_REVIEWER)
    second = services.add_membership("system", user=world.users["coordinator"], role=Role.FUND_REVIEWER,
                                     network=world.coalition)
    assert ring.members.filter(user=world.users["coordinator"]).exists()
    services.end_membership("system", second)
    assert not ring.members.filter(user=world.users["coordinator"]).exists()
