"""Reports by SMS and by e-mail.

Nothing here holds a number, an address or a word she wrote in clear: her number and her
address are sealed with the service key (a worker sends the replies), her answers too while
the conversation is under way (the desk is not known before she names her country); the
report itself is sealed to the desk's ring by the registry. A conversation is found again by a
keyed blind index of her number, never by the number.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk
from amparo.registry.models import Incident
from amparo.vault.fields import SealedField


class SmsConversation(models.Model):
    """A short guided report by SMS: language, country, what happened, when, is she safe."""

    class Step(models.TextChoices):
        LANGUAGE = "language", _("Language")
        COUNTRY = "country", _("Country")
        WHAT = "what", _("What happened")
        WHEN = "when", _("When")
        SAFE = "safe", _("Is she safe")
        FILED = "filed", _("Filed")

    sender_index = models.CharField(max_length=64, db_index=True)
    sender = SealedField()  # her number, sealed with the service key (replies come from a worker)
    language = models.CharField(max_length=8, blank=True)
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.LANGUAGE)
    country = models.CharField(max_length=4, blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender_index"], condition=~Q(step="filed"),
                                               name="channels_one_open_conversation")]

    def __str__(self) -> str:
        return f"SMS conversation {self.pk}"


class SmsAnswer(models.Model):
    """One answer, sealed with the service key on receipt; moved into the report (sealed to the
    desk) and deleted when the conversation is filed."""

    conversation = models.ForeignKey(SmsConversation, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=16, choices=SmsConversation.Step.choices)
    body = SealedField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"answer {self.pk}"

class SmsOptOut(models.Model):
    """She sent STOP: no text goes to this number until she writes again."""

    sender_index = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"opt-out {self.pk}"

class OutgoingSms(models.Model):
    """A reply waiting for the worker: the number sealed with the service key, the text named
    by its prompt (never her words)."""

    to = SealedField()
    prompt = models.CharField(max_length=32)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"outgoing SMS {self.pk}"

class SeenMessage(models.Model):
    """A message already taken (a gateway's message id, an e-mail's Message-ID), by a keyed blind
    index: a replay or a second fetch stores nothing twice."""

    key = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"seen message {self.pk}"

class DeskMailbox(models.Model):
    """A desk's mailbox, polled over IMAP; each message there is a report to the desk."""

    desk = models.OneToOneField(Desk, on_delete=models.CASCADE, related_name="mailbox")
    host = models.CharField(_("IMAP server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_tls = models.BooleanField(_("TLS (IMAPS)"), default=True)
    username = models.CharField(_("user name"), max_length=200)
    password = SealedField()  # sealed with the service key: the poller is a worker
    enabled = models.BooleanField(_("poll this mailbox"), default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"mailbox of desk {self.desk_id}"


class EmailReport(models.Model):
    """What the registry's incident does not hold of a report by e-mail: her address (sealed
    with the service key), and whether she asked for an answer."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="+")
    sender = SealedField()
    wants_reply = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="es")  # of the acknowledgement, guessed from her words
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"e-mail report {self.pk}"
