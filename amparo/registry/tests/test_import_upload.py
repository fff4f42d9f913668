"""The import and export page: an upload runs the importer within the request, in memory."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from amparo.core.models import AuditEntry
from amparo.registry.models import ImportedRecord, Incident
from conftest import sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"
COLOMBIA = "colombia_social_leaders_killed_2016_2017"
URL = "/registry/desk/desk-a/transfer/"


def _file(name: str = COLOMBIA, content: bytes | None = None) -> io.BytesIO:
    upload = io.BytesIO(content if content is not None else (DATA / f"{name}.csv").read_bytes())
    upload.name = f"{name}.csv"
    return upload


def test_it_imports_an_upload_with_a_shipped_mapping_and_shows_the_summary(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(URL).content.decode()
    assert COLOMBIA in page and "Download as CSV" in page
    response = client.post(URL, {"file": _file(), "mapping": COLOMBIA})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The file is in" in body and "<dd>121</dd>" in body
    assert Incident.objects.filter(desk=world.desk_a, channel="import").count() == 121
    entry = AuditEntry.objects.get(action="incidents.imported")
    assert entry.actor_id == world.users["documenter_a"].pk
    again = client.post(URL, {"file": _file(), "mapping": COLOMBIA}).content.decode()
    assert "<dt>Unchanged</dt><dd>121</dd>" in again


def test_a_coordinator_imports_without_holding_the_desks_key(client, world, vocabulary):
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    body = client.post(URL, {"file": _file(), "mapping": COLOMBIA}).content.decode()
    assert "The file is in" in body and "Download as CSV" not in body
    incident = Incident.objects.filter(desk=world.desk_a).first()
    assert incident is not None and incident.consent_recorded_by == world.users["coordinator"]
    assert client.get("/registry/desk/desk-a/export.csv").status_code == 403


def test_a_dry_run_with_a_broken_row_lists_it_and_writes_nothing(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    text = (DATA / f"{COLOMBIA}.csv").read_text(encoding="utf-8").replace("2016-06-28", "2016-06-31", 1)
    body = client.post(URL, {"file": _file(content=text.encode()), "mapping": COLOMBIA,
                             "dry_run": "on"}).content.decode()
    assert "Nothing was written" in body
    assert "Row 2, Fecha:" in body and "is not a date" in body
    assert not Incident.objects.exists()
    body = client.post(URL, {"file": _file(), "mapping": COLOMBIA, "dry_run": "on"}).content.decode()
    assert "nothing was written" in body and "<dd>121</dd>" in body
    assert not Incident.objects.exists() and not ImportedRecord.objects.exists()


def test_words_that_match_no_vocabulary_entry_are_reported(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    mapping = {"name": "tiny", "identifier": "ref", "fields": {
        "attack_types": {"column": "what", "split": ";", "values": {"amenaza": "attack.threat"}},
        "country": "where"}}
    own = io.BytesIO(json.dumps(mapping).encode())
    own.name = "tiny.json"
    # "Golpiza" is the Spanish label of a term: labels in any language match; "pelea" matches nothing.
    csv_text = "ref,what,where\n1,amenaza;Golpiza;pelea,Honduras\n2,paseo,Atlantis\n"
    body = client.post(URL, {"file": _file("tiny", csv_text.encode()), "mapping_file": own}).content.decode()
    assert "Row 2, what:" in body and "pelea" in body and "matches no attack type" in body
    assert "Golpiza" not in body
    assert "Row 3, what:" in body and "Row 3, where:" in body and "matches no country" in body
    assert not Incident.objects.exists()


def test_a_mapping_with_mistakes_is_explained(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    own = io.BytesIO(json.dumps({"name": "x", "identifier": "id", "fields": {
        "perpetrators": {"column": "who", "values": {"Police": "perpetrator.polise"}}, "colour": "c"}}).encode())
    own.name = "bad.json"
    body = client.post(URL, {"file": _file(), "mapping_file": own}).content.decode()
    assert "The mapping has problems" in body and "perpetrator.polise" in body and "colour" in body


def test_the_upload_never_lands_on_disk(client, world, vocabulary, settings, monkeypatch):
    """Even where the site would spill large uploads to a temporary file, this page keeps
    the file in memory."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    body = client.post(URL, {"file": _file(), "mapping": COLOMBIA}).content.decode()
    assert "The file is in" in body
    assert Incident.objects.filter(desk=world.desk_a).count() == 121


def test_a_file_over_the_limit_is_refused_with_a_pointer_to_the_command(client, world, vocabulary, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 20_000
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(URL, {"file": _file(), "mapping": COLOMBIA})
    assert response.status_code == 200
    assert "manage.py import_incidents" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_page_refuses_a_post_without_the_csrf_token(world, vocabulary):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post(URL, {"file": _file(), "mapping": COLOMBIA}).status_code == 403
    assert not Incident.objects.exists()


def test_export_streams_the_desk_for_a_documenter_with_her_key(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    client.post(URL, {"file": _file(), "mapping": COLOMBIA})
    response = client.get("/registry/desk/desk-a/export.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.count("\n") > 121 and "Bernardo Cuero Bravo" in text
    response = client.get("/registry/desk/desk-a/export.json")
    records = json.loads(b"".join(response.streaming_content))
    assert len(records) == 121
    assert AuditEntry.objects.filter(action__startswith="incidents.exported").count() == 2
    assert client.get("/registry/desk/desk-a/export.xml").status_code == 404


def test_export_needs_an_unlocked_key(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"])  # logged in, key not unlocked
    response = client.get("/registry/desk/desk-a/export.csv")
    assert response.status_code == 200 and not response.streaming
    assert "locked" in response.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="incidents.exported").exists()
