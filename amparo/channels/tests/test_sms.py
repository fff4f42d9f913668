"""Reports by SMS, as she sends them: webhooks into the live server signed as the gateway
signs them, replies out through the gateway client to a fake gateway on loopback that speaks
Twilio's REST format."""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.celery import app
from amparo.channels import services
from amparo.channels.models import OutgoingSms, SeenMessage, SmsAnswer, SmsConversation, SmsOptOut
from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.vault import services as vault

pytestmark = pytest.mark.channels
NUMBER = "+50499887766"


@pytest.fixture
def eager():
    """Queued tasks run at once, in the server's thread: her reply reaches the fake gateway."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def sms(settings, live_server, fake_gateway, eager, transactional_db):
    settings.AMPARO_PUBLIC_URL = live_server.url
    settings.AMPARO_SMS_URL, settings.AMPARO_SMS_ACCOUNT = fake_gateway.url, fake_gateway.account
    settings.AMPARO_SMS_TOKEN, settings.AMPARO_SMS_FROM = fake_gateway.token, "+15005550006"
    counter = iter(range(1, 1000))

    def send(body: str, *, sid: str | None = None, number: str = NUMBER, token: str | None = None) -> int:
        url = f"{live_server.url}/channels/sms/"
        params = [("MessageSid", sid or f"SM{next(counter):032d}"), ("From", number), ("To", "+15005550006"),
                  ("Body", body), ("AccountSid", fake_gateway.account), ("NumMedia", "0")]
        signature = vault.twilio_signature(url, params, fake_gateway.token if token is None else token)
        request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),  # noqa: S310 - ours
                                         method="POST", headers={"X-Twilio-Signature": signature})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our live server
                return response.status
        except urllib.error.HTTPError as refused:
            return refused.code

    return send


def test_a_conversation_in_spanish_lands_sealed_in_the_desk_inbox(sms, fake_gateway, world):
    assert sms("Hola, necesito ayuda por favor") == 200
    assert sms("Honduras") == 200
    assert sms("Me amenazaron dos hombres en moto frente a mi casa") == 200
    assert sms("ayer por la noche") == 200
    assert sms("no") == 200
    texts = [m["Body"] for m in fake_gateway.sent]
    assert len(texts) == 5 and all(m["To"] == NUMBER and m["From"] == "+15005550006" for m in fake_gateway.sent)
    assert "país" in texts[0] and "BORRAR" in texts[0]
    assert "¿Qué pasó?" in texts[1] and "¿Cuándo" in texts[2] and "SÍ o NO" in texts[3]
    assert "Gracias" in texts[4]
    credentials = base64.b64encode(f"{fake_gateway.account}:{fake_gateway.token}".encode()).decode()
    assert fake_gateway.auth[0] == f"Basic {credentials}"

    incident = Incident.objects.get()
    assert incident.desk == world.desk_a and incident.channel == Incident.Channel.SMS and incident.country == "HN"
    assert incident.status == Incident.Status.RECEIVED
    narrative = registry.open_incident(world.unlocked["documenter_a"], incident)["narrative"]
    assert "Qué pasó: Me amenazaron dos hombres en moto" in narrative
    assert "Cuándo: ayer por la noche" in narrative and "A salvo ahora: no" in narrative
    assert "Su primer mensaje: Hola, necesito ayuda por favor" in narrative  # more than a greeting: kept
    assert b"amenazaron" not in bytes(incident.narrative)
    # Filed: her answers under way are gone; her number is kept sealed only.
    conversation = SmsConversation.objects.get()
    assert conversation.step == "filed" and conversation.incident == incident and not SmsAnswer.objects.exists()
    assert NUMBER.encode() not in bytes(conversation.sender) and NUMBER not in conversation.sender_index
    assert not OutgoingSms.objects.exists()


def test_a_replayed_webhook_is_stored_once(sms, fake_gateway, world):
    for body in ("Hola", "Honduras", "Me amenazaron", "ayer"):
        sms(body)
    assert sms("sí", sid="SM-last") == 200
    assert sms("sí", sid="SM-last") == 200  # the gateway sends it again
    assert Incident.objects.count() == 1 and len(fake_gateway.sent) == 5
    assert SeenMessage.objects.count() == 5


def test_delete_removes_her_messages_and_report(sms, fake_gateway, world):
    for body in ("Hola", "Honduras", "Me amenazaron", "ayer", "no"):
        sms(body)
    assert Incident.objects.count() == 1
    assert sms("Hola otra vez") == 200  # a second conversation, half-way
    assert sms("BORRAR") == 200
    assert not Incident.objects.exists() and not SmsConversation.objects.exists() and not SmsAnswer.objects.exists()
    assert "borrados" in fake_gateway.sent[-1]["Body"]


def test_stop_ends_the_conversation_and_the_replies(sms, fake_gateway, world):
    sms("Bonjour, je veux signaler une attaque")
    assert "pays" in fake_gateway.sent[-1]["Body"]
    sms("Arrêter")
    assert not SmsConversation.objects.exists() and SmsOptOut.objects.count() == 1
    sms("SUPPRIMER")
    assert len(fake_gateway.sent) == 1  # nothing more to a number that said stop
    sms("Bonjour")  # she writes again: a new conversation, and answers again
    assert len(fake_gateway.sent) == 2 and not SmsOptOut.objects.exists()


def test_it_asks_her_language_when_it_cannot_tell(sms, fake_gateway, world):
    sms("...")
    assert "1 Español" in fake_gateway.sent[-1]["Body"]
    sms("3")
    assert "país" in fake_gateway.sent[-1]["Body"] and "APAGAR" in fake_gateway.sent[-1]["Body"]
    sms("Narnia")
    assert "país" in fake_gateway.sent[-1]["Body"]
    sms("República Democrática do Congo")
    assert SmsConversation.objects.get().country == "CD"


def test_an_unsigned_or_wrongly_signed_webhook_is_refused(sms, world):
    assert sms("Hola", token="not the gateway's token") == 403
    assert not SmsConversation.objects.exists() and not SeenMessage.objects.exists()


def test_a_gateway_that_fails_is_tried_again(sms, fake_gateway, world):
    fake_gateway.fail_next = 1
    sms("Hola")
    assert len(fake_gateway.sent) == 1 and not OutgoingSms.objects.exists()


@pytest.mark.django_db
def test_a_conversation_left_half_way_expires_once(world):
    services.receive_sms(services.Incoming("SM1", NUMBER, "Hola"))
    services.receive_sms(services.Incoming("SM2", NUMBER, "Honduras"))
    services.receive_sms(services.Incoming("SM3", NUMBER, "Me amenazaron"))
    assert SmsAnswer.objects.count() == 1
    now = timezone.now()
    assert services.expire_conversations(now + timedelta(hours=23)) == 0
    frozen = now + timedelta(hours=25)
    assert services.expire_conversations(frozen) == 1
    assert services.expire_conversations(frozen) == 0
    assert not SmsConversation.objects.exists() and not SmsAnswer.objects.exists()
    assert not Incident.objects.exists()


def test_a_gateway_that_cannot_sign_may_send_a_shared_secret(settings, client, world):
    settings.AMPARO_SMS_WEBHOOK_SECRET = "a long shared webhook secret"
    form = {"MessageSid": "SM-shared", "From": NUMBER, "Body": "Hola"}
    assert client.post("/channels/sms/", form, HTTP_X_WEBHOOK_SECRET="a wrong secret").status_code == 403
    assert client.post("/channels/sms/", form, HTTP_X_WEBHOOK_SECRET="a long shared webhook secret").status_code == 200
    assert SmsConversation.objects.count() == 1
