"""Links that let a phone app (Tella, ODK Collect) send reports to a desk, and what arrived
through them.

A link's token is shown once, when it is made; only its hash is kept (core.tokens). A
submission is remembered by keyed digests of its instanceID and of its XML, never by its
content: the content is the incident's, sealed to the desk.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk
from amparo.registry.models import Incident


class LinkQuerySet(models.QuerySet["Link"]):
    def active(self) -> LinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class Link(models.Model):
    """A server address for one desk: `/openrosa/<token>/` (or user name and password)."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="openrosa_links")
    # The user name a phone app types when it asks for one: "<desk slug>-<number>".
    username = models.CharField(_("user name"), max_length=80, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateField(null=True, blank=True)  # a day, never a time or an address

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.username


class Submission(models.Model):
    """One form instance as received: several POSTs (a split submission) or a replay of the
    same instance all land here, and on one incident."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="openrosa_submission")
    instance_key = models.CharField(max_length=64, unique=True)  # hash of desk and instanceID
    xml_digest = models.CharField(max_length=64)  # hash of the XML: the same instance, the same words
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"submission {self.pk}"


class ReceivedMedia(models.Model):
    """A media file of a submission already stored (by a hash of its name), so that a replay or
    the next part of a split submission adds only what is new."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="media")
    name_key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "name_key"], name="openrosa_media_once")]

    def __str__(self) -> str:
        return f"media {self.pk}"
