"""How far a circulation has got, for the appeal's staff page: counts per channel and status,
and the time from approval to the first and the last message sent, computed in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q

from amparo.appeals.models import Appeal, AppealUpdate, Delivery

Channel, Status = Delivery.Channel, Delivery.Status


@dataclass
class ChannelProgress:
    channel: str
    counts: dict[str, int]
    retrying: int
    first: timedelta | None
    last: timedelta | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def progress(appeal: Appeal, update: AppealUpdate | None = None) -> list[ChannelProgress]:
    """Counts per channel and status, and the time from approval to the first and the last
    message sent, computed in the database."""
    rows = (Delivery.objects.filter(appeal=appeal, update=update).values("channel", "status")
            .annotate(n=Count("id"), first=Min("sent_at"), last=Max("sent_at"),
                      retrying=Count("id", filter=Q(status=Status.QUEUED, attempts__gt=0))))
    approved: datetime | None = update.approved_at if update is not None else appeal.approved_at
    found: dict[str, ChannelProgress] = {}
    for row in rows:
        entry = found.setdefault(row["channel"], ChannelProgress(row["channel"], dict.fromkeys(Status.values, 0),
                                                                 0, None, None))
        entry.counts[row["status"]] = row["n"]
        entry.retrying += row["retrying"]
        if row["status"] == Status.SENT and approved is not None:
            entry.first, entry.last = row["first"] - approved, row["last"] - approved
    return [found[c] for c in Channel.values if c in found]
