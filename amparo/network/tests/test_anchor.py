from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from amparo.celery import app
from amparo.core import audit
from amparo.core.tests.actions import SampleAction
from amparo.network import services, tasks
from amparo.network.models import AuditAnchorDelivery


@pytest.mark.django_db
def test_it_mails_each_coordinator_the_latest_hash_once_a_day(world, smtp_server):
    audit.record("system", SampleAction.THING_DONE, object_type="t", object_id=1)
    head = audit.latest()
    assert services.send_audit_anchor() == 1
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message.recipients == ["coordinator@example.org"]
    assert head.hash in message.body
    # Neutral: nothing in the subject or body names the platform or what it is for.
    assert "amparo" not in message.body.lower()  # the whole message, headers included
    # Running the job again the same day sends nothing more.
    assert services.send_audit_anchor() == 0
    assert len(smtp_server) == 1
    assert AuditAnchorDelivery.objects.get().hash == head.hash


@pytest.mark.django_db
def test_it_sends_nothing_to_people_who_are_not_coordinators(world, smtp_server):
    # Ended behind the services' back: the vault would (rightly) refuse to remove the network's
    # last key holder, which is not what this test is about.
    from django.utils import timezone

    type(world.memberships["coordinator"]).objects.filter(pk=world.memberships["coordinator"].pk).update(
        ended_at=timezone.now())
    assert services.send_audit_anchor() == 0
    assert smtp_server == []


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_anchor_job_through_the_real_broker_and_a_worker(world, smtp_server, broker):
    """The task travels through the configured broker (files locally, Redis in CI) to a worker."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.send_audit_anchor.delay()
        deadline = time.monotonic() + 20
        while not smtp_server and time.monotonic() < deadline:
            time.sleep(0.1)
    assert len(smtp_server) == 1
    assert AuditAnchorDelivery.objects.count() == 1
