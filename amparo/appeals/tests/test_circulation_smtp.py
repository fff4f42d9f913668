"""The SMTP side of circulation: reused parallel connections, and what errors mean."""

from __future__ import annotations

import json
import smtplib
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from amparo.appeals import services, tasks
from amparo.appeals.models import Delivery, Supporter
from amparo.appeals.tests.circulation_support import approve, draft_in_review, make_supporters, parse
from amparo.appeals.tests.smtp_sink import free_port
from amparo.appeals.transport import Outcome
from amparo.appeals.transport.smtp import Outgoing, SmtpPool, SmtpSettings, classify


class Picky:
    """Takes mail, except: 5xx for addresses starting "dead", 4xx for "busy" (until told)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.sessions: set[int] = set()
        self.busy = True

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        self.sessions.add(id(session))
        if address.startswith("dead"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("busy") and self.busy:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append((envelope.rcpt_tos[0], envelope.content))
        return "250 Message accepted"


@pytest.fixture
def picky(settings):
    handler = Picky()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    yield handler
    from amparo.appeals.transport.smtp import close_shared_pools

    close_shared_pools()
    controller.stop()


def _messages(n: int, prefix: str = "ok") -> list[Outgoing]:
    return [Outgoing(i, "from@amparo.example", f"{prefix}{i}@supporters.example",
                     f"Message-ID: <{i}@x>\r\nSubject: {i}\r\n\r\nhello\r\n".encode()) for i in range(n)]


def test_it_sends_over_n_reused_connections_in_parallel(picky, settings):
    pool = SmtpPool(SmtpSettings(host="127.0.0.1", port=settings.EMAIL_PORT), 3)
    try:
        first = pool.send(_messages(60))
        second = pool.send(_messages(60))
    finally:
        pool.close()
    assert {r.outcome for r in first + second} == {Outcome.SENT}
    assert len(picky.received) == 120
    assert len(picky.sessions) == 3  # three connections, kept between batches


def test_it_classifies_4xx_as_temporary_and_5xx_as_permanent():
    refused = smtplib.SMTPRecipientsRefused({"a@b": (550, b"5.1.1 No such mailbox")})
    assert classify(refused) == (Outcome.BOUNCE, "550 5.1.1 No such mailbox")
    assert classify(smtplib.SMTPRecipientsRefused({"a@b": (452, b"full")}))[0] is Outcome.RETRY
    assert classify(smtplib.SMTPDataError(554, b"rejected"))[0] is Outcome.BOUNCE
    assert classify(smtplib.SMTPDataError(421, b"later"))[0] is Outcome.RETRY
    assert classify(smtplib.SMTPSenderRefused(553, b"no", "us@x"))[0] is Outcome.RETRY  # ours, not hers
    assert classify(smtplib.SMTPServerDisconnected())[0] is Outcome.RETRY
    assert classify(ConnectionRefusedError())[0] is Outcome.RETRY


def test_it_keeps_no_address_of_the_servers_reply():
    """The reply is stored in clear (Delivery.error): the address a server repeats is not."""
    refused = smtplib.SMTPRecipientsRefused({"ana@supporters.example": (
        550, b"5.1.1 <ana@supporters.example>: Recipient address rejected: ana@supporters.example unknown")})
    assert classify(refused) == (Outcome.BOUNCE, "550 5.1.1 <address>: Recipient address rejected: <address> unknown")
    assert "a@b" not in classify(refused)[1]


def test_an_unreachable_server_fails_the_batch_temporarily_without_trying_each():
    pool = SmtpPool(SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2), 2)
    try:
        results = pool.send(_messages(20))
    finally:
        pool.close()
    assert len(results) == 20 and {r.outcome for r in results} == {Outcome.RETRY}


@pytest.mark.django_db
def test_bounces_stop_the_address_and_temporary_failures_retry_with_back_off(world, picky, settings):
    settings.AMPARO_CIRCULATION_RETRY_SECONDS = 30
    make_supporters(8, languages=["en"])
    dead = make_supporters(2, languages=["en"], prefix="dead")
    busy = make_supporters(1, languages=["es"], prefix="busy")
    appeal = approve(world, draft_in_review(world))
    tasks.drain("email", "w")
    assert len(picky.received) == 8
    for person in dead:
        delivery = Delivery.objects.get(supporter_id=person.pk)
        assert delivery.status == "bounced" and delivery.error.startswith("550")
        assert Supporter.objects.get(pk=person.pk).status == Supporter.Status.BOUNCED
    waiting = Delivery.objects.get(supporter_id=busy[0].pk)
    assert waiting.status == "queued" and waiting.attempts == 1 and waiting.error.startswith("451")
    assert 25 < (waiting.next_attempt_at - timezone.now()).total_seconds() <= 30
    assert tasks.drain("email", "w") == 0  # not due yet
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    tasks.drain("email", "w")
    waiting.refresh_from_db()
    assert waiting.attempts == 2 and (waiting.next_attempt_at - timezone.now()).total_seconds() > 55  # doubled
    picky.busy = False
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    tasks.drain("email", "w")
    assert Delivery.objects.get(pk=waiting.pk).status == "sent"
    assert [parse(raw)["Content-Language"] for to, raw in picky.received if to.startswith("busy")] == ["es"]
    # A later appeal goes to nobody whose address bounced.
    second = approve(world, draft_in_review(world))
    assert not Delivery.objects.filter(appeal=second, supporter_id__in=[p.pk for p in dead]).exists()
    assert appeal.pk != second.pk


@pytest.mark.django_db
def test_temporary_failures_end_as_failed_after_the_last_attempt(world, picky, settings):
    settings.AMPARO_CIRCULATION_MAX_ATTEMPTS = 2
    make_supporters(1, languages=["en"], prefix="busy")
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    tasks.drain("email", "w")
    Delivery.objects.update(next_attempt_at=timezone.now())
    tasks.drain("email", "w")
    assert Delivery.objects.get().status == "failed"


@pytest.mark.django_db(transaction=True)
def test_tasks_carry_identifiers_only(world, broker, settings, vocabulary):
    """The real messages on the broker: a channel's name, no address, no text, no token."""
    settings.AMPARO_CIRCULATION_QUEUE = "circulation-args-test"
    people = make_supporters(3, languages=["en"])
    approve(world, draft_in_review(world))  # commits: senders start
    raws = _queued(broker, "circulation-args-test")
    assert len(raws) == settings.AMPARO_CIRCULATION_TASKS
    for raw in raws:
        message = json.loads(raw)
        args, kwargs, _embed = json.loads(__import__("base64").b64decode(message["body"]))
        assert message["headers"]["task"] == "amparo.appeals.tasks.send_deliveries"
        assert args == ["email"] and kwargs == {}
        for person in people:
            assert person.email.encode() not in raw and person.token.encode() not in raw
        assert b"Berta" not in raw and b"@" not in __import__("base64").b64decode(message["body"])


def _queued(app, queue: str) -> list[bytes]:
    if app.conf.broker_url.startswith("filesystem"):
        folder = Path(app.conf.broker_transport_options["data_folder_in"])
        return [p.read_bytes() for p in folder.glob("*") if p.is_file() and queue.encode() in p.read_bytes()]
    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        return [bytes(raw) for raw in client.lrange(queue, 0, -1)]
    finally:
        client.delete(queue)
        client.close()
