"""Reports by SMS: each message the gateway hands us starts or continues a short guided report
(language, country, what happened, when, is she safe), each answer sealed on receipt; the
report goes to the desk of her country, sealed to its ring, when she has answered. STOP and
DELETE are honoured in the four languages; a conversation left half-way expires.

The replies are rows of `OutgoingSms` (her number sealed, the text named by its prompt): the
caller queues `tasks.send_sms` for each id this module returns, once the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.channels import conversation as talk
from amparo.channels import sealing
from amparo.channels.actions import Action
from amparo.channels.models import OutgoingSms, SeenMessage, SmsAnswer, SmsConversation, SmsOptOut
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.registry.services import intake
from amparo.vault.errors import NoKeyHolder

ANONYMOUS = "anonymous"
Step = SmsConversation.Step
# A conversation nobody answered for this long is deleted, with her answers.
CONVERSATION_HOURS = getattr(settings, "AMPARO_SMS_CONVERSATION_HOURS", 24)
SEEN_DAYS = 30
# A first message longer than this may already tell what happened: it is kept.
FIRST_WORDS_KEPT = 4  # message ids kept to refuse a replay: gateways retry within hours


@dataclass
class Incoming:
    sid: str  # the gateway's id of the message (MessageSid)
    number: str
    body: str


@dataclass
class Outcome:
    replies: list[int] = field(default_factory=list)  # OutgoingSms ids, to send after commit
    replayed: bool = False


def receive_sms(message: Incoming) -> Outcome:
    """Take one message. A message id seen before stores nothing and answers nothing."""
    index = sealing.number_index(message.number)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SeenMessage.objects.create(key=sealing.message_key("sms", message.sid))
        except IntegrityError:
            return Outcome(replayed=True)
        word = talk.keyword(message.body)
        if word == talk.STOP:
            _stop(index)
            return Outcome()
        if word == talk.DELETE:
            return Outcome(_delete(index, message.number, talk.keyword_language(message.body)))
        SmsOptOut.objects.filter(sender_index=index).delete()  # she wrote again: answers may go
        found = SmsConversation.objects.select_for_update().filter(sender_index=index).exclude(
            step=Step.FILED).first()
        if found is None:
            return Outcome(_start(index, message))
        return Outcome(_continue(found, message))


def _reply(number: str, prompt: str, language: str) -> int:
    return OutgoingSms.objects.create(to=sealing.seal_outgoing_number(number), prompt=prompt,
                                      language=language or "").pk


def _start(index: str, message: Incoming) -> list[int]:
    language = talk.guess_language(message.body) or ""
    step = Step.COUNTRY if language else Step.LANGUAGE
    started = SmsConversation.objects.create(sender_index=index, sender=sealing.seal_number(message.number),
                                             language=language, step=step)
    if len(talk.plain(message.body).split()) > FIRST_WORDS_KEPT:  # more than a greeting: her words are kept
        SmsAnswer.objects.create(conversation=started, question=Step.LANGUAGE, body=sealing.seal_answer(message.body))
    return [_reply(message.number, "country" if language else "language", language)]


def _continue(found: SmsConversation, message: Incoming) -> list[int]:
    handlers = {Step.LANGUAGE: _on_language, Step.COUNTRY: _on_country, Step.WHAT: _on_answer,
                Step.WHEN: _on_answer, Step.SAFE: _on_answer}
    prompt = handlers[Step(found.step)](found, message.body)
    found.save()
    return [_reply(message.number, prompt, found.language)] if prompt else []


def _on_language(found: SmsConversation, body: str) -> str:
    language = talk.chosen_language(body) or talk.guess_language(body)
    if not language:
        return "language"
    found.language, found.step = language, Step.COUNTRY
    return "country"


def _on_country(found: SmsConversation, body: str) -> str:
    code = talk.country_code(body, found.language)
    if code is None:
        return "country_again"
    if network.desk_for_country(code) is None:
        return "no_desk"
    found.country, found.step = code, Step.WHAT
    return "what"


NEXT = {Step.WHAT: (Step.WHEN, "when"), Step.WHEN: (Step.SAFE, "safe"), Step.SAFE: (Step.FILED, "thanks")}


def _on_answer(found: SmsConversation, body: str) -> str:
    SmsAnswer.objects.create(conversation=found, question=found.step, body=sealing.seal_answer(body))
    step, prompt = NEXT[Step(found.step)]
    if step == Step.FILED and not _file(found):
        return "no_desk"
    found.step = step
    return prompt


def _file(found: SmsConversation) -> bool:
    """Her answers become a report of the desk of her country, sealed to its ring; the
    service-key copies are deleted."""
    desk = network.desk_for_country(found.country)
    if desk is None:
        return False
    answers = {a.question: sealing.open_answer(a) for a in found.answers.all()}
    words = talk.headings(found.language)
    parts = [words["channel"]] + [f"{words[q]}: {answers[q]}" for q in ("language", "what", "when", "safe")
                                  if q in answers]
    safe = talk.safety(answers["safe"]) if "safe" in answers else ""
    data = registry.IncidentData(country=found.country, narrative="\n\n".join(parts), safe_now=safe)
    try:
        incident = registry.record_incident(ANONYMOUS, desk, data, channel=Incident.Channel.SMS,
                                            submission_key=f"sms-{found.pk}")
    except NoKeyHolder:
        return False
    found.answers.all().delete()
    found.incident = incident
    record_audit(ANONYMOUS, Action.SMS_FILED, incident, scope=network.scope_of(desk.network))
    return True


def _stop(index: str) -> None:
    """No more texts to her: the conversation under way ends, her answers with it."""
    SmsConversation.objects.filter(sender_index=index).exclude(step=Step.FILED).delete()
    SmsOptOut.objects.get_or_create(sender_index=index)


def _delete(index: str, number: str, language: str) -> list[int]:
    """Her messages removed: every conversation of her number, its answers, and the reports
    they made that no one has opened yet (a report the desk is working on stays, without her
    number)."""
    conversations = SmsConversation.objects.filter(sender_index=index).select_related("incident__desk__network")
    for found in conversations:
        incident = found.incident
        if incident is not None and incident.status == Incident.Status.RECEIVED:
            record_audit(ANONYMOUS, Action.SMS_DELETED_BY_SENDER, incident,
                         scope=network.scope_of(incident.desk.network))
            intake.erase_report(incident)  # her files and lone defenders with it
    conversations.delete()
    if SmsOptOut.objects.filter(sender_index=index).exists():
        return []
    return [_reply(number, "deleted", language)]


def sending(outgoing_id: int) -> tuple[str, str] | None:
    """The number and the text of a reply waiting to go; None when it went already."""
    outgoing = OutgoingSms.objects.filter(pk=outgoing_id).first()
    if outgoing is None:
        return None
    return sealing.open_outgoing_number(outgoing), talk.prompt_text(outgoing.prompt, outgoing.language)


def sent(outgoing_id: int) -> None:
    """The gateway took it (or refused it for good): the sealed number goes."""
    OutgoingSms.objects.filter(pk=outgoing_id).delete()


def expire_conversations(now: datetime | None = None) -> int:
    """Delete conversations left half-way for CONVERSATION_HOURS, with her answers, and the
    replay guards past SEEN_DAYS. Safe to run twice."""
    now = now or timezone.now()
    stale = SmsConversation.objects.exclude(step=Step.FILED).filter(
        updated_at__lt=now - timedelta(hours=CONVERSATION_HOURS))
    ids = list(stale.values_list("pk", flat=True))
    SmsConversation.objects.filter(pk__in=ids).delete()
    SeenMessage.objects.filter(seen_at__lt=now - timedelta(days=SEEN_DAYS)).delete()
    OutgoingSms.objects.filter(created_at__lt=now - timedelta(days=SEEN_DAYS)).delete()
    return len(ids)
