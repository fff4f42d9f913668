"""Done-when of issue 23: an OpenRosa client's exact requests, as ODK Collect (OkHttp) sends
them, over real HTTP against the live server — formList, the form, HEAD, a multipart POST with
a photo, a replay, a split submission — leave ONE sealed incident, with its photo, in the
right desk's inbox."""

from __future__ import annotations

import hashlib
import http.client
import uuid
from email.utils import formatdate
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree  # type: ignore[import-untyped]  # ships no type stubs (types-defusedxml is not locked)

from amparo.openrosa import services, xform
from amparo.openrosa.tests.helpers import instance_xml, multipart, photo_with_hidden_details
from amparo.registry import services as registry
from amparo.registry.models import Incident
from conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
LIST_NS = "{http://openrosa.org/xforms/xformsList}"


class Collect:
    """The headers ODK Collect's OpenRosaServerClient puts on every request."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.prefix = parts.hostname, parts.port, parts.path.rstrip("/")

    def request(self, method: str, url: str, body: bytes | None = None,
                content_type: str = "") -> tuple[int, dict[str, str], bytes]:
        path = urlsplit(url).path if url.startswith("http") else self.prefix + url
        headers = {"X-OpenRosa-Version": "1.0", "Date": formatdate(usegmt=True),
                   "User-Agent": "org.odk.collect.android/v2024.3.0 okhttp/4.12.0", "Accept-Encoding": "gzip"}
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def test_collect_sends_a_report_with_a_photo_once_whatever_it_repeats(live_server, world, client, settings,
                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _link, token = services.create_link(world.users["documenter_a"], world.desk_a)
    server = f"{live_server.url}/openrosa/{token}"
    collect = Collect(server)

    # Fetch blank form: formList, then the form at its downloadUrl, its hash checked.
    status, headers, body = collect.request("GET", f"{server}/formList")
    assert status == 200 and headers["x-openrosa-version"] == "1.0" and headers["content-type"].startswith("text/xml")
    entry = ElementTree.fromstring(body).find(f"{LIST_NS}xform")
    assert entry.findtext(f"{LIST_NS}formID") == xform.FORM_ID
    status, headers, form = collect.request("GET", entry.findtext(f"{LIST_NS}downloadUrl"))
    assert status == 200 and headers["x-openrosa-version"] == "1.0"
    assert entry.findtext(f"{LIST_NS}hash") == "md5:" + hashlib.md5(form, usedforsecurity=False).hexdigest()
    assert b'<data id="amparo-report"' in form and b"<instanceID/>" in form

    # Send finalized form: HEAD first, for the size one POST may carry.
    status, headers, _ = collect.request("HEAD", f"{server}/submission")
    assert status == 204 and headers["x-openrosa-version"] == "1.0"
    assert int(headers["x-openrosa-accept-content-length"]) > settings.ATTACHMENT_MAX_BYTES

    instance_id = f"uuid:{uuid.uuid4()}"
    xml = instance_xml(instance_id, narrative="Hombres armados rodearon la radio comunitaria", safe_now="no",
                       where="La Esperanza", consent="statistics", photo="1733450000123.jpg",
                       another_photo="1733450000999.jpg")
    photo, second = photo_with_hidden_details(), photo_with_hidden_details("AnotherMaker")
    # Split: the photo in one POST marked incomplete, the other file in the last POST.
    body, content_type = multipart(xml, {"1733450000123.jpg": (photo, "image/jpeg")}, incomplete=True)
    status, headers, answer = collect.request("POST", f"{server}/submission", body, content_type)
    assert status == 201 and headers["x-openrosa-version"] == "1.0", answer
    assert ElementTree.fromstring(answer).tag == "{http://openrosa.org/http/response}OpenRosaResponse"
    body, content_type = multipart(xml, {"1733450000999.jpg": (second, "image/jpeg")})
    assert collect.request("POST", f"{server}/submission", body, content_type)[0] == 201
    # A replay (the phone never heard the answer): the whole submission again.
    body, content_type = multipart(xml, {"1733450000123.jpg": (photo, "image/jpeg"),
                                         "1733450000999.jpg": (second, "image/jpeg")})
    assert collect.request("POST", f"{server}/submission", body, content_type)[0] == 201

    incident = Incident.objects.get()
    assert incident.desk == world.desk_a and incident.channel == Incident.Channel.OPENROSA
    assert b"Hombres armados" not in bytes(incident.narrative)  # sealed on receipt
    assert incident.attachments.count() == 2
    names = sorted(registry.open_attachment(world.unlocked["documenter_a"], a)[0] for a in incident.attachments.all())
    assert names == ["1733450000123.jpg", "1733450000999.jpg"]
    for attachment in incident.attachments.all():
        assert b"Maker" not in b"".join(registry.open_attachment(world.unlocked["documenter_a"], attachment)[1])

    # In desk A's inbox, readable by its documenter; desk B's documenter never sees it.
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    inbox = client.get(f"/registry/desk/{world.desk_a.slug}/inbox/").content.decode()
    assert f"/registry/incidents/{incident.pk}/" in inbox
    page = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert "Hombres armados rodearon la radio comunitaria" in page
    sign_in(client, world.users["documenter_b"], world.unlocked["documenter_b"])
    assert client.get(f"/registry/incidents/{incident.pk}/").status_code == 404
