"""A process killed mid-way (SIGKILL, as a crash or the OOM killer does) during an import, a
report's making and a key-ring rotation: retried, each finishes exactly once and nothing
half-done is left.

Each job runs in a process of its own on the test's database (the test is transactional, so
what it sets up is committed where the child reads it). The child is stopped dead right after
a chosen SQL statement of its writing has run (amparo.tests.faults.stall), inside its
transaction, and killed there: the same place on every run, not a kill timed by luck."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from amparo.analytics import services as analytics
from amparo.analytics.actions import Action as AnalyticsAction
from amparo.analytics.models import SECTION_CODES, Report
from amparo.appeals.tests.circulation_support import database_url
from amparo.core.models import AuditEntry
from amparo.registry import sealing
from amparo.registry.models import ImportedRecord, Incident
from amparo.tests.faults.conftest import Stalled, child_env, record_figures, run_to_end
from amparo.vault import services as vault
from amparo.vault.models import Grant, RingEpoch, RingMember
from amparo.vault.services import seal_for_ring
from conftest import STANDING_PASSWORD

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ROWS = 5_000  # three of the importer's batches of 2,000
MAPPING = {
    "name": "fault-test",
    "key_columns": ["ref"],
    "dates": {"formats": [{"pattern": "%Y-%m-%d", "precision": "day"}]},
    "fields": {"occurred_on": "date", "country": "country", "narrative": "narrative"},
}


def test_an_import_killed_mid_write_then_run_again_stores_every_row_once(world, tmp_path):
    csv = tmp_path / "incidents.csv"
    csv.write_text("ref,date,country,narrative\n" + "".join(
        f"r{n},2024-{1 + n % 12:02d}-{1 + n % 28:02d},HN,Row {n}: she was followed home\n" for n in range(ROWS)))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))
    command = ["--", "import_incidents", str(csv), "--desk", world.desk_a.slug, "--mapping", str(mapping)]
    env = child_env(tmp_path, database_url())
    started = time.monotonic()
    # Killed inside its transaction once a whole batch is in and more are to come: at the second
    # batch's id reservation (PostgreSQL: the rows themselves go in by COPY, which no statement
    # hook sees) or at the second batch's import records (SQLite: executemany).
    child = Stalled(["--after", r'nextval\(pg_get_serial_sequence|INSERT INTO "registry_importedrecord"',
                     "--nth", "2", *command], env,
                    tmp_path / "import.log")
    child.wait_stalled()
    child.kill()
    at_kill = Incident.objects.filter(desk=world.desk_a).count()
    _nothing_half_done(world)
    assert at_kill < ROWS
    summary = run_to_end(command, env)  # the same command again, as an operator would
    assert Incident.objects.filter(desk=world.desk_a).count() == ROWS
    assert ImportedRecord.objects.filter(desk=world.desk_a).values("key").distinct().count() == ROWS
    _nothing_half_done(world)
    again = run_to_end(command, env)  # and a third time: nothing new
    assert Incident.objects.filter(desk=world.desk_a).count() == ROWS
    record_figures("import killed", rows=ROWS, stored_at_kill=at_kill, stored_after_retry=ROWS,
                   seconds=round(time.monotonic() - started, 1), retry=summary[:120], third_run=again[:120])


def _nothing_half_done(world):
    """Every stored incident has its sealed words and its import record; none without."""
    incidents = Incident.objects.filter(desk=world.desk_a)
    assert not incidents.filter(narrative__isnull=True).exists()
    assert incidents.count() == ImportedRecord.objects.filter(desk=world.desk_a).count()
    some = incidents.order_by("?").first()
    if some is not None:
        opened = sealing.open_incident_narrative(world.unlocked["documenter_a"], some)
        assert opened.startswith("Row ")


def test_a_report_killed_mid_making_is_made_once_when_retried(world, tmp_path, monkeypatch):
    from amparo.analytics import tasks
    from amparo.analytics.tests.stats_data import ship_groupings

    ship_groupings()  # a transactional test flushes the shipped groupings; the report needs them
    queued: list[int] = []
    monkeypatch.setattr(tasks.generate_report, "delay", lambda report_id: queued.append(report_id))
    report = analytics.request_report(
        world.users["coordinator"], network_=world.network_a, audience=Report.Audience.INTERNAL, language="en",
        date_from=date(2023, 1, 1), date_to=date(2024, 12, 31), desks=[world.desk_a], sections=list(SECTION_CODES),
        submission_key="fault-report")
    assert queued == [report.pk]
    env = child_env(tmp_path, database_url())
    job = ["--call", "amparo.analytics.tasks.generate_report", "--args", json.dumps([report.pk])]
    started = time.monotonic()
    # Killed right after the UPDATE that writes the finished report, before its commit.
    child = Stalled(["--after", r'UPDATE "analytics_report" SET .*"status"', "--nth", "2", *job], env,
                    tmp_path / "report.log")
    child.wait_stalled()
    child.kill()
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING  # claimed by the worker that died
    assert report.sealed_html is None and report.sealed_pdf is None and report.finished_at is None
    assert run_to_end(job, env) == "skipped"  # at once: the claim might be a live worker's
    # The claim goes stale (STALE_CLAIM after the worker died; the broker redelivers the task
    # after its visibility timeout, which is longer): the retry takes it over.
    Report.objects.filter(pk=report.pk).update(claimed_at=timezone.now() - timedelta(minutes=16))
    assert run_to_end(job, env) == "done"
    assert run_to_end(job, env) == "skipped"  # a third delivery writes nothing
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.sealed_pdf is not None
    made = AuditEntry.objects.filter(action=str(AnalyticsAction.REPORT_GENERATED), object_id=str(report.pk))
    assert made.count() == 1
    record_figures("report killed", deliveries=4, made=made.count(), seconds=round(time.monotonic() - started, 1))


def test_a_rotation_killed_mid_way_rotates_once_when_retried(world, tmp_path, fast_password_hashing):
    from amparo.network.tests.factories import UserFactory

    ring = world.desk_a.ring
    extra = [UserFactory.create(username=f"member{n}") for n in range(4)]
    for user in extra:
        vault.create_member_key(user, STANDING_PASSWORD)
        vault.add_ring_member(ring, user)
    vault.complete_pending_grants(world.unlocked["documenter_a"])
    leaving = extra[0]
    members_before = set(RingMember.objects.filter(ring=ring).values_list("user_id", flat=True))
    epochs_before = RingEpoch.objects.filter(ring=ring).count()
    grants_before = Grant.objects.filter(epoch__ring=ring).count()
    env = child_env(tmp_path, database_url())
    job = ["--call", "amparo.tests.faults.jobs.remove_member", "--args", json.dumps([ring.pk, leaving.pk])]
    started = time.monotonic()
    # Killed right after the new epoch's grants were written, before the commit.
    child = Stalled(["--after", r'INSERT INTO "vault_grant"', "--nth", "1", *job], env, tmp_path / "ring.log")
    child.wait_stalled()
    child.kill()
    assert RingEpoch.objects.filter(ring=ring).count() == epochs_before  # nothing of it stayed
    assert set(RingMember.objects.filter(ring=ring).values_list("user_id", flat=True)) == members_before
    assert Grant.objects.filter(epoch__ring=ring).count() == grants_before
    run_to_end(job, env)
    run_to_end(job, env)  # retried once more: she is gone already, nothing rotates again
    assert RingEpoch.objects.filter(ring=ring).count() == epochs_before + 1
    newest = RingEpoch.objects.filter(ring=ring).order_by("-number").first()
    remaining = RingMember.objects.filter(ring=ring)
    assert leaving.pk not in set(remaining.values_list("user_id", flat=True))
    sealed = seal_for_ring(ring, "after the rotation", label="fault-test")
    for member in remaining.select_related("user"):
        assert Grant.objects.filter(epoch=newest, user_id=member.user_id).exists()
        unlocked = vault.unlock_with_password(member.user, STANDING_PASSWORD)
        assert vault.open_sealed(unlocked, sealed, label="fault-test") == "after the rotation"
    assert not Grant.objects.filter(epoch=newest, user=leaving).exists()
    record_figures("rotation killed", members=remaining.count(), new_epochs=1,
                   seconds=round(time.monotonic() - started, 1))
