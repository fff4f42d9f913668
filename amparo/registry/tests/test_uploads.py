"""Files people send (issue 15 point 3, issue 17 points 1 and 2): a file over the limit is
refused with a clear message before anything is stored and her words come back; the limit is
shown beside the field; a file name of any length and script is kept whole; an image bomb
never takes the worker's memory nor loses the report; hidden details are removed by what the
file's bytes are, never by what the sender said."""

from __future__ import annotations

import io
import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart
from PIL import Image

from amparo.registry import services
from amparo.registry.models import Attachment, Incident, Message
from amparo.registry.services import intake
from amparo.registry.tests.test_intake import issued
from conftest import sign_in

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _stored_files() -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _her_answers(client, **extra):
    receipt, binding = issued(client)
    return receipt, {"receipt": receipt, "binding": binding, "country": "HN",
                     "narrative": "Me siguieron desde la radio hasta mi casa.", "when": "el martes",
                     "perpetrator": "dos hombres en moto", "safe_now": "unsure", "consent_statistics": "on",
                     **extra}


def _opened(world, attachment: Attachment) -> tuple[str, bytes]:
    name, chunks = services.open_attachment(world.unlocked["documenter_a"], attachment)
    return name, b"".join(chunks)


def _photo_with_secrets(fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    """A real photo carrying what a phone writes: maker, model, date and a GPS position."""
    image = Image.new("RGB", size, (120, 40, 160))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0110] = "SecretModel X"  # Model
    exif[0x0132] = "2026:10:14 03:00:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (14.0, 5.0, 30.0), "W", (87.0, 12.0, 15.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def _assert_no_secrets(data: bytes) -> None:
    assert b"SecretPhoneMaker" not in data and b"SecretModel" not in data
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert 0x010F not in exif and 0x0110 not in exif and 0x0132 not in exif
        assert not exif.get_ifd(0x8825), "a GPS position survived"
        assert "exif" not in image.info and "xmp" not in image.info


# --- Too large: refused, said, nothing stored, her words back -------------------------------

def test_a_file_over_the_limit_on_the_anonymous_form_is_refused_and_her_words_come_back(client, world):
    receipt, data = _her_answers(client)
    big = SimpleUploadedFile("video.mp4", b"\0" * (21 * MB), content_type="video/mp4")
    response = client.post("/r/", {**data, "file": big})
    page = response.content.decode()
    assert response.status_code == 400, page[:300]
    assert "larger than 20 MB" in page and "nothing was sent" in page
    assert re.search(r'role="alert">.*Nothing was sent yet: the file is too large', page, re.S)
    assert not Incident.objects.exists() and not _stored_files()
    # Everything she typed is there again, and the same receipt words.
    assert "Me siguieron desde la radio hasta mi casa." in page
    assert 'value="el martes"' in page and 'value="dos hombres en moto"' in page
    assert re.search(r'value="unsure"[^>]*checked', page)
    assert re.search(r'name="consent_statistics"[^>]*checked', page)
    assert receipt in page and f'name="receipt" value="{receipt}"' in page
    # The error sits beside the file field.
    assert re.search(r'id="id_file".*?larger than 20 MB', page, re.S)


def test_a_file_over_the_limit_in_her_conversation_is_refused_and_her_message_comes_back(client, world, settings):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    receipt, data = _her_answers(client)
    sent = client.post("/r/", data)
    assert sent.status_code == 303
    big = SimpleUploadedFile("audio.ogg", b"\1" * (65 * 1024), content_type="audio/ogg")
    # Her conversation is at the short-lived address the report led to: no words to type again.
    response = client.post(sent["Location"], {"text": "Volvieron hoy.", "file": big})
    page = response.content.decode()
    assert response.status_code == 400
    assert "larger than 64 KB" in page and "Nothing was sent yet" in page
    assert "Volvieron hoy." in page
    assert not Message.objects.exists() and not Attachment.objects.exists() and not _stored_files()


def test_a_file_over_the_limit_on_the_desks_page_is_refused_and_said(client, world, settings):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    incident = services.record_incident("system", world.desk_a, services.IncidentData())
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    big = SimpleUploadedFile("informe.pdf", b"%PDF" + b"\1" * (65 * 1024), content_type="application/pdf")
    response = client.post(f"/registry/incidents/{incident.pk}/attach/", {"file": big}, follow=True)
    page = response.content.decode()
    assert "larger than 64 KB" in page and "nothing was sent" in page
    assert not incident.attachments.exists() and not _stored_files()


def test_the_limit_is_shown_beside_each_file_field(client, world, settings):
    page = client.get("/r/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'id_file_helptext">20 MB at most\. Photos lose', page)
    settings.ATTACHMENT_MAX_BYTES = int(1.5 * MB)
    page = client.get("/r/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1.5 MB at most." in page
    incident = services.record_incident("system", world.desk_a, services.IncidentData())
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert re.search(r'id_file_helptext">1.5 MB at most\.', page)


def test_a_file_within_the_limit_is_kept(client, world):
    _, data = _her_answers(client)
    note = SimpleUploadedFile("nota.txt", b"x" * (2 * MB), content_type="text/plain")
    response = client.post("/r/", {**data, "file": note})
    assert response.status_code == 303
    attachment = Attachment.objects.get()
    assert attachment.size == 2 * MB and attachment.metadata == Attachment.Metadata.KEPT
    assert _opened(world, attachment) == ("nota.txt", b"x" * (2 * MB))


# A name of 300 characters in Arabic, Chinese and emoji: over 1,000 bytes in UTF-8.
LONG_NAME = ("تقرير الهجوم على المدافعة " * 2)[:50] + ("袭击报告和证据" * 8)[:50] + "📷🎥" * 98 + ".pdf"


def test_a_file_name_of_any_length_and_script_is_kept_whole(client, world):
    assert len(LONG_NAME) == 300 and len(LONG_NAME.encode()) > 1000
    _, data = _her_answers(client)
    file = io.BytesIO(b"%PDF-1.4 evidence")
    file.name = LONG_NAME  # as a browser sends it (SimpleUploadedFile would cut it at 255)
    response = client.post("/r/", {**data, "file": file})
    assert response.status_code == 303, response.content[:300]
    attachment = Attachment.objects.get()
    assert _opened(world, attachment)[0] == LONG_NAME
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    download = client.get(f"/registry/files/{attachment.pk}/")
    disposition = download["Content-Disposition"]
    found = re.search(r"filename\*=utf-8''(\S+)", disposition)
    assert found and unquote(found.group(1)) == LONG_NAME  # RFC 5987: the whole name
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"


# --- Image bombs ----------------------------------------------------------------------------

def _png_of(width: int, height: int, path: Path) -> Path:
    """A PNG of `width` x `height` black pixels, written row by row (never whole in memory):
    a few hundred KB that would decode to gigabytes."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    packer, row, idat = zlib.compressobj(9), b"\0" * (1 + width * 3), bytearray()
    for _ in range(height):
        idat += packer.compress(row)
    idat += packer.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {"under_pillows_limit": _png_of(13_300, 13_300, folder / "13300.png"),
            "over_pillows_limit": _png_of(14_000, 14_000, folder / "14000.png")}


@pytest.mark.parametrize("which", ["under_pillows_limit", "over_pillows_limit"])
def test_an_image_bomb_is_kept_sealed_as_sent_with_a_note_never_a_500(client, world, bombs, which):
    bomb = bombs[which].read_bytes()
    assert len(bomb) < 1 * MB
    _, data = _her_answers(client)
    response = client.post("/r/", {**data, "file": SimpleUploadedFile("foto.png", bomb, content_type="image/png")})
    assert response.status_code == 303, response.content[:300]
    incident = Incident.objects.get()
    attachment = incident.attachments.get()
    assert attachment.metadata == Attachment.Metadata.KEPT_LARGE
    assert _opened(world, attachment) == ("foto.png", bomb)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert "too large to clean" in page


MEASURE = r"""
import json, os, sys
import django
django.setup()
from django.core.handlers.wsgi import WSGIRequest
from django.test.client import BOUNDARY
from amparo.registry.forms_intake import AnonymousReportForm
from amparo.registry.services import without_metadata
from amparo.vault import crypto

def peak():
    # The process's highest resident memory since the start of the upload, in MB (VmHWM:
    # startup's own peak is forgotten first by clear_refs, so only the upload is counted).
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024

def resident():
    status = open("/proc/self/status").read()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024

import gc
gc.collect()
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")

body_path = sys.argv[1]
with open(body_path, "rb") as body:  # her form as a browser sends it, read in chunks
    request = WSGIRequest({"REQUEST_METHOD": "POST", "PATH_INFO": "/r/", "SERVER_NAME": "127.0.0.1",
                           "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": body,
                           "CONTENT_TYPE": "multipart/form-data; boundary=" + BOUNDARY,
                           "CONTENT_LENGTH": str(os.path.getsize(body_path))})
    before = resident()
    form = AnonymousReportForm(request.POST, request.FILES)
    assert form.is_valid(), form.errors
    upload = form.cleaned_data["file"]
    cleaned = without_metadata(upload)
    source = cleaned.data if cleaned.data is not None else upload
    source.seek(0)
    with open(os.devnull, "wb") as sink:  # sealed chunk by chunk, as add_attachment does
        crypto.stream_encrypt(crypto.random_bytes(), source, sink, b"attachment")
print(json.dumps({"before": before, "peak": peak(), "metadata": cleaned.metadata}))
"""


def _image_file(kind: str, path: Path, megapixels: float, quality: int = 95) -> Path:
    """A photo of `megapixels`, made in another process (its memory is not this one's): the
    JPEG grainy enough to weigh ~18 MB, near the file limit; the HEIC smooth (x265 is slow)."""
    side = int((megapixels * 1_000_000) ** 0.5)
    if kind == "heic":
        draw = (f"Image.linear_gradient('L').resize(({side}, {side})).convert('RGB')"
                f".save(sys.argv[1], format='HEIF', quality=90)")
    else:
        draw = (f"n = Image.effect_noise(({side // 2}, {side // 2}), 40).resize(({side}, {side}))\n"
                f"g = Image.linear_gradient('L').resize(({side}, {side}))\n"
                f"Image.merge('RGB', (n, g, n)).save(sys.argv[1], format='JPEG', quality={quality})")
    script = f"import sys\nimport pillow_heif\nfrom PIL import Image\npillow_heif.register_heif_opener()\n{draw}\n"
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=300)  # noqa: S603
    return path


@pytest.fixture(scope="module")
def uploads_of_every_kind(bombs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kinds")
    pixels = django_settings.AMPARO_IMAGE_MAX_PIXELS / 1_000_000
    document = folder / "document.bin"
    document.write_bytes(os.urandom(20 * MB - 4096))
    return {
        "png bomb 13,300 x 13,300": bombs["under_pillows_limit"],
        "png bomb over Pillow's limit": bombs["over_pillows_limit"],
        f"jpeg photo at the limit ({pixels:g} MP)": _image_file("jpeg", folder / "photo.jpg", pixels * 0.99),
        "jpeg photo of 48 MP (too large to decode)": _image_file("jpeg", folder / "48.jpg", 48, quality=80),
        f"heic photo at its limit ({pixels / 2:g} MP)": _image_file("heic", folder / "photo.heic", pixels / 2 * 0.99),
        "document of 20 MB": document,
    }


def test_one_upload_of_any_kind_stays_under_256_mb(uploads_of_every_kind, tmp_path, capsys):
    """Measured: a fresh process reads the form as the server does (the body streamed from
    disk), cleans the file and seals it; its peak resident memory is read from the kernel."""
    figures = {}
    for kind, path in uploads_of_every_kind.items():
        body = tmp_path / "body"
        with open(path, "rb") as file:
            body.write_bytes(encode_multipart(BOUNDARY, {"receipt": "r", "binding": "b", "file": file}))
        done = subprocess.run([sys.executable, "-c", MEASURE, str(body)], cwd=ROOT, capture_output=True,  # noqa: S603
                              text=True, timeout=300, check=False,
                              env={**os.environ, "DJANGO_SETTINGS_MODULE": "amparo.settings"})
        assert done.returncode == 0, done.stderr[-2000:]
        figures[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    with capsys.disabled():
        for kind, figure in figures.items():
            print(f"\n  peak memory, {kind}: {figure['peak']:.0f} MB "
                  f"(before the form: {figure['before']:.0f} MB; hidden details {figure['metadata']})", end="")
    assert all(figure["peak"] < 256 for figure in figures.values()), figures
    assert figures["png bomb 13,300 x 13,300"]["metadata"] == Attachment.Metadata.KEPT_LARGE
    assert sum(f["metadata"] == Attachment.Metadata.REMOVED for f in figures.values()) == 3


# --- Hidden details: the bytes decide -------------------------------------------------------

@pytest.mark.parametrize("declared", ["application/octet-stream", "image/jpg", "image/heic", "image/jpeg", ""])
def test_a_photos_hidden_details_are_removed_whatever_type_the_sender_declared(client, world, declared):
    photo = _photo_with_secrets()
    assert b"SecretPhoneMaker" in photo
    _, data = _her_answers(client)
    response = client.post("/r/", {**data, "file": SimpleUploadedFile("IMG_2044.bin", photo, content_type=declared)})
    assert response.status_code == 303
    attachment = Attachment.objects.get()
    assert attachment.metadata == Attachment.Metadata.REMOVED and attachment.content_type == "image/jpeg"
    name, stored = _opened(world, attachment)
    assert name == "IMG_2044.bin.jpg"
    _assert_no_secrets(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (64, 48)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_image_formats_lose_their_hidden_details_too(world, fmt):
    incident = services.record_incident("system", world.desk_a, services.IncidentData())
    photo = _photo_with_secrets(fmt)
    attachment = services.add_attachment("system", incident, filename=f"a.{fmt.lower()}", content_type="text/plain",
                                         file=io.BytesIO(photo), size=len(photo))
    assert attachment.metadata == Attachment.Metadata.REMOVED
    _assert_no_secrets(_opened(world, attachment)[1])


def test_a_heic_photo_from_a_phone_is_cleaned(client, world):
    import pillow_heif

    pillow_heif.register_heif_opener()
    photo = _photo_with_secrets("HEIF")
    assert b"SecretPhoneMaker" in photo
    _, data = _her_answers(client)
    response = client.post("/r/", {**data, "file": SimpleUploadedFile("IMG_7.HEIC", photo,
                                                                      content_type="application/octet-stream")})
    assert response.status_code == 303
    attachment = Attachment.objects.get()
    name, stored = _opened(world, attachment)
    assert name == "IMG_7.HEIC.jpg" and attachment.metadata == Attachment.Metadata.REMOVED
    _assert_no_secrets(stored)


def test_a_photo_keeps_only_its_orientation(world):
    image, exif = Image.new("RGB", (30, 20), "red"), Image.Exif()
    exif[0x010F], exif[0x0112] = "SecretPhoneMaker", 6  # Make; "turn it a quarter to the right"
    original = io.BytesIO()
    image.save(original, format="JPEG", exif=exif.tobytes())
    incident = services.record_incident("system", world.desk_a, services.IncidentData())
    attachment = services.add_attachment("system", incident, filename="p.jpg", content_type="image/jpeg",
                                         file=original, size=original.tell())
    stored = _opened(world, attachment)[1]
    assert b"SecretPhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as cleaned:
        assert dict(cleaned.getexif()) == {0x0112: 6}


def test_a_file_that_cannot_be_cleaned_is_kept_with_a_note_to_the_desk(client, world):
    _, data = _her_answers(client)
    document = b"%PDF-1.4\n/Author (Secret Author)\n"
    client.post("/r/", {**data, "file": SimpleUploadedFile("informe.pdf", document, content_type="image/jpeg")})
    attachment = Attachment.objects.get()
    assert attachment.metadata == Attachment.Metadata.KEPT and attachment.content_type == "application/octet-stream"
    assert _opened(world, attachment) == ("informe.pdf", document)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/registry/incidents/{attachment.incident_id}/").content.decode()
    assert "kept as sent: any hidden details (place, device, date) are still in it" in page.lower()


def test_the_forms_promise_says_what_happens(client):
    page = client.get("/r/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Photos lose their hidden details" in page and "Other files, and very large photos, are kept" in page


def test_her_conversation_takes_a_cleaned_photo(client, world):
    receipt, data = _her_answers(client)
    sent = client.post("/r/", data)
    opened = intake.open_with_receipt(receipt)
    assert opened is not None
    photo = _photo_with_secrets()
    response = client.post(sent["Location"], {"text": "", "file": SimpleUploadedFile("x", photo, content_type="")})
    assert response.status_code == 303
    _assert_no_secrets(_opened(world, Attachment.objects.get())[1])


def test_the_fields_after_a_refused_file_still_arrive(rf, settings):
    """The file's bytes past the limit are read and let go, so the rest of the form comes through."""
    from amparo.core.uploads import BoundedMemoryUpload, TooLargeFile

    settings.ATTACHMENT_MAX_BYTES = 1024
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.bin", b"z" * 5000), "after": "todavía aquí"})
    request = rf.post("/r/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    request.upload_handlers = [BoundedMemoryUpload(request)]
    assert request.POST["after"] == "todavía aquí"
    refused = request.FILES["file"]
    assert isinstance(refused, TooLargeFile) and refused.size == 5000 and refused.name == "big.bin"
    with pytest.raises(Exception, match="over the limit"):
        refused.read()


def test_every_file_form_of_the_site_refuses_a_file_over_its_limit():
    from amparo.appeals.forms import ImportForm as SupportersImport
    from amparo.core.uploads import TooLargeFile
    from amparo.vocabulary.forms import IMPORT_MAX_BYTES, ImportForm

    too_big = SimpleUploadedFile("terms.csv", b"a" * (IMPORT_MAX_BYTES + 1), content_type="text/csv")
    form = ImportForm(files={"file": too_big})
    assert not form.is_valid() and "larger than 1 MB" in str(form.errors["file"])
    supporters = SupportersImport(files={"file": TooLargeFile("people.csv", "text/csv", 21 * MB, 20 * MB)})
    assert not supporters.is_valid() and "larger than 20 MB" in str(supporters.errors["file"])


@pytest.mark.parametrize("progressive", [False, True])
def test_a_jpeg_too_large_to_decode_loses_its_hidden_details_without_decoding(world, settings, progressive):
    """Over the pixel budget a JPEG is not decoded: its segments are sorted, the picture's own
    bytes kept as they are (so not one pixel changes), everything else left out."""
    settings.AMPARO_IMAGE_MAX_PIXELS = 1000  # this 64 x 48 photo is "too large" here
    image, exif = Image.linear_gradient("L").resize((64, 48)).convert("RGB"), Image.Exif()
    exif[0x010F], exif[0x0112] = "SecretPhoneMaker", 6
    exif.get_ifd(0x8825)[2] = (14.0, 5.0, 30.0)
    original = io.BytesIO()
    image.save(original, format="JPEG", exif=exif.tobytes(), progressive=progressive, icc_profile=b"SecretICC" * 4,
               comment=b"SecretComment")
    sent = original.getvalue() + b"SecretTrailer after the picture"
    incident = services.record_incident("system", world.desk_a, services.IncidentData())
    attachment = services.add_attachment("system", incident, filename="big.jpg", content_type="image/jpeg",
                                         file=io.BytesIO(sent), size=len(sent))
    assert attachment.metadata == Attachment.Metadata.REMOVED
    stored = _opened(world, attachment)[1]
    for secret in (b"SecretPhoneMaker", b"SecretICC", b"SecretComment", b"SecretTrailer"):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as cleaned, Image.open(io.BytesIO(sent)) as before:
        assert dict(cleaned.getexif()) == {0x0112: 6}
        assert cleaned.tobytes() == before.tobytes()  # the very same pixels
