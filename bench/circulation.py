#!/usr/bin/env python3
"""Circulation benchmark: `.venv/bin/python bench/circulation.py` (never run in CI).

One command, loopback only, everything throwaway:

 1. a fresh database, migrated: SQLite in a temporary directory (default), or with
    `--backend postgres` a database of its own on 127.0.0.1:5432, dropped at the end;
 2. a broker: the file broker (default), or with `--broker redis` one numbered Redis database
    (redis://127.0.0.1:6379/13 unless BENCH_REDIS_DB says otherwise) that must be empty at the
    start; at the end the keys Celery and kombu made there are deleted (nothing else);
 3. N confirmed supporters (`--supporters`, 10,000) in three languages, sealed as the
    services seal them, and an appeal in review; the seeding is timed but not counted;
 4. an SMTP server in a process of its own (amparo/appeals/tests/smtp_sink.py: aiosmtpd,
    writing down the time and Message-ID of every message it accepts);
 5. `--workers` Celery worker processes (1), each prefork with `--concurrency` processes
    (BENCH_CONCURRENCY, 2 with one worker, 1 each with several);
 6. per round: a bare `smtplib` loop sends the same N messages, rendered beforehand, over one
    connection; then the appeal is approved and the time is taken from the call to
    `approve_appeal` to the last message the server accepted. Rounds alternate the order.
 7. prints both times, messages per second and the ratio circulation / bare loop.
    Target: at most 1.0 (issue 25). Exits 1 above it.

The guarantees at scale, in the same command (one circulation, no ratio):
    --kill-worker-at 0.5   SIGKILL the first worker (and its pool) once half the messages were
                           accepted and while it holds a batch, start it again; every supporter
                           must get her message, and only that worker's batch in flight twice;
    --smtp-outage 10       stop the SMTP server at `--outage-at` (0.3) of the messages for 10
                           seconds, then start it again; every supporter exactly once.
Both start `celery beat` (the sweeper, every 2 s, claims stale after 8 s, retries after 1 s).

Knobs (environment): BENCH_ROUNDS (2), BENCH_CONCURRENCY, AMPARO_CIRCULATION_SMTP_CONNECTIONS (4),
AMPARO_CIRCULATION_BATCH_SIZE (200), BENCH_REDIS_DB (13), BENCH_KEEP (0).
Results: docs/performance.md, "Circulation"; docs/circulation.md, "Benchmark".
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import secrets
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 1.0
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def load() -> str:
    """The 1-minute load average, to print beside each figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Circulation against a bare smtplib loop (loopback only).")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--broker", choices=["file", "redis"], default="file")
    parser.add_argument("--workers", type=int, default=1, help="celery worker processes")
    parser.add_argument("--concurrency", type=int, default=None, help="prefork processes per worker")
    parser.add_argument("--supporters", type=int, default=env_int("BENCH_SUPPORTERS", 10_000))
    parser.add_argument("--rounds", type=int, default=env_int("BENCH_ROUNDS", 2))
    parser.add_argument("--kill-worker-at", type=float, default=None, metavar="FRACTION")
    parser.add_argument("--smtp-outage", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--outage-at", type=float, default=0.3, metavar="FRACTION")
    options = parser.parse_args()
    if options.concurrency is None:
        options.concurrency = env_int("BENCH_CONCURRENCY", 2 if options.workers == 1 else 1)
    return options


# --- Throwaway database and broker ----------------------------------------------------------

class Postgres:
    """A database of its own on the shared server, dropped at the end (its connections too)."""

    def __init__(self) -> None:
        self.name = f"amparo_bench_circ_{secrets.token_hex(4)}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    @property
    def url(self) -> str:
        return f"{PG_SERVER}/{self.name}"

    def create(self) -> None:
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class RedisDb:
    """One numbered Redis database: refused unless empty. At the end only what Celery and kombu
    made there is deleted (its queues, bindings, unacked sets, pidbox): should another session
    have started using the number meanwhile, its keys stay."""

    OURS = ("celery", "celery.*", "_kombu.*", "unacked*", "*.pidbox", "celeryev*")

    def __init__(self, number: int) -> None:
        import redis

        self.url = f"{REDIS_SERVER}/{number}"
        self.client = redis.Redis.from_url(self.url)

    def claim(self) -> None:
        if self.client.dbsize():
            raise SystemExit(f"{self.url} is not empty: someone else may use it (set BENCH_REDIS_DB)")

    def release(self) -> None:
        ours = {key for pattern in self.OURS for key in self.client.scan_iter(match=pattern)}
        if ours:
            self.client.delete(*ours)
        left = self.client.dbsize()
        if left:
            log(f"{self.url}: {left} key(s) not made by this run were left alone")
        self.client.close()


def configure(tmp: Path, options: argparse.Namespace, database_url: str, broker_url: str) -> dict[str, str]:
    """The environment of this process and of the workers: nothing from the caller's database
    or broker, one service key, cheap member keys (only the staff users have any)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "USER", "LOGNAME")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    for name in ("AMPARO_CIRCULATION_SMTP_CONNECTIONS", "AMPARO_CIRCULATION_BATCH_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update({
        "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(tmp), "AMPARO_ENV": "development",
        "AMPARO_VAR_DIR": str(tmp), "DATABASE_URL": database_url,
        "VAULT_SERVICE_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "VAULT_KDF_OPS": "1", "VAULT_KDF_MEM": "8192", "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": broker_url,
        "AMPARO_CIRCULATION_TASKS": str(options.workers * options.concurrency),
        "AMPARO_PUBLIC_URL": "https://amparo.example", "AMPARO_MAIL_DOMAIN": "amparo.example",
        "DJANGO_SETTINGS_MODULE": "amparo.settings",
    })
    if options.kill_worker_at is not None or options.smtp_outage is not None:
        env.update({"AMPARO_CIRCULATION_CLAIM_TIMEOUT_SECONDS": "8", "AMPARO_CIRCULATION_SWEEP_SECONDS": "2",
                    "AMPARO_CIRCULATION_RETRY_SECONDS": "1", "AMPARO_CIRCULATION_RETRY_MAX_SECONDS": "4",
                    "AMPARO_CIRCULATION_MAX_ATTEMPTS": "30"})
    return env


# --- The world ------------------------------------------------------------------------------

def setup_world() -> Any:
    """A network with a desk, a documenter and a coordinator, as conftest's world has them."""
    from amparo.accounts.models import User
    from amparo.network import services as network
    from amparo.network.models import Network, Role
    from amparo.vault import services as vault

    national = network.create_network("system", slug="bench", name="Bench", kind=Network.Kind.NATIONAL,
                                      country="HN")
    desk = network.create_desk("system", national, slug="bench-desk", name="Desk", countries=["HN"])
    documenter = User.objects.create(username="documenter", email="documenter@example.org")
    coordinator = User.objects.create(username="coordinator", email="coordinator@example.org")
    unlocked = {name: vault.create_member_key(user, "a long password for the benchmark users")[0]
                for name, user in (("documenter_a", documenter), ("coordinator", coordinator))}
    network.add_membership("system", user=documenter, role=Role.DOCUMENTER, network=national, desk=desk)
    network.add_membership("system", user=coordinator, role=Role.COORDINATOR, network=national)
    # The approving coordinator opens the sealed draft with her key, as in a request.
    return type("World", (), {"users": {"documenter_a": documenter, "coordinator": coordinator},
                              "desk_a": desk, "unlocked": unlocked})()


def seed(count: int) -> None:
    """`count` confirmed supporters in three languages, each contact sealed as the subscribe
    service seals it (appeals.sealing, the service key). On PostgreSQL the rows go in by COPY,
    10,000 at a time (bulk_create spent two thirds of the time composing its INSERTs); on SQLite
    through the tests' bulk helper."""
    from django.db import connection, transaction

    from amparo.appeals.tests.circulation_support import make_supporters

    chunk = 10_000
    if connection.vendor != "postgresql":
        for start in range(0, count, chunk):
            make_supporters(min(chunk, count - start), languages=["en", "es", "fr"], prefix=f"s{start}-")
        return
    import hashlib

    from amparo.appeals import sealing
    from amparo.appeals.models import Supporter

    fields = [f for f in Supporter._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # One supporter made by the model gives every column's value; each row then changes only
    # its own columns (her sealed contacts, their index, her languages).
    template = Supporter(phone=None, phone_index="", status=Supporter.Status.CONFIRMED)
    base = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    at = {f.attname: i for i, f in enumerate(fields)}
    languages = ["en", "es", "fr"]
    for start in range(0, count, chunk):
        rows = []
        for n in range(start, min(start + chunk, count)):
            email, token = f"s{n}@supporters.example", secrets.token_urlsafe(24)
            row = list(base)
            row[at["email"]] = sealing.seal_supporter_contact("email", email)
            row[at["email_index"]] = sealing.supporter_email_index(email)
            row[at["token_hash"]] = hashlib.sha256(token.encode()).hexdigest()
            row[at["token"]] = sealing.seal_supporter_contact("token", token)
            row[at["languages"]] = languages[n % 3]
            rows.append(row)
        with transaction.atomic(), connection.cursor() as cursor:
            table = connection.ops.quote_name(Supporter._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def prerender(appeal_id: int) -> list[tuple[str, bytes]]:
    """The messages circulation would send for this appeal, rendered now (the bare loop's)."""
    from email.utils import format_datetime

    from django.utils import timezone

    from amparo.appeals import rendering
    from amparo.appeals.models import Appeal, Supporter
    from amparo.appeals.sealing import open_supporter_email as open_email
    from amparo.appeals.sealing import open_supporter_token as open_token

    appeal = Appeal.objects.prefetch_related("texts", "addressees").get(pk=appeal_id)
    prepared = {}
    date = format_datetime(timezone.now())
    out = []
    for supporter in Supporter.objects.only("email", "token", "languages").iterator(chunk_size=5000):
        language = supporter.languages.split(",")[0]
        if language not in prepared:
            prepared[language] = rendering.prepare(appeal, None, language)
        email = open_email(supporter)
        out.append((email, rendering.raw_email(prepared[language], sender="no-reply@amparo.example", to=email,
                                               msgid=f"<bare-{secrets.token_hex(16)}@amparo.example>",
                                               date=date, token=open_token(supporter))))
    return out


class Tally:
    """Counts the sink's record lines by reading only what was appended since the last look
    (re-reading a file of 300,000 lines twenty times a second would compete with the workers)."""

    def __init__(self, record: Path) -> None:
        self.record = record
        self.offset = 0
        self.lines = 0

    def count(self) -> int:
        if self.record.exists():
            with self.record.open("rb") as f:
                f.seek(self.offset)
                data = f.read()
            complete = data.rfind(b"\n") + 1
            self.lines += data.count(b"\n", 0, complete)
            self.offset += complete
        return self.lines


def bare_loop(port: int, messages: list[tuple[str, bytes]], tally: Tally) -> float:
    before = tally.count()
    started = time.time()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("no-reply@amparo.example", [to], data)
    finished = time.time()
    assert tally.count() - before == len(messages)
    return finished - started


def wait_until(predicate: Any, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


# --- CPU time (steadier than wall time on a shared machine) ---------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()  # fields from the third on (state, ppid, pgrp, ...)


def cpu_seconds(groups: list[int] = (), pids: list[int] = ()) -> float:  # type: ignore[assignment]
    """User + system CPU of the processes in these process groups (a worker and its pool) and of
    these single processes, as the kernel counts them."""
    total = 0
    chosen = set(pids)
    if groups:
        wanted = {str(g) for g in groups}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                fields = _stat(int(entry.name))
                if fields and fields[2] in wanted:
                    chosen.add(int(entry.name))
    for pid in chosen:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def database_backends() -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (none on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [row[0] for row in cursor.fetchall()]


class CpuMeter:
    """CPU seconds spent during one step by the sink, by the sending side (this process for the
    bare loop; the workers, their pools and their database backends for the circulation)."""

    def __init__(self, sink: Any, workers: Workers | None) -> None:
        self.sink, self.workers = sink, workers

    def read(self) -> tuple[float, float, float]:
        own = sum(os.times()[:2])
        groups = [p.pid for p in self.workers.processes.values()] if self.workers else []
        return (cpu_seconds(pids=[self.sink.process.pid]), own,
                cpu_seconds(groups=groups, pids=database_backends()))


# --- Workers --------------------------------------------------------------------------------

class Workers:
    """`celery worker` (and beat) processes, each in a session of its own: SIGKILL to the group
    reaches the worker and its pool children at once, as a crash would."""

    def __init__(self, tmp: Path, env: dict[str, str], concurrency: int) -> None:
        self.tmp, self.env, self.concurrency = tmp, env, concurrency
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *, beat: bool = False) -> None:
        celery = str(Path(sys.executable).parent / "celery")
        if beat:
            argv = [celery, "-A", "amparo", "beat", "--loglevel=WARNING", "-s", str(self.tmp / "beat-schedule")]
        else:
            argv = [celery, "-A", "amparo", "worker", "--loglevel=WARNING", "--pool=prefork",
                    f"--concurrency={self.concurrency}", "-n", f"{name}@%h", "--without-gossip",
                    "--without-mingle", "--without-heartbeat"]
        with (self.tmp / f"{name}.log").open("ab") as out:
            self.processes[name] = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=out, stderr=out,
                                                    start_new_session=True)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


# --- Circulation ----------------------------------------------------------------------------

def approve(world: Any) -> tuple[Any, float]:
    from amparo.appeals import services
    from amparo.appeals.tests.circulation_support import draft_in_review

    appeal = draft_in_review(world)
    started = time.time()
    services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])
    return appeal, started


def circulate(world: Any, sink: Any, tally: Tally, supporters: int) -> float:
    before = tally.count()
    _appeal, started = approve(world)
    approved = time.time()
    if not wait_until(lambda: tally.count() - before >= supporters, 1800, step=0.2):
        raise RuntimeError("circulation did not finish within 30 minutes")
    stamps = [stamp for stamp, _mid in sink.lines()[before:]]
    log(f"  approval ({supporters:,} deliveries made, senders asked for) took {approved - started:.2f} s; "
        f"first message accepted after {min(stamps) - started:.2f} s")
    return max(stamps) - started


def expected_ids(appeal: Any) -> set[str]:
    from amparo.appeals.models import Delivery
    from amparo.appeals.rendering import message_id

    return {message_id(u) for u in Delivery.objects.filter(appeal=appeal).values_list("uuid", flat=True)}


def all_sent(appeal: Any, tally: Tally, before: int, supporters: int) -> bool:
    from amparo.appeals.models import Delivery

    return tally.count() - before >= supporters and \
        not Delivery.objects.filter(appeal=appeal).exclude(status="sent").exists()


def received_for(sink: Any, before: int) -> Counter[str]:
    return Counter(mid for _stamp, mid in sink.lines()[before:])


def kill_run(world: Any, sink: Any, tally: Tally, workers: Workers, options: argparse.Namespace) -> bool:
    """One circulation; the first worker is killed partway while it holds a batch, then started
    again. Every supporter gets her message; only the killed worker's batch may come twice."""
    from amparo.appeals.models import Delivery
    from amparo.appeals.rendering import message_id

    n = options.supporters
    before = tally.count()
    appeal, started = approve(world)
    expected = expected_ids(appeal)
    sending = Delivery.objects.filter(appeal=appeal, status="claimed", claimed_by__startswith="w1@")
    at = int(n * options.kill_worker_at)
    if not wait_until(lambda: tally.count() - before >= at and sending.exists(), 600, step=0.01):
        log("worker w1 never held a batch past the mark: " + workers.log("w1"))
        return False
    workers.kill("w1")
    killed = time.time()
    in_flight = {message_id(u) for u in sending.values_list("uuid", flat=True)}
    at_kill = tally.count() - before
    log(f"  killed worker w1 (SIGKILL to it and its pool) at {at_kill:,} accepted, {len(in_flight)} in its batch")
    workers.start("w1")
    done = wait_until(lambda: all_sent(appeal, tally, before, n), 900, step=0.5)
    finished = time.time()
    received = received_for(sink, before)
    repeated = {mid for mid, times in received.items() if times > 1}
    missing = expected - set(received)
    strangers = set(received) - expected
    ok = done and not missing and not strangers and repeated <= in_flight and max(received.values()) <= 2
    log(f"  {len(received):,} distinct messages for {len(expected):,} deliveries; missing {len(missing)}, "
        f"unexpected {len(strangers)}, sent twice {len(repeated)} (all of them in the killed batch: "
        f"{repeated <= in_flight}); {finished - started:.1f} s in all, {finished - killed:.1f} s after the kill")
    print(f"{'OK' if ok else 'FAIL'}: killed worker at {n:,} supporters")
    return ok


def outage_run(world: Any, sink: Any, tally: Tally, options: argparse.Namespace) -> bool:
    """One circulation; the SMTP server stops partway for `--smtp-outage` seconds. Every
    supporter gets her message exactly once."""
    from amparo.appeals.models import Delivery

    n = options.supporters
    before = tally.count()
    appeal, started = approve(world)
    expected = expected_ids(appeal)
    at = int(n * options.outage_at)
    if not wait_until(lambda: tally.count() - before >= at, 600, step=0.02):
        log("the circulation never reached the mark")
        return False
    sink.stop()
    down_at = tally.count() - before
    log(f"  SMTP server stopped at {down_at:,} accepted, for {options.smtp_outage:.0f} s")
    time.sleep(options.smtp_outage)
    waiting = Delivery.objects.filter(appeal=appeal, status="queued", attempts__gt=0).count()
    sink.start()
    back = time.time()
    done = wait_until(lambda: all_sent(appeal, tally, before, n), 900, step=0.5)
    finished = time.time()
    received = received_for(sink, before)
    ok = done and set(received) == expected and set(received.values()) == {1}
    attempts = Counter(Delivery.objects.filter(appeal=appeal).values_list("attempts", flat=True))
    log(f"  {waiting:,} deliveries were waiting for a retry when it came back; attempts per delivery "
        f"{dict(sorted(attempts.items()))}; {len(received):,} distinct, none twice: "
        f"{set(received.values()) == {1}}; finished {finished - back:.1f} s after it came back, "
        f"{finished - started:.1f} s in all")
    print(f"{'OK' if ok else 'FAIL'}: SMTP outage of {options.smtp_outage:.0f} s at {n:,} supporters")
    return ok


def measure(world: Any, sink: Any, tally: Tally, workers: Workers, options: argparse.Namespace, setting: str) -> int:
    """Rounds of the bare loop and the circulation, in alternating order; the ratio of medians."""
    from amparo.appeals.tests.circulation_support import draft_in_review

    log("rendering the bare loop's messages ...")
    messages = prerender(draft_in_review(world).pk)  # the same texts as the circulated appeals
    n = options.supporters
    bare, circ = [], []
    meter = CpuMeter(sink, workers)
    cpu: dict[str, list[tuple[float, float]]] = {"bare": [], "circulation": []}
    for round_no in range(1, options.rounds + 1):
        order = ["bare", "circulation"] if round_no % 2 else ["circulation", "bare"]
        for step in order:
            before_cpu = meter.read()
            if step == "bare":
                bare.append(bare_loop(sink.port, messages, tally))
                log(f"round {round_no}: bare smtplib loop, one connection: {bare[-1]:.2f} s "
                    f"({n / bare[-1]:.0f} messages/s); load {load()}")
            else:
                circ.append(circulate(world, sink, tally, n))
                log(f"round {round_no}: circulation, approval to last accepted message: {circ[-1]:.2f} s "
                    f"({n / circ[-1]:.0f} messages/s); load {load()}")
            after_cpu = meter.read()
            sink_cpu = after_cpu[0] - before_cpu[0]
            sending_cpu = (after_cpu[1] - before_cpu[1]) if step == "bare" else (after_cpu[2] - before_cpu[2])
            cpu[step].append((sink_cpu, sending_cpu))
            log(f"  CPU per 1,000 messages: SMTP server {1000 * sink_cpu / n:.2f} s, "
                f"{'the loop' if step == 'bare' else 'workers and database'} {1000 * sending_cpu / n:.2f} s")
    ratio = statistics.median(circ) / statistics.median(bare)
    print()
    print(f"{n:,} messages, median of {options.rounds} round(s); {setting}; {os.cpu_count()} cores, "
          f"load {load()}")
    print(f"bare smtplib loop:  {statistics.median(bare):7.2f} s  ({n / statistics.median(bare):.0f} messages/s)")
    print(f"circulation:        {statistics.median(circ):7.2f} s  ({n / statistics.median(circ):.0f} messages/s)")
    for step in ("bare", "circulation"):
        sink_cpu = statistics.median(c[0] for c in cpu[step])
        sending_cpu = statistics.median(c[1] for c in cpu[step])
        print(f"CPU per 1,000 messages, {step + ':':13} SMTP server {1000 * sink_cpu / n:5.2f} s, sending side "
              f"{1000 * sending_cpu / n:5.2f} s")
    verdict = "OK" if ratio <= TARGET else "FAIL"
    print(f"{verdict}: circulation / bare loop = {ratio:.2f} (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


def main() -> int:
    options = arguments()
    tmp = Path(tempfile.mkdtemp(prefix="amparo-bench-circulation."))
    postgres = Postgres() if options.backend == "postgres" else None
    redis_db = RedisDb(env_int("BENCH_REDIS_DB", 13)) if options.broker == "redis" else None
    workers: Workers | None = None
    sink = None
    keep = os.environ.get("BENCH_KEEP", "") not in {"", "0", "false", "no"}
    try:
        if redis_db is not None:
            redis_db.claim()
        if postgres is not None:
            postgres.create()
        env = configure(tmp, options, postgres.url if postgres else f"sqlite:///{tmp / 'bench.sqlite3'}",
                        redis_db.url if redis_db else "filesystem://")
        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from amparo.appeals.tests.smtp_sink import SinkProcess

        log(f"migrating a throwaway {options.backend} database ...")
        call_command("migrate", verbosity=0)
        world = setup_world()
        log(f"making {options.supporters:,} supporters (sealed contacts) ...")
        began = time.monotonic()
        seed(options.supporters)
        log(f"  made in {time.monotonic() - began:.1f} s (not counted)")
        sink = SinkProcess(tmp / "accepted.txt")
        sink.start()
        tally = Tally(sink.record)
        env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)})
        os.environ.update(env)
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        workers = Workers(tmp, env, options.concurrency)
        for number in range(1, options.workers + 1):
            workers.start(f"w{number}")
        faults = options.kill_worker_at is not None or options.smtp_outage is not None
        if faults:
            workers.start("beat", beat=True)
        time.sleep(6 + 2 * options.workers)  # the workers' start is not what is measured
        setting = (f"{options.backend}, broker {options.broker}; {options.workers} worker(s) x prefork "
                   f"{options.concurrency}, {settings.AMPARO_CIRCULATION_SMTP_CONNECTIONS} SMTP connections "
                   f"per process, batches of {settings.AMPARO_CIRCULATION_BATCH_SIZE}")
        if faults:
            ok = True
            if options.kill_worker_at is not None:
                ok = kill_run(world, sink, tally, workers, options) and ok
            if options.smtp_outage is not None:
                ok = outage_run(world, sink, tally, options) and ok
            print(f"{setting}; load {load()}")
            return 0 if ok else 1
        return measure(world, sink, tally, workers, options, setting)
    finally:
        clean_up(workers, sink, postgres, redis_db, tmp, keep)


def clean_up(workers: Workers | None, sink: Any, postgres: Postgres | None, redis_db: RedisDb | None, tmp: Path,
             keep: bool) -> None:
    """Everything the run started or made, gone: workers, the sink, the database, the broker's
    numbered database, the temporary directory (unless BENCH_KEEP)."""
    if workers is not None:
        workers.stop_all()
    if sink is not None:
        sink.stop()
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    if postgres is not None:
        postgres.drop()
    if redis_db is not None:
        redis_db.release()
    if keep:
        log(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
