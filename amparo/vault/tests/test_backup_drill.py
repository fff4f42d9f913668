"""The backup drill, on whichever database the run uses (SQLite, and PostgreSQL in CI): the demo
data and a case with a canary in its narrative and its file, backed up through `manage.py
backup`, wiped, and restored through `manage.py restore`. Every table has its rows again, the
audit chain verifies, and the desk's documenter logs in through the login page, with her
password and her code, and reads her case and its file. The archive gives up no canary; a
changed, a cut or a foreign-keyed archive is refused, and nothing is touched."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import time
from pathlib import Path

import pyotp
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from amparo.accounts.models import User
from amparo.core import audit
from amparo.network.management.commands.load_demo import DEMO_PASSWORD
from amparo.registry.models import Incident
from amparo.vault import services as vault
from amparo.vault.services import backup_database as database
from amparo.vault.services import backups
from conftest import sign_in

CANARY = f"backupcanary{secrets.token_hex(8)}"
TITLE_WORDS = ["Quebrada", "Mirasol"]  # words of the case's narrative, searched for as well

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def attachments_storage(settings):
    """The named storage points at this test's MEDIA_ROOT (conftest moves MEDIA_ROOT per test;
    the storage's folder was fixed when settings loaded), so a wipe never reaches var/."""
    settings.STORAGES = {**settings.STORAGES, backups.STORAGE: {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(Path(settings.MEDIA_ROOT) / "attachments")}}}


@pytest.fixture(autouse=True)
def schema_back(db):
    """A failing drill may leave the database wiped; put the schema back for the tests after."""
    yield
    if "django_migrations" not in database.tables():
        call_command("migrate", verbosity=0)


@pytest.fixture
def keys(tmp_path):
    out = io.StringIO()
    call_command("backup_keygen", private_key_file=tmp_path / "backup.key", stdout=out)
    public = re.search(r"AMPARO_BACKUP_PUBLIC_KEY=(\S+)", out.getvalue()).group(1)
    return public, tmp_path / "backup.key"


@pytest.fixture
def demo(vocabulary, fast_password_hashing):
    cache.clear()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    secret = re.search(r"^\s+documenter\s+.*\s([A-Z2-7]{16,})\s*$", out.getvalue(), re.M).group(1)
    return pyotp.TOTP(secret)


def _log_in(client, totp: pyotp.TOTP, when: float) -> None:
    """As a person: her password on the login page, then her code."""
    response = client.post("/accounts/login/", {"username": "documenter", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    response = client.post("/accounts/login/code/", {"code": totp.at(when)})
    assert response.status_code == 302 and "/login" not in response["Location"], response.content.decode()[:300]


def _plant_case(client) -> Incident:
    # Planted as her, signed in directly (load_demo just used this step's code to enrol her).
    user = User.objects.get(username="documenter")
    sign_in(client, user, vault.unlock_with_password(user, DEMO_PASSWORD))
    response = client.post("/registry/desk/honduras/new/", {
        "submission_key": "backup-drill", "narrative": f"Amenazas en la Quebrada Mirasol {CANARY}",
        "locality": f"{CANARY}-locality", "defender_name": f"{CANARY} defensora", "defender_kind": "individual",
        "country": "HN", "date_precision": "day", "victims": 1, "reported_to_authorities": "no", "justice": "none",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    incident = Incident.objects.get(submission_key="backup-drill")
    upload = SimpleUploadedFile("evidence.txt", f"{CANARY}\n".encode() * 3000, content_type="text/plain")
    client.post(f"/registry/incidents/{incident.pk}/attach/", {"file": upload})
    assert incident.attachments.count() == 1
    client.logout()
    return incident


def _rows() -> dict[str, list[str]]:
    """Every row of every table, as a digest each, in primary key order: "every record is there"
    means these lists are equal, not only their lengths."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            found[table] = [hashlib.sha256(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                                           .encode()).hexdigest() for row in cursor.fetchall()]
    return found


def _backup(tmp_path: Path, public: str) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    call_command("backup", output=folder, public_key=public, stdout=io.StringIO())
    (archive,) = folder.glob("*.amparo-backup")
    return archive


def test_the_drill_backs_up_wipes_and_restores_so_that_her_cases_open(client, demo, keys, tmp_path):
    public, private_file = keys
    incident = _plant_case(client)
    attachment = incident.attachments.get()
    rows = _rows()
    files = sorted(backups.stored_files())
    assert files and attachment.stored_name in "".join(files)
    head = audit.latest()

    archive = _backup(tmp_path, public)
    blob = archive.read_bytes()
    for needle in [CANARY, *TITLE_WORDS, "Honduras desk", "documenter@example.org"]:
        assert needle.encode() not in blob, needle
        assert needle.encode("utf-16-le") not in blob, needle
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    out = io.StringIO()
    call_command("verify_backup", archive, private_key_file=private_file, stdout=out)
    assert f"{len(files)} attachment files" in out.getvalue()

    database.wipe()
    backups.wipe_storage()
    assert database.is_empty() and backups.storage_is_empty()

    out = io.StringIO()
    call_command("restore", archive, private_key_file=private_file, stdout=out)
    assert "Restored the backup" in out.getvalue()
    after = _rows()
    # The restore itself is one more audit entry, after the others; everything else is as it was.
    entries = after.pop("core_auditentry")
    assert entries[:-1] == rows.pop("core_auditentry") and len(after.pop("core_audithead")) == 1
    rows.pop("core_audithead")
    assert after == rows and sum(map(len, after.values())) > 200
    assert sorted(backups.stored_files()) == files
    checked, broken = audit.verify(anchor=head.hash)
    assert broken is None and checked == head.seq + 1

    cache.clear()
    _log_in(client, demo, time.time() + 30)  # the next step: load_demo's enrolment used this one
    page = client.get(f"/registry/incidents/{incident.pk}/")
    assert page.status_code == 200 and CANARY in page.content.decode()
    download = client.get(f"/registry/files/{attachment.pk}/")
    assert CANARY.encode() in b"".join(download.streaming_content)
    # Sequences came back too: a new case takes a new number.
    response = client.post("/registry/desk/honduras/new/", {
        "submission_key": "after-restore", "narrative": "después", "country": "HN", "date_precision": "day",
        "victims": 1, "reported_to_authorities": "no", "justice": "none", "defender_kind": "individual",
        "defender_name": "Otra defensora",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    assert Incident.objects.get(submission_key="after-restore").pk > max(Incident.objects.exclude(
        submission_key="after-restore").values_list("pk", flat=True))


def test_a_changed_a_cut_or_a_foreign_keyed_archive_is_refused_and_nothing_is_touched(demo, keys, tmp_path):
    public, private_file = keys
    archive = _backup(tmp_path, public)
    data = archive.read_bytes()
    changed, cut = tmp_path / "changed.amparo-backup", tmp_path / "cut.amparo-backup"
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(flipped))
    cut.write_bytes(data[: len(data) - 1000])
    other = tmp_path / "other.key"
    call_command("backup_keygen", private_key_file=other, stdout=io.StringIO())
    counts = database.row_counts()

    for path, key, expected in [(changed, private_file, "changed"), (cut, private_file, "truncated"),
                                (archive, other, "does not open this backup")]:
        with pytest.raises(CommandError, match=expected):
            call_command("verify_backup", path, private_key_file=key, stdout=io.StringIO())
        with pytest.raises(CommandError, match=expected):  # --replace: the check comes before any erasing
            call_command("restore", path, private_key_file=key, replace=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, private_key_file=private_file, stdout=io.StringIO())
    assert database.row_counts() == counts


def test_it_refuses_a_missing_key_and_never_overwrites_a_private_key(keys, settings, tmp_path):
    _public, private_file = keys
    settings.BACKUP_PUBLIC_KEY = ""
    with pytest.raises(CommandError, match="AMPARO_BACKUP_PUBLIC_KEY"):
        call_command("backup", output=tmp_path, stdout=io.StringIO())
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("backup_keygen", private_key_file=private_file, stdout=io.StringIO())


def test_pruning_keeps_backups_no_longer_than_the_deletion_window(keys, settings, tmp_path):
    public, _private = keys
    settings.ANONYMOUS_RETENTION_DAYS = 30
    folder = tmp_path / "backups"
    folder.mkdir()
    old, recent = folder / "amparo-20200101T000000Z.amparo-backup", folder / "amparo-29990101T000000Z.amparo-backup"
    unrelated = folder / "notes.txt"
    for path in (old, recent, unrelated):
        path.write_bytes(b"x")
    settings.BACKUP_PUBLIC_KEY = public
    out = io.StringIO()
    call_command("backup", output=folder, prune=True, stdout=out)
    assert "Pruned 1 archives older than 30 days" in out.getvalue()
    assert not old.exists() and recent.exists() and unrelated.exists()
    assert len(list(folder.glob("*.amparo-backup"))) == 2


def test_it_refuses_an_archive_of_a_newer_version(keys, monkeypatch, tmp_path):
    public, private_file = keys
    applied = database.applied_migrations()
    monkeypatch.setattr(database, "applied_migrations", lambda: [*applied, ["vault", "9999_from_the_future"]])
    archive = _backup(tmp_path, public)
    monkeypatch.undo()
    counts = database.row_counts()
    with pytest.raises(CommandError, match="newer version of Amparo .*vault.9999_from_the_future"):
        call_command("restore", archive, private_key_file=private_file, replace=True, stdout=io.StringIO())
    assert database.row_counts() == counts
