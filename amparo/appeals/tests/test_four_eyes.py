"""The four-eyes rule asks the data who wrote an appeal or an update (`writers`, kept by the
services and filled once from the audit chain by a migration), and the app records only the
actions of its catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.appeals import services, tasks
from amparo.appeals.actions import Action
from amparo.appeals.models import Appeal, AppealUpdate
from amparo.appeals.services import circulation_queue
from amparo.appeals.tests.test_appeals import TEXT, approved, draft
from amparo.core.models import AuditEntry
from amparo.network import services as network
from amparo.network.models import Role

pytestmark = pytest.mark.django_db


def _coordinator_who_documents(world):
    coordinator = world.users["coordinator"]
    network.add_membership("system", user=coordinator, role=Role.DOCUMENTER, network=world.network_a,
                           desk=world.desk_a)
    return coordinator


def test_every_writer_of_an_appeal_is_kept_on_it(world):
    appeal = draft(world)
    coordinator = _coordinator_who_documents(world)
    services.translate_appeal(coordinator, appeal, "es", {**TEXT, "title": "Honduras: amenazas"})
    assert set(appeal.writers.all()) == {world.users["documenter_a"], coordinator}
    services.submit_for_review(world.users["documenter_a"], appeal)
    assert services.wrote_part_of(coordinator, appeal)
    with pytest.raises(services.AppealRefused, match="another coordinator"):
        services.approve_appeal(coordinator, appeal, unlocked=world.unlocked["coordinator"])


def test_the_rule_reads_the_writers_not_the_audit_chain(world):
    """Audit entries no longer decide: a writer without any entry is still refused."""
    appeal = draft(world)
    coordinator = _coordinator_who_documents(world)
    services.submit_for_review(world.users["documenter_a"], appeal)
    appeal.writers.add(coordinator)
    assert not AuditEntry.objects.filter(actor_id=coordinator.pk, object_type="appeals.appeal").exists()
    with pytest.raises(services.AppealRefused, match="another coordinator"):
        services.approve_appeal(coordinator, appeal, unlocked=world.unlocked["coordinator"])


def test_a_coordinator_who_translated_an_update_cannot_approve_it(world):
    appeal = approved(world)
    coordinator = _coordinator_who_documents(world)
    update = services.add_update(world.users["documenter_a"], appeal, title="Released", body="She was released.")
    services.translate_update(coordinator, update, "es", title="Liberada", body="Fue liberada.")
    assert set(update.writers.all()) == {world.users["documenter_a"], coordinator}
    with pytest.raises(services.AppealRefused, match="another coordinator"):
        services.approve_update(coordinator, update, unlocked=world.unlocked["coordinator"])


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_writers_from_the_audit_chain(world):
    appeal = draft(world)
    coordinator = _coordinator_who_documents(world)
    services.translate_appeal(coordinator, appeal, "es", {**TEXT, "title": "Honduras: amenazas"})
    services.submit_for_review(world.users["documenter_a"], appeal)
    with connection.cursor() as cursor:  # as before this change: nobody kept as a writer
        cursor.execute("DELETE FROM appeals_appeal_writers")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("appeals", "0003_seal_drafts_until_publication")])
    finally:
        call_command("migrate", verbosity=0)  # every app: those built on later migrations were unapplied too
    assert set(Appeal.objects.get(pk=appeal.pk).writers.all()) == {world.users["documenter_a"], coordinator}
    with pytest.raises(services.AppealRefused, match="another coordinator"):
        services.approve_appeal(coordinator, appeal, unlocked=world.unlocked["coordinator"])


def test_every_action_recorded_is_in_the_catalogue(world):
    appeal = approved(world)
    update = services.add_update(world.users["documenter_a"], appeal, title="t", body="b")
    services.stop_update(world.users["coordinator"], update)
    services.stop_appeal(world.users["coordinator"], appeal)
    recorded = set(AuditEntry.objects.filter(object_type__startswith="appeals.").values_list("action", flat=True))
    assert recorded and recorded <= {a.value for a in Action}
    assert AppealUpdate.objects.filter(pk=update.pk, stopped_at__isnull=False).exists()


def test_no_audit_call_of_the_app_passes_a_plain_string():
    app = Path(services.__file__).parent.parent
    for path in app.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                    "record_audit", "record"):
                assert len(node.args) >= 2 and not isinstance(node.args[1], ast.Constant | ast.JoinedStr), (
                    path, node.lineno)


def test_the_queue_starts_senders_through_its_signal(monkeypatch, settings):
    started = []
    monkeypatch.setattr(tasks.send_deliveries, "apply_async", lambda args, queue: started.append((args, queue)))
    settings.AMPARO_CIRCULATION_TASKS = 3
    circulation_queue.kick("email")
    circulation_queue.kick("sms", 1)
    assert started == [(("email",), settings.AMPARO_CIRCULATION_QUEUE)] * 3 + [
        (("sms",), settings.AMPARO_CIRCULATION_QUEUE)]
