"""Circulation survives a worker killed mid-batch and an SMTP server gone for 30 seconds.

Real `celery worker` and `celery beat` processes, the real broker (files locally, Redis in CI)
and the test's own database: the test is transactional, so what it writes is committed where
the workers read it (docs/circulation.md, "Testing with real workers"). The SMTP server runs in
a process of its own and writes down the Message-ID of every message it accepts.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter

import pytest

from amparo.appeals import services
from amparo.appeals.models import Delivery
from amparo.appeals.rendering import message_id
from amparo.appeals.tests.circulation_support import (
    Workers,
    draft_in_review,
    make_supporters,
    reset_connections,
    use_broker_of,
    wait_for,
    worker_env,
)
from amparo.appeals.tests.smtp_sink import SinkProcess
from amparo.celery import app

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]
SUPPORTERS = 10_000


@pytest.fixture
def rig(world, tmp_path, settings):
    queue = f"circulation-fault-{secrets.token_hex(4)}"
    settings.AMPARO_CIRCULATION_QUEUE = queue
    saved = app.conf.broker_transport_options
    use_broker_of(app, tmp_path)
    sink = SinkProcess(tmp_path / "accepted.txt")
    sink.start()
    env = worker_env(tmp_path, smtp_port=sink.port, queue=queue,
                     AMPARO_CIRCULATION_CLAIM_TIMEOUT_SECONDS="8", AMPARO_CIRCULATION_SWEEP_SECONDS="2",
                     AMPARO_CIRCULATION_RETRY_SECONDS="1", AMPARO_CIRCULATION_RETRY_MAX_SECONDS="4",
                     AMPARO_CIRCULATION_MAX_ATTEMPTS="30", AMPARO_CIRCULATION_BATCH_SIZE="200")
    workers = Workers(tmp_path, env)
    try:
        yield world, sink, workers
    finally:
        workers.stop_all()
        sink.stop()
        app.conf.broker_transport_options = saved
        reset_connections(app)
        if app.conf.broker_url.startswith("redis"):
            import redis

            client = redis.Redis.from_url(app.conf.broker_url)
            client.delete(queue)
            client.close()


def _expected() -> set[str]:
    return {message_id(u) for u in Delivery.objects.values_list("uuid", flat=True)}


def _all_sent(sink: SinkProcess, expected: set[str]) -> bool:
    return expected <= set(sink.message_ids()) and not Delivery.objects.exclude(status="sent").exists()


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_its_batch(rig, caplog, settings):
    world, sink, workers = rig
    settings.AMPARO_CIRCULATION_TASKS = 4  # whichever worker is ready first, both get senders
    make_supporters(SUPPORTERS, languages=["en", "es", "fr"])
    workers.start("a")
    workers.start("b")
    workers.start("beat", beat=True)
    started = time.monotonic()
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    assert "could not start the senders" not in caplog.text  # approval's own tasks reached the broker
    expected = _expected()
    assert len(expected) == SUPPORTERS
    sending = Delivery.objects.filter(status="claimed", claimed_by__startswith="a@")
    # Partway, and while worker a holds a batch: then SIGKILL to it and its pool child, a crash.
    assert wait_for(lambda: sink.count() >= 3000 and sending.exists(), 90, step=0.01), \
        workers.log("a") + workers.log("b")
    workers.kill("a")
    in_flight = {message_id(u) for u in Delivery.objects.filter(
        status="claimed", claimed_by__startswith="a@").values_list("uuid", flat=True)}
    at_kill = sink.count()
    workers.start("a")  # restarted
    assert wait_for(lambda: _all_sent(sink, expected), 120, step=0.5), workers.log("a") + workers.log("b")
    received = sink.message_ids()
    assert set(received) == expected  # all 10,000, nothing else
    repeated = {mid for mid, n in received.items() if n > 1}
    assert repeated <= in_flight  # only the batch the killed worker was sending, same Message-IDs
    assert max(received.values()) <= 2
    assert len(in_flight) <= 200
    assert at_kill < SUPPORTERS  # it was killed partway
    assert Delivery.objects.filter(claimed_by__startswith="a@").exists()  # a did take part
    print(f"killed at {at_kill} accepted; in flight {len(in_flight)}, sent twice {len(repeated)}; "
          f"{time.monotonic() - started:.1f} s")


def test_an_smtp_server_gone_for_30_seconds_gets_every_message_once_it_returns(rig, caplog):
    world, sink, workers = rig
    make_supporters(SUPPORTERS, languages=["en", "es", "fr"])
    workers.start("a")
    workers.start("b")
    workers.start("beat", beat=True)
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    assert "could not start the senders" not in caplog.text  # approval's own tasks reached the broker
    expected = _expected()
    assert wait_for(lambda: sink.count() >= 3000, 90, step=0.05), workers.log("a") + workers.log("b")
    sink.stop()
    down_at = sink.count()
    time.sleep(30)
    assert sink.count() == down_at
    assert Delivery.objects.filter(status="queued", attempts__gt=0).exists()  # failures were met
    sink.start()
    assert wait_for(lambda: _all_sent(sink, expected), 90, step=0.5), workers.log("a") + workers.log("b")
    received = sink.message_ids()
    assert set(received) == expected and set(received.values()) == {1}  # every one, none twice
    assert down_at < SUPPORTERS
    print(f"down at {down_at}; retried: {Counter(Delivery.objects.values_list('attempts', flat=True))}")
