"""Proof that sealed content leaves no trace: a unique string is written through every sealed
field (found by walking the models) and an attachment, then searched for in every store a
seized server would give up. And proof of no escrow: people outside the ring never see it.
"""

from __future__ import annotations

import base64
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


# Every model with a sealed field needs a writer here; a new sealed field without one fails.
WRITERS = {MemberContact: _write_member_contact}


def _plant(client, world, media: Path) -> None:
    fields = sealed_fields()
    assert fields, "no sealed field found: the canary would prove nothing"
    missing = {f"{m._meta.label}.{f.name}" for m, f in fields if m not in WRITERS}
    assert not missing, f"sealed fields with no canary writer: {missing}"
    for model in {m for m, _ in fields}:
        WRITERS[model](client, world)
    for model, field in fields:  # every sealed column really got a value
        assert model.objects.exclude(**{f"{field.name}__isnull": True}).exists(), field
    media.mkdir(parents=True, exist_ok=True)
    with open(media / "attachment.bin", "wb") as target:
        vault.seal_attachment(world.desk_a.ring, io.BytesIO((CANARY + "\n").encode() * 5000), target,
                              label="canary.attachment")
    from amparo.network.tasks import send_audit_anchor

    send_audit_anchor.delay()  # a real message on the broker, to search too


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
def test_it_leaves_no_trace_of_sealed_content_in_any_store(client, world, settings, tmp_path, caplog, capfd):
    start = time.time() - 1
    settings.MEDIA_ROOT = tmp_path / "media"
    _plant(client, world, settings.MEDIA_ROOT)
    # A reader does open it, in her own request: the canary is real and reachable.
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    membership = world.memberships["defender"]
    assert f"{CANARY}-phone" in client.get(f"/network/memberships/{membership.pk}/contact/").content.decode()

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
    _write_member_contact(client, world)
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
