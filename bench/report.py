"""Report and map benchmark: an assessment report over 1,000,000 incidents, timed beside the
`stats.compute` calls it makes run alone in the same run; and the map's data endpoint under
load beside the ping view, interleaved with it.

    .venv/bin/python bench/report.py [--incidents 1000000] [--backend postgres|sqlite]
                                     [--runs 3] [--http-seconds 10] [--no-http] [--no-reports]

What it prints, per audience (internal: exact numbers of one desk; public: the fixed public
tables with suppression):
  - the report made by `reports.generate` (the worker's function): total, of which statistics
    calls and of which HTML + PDF rendering;
  - the same statistics calls (recorded while the report was made) replayed alone;
  - the ratio report / statistics alone: what making a report adds on top of its questions.
Then, unless --no-http: gunicorn (production settings, gunicorn.conf.py) on 127.0.0.1 over
the same database, driven by wrk: the public map's JSON, the public map page and the public
stats API, each interleaved with ping in 5 slices (its ratio is to those slices); then the map page
again, cached, for at least 30 s, and as long again while another process (started and warmed
first, as a running web process and worker are) makes registry writes (a consent given and
taken back through the registry's service) each followed by a run of the public-table job, as
the worker would: its p99 beside the cached p99 of the same page.

The data is generated straight into the tables, so the staff summaries are rebuilt
(`rebuild_rollups`, which the public-table job reads) and the public-table job
(`refresh_public_tables`) runs after it, as a registry write would keep both current.

Incidents are generated inside the database by bench/stats.py's `generate` (a bulk insert with
generate_series / a recursive CTE). PostgreSQL uses, and drops afterwards, the database
`amparo_bench_report` (or $AMPARO_BENCH_REPORT_DB) on 127.0.0.1; SQLite a file in a temporary
directory. Loopback only;
each part is bounded (--runs, --http-seconds). Figures go to docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_DB = os.environ.get("AMPARO_BENCH_REPORT_DB", "amparo_bench_report")
HOST = "127.0.0.1"


def _stats_bench():  # noqa: ANN202 - bench/stats.py, loaded as a module: its generator and wrk driver
    spec = importlib.util.spec_from_file_location("bench_stats", ROOT / "bench" / "stats.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- In the child process: generate, make reports, replay their questions ----------------------

def _make_report(audience: str):  # noqa: ANN202
    from amparo.analytics import reports
    from amparo.analytics.models import SECTION_CODES, Report
    from amparo.network.models import Desk
    from amparo.vault import services as vault

    desk = Desk.objects.select_related("network").get(slug="bench-desk")
    return Report.objects.create(
        network=desk.network, desk=desk if audience == "internal" else None, audience=audience, language="en",
        date_from=date(2021, 1, 1), date_to=date(2023, 12, 31), sections=list(SECTION_CODES),
        scope={"desks": [desk.slug] if audience == "internal" else [], "countries": [], "grouping": ""},
        introduction=vault.seal_with_service_key("Benchmark", label=reports.LABEL_INTRO))


def _key_holder() -> None:
    """A documenter of the bench desk with a member key: an internal report is sealed to the
    desk's ring, which needs one key holder."""
    from amparo.network import services as network
    from amparo.network.models import Desk, Role
    from amparo.network.tests.factories import UserFactory
    from amparo.vault import services as vault

    desk = Desk.objects.select_related("network").get(slug="bench-desk")
    user = UserFactory.create(username="bench-report")
    vault.create_member_key(user, secrets.token_urlsafe(24))
    network.add_membership("system", user=user, role=Role.DOCUMENTER, network=desk.network, desk=desk)


def _one(audience: str) -> dict:
    """Make one report with every section, recording each stats.compute call and its time."""
    from amparo.analytics import report_sections, reports, stats

    original = stats.compute
    calls: list[tuple[tuple, dict, float]] = []

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            calls.append((args, kwargs, time.perf_counter() - started))

    from django.core.cache import cache

    report = _make_report(audience)
    cache.clear()  # the statistics cache public tables: each phase starts cold
    stats.compute = recorded  # report_sections and maps call it through the module
    try:
        started = time.perf_counter()
        assert reports.generate(report.pk) == "done"
        total = time.perf_counter() - started
    finally:
        stats.compute = original
    assert report_sections.stats.compute is original
    in_report = sum(c[2] for c in calls)
    # The same questions, alone, in the same process and database.
    cache.clear()
    started = time.perf_counter()
    for args, kwargs, _elapsed in calls:
        original(*args, **kwargs)
    alone = time.perf_counter() - started
    return {"total_s": total, "stats_in_report_s": in_report, "stats_alone_s": alone, "calls": len(calls)}


def _column_defaults() -> None:
    """Give the incident table's NOT NULL columns their model defaults in the database (this
    throwaway one only), so a bulk INSERT that names fewer columns than the model has (newer
    columns than bench/stats.py's generator knows) still loads."""
    from django.db import connection

    from amparo.registry.models import Incident

    with connection.schema_editor() as editor:
        for field in Incident._meta.concrete_fields:
            if field.null or not field.has_default() or field.primary_key:
                continue
            value = field.get_default()
            if isinstance(value, (dict, list)):
                literal = editor.quote_value(json.dumps(value))
            elif isinstance(value, (str, int, float, bool)):
                literal = editor.quote_value(value)
            else:
                continue
            editor.execute(f'ALTER TABLE registry_incident ALTER COLUMN "{field.column}" SET DEFAULT {literal}')


def child(backend: str, count: int, runs: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from amparo.analytics import reports
    from amparo.analytics.services.public import refresh_public_tables
    from amparo.analytics.services.rollups import rebuild_rollups

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the embedded cache (no CACHE_URL): a table
    if backend == "postgres":
        _column_defaults()
    generated = _stats_bench().generate(count, backend)
    # Rows written around the services: their summaries rebuilt, then the public-table job, as
    # a registry write keeps both current.
    started = time.perf_counter()
    rebuild_rollups()
    rebuilt = time.perf_counter() - started
    if backend == "postgres":  # as autovacuum would after a load: visibility map and statistics
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    started = time.perf_counter()
    assert refresh_public_tables() == "computed"
    published = time.perf_counter() - started
    found: dict = {"backend": backend, "incidents": count, "generated_s": generated, "rollups_s": rebuilt,
                   "published_s": published}
    if not runs:
        return found
    _key_holder()
    reports.render_pdf("<p>warm</p>")  # WeasyPrint's first import and font set-up: once per worker
    for audience in ("internal", "public"):
        made = [_one(audience) for _ in range(runs)]
        found[audience] = {key: statistics.median(m[key] for m in made) for key in made[0]}
    return found


def writer(seconds: float) -> dict:
    """In its own process, for `seconds`: a registry write through the registry's service (one
    incident's consent to statistics taken back, then given again: the public tables change),
    then a run of the public-table job, as the worker does after the write's commit."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    django.setup()
    from amparo.analytics.services.public import refresh_public_tables
    from amparo.registry import services as registry
    from amparo.registry.models import Incident

    incident = Incident.objects.filter(occurred_on__year=2022, consent_statistics=True).order_by("pk").first()
    assert incident is not None
    refresh_public_tables()  # warm, as a running worker is: its imports are not a registry write's cost
    print("ready", flush=True)  # the load starts now: this process's start-up is behind it
    took: list[float] = []
    given = False
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        registry.set_consent("system", incident, "statistics", given)
        given = not given
        started = time.perf_counter()
        refresh_public_tables()
        took.append(time.perf_counter() - started)
    if not given:  # leave it as it was
        registry.set_consent("system", incident, "statistics", True)
    return {"writes": len(took), "job_s": statistics.median(took) if took else 0.0}


# --- HTTP under load ---------------------------------------------------------------------------

def http(folder: str, seconds: int, database_url: str) -> list[tuple[str, float, str]]:
    bench = _stats_bench()
    if shutil.which("wrk") is None:
        subprocess.run([str(ROOT / "scripts" / "ensure-debian-packages"), "wrk"], check=True)
    port = bench.free_port()
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update({
        "AMPARO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": HOST,
        "EMAIL_HOST": HOST, "SECURE_SSL_REDIRECT": "false", "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_WORKERS": "2", "DATABASE_URL": database_url,
        "AMPARO_VAR_DIR": folder, "STATIC_ROOT": os.path.join(folder, "static"),
        "VAULT_SERVICE_KEY": os.environ["VAULT_SERVICE_KEY"], "CACHE_URL": os.environ.get("CACHE_URL", ""),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    })
    subprocess.run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    if not env["CACHE_URL"]:
        subprocess.run([str(PYTHON), "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "--no-control-socket", "amparo.wsgi"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://{HOST}:{port}"
    urls = [("ping", "/ping"), ("map data (JSON), public, 2022", "/analytics/map/data.json?year=2022"),
            ("map page, public, 2022", "/analytics/map/?year=2022"),
            ("stats API, public, country × year 2022", "/api/v1/stats/incidents?public=1&group_by=country,year"
                                                        "&year=2022")]
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/ping", timeout=2)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        for _label, path in urls:  # each answers, and warms its worker
            with urllib.request.urlopen(base + path, timeout=300) as answer:  # noqa: S310 - loopback only
                assert answer.status == 200, path
        # Each URL interleaved with ping in short slices: the machine's load drifts within
        # seconds (ping alone moved twofold between two 10-second rounds on a quiet machine),
        # so both sides of a ratio see the same drift.
        found = []
        for label, path in urls[1:]:
            ping, measured = _interleaved(base + "/ping", base + path, seconds)
            found.append(("ping", *ping))
            found.append((label, *measured))
        # The map page again while registry writes and job runs go on beside it.
        child_env = {**os.environ, "DATABASE_URL": database_url, "AMPARO_VAR_DIR": folder,
                     "DJANGO_SETTINGS_MODULE": "amparo.settings", "CACHE_URL": env["CACHE_URL"]}
        during = max(seconds, 30)  # long enough for a few writes and job runs at a million incidents
        rate, p99 = _wrk(base + urls[2][1], during)
        found.append(("the same map page, cached, just before", rate, p99))
        writes = subprocess.Popen([str(PYTHON), __file__, "--writer", str(during)], env=child_env,
                                  stdout=subprocess.PIPE, text=True)
        assert writes.stdout is not None and writes.stdout.readline().strip() == "ready"
        rate, p99 = _wrk(base + urls[2][1], during)
        out, _err = writes.communicate(timeout=seconds * 20 + 600)
        done = json.loads(out.strip().splitlines()[-1])
        found.append((f"the same map page during writes ({during} s: {done['writes']} writes + job "
                      f"runs, job {done['job_s']:.1f} s)", rate, p99))
        return found
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


SLICES = 5


def _interleaved(ping: str, url: str, seconds: int) -> tuple[tuple[float, str], tuple[float, str]]:
    """`seconds` of each, alternating in SLICES slices (at least 2 s each): the mean rate and
    the highest slice p99 of each side."""
    slices = max(1, min(SLICES, seconds // 2))
    each = max(2, seconds // slices)
    found: dict[str, list[tuple[float, str]]] = {ping: [], url: []}
    for _ in range(slices):
        for which in (ping, url):
            found[which].append(_wrk(which, each))

    def summary(rounds: list[tuple[float, str]]) -> tuple[float, str]:
        return statistics.fmean(r for r, _p in rounds), max((p for _r, p in rounds), key=_ms)
    return summary(found[ping]), summary(found[url])


def _wrk(url: str, seconds: int) -> tuple[float, str]:
    """wrk -t2 -c8 as bench/stats.py runs it; the p99 read from the latency distribution."""
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency", url], check=True,
                         capture_output=True, text=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+(\S+)\s*$", out, re.MULTILINE)
    return (float(rate.group(1)) if rate else 0.0), (p99.group(1) if p99 else "?")


def _ms(text: str) -> float:
    """wrk's latency ("812.00us", "3.21ms", "1.02s") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float("nan")


# --- Main ----------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-reports", action="store_true", help="skip the reports (generate, publish, HTTP)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--writer", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.incidents, args.runs)))
        return 0
    if args.writer:
        print(json.dumps(writer(args.writer)))
        return 0

    folder = tempfile.mkdtemp(prefix="amparo-bench-report-")
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    env = {**os.environ, "VAULT_SERVICE_KEY": key, "DJANGO_SETTINGS_MODULE": "amparo.settings",
           "AMPARO_VAR_DIR": folder}
    psql = _stats_bench().psql
    if args.backend == "postgres":
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"postgres://postgres@{HOST}:5432/{PG_DB}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    try:
        print(f"{args.backend}: generating {args.incidents:,} incidents, making reports ({args.runs} runs) ...",
              flush=True)
        out = subprocess.run([str(PYTHON), __file__, "--child", args.backend, "--incidents", str(args.incidents),
                              "--runs", str(0 if args.no_reports else args.runs)], env=env, check=False,
                             capture_output=True, text=True)
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  generated in {result['generated_s']:.1f} s; summaries rebuilt in {result['rollups_s']:.1f} s; "
              f"public tables computed and published by the job in {result['published_s']:.2f} s")
        for audience in ("internal", "public") if not args.no_reports else ():
            r = result[audience]
            rendering = r["total_s"] - r["stats_in_report_s"]
            print(f"  {audience} report, every section, 3 years ({r['calls']:.0f} statistics calls; median of "
                  f"{args.runs}):")
            print(f"    report (reports.generate)    {r['total_s'] * 1000:10.0f} ms")
            print(f"      of which statistics        {r['stats_in_report_s'] * 1000:10.0f} ms")
            print(f"      of which HTML + PDF + seal {rendering * 1000:10.0f} ms")
            print(f"    the same calls alone         {r['stats_alone_s'] * 1000:10.0f} ms")
            print(f"    ratio report / calls alone   {r['total_s'] / r['stats_alone_s']:10.2f}x")
        if not args.no_http:
            os.environ["VAULT_SERVICE_KEY"] = key
            print(f"HTTP on {args.backend} with {args.incidents:,} incidents (wrk -t2 -c8, {args.http_seconds} s "
                  "each):", flush=True)
            print(f"  load average before: {Path('/proc/loadavg').read_text().strip()}", flush=True)
            found = http(folder, args.http_seconds, env["DATABASE_URL"])
            ping = found[0][1]
            for label, rate, p99 in found[:-2]:
                ping = rate if label == "ping" else ping
                print(f"  {label:40s} {rate:9.1f} req/s  p99 {p99:>8s}  {rate / ping:6.3f} of ping")
            label, rate, p99 = found[-2]
            print(f"  {label}:\n  {'':40s} {rate:9.1f} req/s  p99 {p99:>8s}")
            cached = p99
            label, rate, p99 = found[-1]
            print(f"  {label}:\n  {'':40s} {rate:9.1f} req/s  p99 {p99:>8s}  {_ms(p99) / _ms(cached):6.2f}x the "
                  f"cached p99 ({cached})")
            print(f"  load average after: {Path('/proc/loadavg').read_text().strip()}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if args.backend == "postgres":
            subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {PG_DB}"],
                           capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
