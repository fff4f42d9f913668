from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from amparo.core import audit
from amparo.core.models import AppendOnlyError, AuditEntry
from amparo.core.tests.actions import SampleAction


def _fill(n: int) -> list[AuditEntry]:
    return [audit.record("system", SampleAction.THING_DONE, object_type="test.thing", object_id=i) for i in range(n)]


def _drop_triggers() -> None:
    """What an intruder with the database owner's rights would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_change ON core_auditentry")


@pytest.mark.django_db
def test_it_chains_entries_and_verifies_them():
    entries = _fill(5)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert audit.verify() == (5, None)
    assert audit.latest().hash == entries[-1].hash


@pytest.mark.django_db
def test_it_refuses_an_action_that_is_a_plain_string():
    for action in ("thing.done", "sample.thing_done"):  # even one a catalogue holds
        with pytest.raises(TypeError, match="catalogue"):
            audit.record("system", action, object_type="test.thing", object_id=1)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_stores_identifiers_not_content(world):
    entry = audit.record(world.users["coordinator"], SampleAction.DESK_UPDATED, world.desk_a, scope="network:1")
    assert (entry.actor_id, entry.actor_label) == (world.users["coordinator"].pk, "user")
    assert (entry.object_type, entry.object_id) == ("network.desk", str(world.desk_a.pk))
    assert audit.record(None, SampleAction.REPORT_RECEIVED, object_type="x", object_id=1).actor_label == "anonymous"


@pytest.mark.django_db
def test_it_refuses_changes_through_the_orm():
    entry = _fill(1)[0]
    entry.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db
def test_it_refuses_changes_in_the_database_itself():
    _fill(2)
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE seq = 1")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry WHERE seq = 1")


@pytest.mark.django_db
def test_it_catches_a_tampered_entry():
    _fill(5)
    _drop_triggers()
    AuditEntry.objects.filter(seq=3).update(action="nothing.happened")
    checked, broken = audit.verify()
    assert broken is not None and broken.seq == 3 and checked == 2
    with pytest.raises(CommandError, match="broken at entry #3"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_it_catches_a_deleted_entry():
    _fill(5)
    _drop_triggers()
    AuditEntry.objects.filter(seq=2).delete()
    checked, broken = audit.verify()
    assert broken is not None and broken.seq == 2 and "missing" in broken.reason
    with pytest.raises(CommandError, match="broken at entry #2"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_it_catches_removed_newest_entries():
    _fill(4)
    _drop_triggers()
    AuditEntry.objects.filter(seq=4).delete()
    assert audit.verify()[1] is not None


@pytest.mark.django_db
def test_it_checks_the_log_against_an_anchor(capsys):
    entries = _fill(3)
    call_command("verify_audit", anchor=entries[1].hash)
    assert "intact: 3 entries" in capsys.readouterr().out
    with pytest.raises(CommandError, match="anchor is not on the chain"):
        call_command("verify_audit", anchor="f" * 64)


@pytest.mark.django_db
def test_it_detects_a_rewritten_chain_with_an_earlier_anchor():
    """An intruder who rewrites an entry and recomputes every hash after it leaves an intact
    chain, but the anchor a coordinator received yesterday is no longer on it."""
    entries = _fill(3)
    anchor = entries[2].hash
    _drop_triggers()
    AuditEntry.objects.filter(seq=2).update(action="nothing.happened")
    prev = entries[0].hash
    for seq in (2, 3):
        row = AuditEntry.objects.get(seq=seq)
        row.prev_hash = prev
        row.hash = audit._digest(prev, audit._fields(row))
        AuditEntry.objects.filter(seq=seq).update(prev_hash=row.prev_hash, hash=row.hash)
        prev = row.hash
    from amparo.core.models import AuditHead

    AuditHead.objects.filter(id=1).update(hash=prev)
    assert audit.verify() == (3, None)
    checked, broken = audit.verify(anchor=anchor)
    assert broken is not None and "anchor" in broken.reason


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_chain_whole_under_concurrent_writers():
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                audit.record("system", SampleAction.CONCURRENT_WRITE, object_type="t", object_id=f"{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert audit.verify() == (60, None)
