#!/usr/bin/env python3
"""Circulation benchmark: `.venv/bin/python bench/circulation.py` (never run in CI).

One command, loopback only, everything in a throwaway directory:

 1. a fresh SQLite database (migrated), the file broker, 10,000 confirmed supporters in three
    languages and an appeal in review, made as the services make them (sealed contacts);
 2. an SMTP server in a process of its own (amparo/appeals/tests/smtp_sink.py: aiosmtpd,
    writing down the time and Message-ID of every message it accepts);
 3. a Celery worker as the Procfile starts one (prefork, BENCH_CONCURRENCY=2 processes);
 4. per round: a bare `smtplib` loop sends the same 10,000 messages, rendered beforehand, over
    one connection; then the appeal is approved and the time is taken from the call to
    `approve_appeal` to the last message the server accepted. Rounds alternate the order.
 5. prints both times, messages per second and the ratio circulation / bare loop.
    Target: at most 1.3; goal: 1.0 or less. Exits 1 above the target.

Knobs (environment): BENCH_SUPPORTERS (10000), BENCH_ROUNDS (2), BENCH_CONCURRENCY (2),
AMPARO_CIRCULATION_SMTP_CONNECTIONS (4), AMPARO_CIRCULATION_BATCH_SIZE (200), BENCH_KEEP (0).
Results: docs/performance.md, "Circulation".
"""

from __future__ import annotations

import base64
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 1.3


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


SUPPORTERS = env_int("BENCH_SUPPORTERS", 10_000)
ROUNDS = env_int("BENCH_ROUNDS", 2)
CONCURRENCY = env_int("BENCH_CONCURRENCY", 2)
KEEP = os.environ.get("BENCH_KEEP", "") not in {"", "0", "false", "no"}


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def configure(tmp: Path) -> dict[str, str]:
    """The environment of this process and of the worker: nothing from the caller's database
    or broker, one service key, cheap member keys (only the staff users have any)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "USER", "LOGNAME")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    for name in ("AMPARO_CIRCULATION_SMTP_CONNECTIONS", "AMPARO_CIRCULATION_BATCH_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update({
        "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(tmp), "AMPARO_ENV": "development",
        "AMPARO_VAR_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "VAULT_SERVICE_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "VAULT_KDF_OPS": "1", "VAULT_KDF_MEM": "8192", "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "filesystem://", "AMPARO_CIRCULATION_TASKS": str(CONCURRENCY),
        "AMPARO_PUBLIC_URL": "https://amparo.example", "AMPARO_MAIL_DOMAIN": "amparo.example",
        "DJANGO_SETTINGS_MODULE": "amparo.settings",
    })
    return env


def setup_world() -> tuple[object, object]:
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
    return desk, type("World", (), {"users": {"documenter_a": documenter, "coordinator": coordinator},
                                     "desk_a": desk, "unlocked": unlocked})()


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
    for supporter in Supporter.objects.all():
        language = supporter.languages.split(",")[0]
        if language not in prepared:
            prepared[language] = rendering.prepare(appeal, None, language)
        email = open_email(supporter)
        out.append((email, rendering.raw_email(prepared[language], sender="no-reply@amparo.example", to=email,
                                               msgid=f"<bare-{secrets.token_hex(16)}@amparo.example>",
                                               date=date, token=open_token(supporter))))
    return out


def bare_loop(port: int, messages: list[tuple[str, bytes]], sink: object) -> float:
    before = sink.count()  # type: ignore[attr-defined]
    started = time.time()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("no-reply@amparo.example", [to], data)
    finished = time.time()
    assert sink.count() - before == len(messages)  # type: ignore[attr-defined]
    return finished - started


def circulate(world: object, sink: object) -> float:
    from amparo.appeals import services
    from amparo.appeals.tests.circulation_support import draft_in_review

    appeal = draft_in_review(world)
    before = sink.count()  # type: ignore[attr-defined]
    started = time.time()
    services.approve_appeal(world.users["coordinator"], appeal,  # type: ignore[attr-defined]
                           unlocked=world.unlocked["coordinator"])  # type: ignore[attr-defined]
    approved = time.time()
    deadline = time.monotonic() + 600
    while sink.count() - before < SUPPORTERS:  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise RuntimeError("circulation did not finish within 10 minutes")
        time.sleep(0.05)
    stamps = [stamp for stamp, _mid in sink.lines()[before:]]  # type: ignore[attr-defined]
    log(f"  approval (10,000 deliveries made, senders asked for) took {approved - started:.2f} s; "
        f"first message accepted after {min(stamps) - started:.2f} s")
    return max(stamps) - started


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="amparo-bench-circulation."))
    env = configure(tmp)
    os.environ.update(env)
    worker = None
    sink = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from amparo.appeals.tests.circulation_support import make_supporters
        from amparo.appeals.tests.smtp_sink import SinkProcess

        log("migrating a throwaway SQLite database ...")
        call_command("migrate", verbosity=0)
        _desk, world = setup_world()
        log(f"making {SUPPORTERS} supporters (sealed contacts) ...")
        make_supporters(SUPPORTERS, languages=["en", "es", "fr"])
        sink = SinkProcess(tmp / "accepted.txt")
        sink.start()
        env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)})
        os.environ.update(env)
        from django.conf import settings

        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        celery = str(Path(sys.executable).parent / "celery")
        with (tmp / "worker.log").open("ab") as out:
            worker = subprocess.Popen([celery, "-A", "amparo", "worker", "--loglevel=WARNING", "--pool=prefork",
                                       f"--concurrency={CONCURRENCY}", "--without-gossip", "--without-mingle",
                                       "--without-heartbeat"], cwd=ROOT, env=env, stdout=out, stderr=out,
                                      start_new_session=True)
        time.sleep(6)  # the worker's start is not what is measured
        from amparo.appeals.tests.circulation_support import draft_in_review

        messages = prerender(draft_in_review(world).pk)  # the same texts as the circulated appeals
        bare, circ = [], []
        for round_no in range(1, ROUNDS + 1):
            order = ["bare", "circulation"] if round_no % 2 else ["circulation", "bare"]
            for step in order:
                if step == "bare":
                    bare.append(bare_loop(sink.port, messages, sink))
                    log(f"round {round_no}: bare smtplib loop, one connection: {bare[-1]:.2f} s "
                        f"({SUPPORTERS / bare[-1]:.0f} messages/s)")
                else:
                    circ.append(circulate(world, sink))
                    log(f"round {round_no}: circulation, approval to last accepted message: {circ[-1]:.2f} s "
                        f"({SUPPORTERS / circ[-1]:.0f} messages/s)")
        ratio = statistics.median(circ) / statistics.median(bare)
        print()
        print(f"{SUPPORTERS} messages, median of {ROUNDS} round(s); worker: prefork x{CONCURRENCY}, "
              f"{settings.AMPARO_CIRCULATION_SMTP_CONNECTIONS} SMTP connections each, batches of "
              f"{settings.AMPARO_CIRCULATION_BATCH_SIZE}; {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
        print(f"bare smtplib loop:  {statistics.median(bare):6.2f} s")
        print(f"circulation:        {statistics.median(circ):6.2f} s")
        verdict = "OK" if ratio <= TARGET else "FAIL"
        print(f"{verdict}: circulation / bare loop = {ratio:.2f} (target <= {TARGET}, goal <= 1.0)")
        return 0 if ratio <= TARGET else 1
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        if sink is not None:
            sink.stop()
        if KEEP:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
