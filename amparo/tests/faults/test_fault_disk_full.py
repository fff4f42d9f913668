"""The disk fills while an anonymous report's file is written: she gets a clear error with
everything she wrote, nothing is half-stored (no incident, no row, no partial file), and the
same words sent again without the file store her report once.

The attachments folder is a real full disk: a 256 KiB tmpfs mounted on it for the test
(we are root in the sandbox; elsewhere the test is skipped, saying why)."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.registry.models import AnonymousReceipt, Attachment, Incident, Message
from amparo.tests.faults.conftest import record_figures
from amparo.tests.formparse import forms_of

pytestmark = [pytest.mark.fault, pytest.mark.django_db]

SIZE = 256 * 1024
HER_WORDS = "Two men on a motorbike photographed my house, then the school of my daughter."


@pytest.fixture
def full_disk(settings, fault_tmp):
    folder = fault_tmp / "attachments"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (root in a sandbox needed): {mounted.stderr.decode()}")
    settings.MEDIA_ROOT = fault_tmp  # attachments live in MEDIA_ROOT/attachments, the tmpfs
    settings.STORAGES = {**settings.STORAGES, "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}}}
    try:
        yield folder
    finally:
        for _ in range(10):
            if subprocess.run(["umount", str(folder)], capture_output=True, check=False).returncode == 0:
                break
            time.sleep(0.5)


def _used(folder) -> int:
    stat = os.statvfs(folder)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def _her_form(client) -> tuple[str, dict[str, str]]:
    page = client.get("/r/").content.decode()
    form = next(f for f in forms_of(page) if "receipt" in f.rendered_names())
    data = {k: v for k, v in form.data() if k not in {"targeted", "safe_now"}}
    data.update(narrative=HER_WORDS, country="HN", when="last Tuesday")
    return data["receipt"], data


def test_a_full_disk_while_her_file_is_written_gives_a_clear_error_and_stores_nothing(client, world, full_disk):
    receipt, data = _her_form(client)
    video = SimpleUploadedFile("video.mp4", os.urandom(SIZE * 2), content_type="video/mp4")  # twice the disk
    started = time.monotonic()
    response = client.post("/r/", {**data, "file": video})
    page = response.content.decode()
    assert response.status_code == 507, page[:500]
    assert "could not be stored" in page and "Nothing was sent yet" in page
    assert re.search(r'id="id_file".*?could not be stored', page, re.S)  # beside the file field
    assert HER_WORDS in page and 'value="last Tuesday"' in page  # everything she wrote, back
    assert f'name="receipt" value="{receipt}"' in page  # and the same words
    # Nothing half-stored: no incident, no row, no receipt, no partial file, the space given back.
    assert not Incident.objects.exists() and not Attachment.objects.exists()
    assert not AnonymousReceipt.objects.exists()
    leftover = [p for p in full_disk.rglob("*") if p.is_file()]
    assert leftover == [], leftover
    assert _used(full_disk) < 16 * 1024
    # She sends it again without the file: her report, once, with her words and no file.
    again = forms_of(page)
    data = {k: v for k, v in next(f for f in again if "receipt" in f.rendered_names()).data()
            if k not in {"targeted", "safe_now"}}
    sent = client.post("/r/", data)
    assert sent.status_code == 303, sent.content.decode()[:500]
    assert receipt in client.get(sent["Location"]).content.decode()
    assert Incident.objects.count() == 1 and not Attachment.objects.exists()
    # A small file still fits afterwards, from her conversation: the disk was not left full.
    small = SimpleUploadedFile("note.txt", b"the plate number: 123", content_type="text/plain")
    assert client.post(sent["Location"], {"text": "The plate.", "file": small}).status_code == 303
    assert Attachment.objects.count() == 1 and len([p for p in full_disk.rglob("*") if p.is_file()]) == 1
    # A second large file fills the disk again: refused in her conversation too, the first kept.
    big = SimpleUploadedFile("audio.ogg", os.urandom(SIZE * 2), content_type="audio/ogg")
    refused = client.post(sent["Location"], {"text": "A recording.", "file": big})
    assert refused.status_code == 507 and "could not be stored" in refused.content.decode()
    assert "A recording." in refused.content.decode()
    assert Attachment.objects.count() == 1 and len([p for p in full_disk.rglob("*") if p.is_file()]) == 1
    assert Message.objects.count() == 1  # her words with the refused file were not stored without it
    record_figures("disk full", disk_bytes=SIZE, upload_bytes=SIZE * 2, uploads_refused=2, incidents_stored=1,
                   attachments_stored=1, partial_files_left=0, seconds=round(time.monotonic() - started, 1))
