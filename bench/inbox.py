"""Inbox benchmark: a desk with 100,000 incidents on PostgreSQL. The inbox's first page and a
filtered page, through the view's own query code (ORM, pagination with its count, prefetch),
beside the same queries written by hand in SQL, in the same run.

    .venv/bin/python bench/inbox.py [--incidents 100000] [--runs 60]

Target: the 95th percentile of each inbox page under 300 ms. Uses (and drops afterwards) the
PostgreSQL database `amparo_bench` on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "amparo_bench"


def psql(command: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", command], check=True,
                   capture_output=True)


def setup(count: int) -> None:
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ["AMPARO_VAR_DIR"] = tempfile.mkdtemp(prefix="amparo-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    generate(count)


def generate(count: int) -> None:
    from django.db import connection

    from amparo.network import services as network
    from amparo.network.models import Network, Role
    from amparo.network.tests.factories import UserFactory
    from amparo.registry.models import Incident
    from amparo.vault import services as vault
    from amparo.vocabulary.models import Term

    started = time.perf_counter()
    net = network.create_network("system", name="Bench", slug="bench", kind=Network.Kind.NATIONAL, country="HN")
    desk = network.create_desk("system", net, name="Bench desk", slug="bench-desk", countries=["HN"])
    member = UserFactory.create(username="bench-documenter")
    vault.create_member_key(member, "a long enough passphrase for the bench")
    network.add_membership("system", user=member, role=Role.DOCUMENTER, network=net, desk=desk)
    attack_types = list(Term.objects.filter(kind=Term.Kind.ATTACK_TYPE))
    perpetrators = list(Term.objects.filter(kind=Term.Kind.PERPETRATOR))
    assert attack_types and perpetrators, "the shipped vocabulary is missing"
    rng = random.Random(7)
    countries = ["HN", "GT", "SV", "NI", "MX", "CO", "BR", "CD"]
    statuses = [s for s, _ in Incident.Status.choices]
    narrative = network.seal_for_desk(desk, "A sealed narrative of a few words.", label="registry.incident.narrative")
    batch: list[Incident] = []
    for i in range(count):
        batch.append(Incident(
            desk=desk, status=rng.choice(statuses), country=rng.choice(countries),
            occurred_on=date(2016, 1, 1) + timedelta(days=rng.randrange(3650)), narrative=narrative,
            consent_statistics=rng.random() < 0.7,
        ))
        if len(batch) == 5000 or i == count - 1:
            Incident.objects.bulk_create(batch)
            batch = []
    ids = list(Incident.objects.filter(desk=desk).values_list("id", flat=True))
    links_a = Incident.attack_types.through
    links_p = Incident.perpetrators.through
    for start in range(0, len(ids), 20000):
        chunk = ids[start:start + 20000]
        links_a.objects.bulk_create([links_a(incident_id=i, term_id=rng.choice(attack_types).pk) for i in chunk])
        links_p.objects.bulk_create([links_p(incident_id=i, term_id=rng.choice(perpetrators).pk) for i in chunk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {count} incidents in {time.perf_counter() - started:.1f} s")


def measure(label: str, fn, runs: int) -> list[float]:  # noqa: ANN001
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup(args.incidents)
    from django.core.paginator import Paginator
    from django.db import connection

    from amparo.network.models import Desk
    from amparo.registry.queries import filter_inbox
    from amparo.registry.views import PAGE_SIZE
    from amparo.vocabulary.models import Term

    desk = Desk.objects.get(slug="bench-desk")
    threat = Term.objects.filter(kind=Term.Kind.ATTACK_TYPE, parent__isnull=True).first()
    filters = {"status": "received", "attack_type": threat, "state": "state"}

    def orm_page(data: dict) -> None:
        incidents = filter_inbox(desk, data, None).select_related("assignee").prefetch_related("attack_types")
        page = Paginator(incidents, PAGE_SIZE).get_page(1)
        list(page)
        assert page.paginator.count >= 0

    def sql_first() -> None:
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM registry_incident WHERE desk_id = %s", [desk.pk])
            c.fetchone()
            c.execute("SELECT i.id, i.status, i.country, i.occurred_on, i.date_precision, u.username "
                      "FROM registry_incident i LEFT JOIN accounts_user u ON u.id = i.assignee_id "
                      "WHERE i.desk_id = %s ORDER BY i.created_at DESC, i.id DESC LIMIT %s", [desk.pk, PAGE_SIZE])
            ids = [row[0] for row in c.fetchall()]
            c.execute("SELECT incident_id, term_id FROM registry_incident_attack_types WHERE incident_id = ANY(%s)",
                      [ids])
            c.fetchall()

    def sql_filtered() -> None:
        where = ("FROM registry_incident i WHERE i.desk_id = %s AND i.status = %s "
                 "AND EXISTS (SELECT 1 FROM registry_incident_attack_types a JOIN registry_term t ON t.id = a.term_id "
                 "WHERE a.incident_id = i.id AND (t.id = %s OR t.parent_id = %s)) "
                 "AND EXISTS (SELECT 1 FROM registry_incident_perpetrators p JOIN registry_term t ON t.id = p.term_id "
                 "WHERE p.incident_id = i.id AND t.state_actor)")
        params = [desk.pk, "received", threat.pk, threat.pk]
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) " + where, params)  # noqa: S608 - constant SQL
            c.fetchone()
            c.execute("SELECT i.id, i.status, i.country " + where +  # noqa: S608 - constant SQL
                      " ORDER BY i.created_at DESC, i.id DESC LIMIT %s", [*params, PAGE_SIZE])
            ids = [row[0] for row in c.fetchall()]
            c.execute("SELECT incident_id, term_id FROM registry_incident_attack_types WHERE incident_id = ANY(%s)",
                      [ids])
            c.fetchall()

    rows = []
    for name, orm, sql in [("first page", lambda: orm_page({}), sql_first),
                           ("filtered page", lambda: orm_page(filters), sql_filtered)]:
        o, s = measure(name, orm, args.runs), measure(name, sql, args.runs)
        rows.append((name, statistics.quantiles(o, n=20)[18], statistics.quantiles(s, n=20)[18],
                     statistics.median(o), statistics.median(s)))
    print(f"\n{args.incidents} incidents in one desk, PostgreSQL, {args.runs} runs each")
    print(f"{'page':<16}{'inbox p95':>11}{'SQL p95':>10}{'ratio':>8}{'inbox p50':>11}{'SQL p50':>10}  target")
    ok = True
    for name, op95, sp95, op50, sp50 in rows:
        ok &= op95 < 300
        print(f"{name:<16}{op95:>9.1f}ms{sp95:>8.1f}ms{op95 / sp95:>7.2f}x{op50:>9.1f}ms{sp50:>8.1f}ms  p95 < 300 ms")
    connection.close()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
