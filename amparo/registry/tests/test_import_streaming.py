"""Imports streamed in batches (issue 25): a file larger than a batch is still all or nothing,
a killed import leaves nothing and can be run again, re-imports are recognised across batches,
progress advances and is shown, and each written batch is announced."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from amparo.registry import signals
from amparo.registry.models import Defender, ImportedRecord, ImportRun, Incident
from amparo.registry.transfer import importing
from amparo.registry.transfer.importing import progress as shown
from amparo.registry.transfer.importing import service

ROOT = Path(__file__).resolve().parents[3]
SMALL_BATCH = 40
MAPPING = {
    "name": "streamed", "identifier": "ref", "unknown": ["", "NA"],
    "fields": {"occurred_on": "when", "country": "country", "narrative": "what", "defender.name": "name",
               "perpetrators": {"column": "who", "values": {"police": "perpetrator.state.police"}}},
    "constants": {"attack_types": ["attack.killing"]},
}


def _csv(rows: int, *, bad_at: int | None = None, edited: frozenset[int] = frozenset()) -> str:
    lines = ["ref,when,country,what,name,who"]
    for i in range(1, rows + 1):
        when = "not a date" if i == bad_at else f"20{10 + i % 10}-0{1 + i % 9}-1{i % 9}"
        what = f"Narrative {i}" + (" edited" if i in edited else "")
        lines.append(f"r{i},{when},HN,{what},Name {i},{'police' if i % 2 else 'NA'}")
    return "\n".join(lines) + "\n"


def _import(world, text: str, **options):
    return importing.import_lines(io.StringIO(text, newline=""), world.desk_a, importing.parse_mapping(MAPPING),
                                  **options)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(service, "BATCH", SMALL_BATCH)


def _counts() -> tuple[int, ...]:
    return (Incident.objects.count(), Defender.objects.count(), ImportedRecord.objects.count(),
            ImportRun.objects.count(), Incident.perpetrators.through.objects.count())


@pytest.mark.django_db
def test_a_bad_row_late_in_a_file_of_many_batches_means_nothing_is_written(world, vocabulary, small_batches):
    before = _counts()
    announced: list[list[int]] = []

    def heard(sender, ids, **kwargs):
        announced.append(ids)

    signals.incidents_changed.connect(heard)
    try:
        result = _import(world, _csv(5 * SMALL_BATCH, bad_at=5 * SMALL_BATCH - 3))
    finally:
        signals.incidents_changed.disconnect(heard)
    assert not result.ok and result.error_count == 1
    assert [(e.line, e.column) for e in result.errors] == [(5 * SMALL_BATCH - 3 + 1, "when")]  # header is row 1
    assert result.rows == 5 * SMALL_BATCH and result.run_id is None
    assert _counts() == before  # the batches written before the bad row were rolled back
    # The first batches were written (and announced) inside the transaction before it was undone.
    assert len(announced) == 4 and all(len(ids) == SMALL_BATCH for ids in announced)


@pytest.mark.django_db
def test_every_error_is_counted_and_the_first_ones_kept(world, vocabulary, small_batches, monkeypatch):
    monkeypatch.setattr("amparo.registry.transfer.importing.rows.MAX_KEPT_ERRORS", 5)
    text = "\n".join(["ref,when,country,what,name,who", *(f"r{i},never,HN,x,n,NA" for i in range(1, 101)),
                      "r1,2020-01-01,HN,x,n,NA"]) + "\n"
    result = _import(world, text, dry_run=True)
    assert result.error_count == 101 and result.rows == 101
    assert len(result.errors) == 5 and [e.line for e in result.errors] == [2, 3, 4, 5, 6]
    assert dict(result.errors_by_column) == {"when": 100, "ref": 1}  # the repeated identifier too


@pytest.mark.django_db
def test_a_re_import_is_recognised_across_batches(world, vocabulary, small_batches):
    rows = 3 * SMALL_BATCH + 7
    first = _import(world, _csv(rows))
    assert first.ok and first.added == rows and Incident.objects.count() == rows
    again = _import(world, _csv(rows))
    assert again.ok and (again.added, again.updated, again.unchanged) == (0, 0, rows)
    edited = frozenset({3, 2 * SMALL_BATCH + 1, rows})
    third = _import(world, _csv(rows + 2, edited=edited))
    assert third.ok and (third.added, third.updated, third.unchanged) == (2, 3, rows - 3)
    assert Incident.objects.count() == rows + 2 and ImportRun.objects.count() == 3
    record = ImportedRecord.objects.get(incident__in=Incident.objects.filter(
        pk__in=ImportedRecord.objects.filter(last_run_id=third.run_id).values("incident_id")).order_by("pk")[:1])
    assert record.first_run_id == first.run_id
    # The rows written the fast way are whole: terms, defenders and their links.
    incident = Incident.objects.order_by("pk").first()
    assert incident.channel == Incident.Channel.IMPORT and incident.attack_types.count() == 1
    assert incident.defenders.count() == 1 and incident.narrative is not None


@pytest.mark.django_db
def test_progress_advances_and_is_shown_while_the_import_runs(world, vocabulary, small_batches, tmp_path, settings,
                                                             monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(shown, "EVERY", 0.0)  # the file written at each step here, not once a second
    rows = 4 * SMALL_BATCH
    path = tmp_path / "file.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    seen: list[tuple[str, int, int]] = []
    shown_meanwhile: list[int] = []

    def progress(phase: str, done: int, total: int) -> None:
        seen.append((phase, done, total))
        shown_meanwhile.extend(u.done for u in shown.under_way(world.desk_a) if not u.stopped and u.total == rows)

    result = importing.import_file(path, world.desk_a, importing.parse_mapping(MAPPING), progress=progress)
    assert result.ok and result.added == rows
    written = [done for phase, done, total in seen if phase == "written"]
    assert written == [SMALL_BATCH * i for i in range(1, 5)]
    assert all(total == rows for _, _, total in seen)
    assert len(shown_meanwhile) == len(seen) and shown_meanwhile == sorted(shown_meanwhile)
    assert shown_meanwhile[-1] >= 3 * SMALL_BATCH  # (the file shows the step before the current one)
    assert shown.under_way(world.desk_a) == []  # gone once the import ended


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_midway_leaves_nothing_and_runs_again_once(world, vocabulary, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    # Killed once a batch is shown written, with six batches still to go: the commit at the end
    # is seconds away, however busy the machine, so the kill always lands inside the transaction.
    rows = 8 * service.BATCH + 500
    path, mapping = tmp_path / "file.csv", tmp_path / "mapping.json"
    path.write_text(_csv(rows), encoding="utf-8")
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=_database_url(), VAULT_SERVICE_KEY=settings.VAULT_SERVICE_KEY,
               AMPARO_VAR_DIR=str(settings.VAR_DIR), PYTHONDONTWRITEBYTECODE="1")
    before = _counts()
    child = subprocess.Popen([sys.executable, "manage.py", "import_incidents", str(path), "--desk",  # noqa: S603
                              world.desk_a.slug, "--mapping", str(mapping)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and child.poll() is None:
            running = shown.under_way(world.desk_a)
            if running and running[0].done >= service.BATCH:  # a batch written, uncommitted
                break
            time.sleep(0.05)
        assert child.poll() is None, "the import ended before it could be killed"
        assert shown.under_way(world.desk_a), "no progress shown within the time allowed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert _counts() == before  # nothing of it stayed
    left = shown.under_way(world.desk_a)
    assert len(left) == 1 and left[0].stopped and left[0].total == rows  # shown as stopped
    again = importing.import_file(path, world.desk_a, importing.parse_mapping(MAPPING))
    assert again.ok and again.added == rows
    assert Incident.objects.filter(desk=world.desk_a, channel=Incident.Channel.IMPORT).count() == rows
    assert ImportRun.objects.count() == before[3] + 1
