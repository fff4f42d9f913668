"""SMS through the Twilio-compatible gateway, against a fake gateway on loopback."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amparo.appeals import tasks
from amparo.appeals.models import Delivery, Supporter
from amparo.appeals.services import circulation_queue
from amparo.appeals.tests.circulation_support import (
    TITLES,
    FakeGateway,
    approve,
    basic,
    draft_in_review,
    make_supporters,
)
from amparo.appeals.tests.smtp_sink import free_port
from amparo.appeals.transport import Outcome, sms


@pytest.fixture
def gateway(settings):
    fake = FakeGateway().start()
    settings.AMPARO_SMS_URL, settings.AMPARO_SMS_ACCOUNT = fake.url, "AC123"
    settings.AMPARO_SMS_TOKEN, settings.AMPARO_SMS_FROM = "secret-token", "+15550001111"
    yield fake
    sms.close_gateway()
    fake.stop()


def test_it_posts_the_twilio_request_format(gateway):
    answer = sms.gateway().send("+15550002222", "Hola")
    assert answer.outcome is Outcome.SENT and answer.reference.startswith("SM")
    (request,) = gateway.requests
    assert request.path == "/base/2010-04-01/Accounts/AC123/Messages.json"
    assert request.authorization == basic("AC123", "secret-token")
    assert request.form == {"To": "+15550002222", "From": "+15550001111", "Body": "Hola"}


def test_it_reads_the_gateways_answers(gateway):
    gateway.answers = {"+1": [400], "+2": [503], "+3": [429]}
    assert sms.gateway().send("+1", "x").outcome is Outcome.BOUNCE
    assert sms.gateway().send("+2", "x").outcome is Outcome.RETRY
    assert sms.gateway().send("+3", "x").outcome is Outcome.RETRY
    assert "21211" in sms.gateway().send("+1", "x").detail


def test_an_unreachable_gateway_is_a_temporary_failure(settings):
    settings.AMPARO_SMS_URL, settings.AMPARO_SMS_ACCOUNT = f"http://127.0.0.1:{free_port()}", "AC1"
    assert sms.gateway().send("+1", "x").outcome is Outcome.RETRY


def test_no_url_no_gateway_and_no_sms_deliveries(settings):
    settings.AMPARO_SMS_URL = ""
    assert sms.gateway() is None
    assert circulation_queue.channels() == ["email"]


@pytest.mark.django_db
def test_it_circulates_short_messages_in_her_language_with_her_links(world, gateway, settings):
    settings.AMPARO_PUBLIC_URL = "https://amparo.example"
    people = make_supporters(6, languages=["es", "fr", "en"], phone=True)
    dead, busy = people[0], people[1]
    gateway.answers = {dead.phone: [400], busy.phone: [503, 201]}
    appeal = approve(world, draft_in_review(world))
    assert Delivery.objects.filter(channel="sms").count() == 6
    tasks.drain("sms", "w")
    bodies = {r.form["To"]: r.form["Body"] for r in gateway.requests}
    assert len(bodies) == 6
    for person in people:
        body = bodies[person.phone]
        assert len(body) <= 320
        assert f"https://amparo.example/appeals/p/{appeal.pk}/" in body
        assert f"/appeals/s/{person.token}/unsubscribe/" in body
        assert TITLES[person.languages][:30] in body
    assert Delivery.objects.get(supporter_id=dead.pk, channel="sms").status == "bounced"
    assert not Supporter.objects.get(pk=dead.pk).by_sms  # no more SMS to that number
    assert Supporter.objects.get(pk=dead.pk).status == "confirmed"  # her e-mail still works
    retrying = Delivery.objects.get(supporter_id=busy.pk, channel="sms")
    assert retrying.status == "queued" and retrying.attempts == 1 and retrying.next_attempt_at > timezone.now()
    Delivery.objects.filter(pk=retrying.pk).update(next_attempt_at=timezone.now())
    tasks.drain("sms", "w")
    assert Delivery.objects.get(pk=retrying.pk).status == "sent"
    assert Delivery.objects.filter(channel="sms", status="sent").count() == 5
