"""The channels rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page
from amparo.tests.tables import COORDINATOR_ONLY, LOGIN, Row, same, signed_in

AUTHORIZATION: dict[str, Row] = {
    # The gateway's webhook: a request without the gateway's signature is refused, whoever sends it.
    "channels:sms_webhook": same("POST", 403),
    # A desk's mailbox settings: its network's coordinator only.
    "channels:mailbox": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
}

PAGES: dict[str, Page] = {
    "channels:mailbox": Page("coordinator"),
}

NOT_PAGES: dict[str, str] = {
    "channels:sms_webhook": "the SMS gateway's webhook: POST only, answers an empty TwiML document",
}

CLEAR_FIELDS: dict[str, str] = {
    "channels.SmsConversation.sender_index": "keyed hash (blind index) of her number",
    "channels.SmsConversation.language": "language code",
    "channels.SmsConversation.step": "status code (the question she is at)",
    "channels.SmsConversation.country": "ISO country code (in clear on the incident too)",
    "channels.SmsAnswer.question": "status code (which question it answers)",
    "channels.SmsOptOut.sender_index": "keyed hash (blind index) of her number",
    "channels.OutgoingSms.prompt": "the name of a fixed text (never her words)",
    "channels.OutgoingSms.language": "language code",
    "channels.SeenMessage.key": "keyed hash (blind index) of a message's id at its source",
    "channels.DeskMailbox.host": "the desk's mail server (the organisation's, not a person's)",
    "channels.DeskMailbox.username": "the desk's mailbox account (the organisation's, not a person's)",
    "channels.DeskMailbox.last_error": "the kind of the last failure (an exception's class name)",
    "channels.EmailReport.language": "language code",
}


def _write_sms(client: Any, world: Any, canary: str) -> None:
    """Through the webhook, signed as the gateway signs: a conversation filed to desk A, and a
    second one left half-way (her answer still sealed with the service key, a reply waiting)."""
    from django.conf import settings
    from django.test import override_settings

    from amparo.vault import services as vault

    client.logout()
    with override_settings(AMPARO_SMS_TOKEN="canary gateway token"):
        def send(number: str, sid: str, body: str) -> None:
            params = [("MessageSid", sid), ("From", number), ("Body", body)]
            url = settings.AMPARO_PUBLIC_URL + "/channels/sms/"
            response = client.post("/channels/sms/", dict(params), HTTP_X_TWILIO_SIGNATURE=vault.twilio_signature(
                url, params, settings.AMPARO_SMS_TOKEN))
            assert response.status_code == 200, response.content[:200]

        for n, body in enumerate(("Hola", "Honduras", f"{canary}-sms-what", f"{canary}-sms-when", "no")):
            send(f"+504{canary}", f"SM-canary-{n}", body)
        for n, body in enumerate(("Hola", "Honduras", f"{canary}-sms-half-way")):
            send(f"+505{canary}", f"SM-canary-half-{n}", body)


def _write_email(client: Any, world: Any, canary: str) -> None:
    """The coordinator saves desk A's mailbox through its page; a message with a file, asking for
    an answer, is taken as the poller takes it."""
    from email.message import EmailMessage

    from amparo.channels import services
    from amparo.channels.models import DeskMailbox
    from conftest import sign_in

    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    response = client.post(f"/channels/desk/{world.desk_a.slug}/mailbox/", {
        "host": "imap.desk-a.example", "port": 993, "use_tls": "on", "username": "reports",
        "password": f"{canary}-mailbox-password", "enabled": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    client.logout()
    message = EmailMessage()
    message["From"], message["To"] = f"{canary}@defenders.example", "reports@desk-a.example"
    message["Subject"], message["Message-ID"] = f"Responder {canary}-subject", f"<{canary}@defenders.example>"
    message.set_content(f"{canary}-email-body")
    message.add_attachment((canary + "\n").encode() * 100, maintype="text", subtype="plain",
                           filename=f"{canary}-email.txt")
    services.ingest_message(DeskMailbox.objects.get(desk=world.desk_a), message.as_bytes())


def _sealed_writers() -> dict:
    from amparo.channels.models import DeskMailbox, EmailReport, OutgoingSms, SmsAnswer, SmsConversation

    return {**dict.fromkeys((SmsConversation, SmsAnswer, OutgoingSms), _write_sms),
            **dict.fromkeys((DeskMailbox, EmailReport), _write_email)}


SEALED_WRITERS = _sealed_writers()
