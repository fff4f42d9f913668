"""Reports by e-mail: a desk's mailbox, polled over IMAP. Each message is a report to that
desk, sealed to its ring; its files go through the registry's bounded attachment path; her
address is sealed with the service key and answered only when she asks; the message is
deleted from the mailbox once the report is stored. A message fetched twice is stored once
(its Message-ID, by a keyed blind index, is the report's submission key)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import imaplib
import io
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from amparo.channels import conversation as talk
from amparo.channels import sealing
from amparo.channels.actions import Action
from amparo.channels.models import DeskMailbox, EmailReport
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.registry import services as registry
from amparo.registry.models import Incident

ANONYMOUS = "anonymous"
# Words in the subject by which she asks for an answer, in the four languages.
ASKS_FOR_REPLY = re.compile(r"\b(reply|answer|responder|respuesta|r[ée]pondre|r[ée]ponse|resposta)\b", re.I)
MAX_MESSAGE_BYTES_FACTOR = 3  # a message may carry a few files; a larger one waits for a person
TIMEOUT = 30


@dataclass
class Polled:
    stored: int = 0
    again: int = 0  # already stored (fetched twice): deleted from the mailbox, nothing stored
    too_large: int = 0  # left in the mailbox for a person to read
    acknowledge: list[int] = field(default_factory=list)  # incidents whose sender asked for an answer


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    return strip_tags(text) if part.get_content_type() == "text/html" else text


def _message_key(mailbox: DeskMailbox, raw: bytes, message: EmailMessage) -> str:
    reference = (message.get("Message-ID") or "").strip() or hashlib.sha256(raw).hexdigest()
    return sealing.message_key(f"email-{mailbox.desk_id}", reference)


def ingest_message(mailbox: DeskMailbox, raw: bytes) -> tuple[Incident, bool]:
    """Store one message as a report of the mailbox's desk; (its incident, stored now)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - the default policy makes these
    key = _message_key(mailbox, raw, message)
    existing = Incident.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    desk = mailbox.desk
    subject, body = str(message.get("Subject") or ""), _text_of(message)
    files = [(part.get_filename() or "file", part.get_content_type(), _bytes_of(part))
             for part in message.iter_attachments()]
    limit = settings.ATTACHMENT_MAX_BYTES
    refused = [name for name, _kind, data in files if not 0 < len(data) <= limit]
    narrative = "\n\n".join(p for p in (subject.strip(), body.strip(), _refused_note(refused)) if p)
    data = registry.IncidentData(country=(desk.countries or [""])[0], narrative=narrative)
    sender = parseaddr(str(message.get("Reply-To") or message.get("From") or ""))[1]
    with transaction.atomic():
        incident = registry.record_incident(ANONYMOUS, desk, data, channel=Incident.Channel.EMAIL,
                                            submission_key=key)
        EmailReport.objects.create(incident=incident, sender=sealing.seal_email_sender(sender) if sender else None,
                                   wants_reply=bool(sender and ASKS_FOR_REPLY.search(subject)),
                                   language=talk.guess_language(f"{subject} {body}") or "es")
        for name, kind, content in files:
            if 0 < len(content) <= limit:
                registry.add_attachment(ANONYMOUS, incident, filename=name, content_type=kind, size=len(content),
                                        file=io.BytesIO(content))
        record_audit(ANONYMOUS, Action.EMAIL_FILED, incident, scope=network.scope_of(desk.network))
    return incident, True


def _bytes_of(part: object) -> bytes:
    payload = part.get_payload(decode=True) if isinstance(part, EmailMessage) else None
    return payload if isinstance(payload, bytes) else b""


def _refused_note(names: list[str]) -> str:
    if not names:
        return ""
    return (f"[{len(names)} file(s) over {settings.ATTACHMENT_MAX_BYTES} bytes or empty were not kept: "
            + ", ".join(names) + "]")


def _connect(mailbox: DeskMailbox) -> imaplib.IMAP4:
    if mailbox.use_tls:
        return imaplib.IMAP4_SSL(mailbox.host, mailbox.port, timeout=TIMEOUT)
    return imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)


def _size(answer: list) -> int:
    found = re.search(rb"RFC822\.SIZE (\d+)", answer[0] if isinstance(answer[0], bytes) else b"")
    return int(found.group(1)) if found else 0


def poll_mailbox(mailbox: DeskMailbox) -> Polled:
    """Fetch every message of the mailbox's INBOX, store each as a report, then delete it
    there (flag and expunge, once the report is committed)."""
    polled = Polled()
    bound = settings.ATTACHMENT_MAX_BYTES * MAX_MESSAGE_BYTES_FACTOR + 1024 * 1024  # files, in base64, and text
    with _connect(mailbox) as imap:
        imap.login(mailbox.username, sealing.open_mailbox_password(mailbox))
        imap.select("INBOX")
        _status, found = imap.uid("SEARCH", "ALL")
        for uid in (found[0] or b"").decode().split():
            _status, sized = imap.uid("FETCH", uid, "(RFC822.SIZE)")
            if _size(sized) > bound:
                polled.too_large += 1
                continue
            _status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next(part[1] for part in fetched if isinstance(part, tuple))
            incident, new = ingest_message(mailbox, raw)
            polled.stored += new
            if new and EmailReport.objects.filter(incident=incident, wants_reply=True).exists():
                polled.acknowledge.append(incident.pk)
            polled.again += not new
            imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
        imap.expunge()
        imap.close()
    DeskMailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error="")
    return polled


def note_poll_failure(mailbox: DeskMailbox, error: Exception) -> None:
    """The mailbox could not be read: its kind only (never the server's words, which may
    quote an address)."""
    DeskMailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(),
                                                     last_error=type(error).__name__[:200])


def reply_address(incident_id: int) -> tuple[str, str] | None:
    """Her address and language, for the acknowledgement she asked for; None when she did not
    ask (or the report is gone)."""
    report = EmailReport.objects.filter(incident_id=incident_id, wants_reply=True).first()
    if report is None or report.sender is None:
        return None
    return sealing.open_email_sender(report), report.language
