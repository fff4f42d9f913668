"""Statistics benchmark: 1,000,000 incidents in PostgreSQL and in SQLite, the country × year
statistics call (`analytics.stats.compute`, answered from the summary tables) beside a
hand-written SQL GROUP BY over the base tables in the same run, and the stats API under load
beside the ping view.

    .venv/bin/python bench/stats.py [--incidents 1000000] [--runs 5] [--backends postgres,sqlite]
                                    [--http-seconds 10] [--no-http]

Targets (issue 25): `stats.compute` from the summaries at most 0.1x the hand-written GROUP BY
over the base tables; the staff stats API, one year of country × year, at least 0.1 of ping.
The same compute over the base tables (`rollups_allowed=False`) is printed beside them.

After generating the data straight into the tables the script rebuilds the summaries
(`rebuild_rollups`) and, where that job exists, the public tables (`refresh_public_tables`), as
a registry write would have kept them.

Incidents are generated inside the database (generate_series on PostgreSQL, a recursive CTE
on SQLite): a bulk insert straight into registry_incident and its many-to-many tables
(attack types, perpetrators), no ORM objects. Each backend runs in a child process of this
script (Django binds to one database per process). PostgreSQL uses, and drops afterwards, the
database `amparo_bench_stats` on 127.0.0.1; SQLite a file in a temporary directory.

The HTTP part starts gunicorn (gunicorn.conf.py, production settings) on 127.0.0.1 over the
PostgreSQL database and drives it with wrk, ping then the public and the staff API, in turn;
loopback only, bounded by --http-seconds per URL.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_DB = os.environ.get("AMPARO_BENCH_STATS_DB", "amparo_bench_stats")
HOST = "127.0.0.1"
TARGET_COMPUTE = 0.1  # compute from the summaries / hand-written GROUP BY over the base tables, at most
TARGET_API = 0.1  # staff API, one year of country × year / ping, at least
COUNTRIES = ("HN", "GT", "SV", "NI", "MX", "CO", "BR", "PE", "EC", "VE", "AR", "CL", "BO", "PY", "CU", "PH",
             "IN", "PK", "ID", "TH", "MM", "KH", "NP", "BD", "CN", "EG", "SY", "TN", "IQ", "PS", "YE", "RU",
             "TR", "BY", "UZ", "US", "CD", "KE", "ZW", "NG", "UG", "CM", "ET", "SD")


def psql(command: str) -> None:
    subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-q", "-c", command], check=True, capture_output=True)


# --- Generation, inside the database ------------------------------------------------------------

def generate(count: int, backend: str) -> float:
    from django.db import connection

    from amparo.network import services as network
    from amparo.network.models import Network
    from amparo.vocabulary.models import Term

    started = time.perf_counter()
    coalition = network.create_network("system", name="Bench coalition", slug="bench", kind=Network.Kind.COALITION)
    desk = network.create_desk("system", coalition, name="Bench desk", slug="bench-desk", countries=["HN"])
    attacks = list(Term.objects.filter(kind=Term.Kind.ATTACK_TYPE).order_by("id").values_list("id", flat=True))
    perps = list(Term.objects.filter(kind=Term.Kind.PERPETRATOR).order_by("id").values_list("id", flat=True))
    codes = "".join(COUNTRIES)
    n_countries = len(COUNTRIES)
    if backend == "postgres":
        rnd = "floor(random() * {n})::int"
        series = f"generate_series(1, {count}) AS s(i)"
        day = f"date '2014-01-01' + {rnd.format(n=3650)}"
        now = "now()"
        prefix = ""
    else:
        rnd = "(abs(random()) % {n})"
        series = "s"
        day = f"date('2014-01-01', '+' || {rnd.format(n=3650)} || ' days')"
        now = "datetime('now')"
        prefix = f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {count}) "  # noqa: S608
    country = f"substr('{codes}', 1 + 2 * {rnd.format(n=n_countries)}, 2)"
    status = (f"CASE WHEN {rnd.format(n=50)} = 0 THEN 'duplicate' WHEN {rnd.format(n=2)} = 0 THEN 'documented' "
              f"ELSE 'verified' END")
    false, true = ("false", "true") if backend == "postgres" else ("0", "1")
    consent = f"CASE WHEN {rnd.format(n=10)} < 7 THEN {true} ELSE {false} END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{prefix}INSERT INTO registry_incident (desk_id, status, channel, occurred_on, date_precision, country, "  # noqa: S608
            "subdivision, victims, reported_to_authorities, reported_to, justice, consent_statistics, "
            "consent_public_appeal, consent_un, created_at, updated_at, safe_now, notify_reporter) "
            f"SELECT {desk.pk}, {status}, 'import', {day}, 'day', {country}, '', 1 + {rnd.format(n=3)} / 2, "
            f"'unknown', '', 'none', {consent}, {false}, {false}, {now}, {now}, '', {false} FROM {series}")
        # One attack type each, a second one for a third of them (from another part of the
        # list, so that the pair is never the same term twice); one perpetrator each.
        half = len(attacks) // 2
        for table, ids, share in (("registry_incident_attack_types", attacks[:half], 1),
                                  ("registry_incident_attack_types", attacks[half:], 3),
                                  ("registry_incident_perpetrators", perps, 1)):
            case = " ".join(f"WHEN {i} THEN {term}" for i, term in enumerate(ids))
            cursor.execute(
                f"INSERT INTO {table} (incident_id, term_id) SELECT id, CASE id % {len(ids)} {case} END "  # noqa: S608
                f"FROM registry_incident WHERE id % {share} = 0")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# --- Timing -------------------------------------------------------------------------------------

# The same GROUP BY written by hand twice: with the year expression the ORM emits (the overhead
# of the ORM and of building the answer, which the target is about), and idiomatically
# (EXTRACT returns numeric on PostgreSQL; strftime parses each date on SQLite).
HAND_SQL = {
    "postgres": {
        "same": ("SELECT country, CAST(EXTRACT(YEAR FROM occurred_on) AS integer) AS year, COUNT(*), SUM(victims) "
                 "FROM registry_incident WHERE status <> 'duplicate' GROUP BY 1, 2"),
        "idiomatic": ("SELECT country, EXTRACT(YEAR FROM occurred_on) AS year, COUNT(*), SUM(victims) "
                      "FROM registry_incident WHERE status <> 'duplicate' GROUP BY 1, 2"),
    },
    "sqlite": {
        "same": ("SELECT country, CAST(substr(occurred_on, 1, 4) AS integer) AS year, COUNT(*), SUM(victims) "
                 "FROM registry_incident WHERE status <> 'duplicate' GROUP BY 1, 2"),
        "idiomatic": ("SELECT country, strftime('%Y', occurred_on) AS year, COUNT(*), SUM(victims) "
                      "FROM registry_incident WHERE status <> 'duplicate' GROUP BY 1, 2"),
    },
}


def timed(fn, runs: int) -> list[float]:  # noqa: ANN001
    fn()  # warm the cache
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        found.append(time.perf_counter() - started)
    return found


def child(backend: str, count: int, runs: int, folder: str) -> dict:
    """Runs in its own process, with DATABASE_URL set for `backend`."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from amparo.analytics import stats

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    generated = generate(count, backend)
    from amparo.analytics.services.rollups import rebuild_rollups

    started = time.perf_counter()
    rebuild_rollups()
    rebuilt = time.perf_counter() - started
    try:
        from amparo.analytics.services.public import refresh_public_tables  # type: ignore[import-not-found]
    except ImportError:
        refresh_public_tables = None
    if refresh_public_tables is not None:
        refresh_public_tables()
    queries = HAND_SQL[backend]

    def by_hand(sql: str):  # noqa: ANN202
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()
        return run

    def by_compute() -> None:
        stats.compute(["country", "year"])

    def by_compute_base() -> None:
        stats.compute(["country", "year"], rollups_allowed=False)

    def one_year() -> None:
        stats.compute(["country", "year"], {"year": 2020})

    check = stats.compute(["country", "year"])
    base = stats.compute(["country", "year"], rollups_allowed=False)
    assert check.rows == base.rows and check.total == base.total, "the summaries and the base tables differ"
    with connection.cursor() as cursor:
        cursor.execute(queries["same"])
        hand_rows = cursor.fetchall()
    assert check.total["incidents"] == sum(r[2] for r in hand_rows), "the two counts differ"
    assert len(check.rows) == len(hand_rows)
    # interleave, so that load on the shared machine hits all alike
    runners = {"same": by_hand(queries["same"]), "orm": by_compute, "idiomatic": by_hand(queries["idiomatic"]),
               "base": by_compute_base, "one_year": one_year}
    times: dict[str, list[float]] = {name: [] for name in runners}
    for run in runners.values():
        run()  # warm the cache once
    for _ in range(runs):
        for name, run in runners.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    same, idiomatic, orm = times["same"], times["idiomatic"], times["orm"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM analytics_rollup_cell")
        cells = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM analytics_rollup_term_cell")
        term_cells = cursor.fetchone()[0]
    from django.core.cache import cache

    def public_cold() -> None:
        cache.clear()
        stats.compute(["country", "year"], public=True)

    public = timed(public_cold, 2)
    cached = timed(lambda: stats.compute(["country", "year"], public=True), 3)
    return {"backend": backend, "incidents": count, "generated_s": generated, "rebuilt_s": rebuilt,
            "cells": cells, "term_cells": term_cells, "base_s": statistics.median(times["base"]),
            "one_year_s": statistics.median(times["one_year"]),
            "rows": len(check.rows), "hand_s": statistics.median(same), "compute_s": statistics.median(orm),
            "idiomatic_s": statistics.median(idiomatic),
            "public_s": statistics.median(public), "cached_s": statistics.median(cached)}


# --- HTTP under load ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wrk(url: str, seconds: int, headers: list[str]) -> tuple[float, str]:
    args = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out)
    return rate, p99.group(1) if p99 else "?"


def http(folder: str, seconds: int, token: str) -> list[tuple[str, float, str]]:
    if shutil.which("wrk") is None:
        subprocess.run([str(ROOT / "scripts" / "ensure-debian-packages"), "wrk"], check=True)
    port = free_port()
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update({
        "AMPARO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": HOST,
        "EMAIL_HOST": HOST, "SECURE_SSL_REDIRECT": "false", "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_WORKERS": "2", "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{PG_DB}",
        "AMPARO_VAR_DIR": folder, "STATIC_ROOT": os.path.join(folder, "static"),
        "VAULT_SERVICE_KEY": os.environ["VAULT_SERVICE_KEY"], "CACHE_URL": os.environ.get("CACHE_URL", ""),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    })
    subprocess.run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "--no-control-socket", "amparo.wsgi"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://{HOST}:{port}"
    urls = [("ping", "/ping", []),
            ("stats API, public, country × year, one year", "/api/v1/stats/incidents?group_by=country,year"
             "&year=2020&public=1", []),
            ("stats API, staff, country × year, one year", "/api/v1/stats/incidents?group_by=country,year&year=2020",
             [f"Authorization: Bearer {token}"]),
            ("stats API, staff, country × year, all years", "/api/v1/stats/incidents?group_by=country,year",
             [f"Authorization: Bearer {token}"])]
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping", timeout=2)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        for label, path, headers in urls:
            print(f"  first answer of {label} ...", flush=True)
            request = urllib.request.Request(  # noqa: S310 - loopback only
                base + path, headers=dict(h.split(": ", 1) for h in headers))
            with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - loopback only
                assert answer.status == 200, path
        found = []
        for label, path, headers in urls:
            rate, p99 = wrk(base + path, seconds, headers)
            found.append((label, rate, p99))
        return found
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def staff_token() -> str:
    """A documenter of the bench desk with an API token (in the PostgreSQL bench database)."""
    import django

    django.setup()
    from amparo.accounts import services
    from amparo.network import services as network
    from amparo.network.models import Desk, Role
    from amparo.network.tests.factories import UserFactory

    desk = Desk.objects.get(slug="bench-desk")
    user = UserFactory.create(username="bench-stats")
    network.add_membership("system", user=user, role=Role.DOCUMENTER, network=desk.network, desk=desk)
    _token, raw = services.create_api_token(user, name="bench", days=1)
    return raw


# --- Main -----------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--token", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.incidents, args.runs, os.environ["AMPARO_VAR_DIR"])))
        return 0
    if args.token:
        print(staff_token())
        return 0

    folder = tempfile.mkdtemp(prefix="amparo-bench-stats-")
    os.environ["AMPARO_VAR_DIR"] = folder
    key_env = {"VAULT_SERVICE_KEY": base64.b64encode(secrets.token_bytes(32)).decode()}
    results, status = [], 0
    try:
        for backend in args.backends.split(","):
            env = {**os.environ, **key_env, "DJANGO_SETTINGS_MODULE": "amparo.settings"}
            if backend == "postgres":
                psql(f"DROP DATABASE IF EXISTS {PG_DB}")
                psql(f"CREATE DATABASE {PG_DB}")
                env["DATABASE_URL"] = f"postgres://postgres@{HOST}:5432/{PG_DB}"
            else:
                env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            print(f"{backend}: generating {args.incidents:,} incidents and timing ...", flush=True)
            out = subprocess.run([str(PYTHON), __file__, "--child", backend, "--incidents", str(args.incidents),
                                  "--runs", str(args.runs)], env=env, check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            ratio = result["compute_s"] / result["hand_s"]
            ok = ratio <= TARGET_COMPUTE
            status = status or (0 if ok else 1)
            print(f"  generated in {result['generated_s']:.1f} s ({result['rows']} country-year rows); "
                  f"summaries rebuilt in {result['rebuilt_s']:.1f} s ({result['cells']:,} cells, "
                  f"{result['term_cells']:,} term cells); load {Path('/proc/loadavg').read_text().split()[0]}")
            print(f"  hand-written SQL GROUP BY   {result['hand_s'] * 1000:9.1f} ms (median of {args.runs}; "
                  f"written idiomatically: {result['idiomatic_s'] * 1000:.1f} ms)")
            print(f"  stats.compute(country,year) {result['compute_s'] * 1000:9.1f} ms from the summaries, "
                  f"{result['base_s'] * 1000:.1f} ms over the base tables ({result['base_s'] / result['hand_s']:.2f}x)")
            print(f"  stats.compute, one year     {result['one_year_s'] * 1000:9.1f} ms from the summaries")
            print(f"  ratio {ratio:.3f}x (target <= {TARGET_COMPUTE}x): {'met' if ok else 'NOT met'}")
            print(f"  public country x year: all public tables + suppression {result['public_s'] * 1000:9.1f} ms,"
                  f" then from the cache {result.get('cached_s', 0) * 1000:7.1f} ms")
        if not args.no_http and "postgres" in args.backends:
            env = {**os.environ, **key_env, "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{PG_DB}",
                   "DJANGO_SETTINGS_MODULE": "amparo.settings"}
            token = subprocess.run([str(PYTHON), __file__, "--token"], env=env, check=True, capture_output=True,
                                   text=True).stdout.strip().splitlines()[-1]
            os.environ.update(key_env)
            print(f"HTTP on PostgreSQL with {args.incidents:,} incidents (wrk -t2 -c8, {args.http_seconds} s each):")
            found = http(folder, args.http_seconds, token)
            ping = found[0][1]
            for label, rate, p99 in found:
                print(f"  {label:48s} {rate:9.1f} req/s  p99 {p99:>8s}  {rate / ping:6.3f} of ping")
            staff = next(rate for label, rate, _p99 in found if label.startswith("stats API, staff") and "one" in label)
            met = staff / ping >= TARGET_API
            status = status or (0 if met else 1)
            print(f"  staff API one year: {staff / ping:.3f} of ping (target >= {TARGET_API}): "
                  f"{'met' if met else 'NOT met'}; load {Path('/proc/loadavg').read_text().split()[0]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if "postgres" in args.backends:
            subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {PG_DB}"],
                           capture_output=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
