"""The reads that pages and the API share: which appeals are public, which a member sees, an
appeal's history, the supporters' counts. Nothing here writes."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from amparo.accounts.models import User
from amparo.core.models import AuditEntry
from amparo.network import permissions

from .models import Appeal, Supporter


def published() -> QuerySet[Appeal]:
    """Appeals on the public pages, the feeds and the API: approved, with a reference, not stopped."""
    return (Appeal.objects.filter(status__in=Appeal.PUBLISHED, stopped_at__isnull=True).exclude(reference="")
            .select_related("network"))


def visible_appeals(user: User | AnonymousUser) -> QuerySet[Appeal]:
    """Appeals of the desks she documents and of the networks she coordinates."""
    desks = list(permissions.documented_desks(user).values_list("id", flat=True))
    networks = list(permissions.coordinated_networks(user).values_list("id", flat=True))
    return Appeal.objects.filter(Q(desk_id__in=desks) | Q(network_id__in=networks)).select_related("desk", "network")


def history(appeal: Appeal) -> QuerySet[AuditEntry]:
    """What was done to the appeal, in order (identifiers and actions only)."""
    return AuditEntry.objects.filter(object_type="appeals.appeal", object_id=str(appeal.pk)).order_by("seq")


def supporter_counts() -> dict[str, int]:
    """How many supporters are in each state, and how many take text messages: never who."""
    return Supporter.objects.aggregate(
        confirmed=Count("id", filter=Q(status=Supporter.Status.CONFIRMED)),
        pending=Count("id", filter=Q(status=Supporter.Status.PENDING)),
        unsubscribed=Count("id", filter=Q(status=Supporter.Status.UNSUBSCRIBED)),
        bounced=Count("id", filter=Q(status=Supporter.Status.BOUNCED)),
        sms=Count("id", filter=Q(status=Supporter.Status.CONFIRMED, by_sms=True)),
    )
