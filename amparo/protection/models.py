"""Protection accompaniment: a defender's (or collective's) risk assessments, her protection
plan (measures, protocols, self-care), check-ins with a safety contact, the justice follow-up of
an incident, and communications to the UN special procedures.

What stays in clear is what figures and the alert job need: ratings and the computed risk,
kinds, dates, due times and counts. Every word that can name or locate someone (threats,
measures, owners, protocol steps, the safety contact's name, complaint details, a
communication's text and files) is sealed to the desk's ring; the safety contact's phone and
e-mail are sealed with the service key so that the alert job, which has no member's key, can
reach her.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.network.models import Desk
from amparo.registry.models import Defender, Incident
from amparo.vault.fields import SealedField


class RiskAssessment(models.Model):
    """One assessment of a defender's risk, done with a documenter. A reassessment points at
    the one before (`previous`) and says, sealed, what changed and why."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="risk_assessments")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The threats, vulnerabilities and capacities (text and rating) and the reason for a
    # reassessment, as one sealed JSON document (sealing.py).
    content = SealedField()
    incidents = models.ManyToManyField(Incident, blank=True, related_name="+")
    # Averages of the ratings (1 to 5) and the risk they give: numbers for figures, in clear.
    threats = models.DecimalField(max_digits=4, decimal_places=2)
    vulnerabilities = models.DecimalField(max_digits=4, decimal_places=2)
    capacities = models.DecimalField(max_digits=4, decimal_places=2)
    risk = models.DecimalField(max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"risk assessment #{self.pk}"


class ProtectionPlan(models.Model):
    """A defender's plan: one per defender, holding measures and protocols."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    defender = models.OneToOneField(Defender, on_delete=models.CASCADE, related_name="protection_plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"protection plan #{self.pk}"


class Measure(models.Model):
    class Kind(models.TextChoices):
        THREATS = "threats", _("Reduces threats")
        VULNERABILITIES = "vulnerabilities", _("Reduces vulnerabilities")
        CAPACITIES = "capacities", _("Raises capacities")
        SELF_CARE = "self_care", _("Self-care and psychosocial support")

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = SealedField()
    owner = SealedField()  # who does it: a name
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "due_on", "id"]

    def __str__(self) -> str:
        return f"measure #{self.pk}"


class Protocol(models.Model):
    """A checklist: what to do before (preventive) or when it happens (emergency)."""

    class Kind(models.TextChoices):
        PREVENTIVE = "preventive", _("Preventive protocol")
        DETENTION = "detention", _("Emergency: detention")
        DISAPPEARANCE = "disappearance", _("Emergency: disappearance")
        RAID = "raid", _("Emergency: raid")
        SEIZED_PHONE = "seized_phone", _("Emergency: seized phone")

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.CASCADE, related_name="protocols")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    steps = SealedField()  # JSON: [{"text": ..., "done": bool}, ...]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"protocol #{self.pk}"


class CheckInSchedule(models.Model):
    """She checks in every `every_hours`; `grace_minutes` after a missed time the desk and
    her safety contact are alerted, once per miss."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="check_in_schedules")
    contact_name = SealedField()  # the desk's ring
    contact_phone = SealedField()  # the service key: the alert job sends to it
    contact_email = SealedField()  # the service key
    contact_language = models.CharField(max_length=8, default="es")
    every_hours = models.PositiveIntegerField(default=12)
    grace_minutes = models.PositiveIntegerField(default=60)
    next_due_at = models.DateTimeField(db_index=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active", "next_due_at", "id"]

    def __str__(self) -> str:
        return f"check-in schedule #{self.pk}"


class CheckIn(models.Model):
    class Channel(models.TextChoices):
        DEFENDER = "defender", _("She checked in")
        DESK = "desk", _("Recorded by the desk")
        SMS = "sms", _("By SMS reply")

    schedule = models.ForeignKey(CheckInSchedule, on_delete=models.CASCADE, related_name="check_ins")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"check-in #{self.pk}"


class MissedCheckIn(models.Model):
    """A missed check-in time; its row is what makes the alert go out once."""

    schedule = models.ForeignKey(CheckInSchedule, on_delete=models.CASCADE, related_name="misses")
    due_at = models.DateTimeField()
    alerted_at = models.DateTimeField()
    emails_sent = models.PositiveIntegerField(default=0)
    sms_sent = models.PositiveIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["schedule", "due_at"], name="one_alert_per_miss")]

    def __str__(self) -> str:
        return f"missed check-in #{self.pk}"


class Complaint(models.Model):
    """A complaint filed about an incident, and how far it went."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="complaints")
    filed_on = models.DateField(null=True, blank=True)
    authority = SealedField()
    case_number = SealedField()
    stage = models.CharField(max_length=16, choices=Incident.Justice.choices, default=Incident.Justice.COMPLAINT)
    notes = SealedField()  # obstacles met, outcome in words
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"complaint #{self.pk}"


class UnCommunication(models.Model):
    """A communication to the UN special procedures about an incident: its elements, PDF and
    DOCX sealed to the desk; when it was sent and answered in clear (the 60-day window)."""

    class Language(models.TextChoices):
        EN = "en", "English"
        FR = "fr", "Français"
        ES = "es", "Español"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="un_communications")
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=2, choices=Language.choices)
    elements = SealedField()  # JSON of the required elements
    pdf = SealedField()
    docx = SealedField()
    sent_on = models.DateField(null=True, blank=True)
    replied_on = models.DateField(null=True, blank=True)
    reply = SealedField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"UN communication #{self.pk}"
