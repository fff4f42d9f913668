"""Redis, the broker, restarted during a circulation: every supporter gets the appeal, and
nobody gets it twice except from a batch a worker held when Redis went away.

The Redis is the test's own (a spare port, no snapshot and no append-only file, as CI runs
it): killed, it loses every task it held, the harshest case. Real `celery worker` and `celery
beat` processes on it, the test's own database (transactional, so the workers read what it
commits) and the SMTP sink of the appeals tests, which writes down each Message-ID before it
answers 250 (docs/circulation.md, "Testing with real workers")."""

from __future__ import annotations

import secrets
import time

import pytest

from amparo.appeals import services
from amparo.appeals.models import Delivery
from amparo.appeals.rendering import message_id
from amparo.appeals.tests.circulation_support import (
    Workers,
    draft_in_review,
    make_supporters,
    reset_connections,
    wait_for,
    worker_env,
)
from amparo.appeals.tests.smtp_sink import SinkProcess
from amparo.celery import app
from amparo.tests.faults.conftest import record_figures
from amparo.tests.faults.servers import PrivateRedis, redis_available

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not redis_available(), reason="redis-server is not installed here")]

SUPPORTERS = 3000
BATCH = 200


@pytest.fixture
def rig(world, tmp_path, settings):
    queue = f"circulation-redis-fault-{secrets.token_hex(4)}"
    settings.AMPARO_CIRCULATION_QUEUE = queue
    redis = PrivateRedis().start()
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.update(broker_url=redis.url, broker_transport_options={"visibility_timeout": 3600})
    reset_connections(app)
    sink = SinkProcess(tmp_path / "accepted.txt")
    sink.start()
    env = worker_env(tmp_path, smtp_port=sink.port, queue=queue, CELERY_BROKER_URL=redis.url,
                     AMPARO_CIRCULATION_CLAIM_TIMEOUT_SECONDS="8", AMPARO_CIRCULATION_SWEEP_SECONDS="2",
                     AMPARO_CIRCULATION_RETRY_SECONDS="1", AMPARO_CIRCULATION_RETRY_MAX_SECONDS="4",
                     AMPARO_CIRCULATION_MAX_ATTEMPTS="30", AMPARO_CIRCULATION_BATCH_SIZE=str(BATCH))
    workers = Workers(tmp_path, env)
    try:
        yield world, sink, workers, redis
    finally:
        workers.stop_all()
        sink.stop()
        app.conf.update(broker_url=saved[0], broker_transport_options=saved[1])
        reset_connections(app)
        redis.stop()


def test_redis_restarted_mid_circulation_loses_nothing_and_repeats_only_the_batch_in_flight(rig, caplog, settings):
    world, sink, workers, redis = rig
    settings.AMPARO_CIRCULATION_TASKS = 4
    make_supporters(SUPPORTERS, languages=["en", "es", "fr"])
    workers.start("a")
    workers.start("b")
    workers.start("beat", beat=True)
    started = time.monotonic()
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    assert "could not start the senders" not in caplog.text
    expected = {message_id(u) for u in Delivery.objects.values_list("uuid", flat=True)}
    assert len(expected) == SUPPORTERS
    assert wait_for(lambda: sink.count() >= SUPPORTERS // 4, 90, step=0.02), workers.log("a") + workers.log("b")
    claimed = Delivery.objects.filter(status="claimed")
    in_flight = {message_id(u) for u in claimed.values_list("uuid", flat=True)}
    at_restart = sink.count()
    away = redis.restart(down_for=3.0)  # everything it held is gone
    in_flight |= {message_id(u) for u in claimed.values_list("uuid", flat=True)}  # claimed while it was away

    def all_sent() -> bool:
        return expected <= set(sink.message_ids()) and not Delivery.objects.exclude(status="sent").exists()

    assert wait_for(all_sent, 150, step=0.5), workers.log("a") + workers.log("b") + workers.log("beat")
    received = sink.message_ids()
    repeated = {mid for mid, n in received.items() if n > 1}
    assert set(received) == expected  # every supporter, nobody else
    assert repeated <= in_flight and max(received.values()) <= 2  # twice only from a batch in flight
    assert at_restart < SUPPORTERS  # restarted partway
    record_figures("redis restarted mid-circulation", supporters=SUPPORTERS, batch=BATCH,
                   accepted_at_restart=at_restart, seconds_away=round(away, 1), in_flight=len(in_flight),
                   sent_twice=len(repeated), messages=sum(received.values()),
                   seconds=round(time.monotonic() - started, 1))
