"""Lockdown in the vault: a member is taken out of every ring at once (each moves to a new
epoch she cannot open), a ring she alone holds is left for its recovery sheet, and she is put
back as a newcomer."""

from __future__ import annotations

import pytest

from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from amparo.vault.errors import NotAReader
from amparo.vault.models import Grant, RingMember

PASSWORD = "a long enough passphrase for tests"
LABEL = "test.note"


def _member(name: str):
    user = UserFactory.create(username=name)
    return user, vault.create_member_key(user, PASSWORD)[0]


@pytest.mark.django_db
def test_it_moves_each_of_her_rings_to_an_epoch_she_cannot_open():
    ana, ana_key = _member("ana")
    bea, bea_key = _member("bea")
    shared, alone = vault.create_ring("shared"), vault.create_ring("alone")
    for user in (ana, bea):
        vault.add_ring_member(shared, user)
    vault.add_ring_member(alone, ana)
    vault.complete_pending_grants(ana_key)  # bea holds the shared ring's key too
    before = vault.seal_for_ring(shared, "before", label=LABEL)

    out = vault.lock_out_member(ana)

    assert out.rotated == [shared.pk] and out.last_holder == [alone.pk]
    assert out.labels[alone.pk] == "alone"
    assert shared.current_epoch().reason == "lockdown"
    after = vault.seal_for_ring(shared, "after", label=LABEL)
    with pytest.raises(NotAReader):
        vault.open_sealed(vault.Unlocked(ana.pk, ana_key.private_key), after, label=LABEL)
    with pytest.raises(NotAReader):  # her old grants went too
        vault.open_sealed(vault.Unlocked(ana.pk, ana_key.private_key), before, label=LABEL)
    assert vault.open_sealed(bea_key, after, label=LABEL) == "after"
    assert not Grant.objects.filter(epoch__ring=shared, user=ana).exists()
    # The ring only she opens keeps her, so its records are not lost.
    assert RingMember.objects.filter(ring=alone, user=ana).exists()
    assert vault.lock_out_member(ana).rotated == []  # twice: nothing more to do


@pytest.mark.django_db
def test_it_puts_her_back_as_a_newcomer_whose_grants_another_member_completes():
    ana, ana_key = _member("ana")
    bea, bea_key = _member("bea")
    ring = vault.create_ring("shared")
    for user in (ana, bea):
        vault.add_ring_member(ring, user)
    vault.complete_pending_grants(ana_key)
    out = vault.lock_out_member(ana)

    assert vault.restore_member(ana, out.rotated) == 1
    assert RingMember.objects.get(ring=ring, user=ana).pending
    vault.complete_pending_grants(bea_key)
    assert vault.is_reader(ring, ana)
