"""Import benchmark (issues 7 and 25): importing generated rows through a mapping, beside the
fastest write each database has of the very same rows, already sealed, in the same run.

    .venv/bin/python bench/import.py [--rows 1000000]

The import runs as `manage.py import_incidents` would, in a child process of its own (so its
peak memory, ru_maxrss, is its own): it streams the CSV, maps and checks every cell (dates,
countries, vocabulary), computes the keyed index and digest of each row, seals names, places and
narratives to the desk's ring, and writes incidents, defenders, their many-to-many rows and the
import records in batches, all in one transaction. A second child imports the same file again
(every row recognised, nothing written).

The baseline then writes the same rows, exactly as the import sealed and stored them (read back
batch by batch, not timed), into the same tables for another desk, the fastest way the database
has: PostgreSQL's COPY FROM STDIN, SQLite's executemany, in one transaction (timed: the writes
and the commit). Prints rows/s of both, the ratio (target: the import at least 0.25 of the
baseline) and the import's peak memory (target: under 256 MB at 1,000,000 rows).

SQLite in a throwaway file by default; with DATABASE_URL=postgres://... it runs on a throwaway
database made (and dropped) on that server. Bounded: one pass of each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RATIO_TARGET = 0.25
MEMORY_TARGET_MB = 256
BATCH = 2000


def setup(workdir: Path, *, create: bool) -> object | None:
    """Django on a throwaway database; returns the test-database creator to tear down (PG)."""
    os.environ["AMPARO_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if not postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    if not create:
        return None
    if postgres:
        from django.db import connection

        # A database of its own, named for this process and dropped at the end: never the
        # configured one, nor another run's test database.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"amparo_bench_import_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        return connection.creation
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return None


COUNTRIES = ["Honduras", "HND", "340", "Guatemala", "GT", "320", "Colombia", "CO", "Brazil", "076", "Mexico",
             "Philippines", "PHL", "Yugoslavia", "Kenya", "404", "India", "356", "Peru", "PE"]
PERPETRATORS = ["Police", "Armed forces", "Hitmen", "Landowners", "Unknown", "Organised crime",
                "Private security guards", "Corporations"]
WORDS = ["tierra", "agua", "defensora", "comunidad", "amenaza", "río", "mina", "empresa", "policía",
         "territorio", "asamblea", "denuncia", "familia", "camino", "noche", "reunión"]


def generate(path: Path, rows: int) -> None:
    """A file shaped like the public ones: ids, ISO and partial dates, names, countries by
    name or ISO code, several perpetrators per cell, "NA", a narrative and coordinates."""
    rnd = random.Random(7)  # noqa: S311 - test data, not secrets
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "date", "name", "gender", "country", "region", "perpetrators", "what",
                         "latitude", "longitude"])
        for i in range(rows):
            year, month, day = rnd.randint(1995, 2024), rnd.randint(1, 12), rnd.randint(1, 28)
            date = rnd.choice([f"{year}-{month:02d}-{day:02d}"] * 8 + [f"{year}-{month:02d}", f"{year}"])
            writer.writerow([
                f"gen{i:07d}", date, f"Nombre{i} Apellido{rnd.randint(1, 9999)}", rnd.choice(["F", "M", "NA"]),
                rnd.choice(COUNTRIES), rnd.choice(["NA", f"Municipio {rnd.randint(1, 500)}"]),
                ", ".join(rnd.sample(PERPETRATORS, rnd.randint(1, 2))),
                " ".join(rnd.choices(WORDS, k=rnd.randint(15, 40))).capitalize() + ".",
                f"{rnd.uniform(-30, 30):.5f}", f"{rnd.uniform(-120, 120):.5f}",
            ])


MAPPING = {
    "name": "bench_generated",
    "identifier": "id",
    "unknown": ["", "NA"],
    "dates": {"formats": [{"pattern": "%Y-%m-%d", "precision": "day"}, {"pattern": "%Y-%m", "precision": "month"},
                          {"pattern": "%Y", "precision": "year"}]},
    "fields": {
        "occurred_on": "date",
        "country": {"column": "country", "values": {"Yugoslavia": "YUCS"}},
        "locality": "region",
        "coordinates": {"latitude": "latitude", "longitude": "longitude"},
        "narrative": {"column": "what"},
        "perpetrators": {"column": "perpetrators", "split": ",", "values": {
            "Police": "perpetrator.state.police", "Armed forces": "perpetrator.state.military",
            "Hitmen": "perpetrator.non_state.individual", "Landowners": "perpetrator.non_state.landowner",
            "Unknown": "perpetrator.unknown", "Organised crime": "perpetrator.non_state.organised_crime",
            "Private security guards": "perpetrator.non_state.company.security",
            "Corporations": "perpetrator.non_state.company"}},
        "victim_genders": {"column": "gender", "values": {"F": "gender.woman", "M": "gender.man"}},
        "defender.name": "name",
        "defender.gender": {"column": "gender", "values": {"F": "gender.woman", "M": "gender.man"}},
    },
    "constants": {"attack_types": ["attack.killing"], "profiles": ["profile.land_environment"],
                  "defender.profiles": ["profile.land_environment"], "consent_statistics": True},
}


def desks():  # noqa: ANN201
    from amparo.network import services as network
    from amparo.network.models import Network, Role
    from amparo.network.tests.factories import UserFactory
    from amparo.vault import services as vault

    net = network.create_network("system", slug="bench", name="Bench", kind=Network.Kind.NATIONAL, country="HN")
    made = [network.create_desk("system", net, slug=slug, name=slug, countries=["HN"])
            for slug in ("bench-baseline", "bench-import")]
    member = UserFactory.create(username="bench-member")
    vault.create_member_key(member, "a long enough passphrase for the bench")
    for desk in made:
        network.add_membership("system", user=member, role=Role.DOCUMENTER, network=net, desk=desk)
    return made


# --- The import, in a child process ------------------------------------------------------------

def child(workdir: Path, path: Path, desk_slug: str) -> None:
    """One import of the file, as the command does it; prints what it did and its peak memory."""
    setup(workdir, create=False)
    from amparo.network.models import Desk
    from amparo.registry.transfer import importing

    desk = Desk.objects.select_related("network").get(slug=desk_slug)
    last = [time.monotonic()]

    def progress(phase: str, done: int, total: int) -> None:
        if time.monotonic() - last[0] > 30:
            last[0] = time.monotonic()
            print(f"    {phase}: {done}/{total} rows, peak memory {peak_mb():.0f} MB so far", file=sys.stderr,
                  flush=True)

    started_cpu = time.process_time()
    result = importing.import_file(path, desk, importing.parse_mapping(MAPPING), progress=progress)
    print(json.dumps({"ok": result.ok, "errors": [str(e) for e in result.errors[:5]], "rows": result.rows,
                      "added": result.added, "unchanged": result.unchanged, "seconds": result.seconds,
                      "cpu": time.process_time() - started_cpu, "peak_mb": peak_mb(),
                      "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM). Not ru_maxrss alone: a
    child started by vfork (Python's subprocess) inherits its parent's peak in ru_maxrss, as
    Linux records the old memory's high-water mark at exec; VmHWM counts only its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(workdir: Path, path: Path, desk_slug: str, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "AMPARO_VAR_DIR": str(workdir)}
    done = subprocess.run([sys.executable, __file__, "--child", str(workdir), str(path), desk_slug],  # noqa: S603
                          env=env, capture_output=True, text=True, check=False, timeout=6 * 3600)
    sys.stderr.write(done.stderr[-3000:] if done.returncode else "")
    if done.returncode:
        raise SystemExit(f"the import's process failed ({done.returncode})")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def child_database_url() -> str:
    """The URL of the database this run made (PG), or of its SQLite file."""
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


# --- The baseline: the same sealed rows, written the fastest way -------------------------------

class Baseline:
    """Reads back what the import stored (not timed) and writes it again for another desk
    (timed), batch by batch, with COPY (PostgreSQL) or executemany (SQLite), in one transaction."""

    def __init__(self, source_desk: Any, target_desk: Any) -> None:
        from django.db import connection

        from amparo.registry.models import Defender, ImportedRecord, ImportRun, Incident

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.source, self.target = source_desk.pk, target_desk.pk
        self.run = ImportRun.objects.create(desk=target_desk, source="bench-baseline").pk
        self.incident_cols = [f.column for f in Incident._meta.concrete_fields]
        self.defender_cols = [f.column for f in Defender._meta.concrete_fields]
        self.record_cols = [f.column for f in ImportedRecord._meta.concrete_fields if not f.primary_key]
        self.terms = [getattr(Incident, r).through._meta.db_table
                      for r in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders")]
        self.tables = {"incident": Incident._meta.db_table, "defender": Defender._meta.db_table,
                       "links": Incident.defenders.through._meta.db_table,
                       "profiles": Defender.profiles.through._meta.db_table, "record": ImportedRecord._meta.db_table}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {self.tables['incident']}")  # noqa: S608
            self.shift_incident = int(cursor.fetchone()[0] or 0) + 1000
            cursor.execute(f"SELECT MAX(id) FROM {self.tables['defender']}")  # noqa: S608
            self.shift_defender = int(cursor.fetchone()[0] or 0) + 1000

    def batches(self) -> Any:
        """Each batch of rows to write, table by table, as the import stored them."""
        after = 0
        cols = ", ".join(self.incident_cols)
        desk_at = self.incident_cols.index("desk_id")
        while True:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT {cols} FROM {self.tables['incident']} WHERE desk_id = %s AND id > %s "  # noqa: S608
                               f"ORDER BY id LIMIT {BATCH}", [self.source, after])
                incidents = [list(r) for r in cursor.fetchall()]
                if not incidents:
                    return
                low, high = incidents[0][0], incidents[-1][0]
                after = high
                out: dict[str, list[Any]] = {}
                for row in incidents:
                    row[0] += self.shift_incident
                    row[desk_at] = self.target
                out[self.tables["incident"]] = incidents
                for table in self.terms:
                    cursor.execute(f"SELECT incident_id, term_id FROM {table} "  # noqa: S608
                                   "WHERE incident_id BETWEEN %s AND %s", [low, high])
                    out[table] = [(i + self.shift_incident, t) for i, t in cursor.fetchall()]
                cursor.execute(f"SELECT incident_id, defender_id FROM {self.tables['links']} "  # noqa: S608
                               "WHERE incident_id BETWEEN %s AND %s", [low, high])
                links = cursor.fetchall()
                out[self.tables["links"]] = [(i + self.shift_incident, d + self.shift_defender) for i, d in links]
                ids = sorted(d for _, d in links) or [0]
                dcols = ", ".join(self.defender_cols)
                cursor.execute(f"SELECT {dcols} FROM {self.tables['defender']} "  # noqa: S608
                               "WHERE id BETWEEN %s AND %s", [ids[0], ids[-1]])
                defenders = [list(r) for r in cursor.fetchall()]
                ddesk = self.defender_cols.index("desk_id")
                for row in defenders:
                    row[0] += self.shift_defender
                    row[ddesk] = self.target
                out[self.tables["defender"]] = defenders
                cursor.execute(f"SELECT defender_id, term_id FROM {self.tables['profiles']} "  # noqa: S608
                               "WHERE defender_id BETWEEN %s AND %s", [ids[0], ids[-1]])
                out[self.tables["profiles"]] = [(d + self.shift_defender, t) for d, t in cursor.fetchall()]
                rcols = ", ".join(self.record_cols)
                cursor.execute(f"SELECT {rcols} FROM {self.tables['record']} "  # noqa: S608
                               "WHERE incident_id BETWEEN %s AND %s", [low, high])
                records = []
                for row in cursor.fetchall():
                    values = dict(zip(self.record_cols, row, strict=True))
                    values.update(desk_id=self.target, incident_id=values["incident_id"] + self.shift_incident,
                                  first_run_id=self.run, last_run_id=self.run)
                    records.append([values[c] for c in self.record_cols])
                out[self.tables["record"]] = records
            yield out

    def columns(self, table: str) -> list[str]:
        if table == self.tables["incident"]:
            return self.incident_cols
        if table == self.tables["defender"]:
            return self.defender_cols
        if table == self.tables["record"]:
            return self.record_cols
        if table == self.tables["links"]:
            return ["incident_id", "defender_id"]
        if table == self.tables["profiles"]:
            return ["defender_id", "term_id"]
        return ["incident_id", "term_id"]

    def write(self, table: str, rows: list[Any]) -> None:
        if not rows:
            return
        names = ", ".join(self.columns(table))
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns(table)))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608

    def run_all(self) -> tuple[float, float, int]:
        """Seconds spent writing (and committing), this process's CPU seconds of it, and rows
        written."""
        from django.db import transaction

        timed, cpu, count = 0.0, 0.0, 0
        order = [self.tables["incident"], *self.terms, self.tables["defender"], self.tables["links"],
                 self.tables["profiles"], self.tables["record"]]
        with transaction.atomic():
            for batch in self.batches():
                started, started_cpu = time.perf_counter(), time.process_time()
                for table in order:
                    self.write(table, batch[table])
                timed += time.perf_counter() - started
                cpu += time.process_time() - started_cpu
                count += len(batch[self.tables["incident"]])
            started, started_cpu = time.perf_counter(), time.process_time()
        timed += time.perf_counter() - started  # the commit
        cpu += time.process_time() - started_cpu
        return timed, cpu, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", nargs=3, metavar=("WORKDIR", "FILE", "DESK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.child[2])
        return 0
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}", flush=True)  # noqa: SIM115
    with tempfile.TemporaryDirectory(prefix="amparo-bench-import-") as tmp:
        workdir = Path(tmp)
        creation = setup(workdir, create=True)
        from django.db import connection

        try:
            from amparo.registry.models import Incident

            path = workdir / "generated.csv"
            started = time.perf_counter()
            generate(path, args.rows)
            print(f"{args.rows} rows generated ({path.stat().st_size / 1e6:.1f} MB) in "
                  f"{time.perf_counter() - started:.1f} s; database: {connection.vendor}", flush=True)
            base_desk, import_desk = desks()
            url = child_database_url()
            connection.close()  # the child writes; on SQLite nobody else may hold the file meanwhile

            first = run_child(workdir, path, import_desk.slug, url)
            assert first["ok"] and first["added"] == args.rows, first  # noqa: S101
            import_rate = first["added"] / first["seconds"]
            print(f"  import (read, check, map, seal, write)  {first['seconds']:8.1f} s  {import_rate:9.0f} rows/s  "
                  f"(CPU {first['cpu']:.1f} s)  peak memory {first['peak_mb']:.0f} MB (ru_maxrss "
                  f"{first['ru_maxrss_mb']:.0f} MB, with the parent's)", flush=True)
            again = run_child(workdir, path, import_desk.slug, url)
            assert again["ok"] and again["unchanged"] == args.rows, again  # noqa: S101
            print(f"  re-import of the same file (unchanged)  {again['seconds']:8.1f} s  "
                  f"{args.rows / again['seconds']:9.0f} rows/s  peak memory {again['peak_mb']:.0f} MB", flush=True)

            base_seconds, base_cpu, base_rows = Baseline(import_desk, base_desk).run_all()
            base_rate = base_rows / base_seconds
            print(f"  baseline: the same sealed rows, {'COPY' if connection.vendor == 'postgresql' else 'executemany'}"
                  f" in one transaction  {base_seconds:8.1f} s  {base_rate:9.0f} rows/s  (CPU {base_cpu:.1f} s)",
                  flush=True)
            assert base_rows == args.rows  # noqa: S101
            assert Incident.objects.filter(desk=import_desk).count() == args.rows  # noqa: S101
        finally:
            if creation is not None:
                connection.close()
                creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)  # type: ignore[attr-defined]
    wall_ratio, cpu_ratio = import_rate / base_rate, base_cpu / first["cpu"]
    # On a shared machine the wall clock moves with everyone else's load; on SQLite all the work
    # is in the process that does it, so CPU time is the steadier measure. On PostgreSQL the
    # server's work is elsewhere: the wall time is the measure.
    ratio = wall_ratio if creation is not None else cpu_ratio
    peak = max(first["peak_mb"], again["peak_mb"])
    print()
    print(f"import {import_rate:.0f} rows/s, baseline {base_rate:.0f} rows/s: ratio {wall_ratio:.3f} by wall time, "
          f"{cpu_ratio:.3f} by CPU time (target: at least {RATIO_TARGET}, by "
          f"{'wall' if creation is not None else 'CPU'} time); peak memory of the import {peak:.0f} MB at "
          f"{args.rows} rows (target: under {MEMORY_TARGET_MB} MB); load average "
          f"{open('/proc/loadavg').read().split()[:3]}")  # noqa: SIM115
    met = ratio >= RATIO_TARGET and peak < MEMORY_TARGET_MB
    print("targets met" if met else
          "TARGET MISSED: " + ", ".join(what for what, bad in (("rows/s ratio", ratio < RATIO_TARGET),
                                                                ("peak memory", peak >= MEMORY_TARGET_MB)) if bad))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
