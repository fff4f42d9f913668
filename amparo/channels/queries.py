"""Reads shared by the channels' pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from amparo.channels.models import DeskMailbox
from amparo.network import permissions
from amparo.network.models import Desk


def coordinated_desks(user: permissions.Someone) -> QuerySet[Desk]:
    """Desks of the networks she coordinates: whose mailboxes she keeps."""
    return Desk.objects.filter(network__in=permissions.coordinated_networks(user)).order_by("name")


def desk_for_coordinator(user: permissions.Someone, slug: str) -> Desk:
    return get_object_or_404(coordinated_desks(user), slug=slug)


def mailbox_of(desk: Desk) -> DeskMailbox | None:
    return DeskMailbox.objects.filter(desk=desk).first()
