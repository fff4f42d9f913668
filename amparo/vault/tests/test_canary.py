"""Proof that sealed content leaves no trace: a unique string is written through every sealed
field (found by walking the models) and an attachment, then searched for in every store a
seized server would give up. And proof of no escrow: people outside the ring never see it.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection

from amparo.celery import app
from amparo.network import services as network
from amparo.network.models import MemberContact, Role
from amparo.network.tests.factories import UserFactory
from amparo.tests.tables import gathered
from amparo.tests.test_authorization import TABLE, _url
from amparo.vault import services as vault
from amparo.vault.fields import sealed_fields
from conftest import enrol_second_factor, sign_in

CANARY = f"canary{secrets.token_hex(8)}"


def _write_member_contact(client, world) -> None:
    """Through the page, as the defender herself: the real path from a form to the column."""
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    response = client.post(f"/network/my-contact/{world.network_a.pk}/", {
        "phone": f"{CANARY}-phone", "address": f"{CANARY}-address",
        "alternative_email": f"{CANARY}@example.org", "emergency_contact": f"{CANARY}-emergency",
    })
    assert response.status_code == 302
    client.logout()


def _write_case(client, world) -> None:
    """A documenter records a case through the desk's pages: narrative, place, sources, the
    defender's name, a follow-up and a file; the rest (coordinates, which the form only takes
    as numbers, and contacts, which have no form yet) through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amparo.registry import services as registry
    from amparo.registry.models import Incident

    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(f"/registry/desk/{world.desk_a.slug}/new/", {
        "submission_key": "canary-case", "narrative": f"{CANARY}-narrative", "locality": f"{CANARY}-locality",
        "sources": f"{CANARY}-sources", "defender_name": f"{CANARY} defender", "defender_kind": "individual",
        "country": "HN", "date_precision": "day", "victims": 1, "reported_to_authorities": "yes",
        "reported_to": f"{CANARY}-reported-to", "justice": "none",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    incident = Incident.objects.get(submission_key="canary-case")
    client.post(f"/registry/incidents/{incident.pk}/follow-up/",
                {"happened_on": "2026-11-01", "note": f"{CANARY}-follow-up"})
    upload = SimpleUploadedFile(f"{CANARY}-file.txt", (CANARY + "\n").encode() * 2000, content_type="text/plain")
    client.post(f"/registry/incidents/{incident.pk}/attach/", {"file": upload})
    assert incident.attachments.count() == 1 and incident.follow_ups.count() == 1
    registry.record_incident(world.users["documenter_a"], world.desk_a,
                             registry.IncidentData(coordinates=f"{CANARY}-coordinates"))
    registry.create_defender(world.users["documenter_a"], world.desk_a, name=f"{CANARY} second",
                             contacts=f"{CANARY}-contacts", unlocked=world.unlocked["documenter_a"])
    client.logout()


def _write_anonymous_report(client, world) -> None:
    """Through the public form at /r/, as an anonymous reporter: her report and a file; the
    desk answers, and she writes back with her receipt and adds another file."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from amparo.registry.models import AnonymousReceipt

    client.logout()
    page = client.get("/r/").content.decode()
    receipt = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    binding = re.search(r'name="binding" value="([^"]+)"', page).group(1)
    upload = SimpleUploadedFile(f"{CANARY}-anonymous.txt", (CANARY + "\n").encode() * 2000, content_type="text/plain")
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN",
                                   "narrative": f"{CANARY}-anonymous", "where": f"{CANARY}-where",
                                   "help_wanted": f"{CANARY}-help", "file": upload})
    assert response.status_code == 303, response.content.decode()[:500]
    incident = AnonymousReceipt.objects.get().incident
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post(f"/registry/incidents/{incident.pk}/reply/", {"text": f"{CANARY}-desk-reply"}
                       ).status_code == 302
    client.logout()
    more = SimpleUploadedFile("more.txt", (CANARY + "\n").encode() * 100, content_type="text/plain")
    address = client.post("/r/back/", {"receipt": receipt})["Location"]
    page = client.post(address, {"text": f"{CANARY}-reporter-reply", "file": more}, follow=True)
    assert f"{CANARY}-desk-reply" in page.content.decode()
    assert incident.messages.count() == 2 and incident.attachments.count() == 2


def _registry_writers() -> dict:
    from amparo.registry.models import Attachment, Defender, FollowUp, Incident, Message

    return {**dict.fromkeys((Incident, Defender, FollowUp, Attachment), _write_case),
            Message: _write_anonymous_report}


def _app_writers() -> dict:
    """Writers that apps keep beside their code: `writer(client, world, canary)`, each wrapped
    once so that a writer shared by several models runs once."""
    wrapped: dict = {}
    return {model: wrapped.setdefault(writer, functools.partial(writer, canary=CANARY))
            for model, writer in gathered("SEALED_WRITERS").items()}


# Every model with a sealed field needs a writer here; a new sealed field without one fails.
WRITERS = {MemberContact: _write_member_contact, **_registry_writers(), **_app_writers()}


def _channel_writers() -> set:
    """Writers of content that arrives another way into models written above (a phone app's
    submission becomes a registry incident): `CANARY_WRITERS` in an app's tables, by name."""
    return {functools.partial(writer, canary=CANARY) for writer in gathered("CANARY_WRITERS").values()}


def _plant(client, world, media: Path) -> None:
    fields = sealed_fields()
    assert fields, "no sealed field found: the canary would prove nothing"
    missing = {f"{m._meta.label}.{f.name}" for m, f in fields if m not in WRITERS}
    assert not missing, f"sealed fields with no canary writer: {missing}"
    for writer in {WRITERS[m] for m, _ in fields} | {_write_anonymous_report} | _channel_writers():
        writer(client, world)
    for model, field in fields:  # every sealed column really got a value
        assert model.objects.exclude(**{f"{field.name}__isnull": True}).exists(), field
    media.mkdir(parents=True, exist_ok=True)
    with open(media / "attachment.bin", "wb") as target:
        vault.seal_attachment(world.desk_a.ring, io.BytesIO((CANARY + "\n").encode() * 5000), target,
                              label="canary.attachment")
    from amparo.network.tasks import send_audit_anchor

    with app.connection_for_write() as connection:  # a fresh connection, with today's settings
        send_audit_anchor.apply_async(connection=connection)  # type: ignore[call-arg]  # a real message on the broker, to search too


def _needles() -> list[bytes]:
    raw = CANARY.encode()
    found = [raw, raw.hex().encode(), CANARY.encode("utf-16-le")]
    for shift in range(3):  # the canary inside base64 at each of the three alignments
        encoded = base64.b64encode(b"x" * shift + raw)
        found.append(encoded[4 * ((shift + 2) // 3) + 4: -4])
    return found


def _search(blob: bytes, where: str, hits: list[str]) -> None:
    for needle in _needles():
        if needle and needle in blob:
            hits.append(f"{where}: {needle[:20]!r}")


def _database_bytes() -> list[tuple[str, bytes]]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        base = Path(db["NAME"])
        return [(str(p), p.read_bytes()) for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]
    dump = subprocess.run(
        ["pg_dump", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]],
        capture_output=True, timeout=120, check=True,
    ).stdout
    assert b"core_auditentry" in dump, "pg_dump returned no data"
    return [("pg_dump", dump)]


def _sessions_and_cache() -> list[tuple[str, bytes]]:
    found = [(f"session {s.pk[:6]}", repr(s.get_decoded()).encode()) for s in Session.objects.all()]
    if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM amparo_cache")
            keys = [row[0].split(":", 2)[-1] for row in cursor.fetchall()]
    else:
        client = cache._cache.get_client()
        keys = [k.decode().split(":", 2)[-1] for k in client.scan_iter()]
    found += [(f"cache {k}", repr(cache.get(k)).encode()) for k in keys]
    return found


def _broker_messages() -> list[tuple[str, bytes]]:
    url = app.conf.broker_url
    found: list[tuple[str, bytes]] = []
    if url.startswith("filesystem"):
        folder = Path(app.conf.broker_transport_options["data_folder_in"])
        raws = [p.read_bytes() for p in folder.glob("*") if p.is_file()]
    else:
        import redis

        client = redis.Redis.from_url(url)
        raws = []
        for key in client.scan_iter():
            kind = client.type(key)
            if kind == b"list":
                raws += client.lrange(key, 0, -1)
            elif kind == b"string":
                raws.append(client.get(key))
            elif kind == b"hash":
                raws += list(client.hgetall(key).values())
    assert raws, "no broker message found: the search would prove nothing"
    for raw in raws:
        found.append(("broker message", raw))
        try:  # task arguments travel base64-encoded inside the message
            message = json.loads(raw)
            found.append(("task arguments", base64.b64decode(message["body"])))
        except (ValueError, KeyError, TypeError):
            pass
    return found


def _files_under(folder: Path, since: float) -> list[tuple[str, bytes]]:
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime >= since and path.stat().st_size < 50_000_000:
                found.append((str(path), path.read_bytes()))
        except OSError:
            continue
    return found


@pytest.mark.canary
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_trace_of_sealed_content_in_any_store(client, world, settings, tmp_path, caplog, capfd,
                                                           broker):
    start = time.time() - 1
    settings.MEDIA_ROOT = tmp_path / "media"
    _plant(client, world, settings.MEDIA_ROOT)
    # A reader does open it, in her own request: the canary is real and reachable.
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    membership = world.memberships["defender"]
    assert f"{CANARY}-phone" in client.get(f"/network/memberships/{membership.pk}/contact/").content.decode()
    from amparo.registry.models import Incident

    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    case = Incident.objects.get(submission_key="canary-case")
    assert f"{CANARY}-narrative" in client.get(f"/registry/incidents/{case.pk}/").content.decode()
    download = client.get(f"/registry/files/{case.attachments.get().pk}/")
    assert CANARY.encode() in b"".join(download.streaming_content)

    hits: list[str] = []
    stores = (
        _database_bytes() + _sessions_and_cache() + _broker_messages()
        + _files_under(settings.MEDIA_ROOT, 0) + _files_under(Path(tempfile.gettempdir()), start)
        + _files_under(Path(settings.VAR_DIR), start)
    )
    out, err = capfd.readouterr()
    stores += [("logs", caplog.text.encode()), ("stdout", out.encode()), ("stderr", err.encode())]
    assert len(stores) > 5
    for where, blob in stores:
        _search(blob, where, hits)
    assert not hits, hits


@pytest.mark.no_escrow
@pytest.mark.django_db
def test_it_shows_no_sealed_content_to_a_coordinator_or_superuser_outside_the_ring(client, world):
    for writer in set(WRITERS.values()):
        writer(client, world)
    from amparo.registry.models import Incident

    case = Incident.objects.get(submission_key="canary-case")
    outsiders = []
    coalition_coordinator = UserFactory.create(username="coalition_coordinator")
    key, _ = vault.create_member_key(coalition_coordinator, "a long enough passphrase for tests")
    network.add_membership("system", user=coalition_coordinator, role=Role.COORDINATOR, network=world.coalition)
    enrol_second_factor(coalition_coordinator)
    outsiders.append((coalition_coordinator, key))
    root = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    root_key, _ = vault.create_member_key(root, "a long enough passphrase for tests")
    enrol_second_factor(root)
    outsiders.append((root, root_key))


    urls = {_url(name, world) for name, row in TABLE.items() if row.method == "GET"}
    urls |= {f"/network/memberships/{world.memberships['defender'].pk}/contact/",
             f"/admin/network/membercontact/{MemberContact.objects.get().pk}/change/",
             "/admin/network/membercontact/", "/api/v1/networks/", "/api/v1/desks/",
             f"/registry/incidents/{case.pk}/", f"/registry/incidents/{case.pk}/edit/",
             f"/registry/files/{case.attachments.get().pk}/", f"/registry/desk/{world.desk_a.slug}/inbox/",
             f"/registry/desk/{world.desk_a.slug}/inbox/?status=received",
             f"/api/v1/networks/{world.network_a.slug}/memberships/"}
    urls |= {f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in {m for m, _ in sealed_fields()}}
    seen: list[str] = []
    for person, unlocked in outsiders:
        for url in sorted(urls):
            sign_in(client, person, unlocked)  # again each time: the quick exit logs out
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if CANARY.encode() in body:
                seen.append(f"{person.username} {url}")
        client.logout()
    assert not seen, seen
    # The walk did reach pages that hold the sheet: the superuser saw its admin page.
    sign_in(client, root, root_key)
    assert client.get(f"/admin/network/membercontact/{MemberContact.objects.get().pk}/change/").status_code == 200
