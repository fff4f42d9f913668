"""Assessment reports.

A report is made by a background job from coarse counts only (`stats.compute`). An internal
report's output is sealed to a desk's key ring (and to the person who asked for it) before it
is stored; a public report holds nothing but public tables and is stored plain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk, Network
from amparo.vault.fields import SealedField

SECTIONS = [
    ("summary", _("Summary")),
    ("map", _("Map")),
    ("regions", _("Regions")),
    ("countries", _("Countries")),
    ("perpetrators", _("Perpetrators, state and non-state")),
    ("attack_types", _("Types of attack")),
    ("profiles", _("Profiles and gender")),
    ("trends", _("Trends")),
    ("justice", _("Reporting to the authorities and justice")),
    ("methodology", _("Methodology and suppression")),
]
SECTION_CODES = [code for code, _label in SECTIONS]


class Report(models.Model):
    class Audience(models.TextChoices):
        PUBLIC = "public", _("Public: only the public tables, small numbers hidden")
        INTERNAL = "internal", _("Internal: exact numbers, locked for the desk")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    # The desk whose ring an internal report is sealed to (and whose documenters may read it).
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    language = models.CharField(_("language"), max_length=2, default="en")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    # {"desks": [slug...], "countries": [alpha-2...], "grouping": code}: coarse choices only.
    scope = models.JSONField(default=dict)
    sections = models.JSONField(default=list)
    # A foreword the coordinator writes, sealed with the service key: the worker, which may
    # open nothing else, puts it in the report.
    introduction = SealedField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    html = models.TextField(blank=True)  # public reports only
    pdf = models.BinaryField(null=True, blank=True)  # public reports only
    sealed_html = SealedField()  # internal reports only
    sealed_pdf = SealedField()  # internal reports only
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"report #{self.pk}"

    @property
    def internal(self) -> bool:
        return self.audience == self.Audience.INTERNAL

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
