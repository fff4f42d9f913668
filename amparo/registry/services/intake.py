"""Anonymous reports: the public form at /r/, its receipt, the conversation with the desk, and
their deletion when nobody triaged them in time (DESIGN.md rules 3 and 6).

Nothing here reads or stores who is asking: no address, no user agent. The receipt is 8 words
of a BIP-39 list (`receipts`); the server keeps only the lookup tag derived from it
(vault.derive_reporter_keys), and her key, derived from the same receipt, is never stored.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core import counters
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.registry import sealing
from amparo.registry.actions import Action
from amparo.registry.models import AnonymousReceipt, Attachment, Defender, Incident, Message
from amparo.registry.services import receipts
from amparo.registry.services.attachments import add_attachment, discard_files
from amparo.registry.services.cases import IncidentData, record_incident
from amparo.registry.signals import announce
from amparo.vault import services as vault
from amparo.vault.errors import NoKeyHolder
from amparo.vault.services import ReporterKeys

ANONYMOUS = "anonymous"
ENTROPY_BITS = 80


class ReceiptRefused(ValueError):
    """A receipt this server did not issue (its binding does not match)."""


class NoDesk(LookupError):
    """No desk can receive a report yet."""


# --- Receipts -------------------------------------------------------------------------------

def wordlist(language: str) -> tuple[str, ...]:
    """The words receipts are made of in this language (BIP-39, 2,048 words; English for a
    language without a list)."""
    return receipts.wordlist(language)


def words_needed(language: str) -> int:
    """Enough words for at least 80 bits: 8 words of 2,048 (88 bits)."""
    return max(receipts.WORDS, math.ceil(ENTROPY_BITS / math.log2(len(wordlist(language)))))


def issue_receipt(language: str) -> tuple[str, str]:
    """New receipt words in the visitor's language, and the binding that proves we issued them."""
    words = wordlist(language)
    receipt = " ".join(secrets.choice(words) for _ in range(words_needed(language)))
    return receipt, vault.receipt_binding(receipt)


def issued_here(receipt: str, binding: str) -> bool:
    """True when `binding` proves that these receipt words were issued by this server (a form
    sent back with its own words, not words made up or taken from elsewhere)."""
    return vault.receipt_binding_valid(receipt, binding)


def receipt_keys(receipt: str) -> ReporterKeys:
    """The keys of a receipt as issued (its canonical spelling: full words, no accents)."""
    words = receipt.split()
    return vault.derive_reporter_keys(receipts.canonical(receipt, receipts.language_of(words)))


# --- The global limit -----------------------------------------------------------------------

WINDOW = 60


def within_global_limit(now: float | None = None) -> bool:
    """Count one anonymous submission or receipt check for the whole site; False past the
    limit. One counter, keyed by the minute only: nothing about who asks."""
    return counters.bump("anonymous-intake", WINDOW, now) <= settings.ANONYMOUS_GLOBAL_PER_MINUTE


# --- Submitting -----------------------------------------------------------------------------

@dataclass
class Upload:
    filename: str
    content_type: str
    file: IO[bytes]  # readable and seekable: the upload, in memory
    size: int


def submit_anonymous_report(receipt: str, binding: str, data: IncidentData, *,
                            upload: Upload | None = None) -> Incident:
    """Seal the report to the desk of its country (or the coalition desk) and to the key her
    receipt gives, then store it. The same receipt again stores nothing twice."""
    return submit_and_open(receipt, binding, data, upload=upload).incident


def submit_and_open(receipt: str, binding: str, data: IncidentData, *,
                    upload: Upload | None = None) -> Opened:
    """`submit_anonymous_report`, answering with her report opened by the key her receipt gave
    (derived once: Argon2id is the cost of a submission)."""
    if not vault.receipt_binding_valid(receipt, binding):
        raise ReceiptRefused
    keys = receipt_keys(receipt)
    return _open(_submit(keys, data, upload), keys)


def _submit(keys: ReporterKeys, data: IncidentData, upload: Upload | None) -> Incident:
    found = AnonymousReceipt.objects.filter(lookup_tag=keys.lookup_tag).select_related("incident").first()
    if found is not None:
        return found.incident
    desk = network.desk_for_country(data.country or "")
    if desk is None:
        raise NoDesk
    try:
        with transaction.atomic():
            incident = record_incident(ANONYMOUS, desk, data, channel=Incident.Channel.ANONYMOUS,
                                                also_to=[keys.public_key])
            AnonymousReceipt.objects.create(lookup_tag=keys.lookup_tag, incident=incident,
                                            public_key=keys.public_key)
            if upload is not None:
                add_attachment(ANONYMOUS, incident, filename=upload.filename,
                                        content_type=upload.content_type, file=upload.file, size=upload.size)
    except NoKeyHolder as exc:  # a desk nobody can read yet cannot take a report
        raise NoDesk from exc
    except IntegrityError:  # the same receipt, submitted twice at once: the other one won
        return AnonymousReceipt.objects.select_related("incident").get(lookup_tag=keys.lookup_tag).incident
    return incident


# --- Coming back ----------------------------------------------------------------------------

@dataclass
class Opened:
    """What her receipt opens: her report's status and the conversation, as text."""

    incident: Incident
    keys: ReporterKeys
    narrative: str
    messages: list[tuple[Message, str]]
    help_wanted: str = ""


def open_with_receipt(receipt: str, *, language: str = "en") -> Opened | None:
    """Her report and its messages, opened with the key her receipt gives; None when no report
    has this receipt (never sent, mistyped, or deleted after the retention time). Her words are
    read as she may type them (`receipts.read`: capitals, accents and a slip after a word's
    fourth letter do not matter), her language's list first."""
    for candidate in receipts.read(receipt, language).candidates:
        keys = vault.derive_reporter_keys(candidate)
        found = AnonymousReceipt.objects.filter(lookup_tag=keys.lookup_tag).select_related("incident").first()
        if found is not None:
            return _open(found.incident, keys)
    return None


def unrecognised_word(receipt: str, *, language: str = "en") -> int | None:
    """The position (1-based) of the first of her 8 words that no list knows, if one is: said to
    her when her words open nothing."""
    return receipts.read(receipt, language).unrecognised


def reopen(incident_id: int, private_key: bytes) -> Opened | None:
    """Her report again from its short-lived address (vault.short_lived), with the key kept
    there instead of the receipt; None once the report is gone."""
    found = AnonymousReceipt.objects.filter(incident_id=incident_id).select_related("incident").first()
    if found is None:
        return None
    keys = ReporterKeys(found.lookup_tag, private_key, bytes(found.public_key))
    return _open(found.incident, keys)


def refresh(opened: Opened) -> Opened:
    """The same report read again (after she wrote), without deriving her key twice."""
    return _open(Incident.objects.get(pk=opened.incident.pk), opened.keys)


def _open(incident: Incident, keys: ReporterKeys) -> Opened:
    narrative = sealing.open_incident_narrative_with_receipt(keys.private_key, incident)
    thread = [(m, sealing.open_reporter_message_with_receipt(keys.private_key, m)) for m in incident.messages.all()]
    return Opened(incident, keys, narrative, thread,
                  help_wanted=sealing.open_help_wanted_with_receipt(keys.private_key, incident))


def add_reporter_message(opened: Opened, text: str, *, upload: Upload | None = None) -> Message | None:
    """She writes to the desk (and may add a file): sealed to the desk and to her own key."""
    incident = opened.incident
    message = None
    with transaction.atomic():
        if text.strip():
            message = Message.objects.create(incident=incident, author=Message.Author.REPORTER,
                                             body=sealing.seal_reporter_message(incident, text, opened.keys.public_key))
            record_audit(ANONYMOUS, Action.MESSAGE_FROM_REPORTER, incident,
                         scope=network.scope_of(incident.desk.network))
        if upload is not None:
            add_attachment(ANONYMOUS, incident, filename=upload.filename,
                                    content_type=upload.content_type, file=upload.file, size=upload.size)
    return message


def reply_to_reporter(actor: User, incident: Incident, text: str) -> Message:
    """The desk answers her: sealed to the desk and to the public key her receipt gave. An
    answer is triage: a report still "received" moves to "in triage" (so her status page no
    longer says nobody has opened it, and the retention job keeps it)."""
    receipt = AnonymousReceipt.objects.get(incident=incident)
    with transaction.atomic():
        message = Message.objects.create(incident=incident, author=Message.Author.DESK,
                                         body=sealing.seal_reporter_message(incident, text, bytes(receipt.public_key)))
        if incident.status == Incident.Status.RECEIVED:
            Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.TRIAGE)
            incident.status = Incident.Status.TRIAGE
            announce([incident.pk])
        record_audit(actor, Action.MESSAGE_TO_REPORTER, incident, scope=network.scope_of(incident.desk.network))
    return message


def open_thread(unlocked: vault.Unlocked | None, incident: Incident) -> list[tuple[Message, str]]:
    """The conversation, for a member of the desk."""
    return [(m, sealing.open_reporter_message(unlocked, m)) for m in incident.messages.all()]


# --- Retention ------------------------------------------------------------------------------

def expire_untriaged_reports(now: datetime | None = None) -> int:
    """Delete anonymous reports nobody triaged within ANONYMOUS_RETENTION_DAYS: rows, files,
    messages, receipts, and defenders only they named; then make the deletion real on disk
    (SQLite: secure_delete is on, and the WAL is checkpointed; PostgreSQL: VACUUM). The audit
    log keeps identifiers only. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ANONYMOUS_RETENTION_DAYS)
    expired = list(Incident.objects.filter(channel=Incident.Channel.ANONYMOUS, status=Incident.Status.RECEIVED,
                                           created_at__lt=cutoff).select_related("desk__network"))
    for incident in expired:
        with transaction.atomic():
            record_audit("system", Action.EXPIRED, incident, scope=network.scope_of(incident.desk.network))
            erase_report(incident)
    if expired:
        _reclaim_space()
    return len(expired)


def erase_report(incident: Incident) -> None:
    """Delete one report whole: its row with its receipts, messages, attachments and follow-ups,
    the defenders only it named, and its files once the deletion is committed. The caller
    audits why."""
    files = list(Attachment.objects.filter(incident=incident).values_list("stored_name", flat=True))
    with transaction.atomic():
        alone = [d.pk for d in incident.defenders.all() if not d.incidents.exclude(pk=incident.pk).exists()]
        erased = incident.pk
        incident.delete()
        Defender.objects.filter(pk__in=alone).delete()
        announce([erased])
        transaction.on_commit(lambda: discard_files(files))


def _reclaim_space() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elif connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")

