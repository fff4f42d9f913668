from __future__ import annotations

import io
import os

import pytest

from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from amparo.vault.errors import (
    KeyLocked,
    LastKeyHolder,
    NoKeyHolder,
    NotAReader,
    RecoveryNeeded,
    Tampered,
    WrongSecret,
)
from amparo.vault.models import Grant, MemberKey, RingMember

PASSWORD = "a long enough passphrase for tests"
LABEL = "test.note"


def _member(name: str):
    user = UserFactory.create(username=name)
    unlocked, code = vault.create_member_key(user, PASSWORD)
    return user, unlocked, code


@pytest.fixture
def ring(db):
    return vault.create_ring("desk:test")


@pytest.mark.django_db
def test_it_round_trips_a_record_for_each_ring_member_and_also_to(ring):
    ana, ana_key, _ = _member("ana")
    bea, bea_key, _ = _member("bea")
    eva, eva_key, _ = _member("eva")
    vault.add_ring_member(ring, ana)
    vault.add_ring_member(ring, bea)
    vault.complete_pending_grants(ana_key)  # bea joined an existing epoch: ana hands it over
    sealed = vault.seal_for_ring(ring, "sí, ¿dónde? — 🛡", label=LABEL, also_to=[eva])
    assert "dónde".encode() not in sealed
    assert vault.open_sealed(ana_key, sealed, label=LABEL) == "sí, ¿dónde? — 🛡"
    assert vault.open_sealed(bea_key, sealed, label=LABEL) == "sí, ¿dónde? — 🛡"
    assert vault.open_sealed(eva_key, sealed, label=LABEL) == "sí, ¿dónde? — 🛡"
    outsider, outsider_key, _ = _member("zoe")
    with pytest.raises(NotAReader):
        vault.open_sealed(outsider_key, sealed, label=LABEL)
    with pytest.raises(KeyLocked):
        vault.open_sealed(None, sealed, label=LABEL)


@pytest.mark.django_db
def test_it_uses_a_fresh_key_and_nonce_for_every_record(ring):
    ana, ana_key, _ = _member("ana")
    vault.add_ring_member(ring, ana)
    one = vault.seal_for_ring(ring, "same words", label=LABEL)
    two = vault.seal_for_ring(ring, "same words", label=LABEL)
    assert one != two and one[-40:] != two[-40:]


@pytest.mark.django_db
def test_it_refuses_to_seal_to_a_ring_nobody_can_open(ring):
    nobody_with_a_key = UserFactory.create(username="nokey")
    vault.add_ring_member(ring, nobody_with_a_key)
    with pytest.raises(NoKeyHolder):
        vault.seal_for_ring(ring, "x", label=LABEL)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["body", "wrapped key", "header", "truncated", "other label"])
def test_it_says_tampered_when_bytes_change(ring, where):
    ana, ana_key, _ = _member("ana")
    vault.add_ring_member(ring, ana)
    sealed = bytearray(vault.seal_for_ring(ring, "the facts", label=LABEL))
    label = LABEL
    if where == "body":
        sealed[-5] ^= 1
    elif where == "wrapped key":
        sealed[20] ^= 1
    elif where == "header":
        sealed[0] ^= 1
    elif where == "truncated":
        sealed = sealed[:-10]
    else:
        label = "test.other"
    with pytest.raises(Tampered):
        vault.open_sealed(ana_key, bytes(sealed), label=label)


@pytest.mark.django_db
def test_it_refuses_a_wrong_password_or_recovery_code_and_changes_nothing():
    ana, _key, code = _member("ana")
    before = MemberKey.objects.values().get(user=ana)
    with pytest.raises(WrongSecret):
        vault.unlock_with_password(ana, "not the password at all")
    with pytest.raises(WrongSecret):
        vault.recover_member_key(ana, "AAAA-BBBB-CCCC-DDDD-EEEE", PASSWORD)
    assert MemberKey.objects.values().get(user=ana) == before
    assert vault.unlock_with_password(ana, PASSWORD).private_key == _key.private_key
    assert vault.recover_member_key(ana, code.lower().replace("-", " "), PASSWORD).private_key == _key.private_key


@pytest.mark.django_db
def test_it_rewraps_on_a_password_change_and_recovers_after_a_reset(ring):
    ana, ana_key, code = _member("ana")
    vault.add_ring_member(ring, ana)
    sealed = vault.seal_for_ring(ring, "before the reset", label=LABEL)
    vault.rewrap_for_password(ana_key, "a new long passphrase here")
    assert vault.unlock_with_password(ana, "a new long passphrase here").private_key == ana_key.private_key
    vault.mark_needs_recovery(ana)  # a reset by e-mail: the old password is unknown
    with pytest.raises(RecoveryNeeded):
        vault.unlock_with_password(ana, "the password set by the reset")
    recovered = vault.recover_member_key(ana, code, "the password set by the reset")
    assert vault.open_sealed(recovered, sealed, label=LABEL) == "before the reset"
    assert vault.unlock_with_password(ana, "the password set by the reset").private_key == ana_key.private_key


@pytest.mark.django_db
def test_it_opens_a_new_epoch_when_a_member_leaves(ring):
    ana, ana_key, _ = _member("ana")
    bea, bea_key, _ = _member("bea")
    vault.add_ring_member(ring, ana)
    vault.add_ring_member(ring, bea)
    vault.complete_pending_grants(ana_key)
    old = vault.seal_for_ring(ring, "sealed while bea was in", label=LABEL)
    vault.remove_ring_member(ring, bea)
    assert ring.epochs.count() == 2
    new = vault.seal_for_ring(ring, "sealed after bea left", label=LABEL)
    # Bea's key, still unlocked in some old session, opens nothing sealed after her removal,
    # and her grants are gone from the database.
    fresh_bea = vault.unlock_with_password(bea, PASSWORD)
    with pytest.raises(NotAReader):
        vault.open_sealed(fresh_bea, new, label=LABEL)
    with pytest.raises(NotAReader):
        vault.open_sealed(fresh_bea, old, label=LABEL)
    assert not Grant.objects.filter(user=bea).exists()
    # Ana, who stays, opens both.
    ana_again = vault.unlock_with_password(ana, PASSWORD)
    assert vault.open_sealed(ana_again, old, label=LABEL) == "sealed while bea was in"
    assert vault.open_sealed(ana_again, new, label=LABEL) == "sealed after bea left"


@pytest.mark.django_db
def test_it_completes_a_newcomers_grants_at_an_unlocked_members_request(client, world):
    newcomer, newcomer_key, _ = _member("newcomer")
    from amparo.network import services as network
    from amparo.network.models import Role

    old = network.seal_for_desk(world.desk_a, "an old case", label=LABEL)
    network.add_membership("system", user=newcomer, role=Role.DOCUMENTER, network=world.network_a,
                           desk=world.desk_a)
    assert vault.pending_members(world.desk_a.ring) == [newcomer.pk]
    with pytest.raises(NotAReader):
        vault.open_sealed(newcomer_key, old, label=LABEL)
    from conftest import sign_in

    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/network/desks/{world.desk_a.slug}/")
    assert page.status_code == 200
    assert vault.pending_members(world.desk_a.ring) == []
    assert vault.open_sealed(vault.unlock_with_password(newcomer, PASSWORD), old, label=LABEL) == "an old case"


@pytest.mark.django_db
def test_it_shows_pending_grants_to_the_desk(client, world):
    from amparo.network import services as network
    from amparo.network.models import Role

    waiting = UserFactory.create(username="waiting", first_name="Wanda")
    vault.create_member_key(waiting, PASSWORD)
    network.add_membership("system", user=waiting, role=Role.DOCUMENTER, network=world.network_a,
                           desk=world.desk_a)
    from conftest import sign_in

    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])  # not a key holder
    page = client.get(f"/network/desks/{world.desk_a.slug}/").content.decode()
    assert "Wanda" in page and "waiting for the desk's key" in page


@pytest.mark.django_db
def test_it_keeps_the_last_key_holder_until_a_recovery_sheet_is_confirmed(ring):
    ana, ana_key, _ = _member("ana")
    vault.add_ring_member(ring, ana)
    sealed = vault.seal_for_ring(ring, "only ana can open this", label=LABEL)
    with pytest.raises(LastKeyHolder):
        vault.remove_ring_member(ring, ana)
    sheet = vault.issue_recovery_sheet(ring, ana_key)
    with pytest.raises(LastKeyHolder):
        vault.remove_ring_member(ring, ana)  # printed is not enough: it must be confirmed
    with pytest.raises(WrongSecret):
        vault.confirm_recovery_sheet(ring, "AAAA" * 13)
    vault.confirm_recovery_sheet(ring, sheet.lower())
    vault.remove_ring_member(ring, ana)
    assert not RingMember.objects.filter(ring=ring).exists()
    # Later, a new member is given everything back from the sheet.
    bea, bea_key, _ = _member("bea")
    with pytest.raises(WrongSecret):
        vault.restore_from_sheet(ring, "B" * 52, bea)
    assert vault.restore_from_sheet(ring, sheet, bea) == 2  # the first epoch and the one after ana
    assert vault.open_sealed(bea_key, sealed, label=LABEL) == "only ana can open this"
    after = vault.seal_for_ring(ring, "sealed after the restore", label=LABEL)
    assert vault.open_sealed(bea_key, after, label=LABEL) == "sealed after the restore"


@pytest.mark.django_db
def test_it_refuses_to_end_the_last_documenters_role_on_the_page(client, world):
    from conftest import sign_in

    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    membership = world.memberships["documenter_a"]
    response = client.post(f"/network/memberships/{membership.pk}/end/", follow=True)
    assert "She is the last person who can open these records." in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_at is None


@pytest.mark.django_db
def test_it_seals_with_the_service_key_and_indexes_blindly(settings):
    sealed = vault.seal_with_service_key("ana@example.org", label="supporter.email")
    assert b"ana@" not in sealed
    assert vault.open_with_service_key(sealed, label="supporter.email") == "ana@example.org"
    with pytest.raises(Tampered):
        vault.open_with_service_key(sealed[:-1] + bytes([sealed[-1] ^ 1]), label="supporter.email")
    one = vault.blind_index(" Ana@Example.org ", purpose="supporter.email")
    assert one == vault.blind_index("ana@example.org", purpose="supporter.email")
    assert one != vault.blind_index("ana@example.org", purpose="other")
    settings.VAULT_SERVICE_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    with pytest.raises(Tampered):
        vault.open_with_service_key(sealed, label="supporter.email")


@pytest.mark.django_db
def test_it_streams_an_attachment_and_catches_truncation(ring):
    ana, ana_key, _ = _member("ana")
    vault.add_ring_member(ring, ana)
    original = os.urandom(3 * 64 * 1024 + 123)
    target = io.BytesIO()
    sealed_key = vault.seal_attachment(ring, io.BytesIO(original), target, label="test.file")
    encrypted = target.getvalue()
    assert original[:4096] not in encrypted
    opened = b"".join(vault.open_attachment(ana_key, sealed_key, io.BytesIO(encrypted), label="test.file"))
    assert opened == original
    with pytest.raises(Tampered):
        b"".join(vault.open_attachment(ana_key, sealed_key, io.BytesIO(encrypted[:-100]), label="test.file"))
    with pytest.raises(Tampered):
        cut = encrypted[: len(encrypted) - (len(encrypted) - 24) // 4]
        b"".join(vault.open_attachment(ana_key, sealed_key, io.BytesIO(cut), label="test.file"))
    flipped = bytearray(encrypted)
    flipped[100] ^= 1
    with pytest.raises(Tampered):
        b"".join(vault.open_attachment(ana_key, sealed_key, io.BytesIO(bytes(flipped)), label="test.file"))


@pytest.mark.django_db
def test_it_seals_an_empty_attachment(ring):
    ana, ana_key, _ = _member("ana")
    vault.add_ring_member(ring, ana)
    target = io.BytesIO()
    sealed_key = vault.seal_attachment(ring, io.BytesIO(b""), target, label="test.file")
    assert b"".join(vault.open_attachment(ana_key, sealed_key, io.BytesIO(target.getvalue()),
                                          label="test.file")) == b""


def test_no_task_takes_a_key_or_plaintext():
    """Workers receive identifiers only: no task parameter may carry a key, a password or
    content. Walks every registered task of the project."""
    import inspect

    from amparo.celery import app

    app.loader.import_default_modules()
    forbidden = ("key", "secret", "password", "plaintext", "content", "text", "body", "unlocked", "code")
    tasks = {name: task for name, task in app.tasks.items() if name.startswith("amparo.")}
    assert tasks, "no project task found: the check would be empty"
    for name, task in tasks.items():
        for param in inspect.signature(task.run).parameters.values():
            assert not any(word in param.name.lower() for word in forbidden), (name, param.name)
            assert param.annotation not in (bytes, "bytes"), (name, param.name)


@pytest.mark.django_db
def test_it_starts_a_ring_with_the_first_member_to_get_a_key(ring):
    """An invited documenter is given her role before she chooses her password (and so before
    her key exists): the desk's first epoch starts when her key is made."""
    invited = UserFactory.create(username="invited")
    vault.add_ring_member(ring, invited)
    with pytest.raises(NoKeyHolder):
        vault.seal_for_ring(ring, "x", label=LABEL)
    unlocked, _code = vault.create_member_key(invited, PASSWORD)
    sealed = vault.seal_for_ring(ring, "the first case", label=LABEL)
    assert vault.open_sealed(unlocked, sealed, label=LABEL) == "the first case"
    assert vault.pending_members(ring) == []


@pytest.mark.django_db
def test_it_records_who_handed_over_grants(client, world):
    from amparo.core.models import AuditEntry
    from amparo.network import services as network
    from amparo.network.models import Role
    from conftest import sign_in

    newcomer, _key, _ = _member("newcomer")
    network.add_membership(world.users["coordinator"], user=newcomer, role=Role.DOCUMENTER,
                           network=world.network_a, desk=world.desk_a)
    added = AuditEntry.objects.filter(action="vault.ring_member_added").last()
    assert added.actor_id == world.users["coordinator"].pk
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    client.get("/accounts/dashboard/")
    handed = AuditEntry.objects.get(action="vault.grants_completed")
    assert handed.actor_id == world.users["documenter_a"].pk
    assert handed.object_id == str(world.desk_a.ring_id)


@pytest.mark.django_db
@pytest.mark.parametrize("where", [None, "body", "sealed batch key", "wrapped data key", "other label"])
def test_a_batch_seals_many_values_with_one_public_key_seal_and_each_opens_alone(ring, where, monkeypatch):
    """An import's batch: one batch key sealed to the epoch, each value's own data key under
    it. Every value opens alone for the ring's members and nobody else, and any changed byte
    is caught."""
    from amparo.vault import crypto, envelope
    from amparo.vault.services.epochs import current_epoch

    ana, ana_key, _ = _member("ana")
    vault.add_ring_member(ring, ana)
    public_seals = []
    real_seal_to = crypto.seal_to

    def counted_seal_to(*args: bytes) -> bytes:
        public_seals.append(1)
        return real_seal_to(*args)

    monkeypatch.setattr(crypto, "seal_to", counted_seal_to)
    batch = vault.EpochBatch([current_epoch(ring)])
    values = [batch.seal(f"row {n}: sus palabras", label=LABEL) for n in range(50)]
    assert len(public_seals) == 1  # once per batch and epoch, not once per value
    assert len(set(values)) == 50 and all(b"palabras" not in v for v in values)
    recipients, _ = envelope.unpack(values[0])
    assert [r.kind for r in recipients] == [envelope.BATCH]
    sealed, label = bytearray(values[7]), LABEL
    header = len(envelope.MAGIC) + 1 + 11  # magic, count, one entry's kind/ref/length
    if where == "body":
        sealed[-3] ^= 1
    elif where == "sealed batch key":
        sealed[header + 40] ^= 1
    elif where == "wrapped data key":
        sealed[header + envelope.BATCH_SEALED_BYTES + 30] ^= 1
    elif where == "other label":
        label = "test.other"
    if where is None:
        assert vault.open_sealed(ana_key, bytes(sealed), label=label) == "row 7: sus palabras"
        _, zoe_key, _ = _member("zoe")
        with pytest.raises(NotAReader):
            vault.open_sealed(zoe_key, bytes(sealed), label=label)
    else:
        with pytest.raises(Tampered):
            vault.open_sealed(ana_key, bytes(sealed), label=label)
