"""Reads the protection pages share: lookups scoped to her desks (404 for another desk's),
and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.network import permissions
from amparo.network.models import Desk
from amparo.registry.models import Defender, Incident

from .models import CheckInSchedule, Complaint, Measure, MissedCheckIn, Protocol, RiskAssessment, UnCommunication


def defender_for(user: Any, defender_id: int) -> Defender:
    return get_object_or_404(Defender.objects.select_related("desk"), pk=defender_id,
                             desk__in=permissions.documented_desks(user))


def incident_for(user: Any, incident_id: int) -> Incident:
    return get_object_or_404(Incident.objects.counted().select_related("desk", "desk__network"), pk=incident_id,
                             desk__in=permissions.documented_desks(user))


def assessment_for(user: Any, assessment_id: int) -> RiskAssessment:
    return get_object_or_404(RiskAssessment.objects.select_related("defender", "desk"), pk=assessment_id,
                             desk__in=permissions.documented_desks(user))


def measure_for(user: Any, measure_id: int) -> Measure:
    return get_object_or_404(Measure.objects.select_related("plan", "plan__desk"), pk=measure_id,
                             plan__desk__in=permissions.documented_desks(user))


def protocol_for(user: Any, protocol_id: int) -> Protocol:
    return get_object_or_404(Protocol.objects.select_related("plan", "plan__desk"), pk=protocol_id,
                             plan__desk__in=permissions.documented_desks(user))


def schedule_for(user: Any, schedule_id: int) -> CheckInSchedule:
    return get_object_or_404(CheckInSchedule.objects.select_related("desk"), pk=schedule_id,
                             desk__in=permissions.documented_desks(user))


def her_schedules(user: Any) -> QuerySet[CheckInSchedule]:
    """A defender's own check-in schedules (her account is on the defender's record)."""
    return CheckInSchedule.objects.filter(defender__account=user, active=True)


def complaint_for(user: Any, complaint_id: int) -> Complaint:
    return get_object_or_404(Complaint.objects.select_related("incident", "incident__desk"), pk=complaint_id,
                             incident__desk__in=permissions.documented_desks(user))


def communication_for(user: Any, communication_id: int) -> UnCommunication:
    return get_object_or_404(UnCommunication.objects.select_related("incident", "desk"), pk=communication_id,
                             desk__in=permissions.documented_desks(user))


def desk_defenders(desk: Desk) -> list[tuple[Defender, RiskAssessment | None, int]]:
    """Her desk's defenders with their latest assessment and open missed check-ins."""
    defenders = Defender.objects.filter(desk=desk).order_by("-created_at")[:300]
    latest: dict[int, RiskAssessment] = {}
    for assessment in RiskAssessment.objects.filter(desk=desk).order_by("created_at", "id"):
        latest[assessment.defender_id] = assessment
    missed = dict(MissedCheckIn.objects.filter(schedule__desk=desk, resolved_at__isnull=True)
                  .values("schedule__defender").annotate(n=Count("id")).values_list("schedule__defender", "n"))
    return [(d, latest.get(d.pk), missed.get(d.pk, 0)) for d in defenders]


def open_misses(desks: Any) -> int:
    return MissedCheckIn.objects.filter(schedule__desk__in=desks, resolved_at__isnull=True).count()


def overdue_measures(desks: Any, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return Measure.objects.filter(plan__desk__in=desks, done_on__isnull=True, due_on__lt=today).count()


@dataclass(frozen=True)
class DeskFigures:
    desk: Desk
    assessments: int
    plans: int
    overdue: int
    missed: int
    sent: int
    answered: int


def figures(desks: QuerySet[Desk]) -> list[DeskFigures]:
    """Counts only, per desk: for staff."""
    today = timezone.localdate()
    out = []
    for desk in desks.order_by("name"):
        communications = UnCommunication.objects.filter(desk=desk)
        out.append(DeskFigures(
            desk=desk,
            assessments=RiskAssessment.objects.filter(desk=desk).count(),
            plans=Defender.objects.filter(desk=desk, protection_plan__isnull=False).count(),
            overdue=overdue_measures([desk], today),
            missed=MissedCheckIn.objects.filter(schedule__desk=desk).count(),
            sent=communications.exclude(sent_on=None).count(),
            answered=communications.exclude(replied_on=None).count()))
    return out
