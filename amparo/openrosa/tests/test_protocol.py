"""The OpenRosa API through Django's test client: each request as ODK Collect and Tella make it,
and each refusal (a revoked or another desk's link, a changed replay, a wrong choice, an XML
bomb, a file too large)."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid

import pytest
from defusedxml import ElementTree  # type: ignore[import-untyped]  # ships no type stubs (types-defusedxml is not locked)
from django.core.management import call_command
from PIL import Image

from amparo.openrosa import services, xform
from amparo.openrosa.models import Link, Submission
from amparo.openrosa.tests.helpers import instance_xml, multipart, photo_with_hidden_details
from amparo.registry import services as registry
from amparo.registry.models import Incident
from conftest import sign_in

HEADERS = {"HTTP_X_OPENROSA_VERSION": "1.0", "HTTP_DATE": "Sun, 06 Dec 2026 04:00:00 GMT"}
LIST_NS = "{http://openrosa.org/xforms/xformsList}"


@pytest.fixture
def link_a(world):
    return services.create_link(world.users["documenter_a"], world.desk_a)


def post(client, token: str, xml: bytes, media: dict | None = None, *, incomplete: bool = False):
    body, content_type = multipart(xml, media or {}, incomplete=incomplete)
    return client.generic("POST", f"/openrosa/{token}/submission", body, content_type=content_type, **HEADERS)


def test_it_lists_the_form_as_the_openrosa_form_list_api_says(client, link_a):
    _link, token = link_a
    response = client.get(f"/openrosa/{token}/formList", **HEADERS)
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0" and response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{LIST_NS}xforms"
    form = root.find(f"{LIST_NS}xform")
    assert form.findtext(f"{LIST_NS}formID") == xform.FORM_ID
    assert form.findtext(f"{LIST_NS}version") == xform.FORM_VERSION
    download = form.findtext(f"{LIST_NS}downloadUrl")
    assert download == f"http://testserver/openrosa/{token}/forms/{xform.FORM_ID}.xml"
    got = client.get(download.removeprefix("http://testserver"), **HEADERS)
    assert got["X-OpenRosa-Version"] == "1.0" and got["Content-Type"].startswith("text/xml")
    assert form.findtext(f"{LIST_NS}hash") == "md5:" + hashlib.md5(got.content, usedforsecurity=False).hexdigest()
    manifest = client.get(f"/openrosa/{token}/forms/{xform.FORM_ID}/manifest", **HEADERS)
    assert manifest.status_code == 200 and manifest["X-OpenRosa-Version"] == "1.0"
    assert ElementTree.fromstring(manifest.content).tag == "{http://openrosa.org/xforms/xformsManifest}manifest"


def test_head_says_how_much_one_post_may_carry(client, link_a, settings):
    response = client.head(f"/openrosa/{link_a[1]}/submission", **HEADERS)
    assert response.status_code == 204 and response["X-OpenRosa-Version"] == "1.0"
    assert int(response["X-OpenRosa-Accept-Content-Length"]) > settings.ATTACHMENT_MAX_BYTES


def test_a_submission_with_a_photo_becomes_one_sealed_incident(client, world, link_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    xml = instance_xml(narrative="Me siguieron hasta mi casa", where="Tegucigalpa", safe_now="unsure",
                       targeted="herself", consent="statistics un", photo="1733450000.jpg")
    response = post(client, link_a[1], xml, {"1733450000.jpg": (photo_with_hidden_details(), "image/jpeg")})
    assert response.status_code == 201, response.content
    assert response["X-OpenRosa-Version"] == "1.0"
    assert b"submit_success" in response.content and b"http://openrosa.org/http/response" in response.content
    incident = Incident.objects.get()
    assert incident.desk == world.desk_a and incident.channel == Incident.Channel.OPENROSA
    assert incident.country == "HN"  # desk A covers Honduras only: the form does not ask
    assert incident.consent_statistics and incident.consent_un and not incident.consent_public_appeal
    opened = registry.open_incident(world.unlocked["documenter_a"], incident)
    assert "Me siguieron hasta mi casa" in opened["narrative"] and opened["locality"] == "Tegucigalpa"
    assert b"Me siguieron" not in bytes(incident.narrative)
    attachment = incident.attachments.get()
    name, chunks = registry.open_attachment(world.unlocked["documenter_a"], attachment)
    photo = b"".join(chunks)
    assert name == "1733450000.jpg" and b"SecretPhoneMaker" not in photo
    assert Image.open(io.BytesIO(photo)).size == (16, 16)


def test_a_replay_is_stored_once_and_a_changed_one_refused(client, link_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    xml = instance_xml("uuid:replayed", narrative="once", photo="a.jpg")
    media = {"a.jpg": (photo_with_hidden_details(), "image/jpeg")}
    assert post(client, link_a[1], xml, media).status_code == 201
    again = post(client, link_a[1], xml, media)
    assert again.status_code == 201 and b"already arrived" in again.content
    assert Incident.objects.count() == 1 and Incident.objects.get().attachments.count() == 1
    changed = post(client, link_a[1], instance_xml("uuid:replayed", narrative="twice"))
    assert changed.status_code == 409 and changed["X-OpenRosa-Version"] == "1.0"
    assert Incident.objects.count() == 1


def test_a_split_submission_is_assembled_into_one_report(client, link_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    xml = instance_xml("uuid:split", narrative="in parts", photo="one.jpg", another_photo="two.jpg")
    first = post(client, link_a[1], xml, {"one.jpg": (photo_with_hidden_details(), "image/jpeg")}, incomplete=True)
    assert first.status_code == 201
    assert not Submission.objects.get().complete
    last = post(client, link_a[1], xml, {"two.jpg": (photo_with_hidden_details("Other"), "image/jpeg")})
    assert last.status_code == 201
    assert Incident.objects.count() == 1 and Incident.objects.get().attachments.count() == 2
    assert Submission.objects.get().complete


def test_a_file_the_answers_do_not_name_is_not_kept(client, link_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = post(client, link_a[1], instance_xml(narrative="x"), {"other.jpg": (b"abc", "image/jpeg")})
    assert response.status_code == 201 and Incident.objects.get().attachments.count() == 0


@pytest.mark.parametrize("answers", [
    {"safe_now": "perhaps"}, {"targeted": "the neighbour"}, {"consent": "statistics everything"},
    {"country": "FR"}, {"narrative": "x" * 20_001},
])
def test_an_answer_outside_the_form_is_refused(client, link_a, answers):
    response = post(client, link_a[1], instance_xml(**answers))
    assert response.status_code == 400 and response["X-OpenRosa-Version"] == "1.0"
    assert Incident.objects.count() == 0


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<data id="amparo-report"><narrative>&b;</narrative><meta><instanceID>uuid:1</instanceID></meta></data>',
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<data id="amparo-report"><narrative>&e;</narrative><meta><instanceID>uuid:2</instanceID></meta></data>',
    b'<data id="another-form"><meta><instanceID>uuid:3</instanceID></meta></data>',
    b'<data id="amparo-report"><narrative>no id</narrative></data>',
    b"not xml at all",
])
def test_xml_with_entities_or_of_another_form_is_refused(client, link_a, xml):
    assert post(client, link_a[1], xml).status_code == 400
    assert Incident.objects.count() == 0


def test_a_post_without_the_answers_is_refused(client, link_a):
    response = client.post(f"/openrosa/{link_a[1]}/submission", {"x": "y"}, **HEADERS)
    assert response.status_code == 400 and Incident.objects.count() == 0


def test_a_file_over_the_limit_is_refused_whole(client, link_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 2048
    xml = instance_xml(narrative="big", photo="big.jpg")
    response = post(client, link_a[1], xml, {"big.jpg": (b"x" * 4096, "image/jpeg")})
    assert response.status_code == 413 and Incident.objects.count() == 0


def test_a_revoked_link_answers_404_like_a_made_up_one(client, world, link_a):
    link, token = link_a
    services.revoke_link(world.users["documenter_a"], link)
    for url in (f"/openrosa/{token}/formList", f"/openrosa/{token}/submission", "/openrosa/made-up/formList"):
        response = client.get(url, **HEADERS)
        assert response.status_code == 404 and response["X-OpenRosa-Version"] == "1.0"
    assert post(client, token, instance_xml(narrative="late")).status_code == 404
    assert Incident.objects.count() == 0


def test_another_desks_link_never_reaches_this_desk(client, world, link_a):
    _link_b, token_b = services.create_link(world.users["documenter_b"], world.desk_b)
    shared_id = "uuid:same-phone-instance"
    assert post(client, token_b, instance_xml(shared_id, narrative="para B")).status_code == 201
    assert post(client, link_a[1], instance_xml(shared_id, narrative="para A")).status_code == 201
    assert Incident.objects.filter(desk=world.desk_b).count() == 1
    assert Incident.objects.filter(desk=world.desk_a).count() == 1
    b = Incident.objects.get(desk=world.desk_b)
    assert "para B" in registry.open_incident(world.unlocked["documenter_b"], b)["narrative"]
    with pytest.raises(Exception):  # noqa: B017, PT011 - desk A's key opens nothing of desk B's
        registry.open_incident(world.unlocked["documenter_a"], b)


def test_the_desk_page_makes_an_address_once_and_revokes_it(client, world, settings):
    settings.AMPARO_PUBLIC_URL = "https://amparo.example"
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.post(f"/openrosa/desk/{world.desk_a.slug}/").content.decode()
    link = Link.objects.get()
    assert "https://amparo.example/openrosa/" in page and "<svg" in page
    token = page.split("https://amparo.example/openrosa/")[1].split("/")[0]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    again = client.get(f"/openrosa/desk/{world.desk_a.slug}/").content.decode()
    assert token not in again and link.username in again  # shown once
    assert client.get(f"/openrosa/{token}/formList").status_code == 200
    assert client.post(f"/openrosa/desk/{world.desk_a.slug}/links/{link.pk}/revoke/").status_code == 302
    assert client.get(f"/openrosa/{token}/formList").status_code == 404
    sign_in(client, world.users["documenter_b"], world.unlocked["documenter_b"])
    assert client.post(f"/openrosa/desk/{world.desk_a.slug}/").status_code == 404


def test_the_command_prints_an_address_on_the_public_url(world, settings, capsys):
    settings.AMPARO_PUBLIC_URL = "https://amparo.example"
    call_command("openrosa_link", "--desk", world.desk_b.slug)
    printed = capsys.readouterr().out.strip()
    token = printed.removeprefix("https://amparo.example/openrosa/").removesuffix("/")
    assert printed.startswith("https://amparo.example/openrosa/") and len(token) > 40
    link = Link.objects.get()
    assert link.desk == world.desk_b and link.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_an_instance_id_is_kept_only_as_a_digest(client, link_a):
    instance_id = f"uuid:{uuid.uuid4()}"
    post(client, link_a[1], instance_xml(instance_id, narrative="x"))
    submission = Submission.objects.get()
    assert instance_id not in submission.instance_key and len(submission.instance_key) == 64


def _basic(username: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {**HEADERS, "HTTP_AUTHORIZATION": f"Basic {raw}"}


def test_an_app_that_asks_for_a_password_gets_in_with_the_links_name_and_token(client, world, link_a, settings,
                                                                              tmp_path):
    settings.MEDIA_ROOT = tmp_path
    link, token = link_a
    challenge = client.get("/openrosa/login/formList", secure=True, **HEADERS)
    assert challenge.status_code == 401 and challenge["WWW-Authenticate"].startswith("Basic realm=")
    assert challenge["X-OpenRosa-Version"] == "1.0"
    listed = client.get("/openrosa/login/formList", secure=True, **_basic(link.username, token))
    assert listed.status_code == 200 and b"https://testserver/openrosa/login/forms/amparo-report.xml" in listed.content
    assert client.get("/openrosa/login/formList", secure=True, **_basic(link.username, "wrong")).status_code == 401
    body, content_type = multipart(instance_xml(narrative="by password"), {})
    sent = client.generic("POST", "/openrosa/login/submission", body, content_type=content_type, secure=True,
                          **_basic(link.username, token))
    assert sent.status_code == 201 and Incident.objects.get().desk == world.desk_a
    services.revoke_link(world.users["documenter_a"], link)
    assert client.get("/openrosa/login/formList", secure=True, **_basic(link.username, token)).status_code == 401


def test_a_password_is_never_taken_over_plain_http(client, link_a, settings):
    settings.DEBUG = False
    link, token = link_a
    response = client.get("/openrosa/login/formList", **_basic(link.username, token))
    assert response.status_code == 403 and b"https" in response.content
