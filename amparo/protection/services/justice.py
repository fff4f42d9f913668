"""Justice follow-up of an incident: complaints filed, the stage each reached. The incident's
own `reported_to_authorities` and `justice` (what analytics counts as impunity figures) follow:
a complaint means it was reported; the incident's stage is the newest complaint's."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.registry import services as registry
from amparo.registry.models import Incident

from .. import sealing
from ..actions import Action
from ..models import Complaint
from .common import Refused, desk_scope


def _feed_incident(incident: Incident) -> None:
    """Keep the incident's clear justice fields in step (one UPDATE: its sealed words and its
    updated_at are not touched by this)."""
    newest = incident.complaints.order_by("-updated_at", "-id").first()
    if newest is None:
        return
    first_filed = incident.complaints.exclude(filed_on=None).order_by("filed_on").values_list("filed_on", flat=True)
    registry.follow_justice(incident, newest.stage, first_filed[0] if first_filed else None)


def record_complaint(actor: User, incident: Incident, *, filed_on: date | None, authority: str, case_number: str,
                     stage: str, notes: str) -> Complaint:
    """A complaint filed about the incident (authority, case number and notes sealed)."""
    if stage not in Incident.Justice.values or stage == Incident.Justice.NONE:
        raise Refused(_("Choose the stage the complaint has reached."))
    if not authority.strip():
        raise Refused(_("Say which authority received the complaint."))
    with transaction.atomic():
        sealed = sealing.seal_complaint(incident.desk, {
            "authority": authority.strip(), "case_number": case_number.strip(), "notes": notes.strip()})
        complaint = Complaint.objects.create(incident=incident, filed_on=filed_on, stage=stage, **sealed)
        _feed_incident(incident)
        record_audit(actor, Action.COMPLAINT_RECORDED, complaint, scope=desk_scope(incident.desk))
    return complaint


def set_complaint_stage(actor: User, complaint: Complaint, *, stage: str) -> Complaint:
    if stage not in Incident.Justice.values or stage == Incident.Justice.NONE:
        raise Refused(_("Choose the stage the complaint has reached."))
    with transaction.atomic():
        complaint.stage = stage
        complaint.save(update_fields=["stage", "updated_at"])
        _feed_incident(complaint.incident)
        record_audit(actor, Action.COMPLAINT_RECORDED, complaint, scope=desk_scope(complaint.incident.desk))
    return complaint
