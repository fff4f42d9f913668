"""Deliveries: one row per supporter, per channel, per appeal or update to send her.

The table is the queue. Approval creates the rows in bulk; workers claim batches of them with a
token (services/circulation_queue.py), send, and write the outcome of the whole batch in a few
statements. A row never holds an address or a text: the worker opens the supporter's contact
with the service key at sending time and renders the message then.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .appeals import Appeal, AppealUpdate
from .supporters import Supporter


class Delivery(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")  # waiting, or waiting for its next attempt
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")  # temporary failures until the attempts ran out
        BOUNCED = "bounced", _("Bounced")  # refused for good: the address takes no more
        STOPPED = "stopped", _("Stopped")  # the appeal was stopped, or she left meanwhile

    UNSENT = (Status.QUEUED, Status.CLAIMED)

    # The Message-ID's left part: the same on every attempt, so a copy sent again after a crash
    # is recognisably the same message.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of their own: deliveries_of_appeal and the unique keys below begin with them
    # (every index costs each of the rows an approval inserts, 100,000 for a large list).
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    update = models.ForeignKey(AppealUpdate, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="deliveries", db_index=False)
    # Kept when a supporter is deleted: the figures of past circulations stay right.
    supporter = models.ForeignKey(Supporter, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True)  # indexed only while set: see Meta
    claimed_by = models.CharField(max_length=200, blank=True)  # worker host:pid
    claimed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True)  # the language it went out in
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)  # the server's reply; never an address
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "supporter", "channel"], condition=Q(update__isnull=True),
                                    name="one_delivery_per_appeal"),
            models.UniqueConstraint(fields=["update", "supporter", "channel"], condition=Q(update__isnull=False),
                                    name="one_delivery_per_update"),
        ]
        # Partial where they can be: a new row (queued, no claim) enters only the indexes it is
        # looked up by. deliveries_due ends with the id so that a claim's ORDER BY ... LIMIT
        # reads its batch off the index instead of sorting every queued row.
        indexes = [
            models.Index(fields=["channel", "next_attempt_at", "id"], condition=Q(status="queued"),
                         name="deliveries_due"),
            models.Index(fields=["appeal", "status"], name="deliveries_of_appeal"),
            models.Index(fields=["claimed_at"], condition=Q(status="claimed"), name="deliveries_claimed"),
            models.Index(fields=["claim_token"], condition=~Q(claim_token=""), name="deliveries_by_claim"),
        ]

    def __str__(self) -> str:
        return f"delivery #{self.pk}"
