"""Reads of the registry that pages share: the desk's inbox. No writes here."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from amparo.network.models import Desk
from amparo.registry.models import Incident


def filter_inbox(desk: Desk, data: dict[str, Any], defender_ids: list[int] | None) -> QuerySet[Incident]:
    """The inbox query: coarse columns only, so it needs no key and uses the desk's indexes."""
    incidents = Incident.objects.filter(desk=desk)
    if data.get("status"):
        incidents = incidents.filter(status=data["status"])
    if data.get("country"):
        incidents = incidents.filter(country=data["country"])
    if data.get("since"):
        incidents = incidents.filter(occurred_on__gte=data["since"])
    if data.get("until"):
        incidents = incidents.filter(occurred_on__lte=data["until"])
    if data.get("attack_type"):
        term = data["attack_type"]
        incidents = incidents.filter(Q(attack_types=term) | Q(attack_types__parent=term))
    if data.get("perpetrator"):
        term = data["perpetrator"]
        incidents = incidents.filter(Q(perpetrators=term) | Q(perpetrators__parent=term))
    if data.get("state") in {"state", "non_state"}:
        incidents = incidents.filter(perpetrators__state_actor=data["state"] == "state")
    if data.get("assignee") == "none":
        incidents = incidents.filter(assignee__isnull=True)
    elif data.get("assignee"):
        incidents = incidents.filter(assignee_id=data["assignee"])
    if defender_ids is not None:
        incidents = incidents.filter(defenders__in=defender_ids)
    joined = any(data.get(k) for k in ("attack_type", "perpetrator")) or data.get("state") in {"state", "non_state"}
    if joined or defender_ids is not None:
        # Only a filter across a many-to-many relation can repeat a row; DISTINCT on 100,000
        # rows costs more than the rest of the page (bench/inbox.py).
        incidents = incidents.distinct()
    return ordered(incidents, data.get("order") or "")


def ordered(incidents: QuerySet[Incident], order: str) -> QuerySet[Incident]:
    """Newest first; with "danger", "not safe" first, then "not sure", then the rest."""
    if order == "danger":
        danger = Case(When(safe_now=Incident.Safety.NO, then=Value(0)),
                      When(safe_now=Incident.Safety.UNSURE, then=Value(1)),
                      default=Value(2), output_field=IntegerField())
        return incidents.order_by(danger, "-created_at", "-id")
    return incidents.order_by("-created_at", "-id")
