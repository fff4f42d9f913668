"""Attachments on S3-compatible storage (issue 26): a real S3 server on loopback (moto in server
mode), reached through django-storages exactly as production would be configured from the
environment. The bucket only ever holds ciphertext under random names; the desk gets her file
back; erasing a report removes its object; a storage that does not answer leaves nothing
half-stored and tells her so, with what she wrote kept in the page."""

from __future__ import annotations

import re
import runpy
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.config import Config  # type: ignore[import-untyped]
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from amparo.registry import services
from amparo.registry.models import AnonymousReceipt, Attachment, Incident
from amparo.registry.services import intake
from amparo.registry.tests.test_intake import issued
from conftest import sign_in

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"
CANARY = b"CANARY-7f3a-s3-evidence-of-the-attack"
CANARY_NAME = "canary-name-Lucia-threat-letter.txt"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """Amparo's settings module run again with this environment (Django's own settings are
    left as they are): what a process started with these variables would have."""
    for name in ("AMPARO_ATTACHMENTS_STORAGE", "ATTACHMENTS_S3_BUCKET", "ATTACHMENTS_S3_ENDPOINT_URL",
                 "ATTACHMENTS_S3_REGION", "ATTACHMENTS_S3_PREFIX", "ATTACHMENTS_S3_ADDRESSING_STYLE",
                 "ATTACHMENTS_S3_ACCESS_KEY_ID", "ATTACHMENTS_S3_SECRET_ACCESS_KEY", "ATTACHMENTS_S3_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@dataclass
class S3:
    server: ThreadedMotoServer
    port: int
    endpoint: str
    bucket: str
    client: Any
    running: bool = True

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in listed.get("Contents", [])]

    def body(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def stop(self) -> None:
        self.server.stop()
        self.running = False

    def start_again(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.running = True
        if self.bucket not in [b["Name"] for b in self.client.list_buckets()["Buckets"]]:
            self.client.create_bucket(Bucket=self.bucket)


@pytest.fixture
def s3(settings, monkeypatch):
    """A moto S3 server on 127.0.0.1 (a free port), a fresh bucket, and the attachments storage
    set as the environment would set it (AMPARO_ATTACHMENTS_STORAGE=s3 and its variables)."""
    cache.clear()
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint, bucket = f"http://127.0.0.1:{port}", f"amparo-{secrets.token_hex(6)}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing", config=Config(retries={"max_attempts": 1}))
    client.create_bucket(Bucket=bucket)
    configured = _settings_with(
        monkeypatch, AMPARO_ATTACHMENTS_STORAGE="s3", ATTACHMENTS_S3_BUCKET=bucket,
        ATTACHMENTS_S3_ENDPOINT_URL=endpoint, ATTACHMENTS_S3_REGION="us-east-1",
        ATTACHMENTS_S3_ACCESS_KEY_ID="testing", ATTACHMENTS_S3_SECRET_ACCESS_KEY="testing",
        ATTACHMENTS_S3_TIMEOUT="2")["STORAGES"]["attachments"]
    # One attempt instead of three: a stopped server fails at once (the production retries are
    # checked in test_the_environment_chooses_the_bucket).
    options = {**configured["OPTIONS"], "client_config": Config(connect_timeout=2, read_timeout=5,
                                                                retries={"mode": "standard", "max_attempts": 1})}
    settings.STORAGES = {**settings.STORAGES, "attachments": {**configured, "OPTIONS": options}}
    found = S3(server, port, endpoint, bucket, client)
    yield found
    if found.running:
        found.server.stop()
    cache.clear()


def _submit(client, narrative: str, upload: SimpleUploadedFile | None = None, **kept: str):
    receipt, binding = kept.get("receipt"), kept.get("binding")
    if receipt is None or binding is None:
        receipt, binding = issued(client)
    data: dict[str, Any] = {"receipt": receipt, "binding": binding, "country": "HN", "narrative": narrative}
    if upload is not None:
        data["file"] = upload
    return receipt, binding, client.post("/r/", data, follow=True)


def _canary_file() -> SimpleUploadedFile:
    return SimpleUploadedFile(CANARY_NAME, b"the letter they left: " + CANARY * 40, content_type="text/plain")


# --- Settings -------------------------------------------------------------------------------

def test_the_environment_chooses_the_bucket(monkeypatch):
    default = _settings_with(monkeypatch)["STORAGES"]["attachments"]
    assert default == {"BACKEND": "amparo.core.storage.SealedFileStorage", "OPTIONS": {"subfolder": "attachments"}}

    chosen = _settings_with(monkeypatch, ATTACHMENTS_S3_BUCKET="evidence", ATTACHMENTS_S3_PREFIX="/amparo/",
                            ATTACHMENTS_S3_ENDPOINT_URL="https://s3.example.org", ATTACHMENTS_S3_REGION="eu-west-3",
                            ATTACHMENTS_S3_ACCESS_KEY_ID="id", ATTACHMENTS_S3_SECRET_ACCESS_KEY="secret",
                            ATTACHMENTS_S3_ADDRESSING_STYLE="path")["STORAGES"]["attachments"]
    options = chosen["OPTIONS"]
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"  # a bucket alone is enough
    assert options["bucket_name"] == "evidence" and options["location"] == "amparo"
    assert options["endpoint_url"] == "https://s3.example.org" and options["region_name"] == "eu-west-3"
    assert options["access_key"] == "id" and options["secret_key"] == "secret"
    assert options["addressing_style"] == "path"
    # Served only through Amparo, after unsealing: no public ACL, no signed links, no overwrite.
    assert options["default_acl"] is None and options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert options["client_config"].retries == {"mode": "standard", "max_attempts": 3}

    without_keys = _settings_with(monkeypatch, ATTACHMENTS_S3_BUCKET="evidence")["STORAGES"]["attachments"]
    assert "access_key" not in without_keys["OPTIONS"]  # boto's own chain (an instance role)
    with pytest.raises(ImproperlyConfigured):
        _settings_with(monkeypatch, AMPARO_ATTACHMENTS_STORAGE="s3")
    with pytest.raises(ImproperlyConfigured):
        _settings_with(monkeypatch, AMPARO_ATTACHMENTS_STORAGE="ftp")


# --- A report with a file, through the form -------------------------------------------------

def test_the_bucket_holds_ciphertext_under_a_random_name_and_the_desk_opens_it(client, world, s3, settings,
                                                                               django_capture_on_commit_callbacks):
    _, _, response = _submit(client, "they left a letter at the office", _canary_file())
    assert response.status_code == 200, response.content[:300]
    attachment = Attachment.objects.get()
    keys = s3.keys()
    assert keys == [attachment.stored_name]
    assert re.fullmatch(r"[0-9a-f]{32}", keys[0])  # a name that tells nothing, not even a kind
    stored = s3.body(keys[0])
    head = s3.client.head_object(Bucket=s3.bucket, Key=keys[0])
    told = (stored + repr(head.get("Metadata")).encode() + str(head.get("ContentType")).encode()).lower()
    for needle in (CANARY, CANARY_NAME.encode(), b"the letter they left", b"text/plain", b"canary"):
        assert needle.lower() not in told, needle
        assert needle.hex().encode() not in told
    assert head["ContentType"] == "application/octet-stream"
    assert not (Path(settings.MEDIA_ROOT) / "attachments").exists()  # nothing on the local disk

    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    download = client.get(f"/registry/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"the letter they left: " + CANARY * 40
    assert CANARY_NAME in download["Content-Disposition"]

    with django_capture_on_commit_callbacks(execute=True):
        intake.erase_report(Incident.objects.get())
    assert s3.keys() == [] and not Attachment.objects.exists()


def test_a_case_moved_to_another_desk_is_resealed_into_a_new_object(client, world, s3,
                                                                     django_capture_on_commit_callbacks):
    incident = services.record_incident("system", world.desk_a, services.IncidentData(narrative="moved"))
    attachment = services.add_attachment(world.users["documenter_a"], incident, filename=CANARY_NAME,
                                         content_type="text/plain", chunks=[CANARY * 100], size=len(CANARY) * 100)
    old = attachment.stored_name
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/registry/incidents/{incident.pk}/move/", {"desk": world.desk_b.pk}).status_code == 302
    attachment.refresh_from_db()
    assert s3.keys() == [attachment.stored_name] and attachment.stored_name != old  # the old object is gone
    assert CANARY not in s3.body(attachment.stored_name)
    client.logout()
    sign_in(client, world.users["documenter_b"], world.unlocked["documenter_b"])
    assert b"".join(client.get(f"/registry/files/{attachment.pk}/").streaming_content) == CANARY * 100


# --- The storage does not answer ------------------------------------------------------------

def test_a_storage_that_does_not_answer_keeps_her_words_and_stores_nothing(client, world, s3):
    s3.stop()
    narrative = "they followed me from the court to my house"
    receipt, binding, response = _submit(client, narrative, _canary_file())
    page = response.content.decode()
    assert response.status_code == 503
    assert "could not be stored just now, so nothing was sent" in page  # said to her, in the form
    assert narrative in page and receipt in page  # what she typed, and her words, are still there
    # No incident claims a file that is not stored: nothing of the report was kept.
    assert not Incident.objects.exists() and not Attachment.objects.exists()
    assert not AnonymousReceipt.objects.exists()

    s3.start_again()
    assert s3.keys() == []  # nothing half-stored either
    _, _, response = _submit(client, narrative, _canary_file(), receipt=receipt, binding=binding)
    assert response.status_code == 200
    assert s3.keys() == [Attachment.objects.get().stored_name]
    assert Incident.objects.count() == 1


def test_the_desk_is_told_when_the_storage_does_not_answer(client, world, s3):
    incident = services.record_incident("system", world.desk_a, services.IncidentData(narrative="desk side"))
    attachment = services.add_attachment(world.users["documenter_a"], incident, filename="a.txt",
                                         content_type="text/plain", chunks=[b"stored first"], size=12)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    s3.stop()
    added = client.post(f"/registry/incidents/{incident.pk}/attach/",
                        {"file": SimpleUploadedFile("b.txt", b"second file", "text/plain")}, follow=True)
    assert "could not be stored just now; nothing was added" in added.content.decode()
    assert list(Attachment.objects.values_list("pk", flat=True)) == [attachment.pk]
    opened = client.get(f"/registry/files/{attachment.pk}/", follow=True)
    assert opened.status_code == 200 and "cannot be read from storage just now" in opened.content.decode()
