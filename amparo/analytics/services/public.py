"""The public-table job: computes every public table (all years, suppressed) and stores it as
the version visitors read (models/public.py), so no visitor's request ever computes one.

- A write that changes public figures asks for a run (`request_refresh`, after its commit):
  registry writes through `registry.signals.incidents_changed` (connected in apps.py), region
  groupings from their services. The ask raises a counter and queues the Celery task, once
  while one is already queued.
- `refresh_public_tables()` is the job itself (the task, tests and benchmarks call it). It is
  single-flight across processes and machines: a run claims the one `PublicRefresh` row with a
  conditional UPDATE and a lease (a killed worker's claim runs out after LEASE); a second
  caller finds it claimed and returns at once. The runner computes from the counter it read;
  writes during its run leave the counter higher, so it goes round exactly once more, however
  many they were. After letting go of the claim it looks once more, so a write whose task
  found the claim held is never left behind. Runs are at least MIN_SECONDS_BETWEEN_RUNS apart
  (the runner waits, holding the claim), so a burst of writes makes one version every few
  seconds.
- `check_public_tables()` (beat, every minute) is the safety net: rows written around the
  services (bulk loads), vocabulary edits and a lost message are caught by the audit/id
  fingerprint, and a run is made when it moved since the stored version.

Meanwhile visitors get the last good version, with the time it was computed.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from amparo.analytics.models import PublicRefresh, PublicTables
from amparo.analytics.statistics import public as public_stats
from amparo.analytics.statistics.lookups import Lookups
from amparo.analytics.statistics.questions import min_cell

log = logging.getLogger(__name__)

# A run takes seconds (about 3 s over 1,000,000 incidents on PostgreSQL); a claim older than
# this belongs to a worker that died.
LEASE = timedelta(minutes=10)
# While this cache key exists a task is queued: further asks only raise the counter.
QUEUED_KEY = "analytics:public:queued"
QUEUED_SECONDS = 60
# A runner goes round at most this many times in one call; the next task or beat does the rest.
MAX_ROUNDS = 5
# A new version at most this often: a burst of writes is gathered into one run, and pages are
# rendered again at most once per page, language and worker in this time. Each new version
# costs every web process a rendering of each page visited (the map page: about 20 ms at a
# million incidents); at 5 s, writes every few seconds tripled the map page's p99 on a loaded
# 2-core machine, at 15 s it stayed within the cached p99 (docs/performance.md).
MIN_SECONDS_BETWEEN_RUNS = 15.0


def _state() -> PublicRefresh:
    try:
        state, _created = PublicRefresh.objects.get_or_create(pk=1)
    except IntegrityError:  # created by another process between the two halves of get_or_create
        state = PublicRefresh.objects.get(pk=1)
    return state


def _bump() -> None:
    _state()
    PublicRefresh.objects.filter(pk=1).update(wanted=F("wanted") + 1)


def _enqueue() -> None:
    if cache.add(QUEUED_KEY, 1, QUEUED_SECONDS):
        from amparo.analytics.tasks import refresh_public_tables as task

        try:
            task.delay()
        except Exception:  # a broker down must not fail the write; beat catches up within a minute
            cache.delete(QUEUED_KEY)
            log.exception("could not queue the public-table job")


def request_refresh() -> None:
    """Ask for a run of the job (after a commit that changed public figures): never computes.
    Runs after the write has committed, so it never fails it: a cache, broker or database that
    does not answer here is logged, and the every-minute check (`check_public_tables`) sees the
    moved fingerprint and runs the job anyway."""
    try:
        _bump()
        _enqueue()
    except Exception:  # noqa: BLE001 - the write is committed; the safety net catches up
        log.exception("could not ask for the public-table job; the periodic check will run it")


def request_refresh_after_commit() -> None:
    """From inside a writing transaction: ask once, after it commits (nothing if it is rolled
    back). A bulk write that announces many batches in one transaction asks once."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(entry[1] is request_refresh for entry in conn.run_on_commit):
        return
    transaction.on_commit(request_refresh)


def queue_first_version() -> None:
    """A visitor found no version yet: make sure a run is queued (no counter, no computation)."""
    if cache.add(QUEUED_KEY, 1, QUEUED_SECONDS):
        from amparo.analytics.tasks import check_public_tables as task

        try:
            task.delay()
        except Exception:
            cache.delete(QUEUED_KEY)
            log.exception("could not queue the public-table job")


def _claim() -> bool:
    now = timezone.now()
    return bool(PublicRefresh.objects.filter(pk=1).filter(Q(running_until__isnull=True) | Q(running_until__lt=now))
                .update(running_until=now + LEASE))


def _release() -> None:
    PublicRefresh.objects.filter(pk=1).update(running_until=None)


def _fingerprint() -> str:
    return hashlib.sha256(repr(public_stats.fingerprint()).encode()).hexdigest()


def compute_and_store() -> PublicTables:
    """One computation of every public table for the current k, stored as the new version.
    Callers hold the claim (or are a test that means to compute)."""
    started = time.perf_counter()
    k = min_cell()
    fingerprint = _fingerprint()  # read before: a write during the computation moves it again
    tables = public_stats.protected_tables(None, Lookups("en"), k)
    took = int((time.perf_counter() - started) * 1000)
    version, _created = PublicTables.objects.update_or_create(k=k, defaults={
        "tables": tables, "token": secrets.token_hex(8), "fingerprint": fingerprint,
        "computed_at": timezone.now(), "took_ms": took})
    PublicRefresh.objects.filter(pk=1).update(runs=F("runs") + 1)
    public_stats.forget_published()
    log.info("public tables computed in %s ms", took)
    return version


def _spaced() -> bool:
    """Wait until MIN_SECONDS_BETWEEN_RUNS have passed since the stored version (True if it
    waited): a burst of writes makes one version every few seconds, not one per write, so each
    page is rendered again at most that often."""
    last = PublicTables.objects.filter(k=min_cell()).values_list("computed_at", flat=True).first()
    if last is None or MIN_SECONDS_BETWEEN_RUNS <= 0:
        return False
    wait = MIN_SECONDS_BETWEEN_RUNS - (timezone.now() - last).total_seconds()
    if wait <= 0:
        return False
    time.sleep(min(wait, MIN_SECONDS_BETWEEN_RUNS))
    return True


def refresh_public_tables(*, ask: bool = True) -> str:
    """The public-table job, synchronous. With `ask` (the default, as a registry write would)
    it first asks for a run, so it computes unless another process is running one, which will
    then go round again. Returns "computed", "busy" (another run holds the claim and will see
    the ask) or "fresh" (nothing asked since the stored version)."""
    if ask:
        _bump()
    else:
        _state()
    outcome = "fresh"
    for _ in range(MAX_ROUNDS):
        cache.delete(QUEUED_KEY)  # from here on, an ask queues a new task
        if not _claim():
            return outcome if outcome == "computed" else "busy"
        try:
            for _ in range(MAX_ROUNDS):
                state = PublicRefresh.objects.get(pk=1)
                if state.wanted <= state.done and PublicTables.objects.filter(k=min_cell()).exists():
                    break
                if _spaced():  # writes that came meanwhile are in this run too
                    state = PublicRefresh.objects.get(pk=1)
                compute_and_store()
                PublicRefresh.objects.filter(pk=1, done__lt=state.wanted).update(done=state.wanted)
                outcome = "computed"
        finally:
            _release()
        state = PublicRefresh.objects.get(pk=1)
        if state.wanted <= state.done:
            break
    return outcome


def check_public_tables() -> str:
    """The safety net (beat): ask for a run when the fingerprint moved since the stored version
    (or none is stored), then run if anything is asked."""
    stored = PublicTables.objects.filter(k=min_cell()).values_list("fingerprint", flat=True).first()
    if stored is None or stored != _fingerprint():
        _bump()
    return refresh_public_tables(ask=False)
