"""Reports by e-mail, through a real IMAP server on loopback (Debian's Dovecot): the desk's
coordinator saves the mailbox on its page, a message with a file arrives, the poller makes it
a sealed report of the desk and deletes it from the mailbox."""

from __future__ import annotations

import imaplib
import io
from email.message import EmailMessage

import pytest
from PIL import Image

from amparo.celery import app
from amparo.channels import sealing, tasks
from amparo.channels.models import DeskMailbox, EmailReport
from amparo.registry import services as registry
from amparo.registry.models import Incident
from conftest import sign_in

pytestmark = pytest.mark.channels
NARRATIVE = "Ayer dos hombres me siguieron desde la radio comunitaria hasta mi casa en Tegucigalpa."


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def mailbox(client, world, imap_server):
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/channels/desk/{world.desk_a.slug}/mailbox/?lang=es")
    assert page.status_code == 200
    response = client.post(f"/channels/desk/{world.desk_a.slug}/mailbox/", {
        "host": imap_server.host, "port": imap_server.port, "username": imap_server.user,
        "password": imap_server.password, "enabled": "on"})
    assert response.status_code == 302, response.content.decode()[:800]
    client.logout()
    saved = DeskMailbox.objects.get(desk=world.desk_a)
    assert sealing.open_mailbox_password(saved) == imap_server.password
    assert imap_server.password.encode() not in bytes(saved.password)
    return saved


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _message(subject: str = "Denuncia: amenazas", message_id: str = "<report-1@defensoras.example>",
             files: list[tuple[str, bytes]] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Defensora <defensora@correo.example>"
    message["To"] = "denuncias@mesa-a.example"
    message["Subject"], message["Message-ID"] = subject, message_id
    message.set_content(NARRATIVE)
    for name, data in files if files is not None else [("foto-amenaza.jpg", _photo())]:
        kind = ("image", "jpeg") if name.endswith(".jpg") else ("application", "octet-stream")
        message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return message.as_bytes()


def _deliver(imap_server, *raws: bytes) -> None:
    with imaplib.IMAP4(imap_server.host, imap_server.port) as imap:
        imap.login(imap_server.user, imap_server.password)
        for raw in raws:
            assert imap.append("INBOX", None, None, raw)[0] == "OK"


def _in_mailbox(imap_server) -> int:
    with imaplib.IMAP4(imap_server.host, imap_server.port) as imap:
        imap.login(imap_server.user, imap_server.password)
        status, data = imap.select("INBOX")
        return int(data[0])


def test_a_message_with_a_photo_lands_sealed_in_the_desk_inbox(mailbox, imap_server, world, smtp_server, eager):
    _deliver(imap_server, _message(subject="Denuncia: amenazas, por favor responder"))
    assert tasks.poll_mailboxes() == 1
    incident = Incident.objects.get()
    assert incident.desk == world.desk_a and incident.channel == Incident.Channel.EMAIL
    assert incident.country == "HN"
    opened = registry.open_incident(world.unlocked["documenter_a"], incident)
    assert NARRATIVE in opened["narrative"] and "Denuncia: amenazas" in opened["narrative"]
    assert b"Tegucigalpa" not in bytes(incident.narrative)
    attachment = incident.attachments.get()
    name, chunks = registry.open_attachment(world.unlocked["documenter_a"], attachment)
    assert name == "foto-amenaza.jpg" and b"".join(chunks)[:2] == b"\xff\xd8"
    assert attachment.metadata == "removed"
    report = EmailReport.objects.get(incident=incident)
    assert sealing.open_email_sender(report) == "defensora@correo.example" and report.wants_reply
    assert b"defensora@" not in bytes(report.sender)
    assert _in_mailbox(imap_server) == 0  # deleted from the mailbox once sealed
    # She asked for an answer: one acknowledgement, in Spanish, without her words.
    assert len(smtp_server) == 1 and smtp_server[0].recipients == ["defensora@correo.example"]
    assert "Su denuncia" in smtp_server[0].body and "Tegucigalpa" not in smtp_server[0].body
    # The desk's inbox shows it to its documenter.
    client = __import__("django.test", fromlist=["Client"]).Client()
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert "Tegucigalpa" in page


def test_a_message_seen_twice_is_stored_once(mailbox, imap_server, world, smtp_server, eager):
    _deliver(imap_server, _message())
    assert tasks.poll_mailboxes() == 1
    _deliver(imap_server, _message())  # the same message again (a client that re-sent it)
    assert tasks.poll_mailboxes() == 0
    assert Incident.objects.count() == 1 and _in_mailbox(imap_server) == 0
    assert smtp_server == []  # she did not ask for an answer: none is sent


def test_a_file_over_the_limit_is_named_not_kept(mailbox, imap_server, world, settings, eager):
    settings.ATTACHMENT_MAX_BYTES = 2048
    _deliver(imap_server, _message(files=[("grabacion.bin", b"x" * 5000), ("nota.bin", b"una nota")]))
    assert tasks.poll_mailboxes() == 1
    incident = Incident.objects.get()
    assert incident.attachments.count() == 1
    assert "grabacion.bin" in registry.open_incident(world.unlocked["documenter_a"], incident)["narrative"]


def test_a_wrong_password_is_noted_and_the_message_waits(mailbox, imap_server, world, client):
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    client.post(f"/channels/desk/{world.desk_a.slug}/mailbox/", {
        "host": imap_server.host, "port": imap_server.port, "username": imap_server.user,
        "password": "not the password", "enabled": "on"})
    _deliver(imap_server, _message())
    assert tasks.poll_mailboxes() == 0
    assert DeskMailbox.objects.get().last_error and _in_mailbox(imap_server) == 1
    page = client.get(f"/channels/desk/{world.desk_a.slug}/mailbox/").content.decode()
    assert "failed" in page and "not the password" not in page
