"""Risk assessments: recorded, never edited; a reassessment is a new one pointing at the last."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.registry.models import Defender, Incident

from .. import risk, sealing
from ..actions import Action
from ..models import RiskAssessment
from .common import Refused, desk_scope


def assess_risk(actor: User | str, defender: Defender, items: list[dict[str, Any]], *, reason: str = "",
                previous: RiskAssessment | None = None) -> RiskAssessment:
    """Record an assessment of `items` ({"kind", "text", "rating", "incident": id or None}):
    computes the risk, seals the words to the desk, links the incidents (only the defender's
    own, of her desk). A reassessment needs the reason for the change."""
    if not all(any(i["kind"] == kind for i in items) for kind in risk.KINDS):
        raise Refused(_("Name at least one threat, one vulnerability and one capacity."))
    if previous is not None and not reason.strip():
        raise Refused(_("Say what changed since the last assessment, and why."))
    wanted = {int(i["incident"]) for i in items if i.get("incident")}
    incidents = list(Incident.objects.filter(pk__in=wanted, desk=defender.desk, defenders=defender))
    if len(incidents) != len(wanted):
        raise Refused(_("A linked incident is not one of hers."))
    scores = risk.score(items)
    content = {"items": [{"kind": i["kind"], "text": i["text"], "rating": int(i["rating"]),
                          "incident": int(i["incident"]) if i.get("incident") else None} for i in items],
               "reason": reason.strip()}
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            desk=defender.desk, defender=defender, previous=previous,
            author=actor if isinstance(actor, User) else None,
            content=sealing.seal_assessment(defender.desk, content),
            threats=scores.threats, vulnerabilities=scores.vulnerabilities, capacities=scores.capacities,
            risk=scores.risk)
        assessment.incidents.set(incidents)
        record_audit(actor, Action.RISK_ASSESSED, assessment, scope=desk_scope(defender.desk))
    return assessment
